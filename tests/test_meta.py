"""Department and region of a report: the region is the full administrative chain of where the
reporting unit sits, read from the gazetteer (extract/places.py), never guessed past what the text fixes."""

from __future__ import annotations

from extract import meta, places
from pipeline.models import Document
from pipeline.readers.text import read_text


def _doc(text: str) -> Document:
    return read_text(text.encode("utf-8"), "doc", "report.txt", "txt")


def _region(text: str) -> str | None:
    doc = _doc(text)
    return meta.region(doc, meta.department(doc))


def test_a_county_in_the_departments_name_expands_to_its_province_and_city() -> None:
    assert _region("西平县交通运输局2022年度项目支出绩效自评报告\n一、基本情况\n") == "河南省驻马店市西平县"


def test_autonomous_region_and_prefecture_names_are_written_in_full() -> None:
    text = "阜康市统计局2023年度项目支出绩效自评报告\n"
    assert _region(text) == "新疆维吾尔自治区昌吉回族自治州阜康市"


def test_a_county_under_a_municipality_has_no_prefecture_level() -> None:
    assert _region("忠县民政局2024年度资金绩效自评报告\n") == "重庆市忠县"
    assert _region("重庆市大足区商务委员会2021年度部门整体绩效自评报告\n") == "重庆市大足区"


def test_a_province_level_unit_stays_at_the_province() -> None:
    assert _region("广东省科学技术厅2020年度部门整体支出绩效自评报告\n") == "广东省"


def test_traditional_script_is_read_as_simplified() -> None:
    assert _region("黃岡市檔案館2020年度項目支出績效自評報告\n") == "湖北省黄冈市"


def test_an_ambiguous_district_stays_unnamed_unless_the_text_names_its_city() -> None:
    title = "普陀区体育局2022年度项目支出绩效自评报告\n"
    assert _region(title) is None
    assert _region(title + "根据舟山市财政局的通知，现开展自评。\n") == "浙江省舟山市普陀区"
    assert _region(title + "根据上海市财政局的通知，现开展自评。\n") == "上海市普陀区"


def test_a_district_named_with_its_city_needs_no_context() -> None:
    assert _region("上海市普陀区体育局2022年度项目支出绩效自评报告\n") == "上海市普陀区"


def test_a_place_the_gazetteer_does_not_know_keeps_only_the_known_part() -> None:
    assert _region("上海市某某区财政局2024年度部门决算\n") == "上海市"
    assert _region("某某县林业局2023年部门整体支出绩效自评报告\n") is None


def test_without_a_department_the_title_and_publisher_name_the_place() -> None:
    text = "(直达资金)天津市东丽湖新建道路工程项目2020年度绩效自评报告\n发布时间:2021-05-14 来源:天津市东丽区财政局\n"
    assert _region(text) == "天津市东丽区"
    assert _region("2023年西平县农产品仓储基地建设项目绩效自评报告\n一、绩效目标\n") == "河南省驻马店市西平县"


def test_the_report_naming_itself() -> None:
    assert _region("为做好衔接资金绩效评价工作，现将巩义市2023年自评情况报告如下：\n") == "河南省郑州市巩义市"


def test_resolve_keeps_what_the_candidates_share() -> None:
    assert places.full_name(places.resolve(["鼓楼区"])) is None  # 南京, 徐州, 福州, 开封
    assert places.full_name(places.resolve(["鼓楼区"], "江苏省南京市")) == "江苏省南京市鼓楼区"
    assert places.full_name(places.resolve(["仙桃市"])) == "湖北省仙桃市"  # directly under the province


def test_leading_places_read_the_longest_name_first() -> None:
    assert places.leading_places("北京市海淀区学院路街道城市运行服务中心") == ["北京市", "海淀区"]
    assert places.leading_places("襄阳市中心医院") == ["襄阳市"]


def test_short_forms_of_autonomous_units_expand_to_official_names() -> None:
    assert _region("凉山州财政局2022年度部门整体支出绩效自评报告\n") == "四川省凉山彝族自治州"
    assert _region("长阳县民政局2022年度项目支出绩效自评报告\n") == "湖北省宜昌市长阳土家族自治县"


def test_a_title_opening_with_a_common_word_that_is_also_a_district_names_no_place() -> None:
    assert _region("城区道路改造项目2022年度绩效自评报告\n") is None


def test_department_is_the_project_forms_implementing_unit() -> None:
    text = "项目支出绩效自评表\n项目名称 道路保洁 主管部门 某区城管委\n项目实施单位 北京市海淀区城市运行服务中心 项目负责人 张三\n"
    assert meta.department(_doc(text)) == "北京市海淀区城市运行服务中心"
    narrative = "专项资金绩效评价报告\n评价组对项目实施单位进行了实地抽查与核实，并查阅账簿。\n"
    assert meta.department(_doc(narrative)) is None


def test_department_from_a_self_evaluation_title() -> None:
    assert (
        meta.department(_doc("上海市普陀区体育事业管理中心2022年度项目自评价.pdf\n")) == "上海市普陀区体育事业管理中心"
    )


def test_department_takes_the_places_printed_before_it_elsewhere() -> None:
    text = "重庆市大足区商务委员会2021年度预算资金绩效自评公开\n单位名称:大足区商务委员会\n"
    assert meta.department(_doc(text)) == "重庆市大足区商务委员会"
    other_city = "上海市大足区商务委员会工作简报\n单位名称:大足区商务委员会\n"  # 大足区 is not in 上海市
    assert meta.department(_doc(other_city)) == "大足区商务委员会"


def test_a_forwarded_notice_is_not_the_report_naming_itself() -> None:
    assert _region("各乡镇：\n现将驻马店市财政局关于做好绩效自评的通知转发给你们。\n") is None


def test_an_evaluation_report_is_about_the_evaluated_unit_not_its_signatory() -> None:
    text = (
        "长沙市财政项目支出绩效评价报告\n评价项目单位：长沙市人民政府国有资产监督管理委员会\n报告日期：2021年8月22日\n"
        "一、基本情况\n项目综合评分92.25分，评价级次为优。\n长沙市财政局\n2021年8月22日\n"
    )
    assert meta.department(_doc(text)) == "长沙市人民政府国有资产监督管理委员会"


def test_a_source_of_funds_is_not_the_publisher() -> None:
    assert _region("道路工程项目绩效自评报告\n资金来源:驻马店市财政局下达\n") is None


def test_an_evaluation_report_names_the_unit_whose_funds_it_evaluates() -> None:
    text = "按照有关要求，我们对方城县动物疫病预防控制中心动物防疫专项经费进行了绩效评价，现将评价结果报告如下：\n"
    assert meta.department(_doc(text)) == "方城县动物疫病预防控制中心"
    assert _region(text) == "河南省南阳市方城县"


def test_department_fields_and_titles_in_their_other_wordings() -> None:
    assert meta.department(_doc("项目支出绩效自评表\n填报单位（盖章）：某某县自然资源局\n")) == "某某县自然资源局"
    assert meta.department(_doc("绩效自评表\n预算单位：某某县林业局\n")) == "某某县林业局"
    title = "关于西平县交通运输局2022年度项目支出绩效自评情况的报告\n一、基本情况\n"
    assert meta.department(_doc(title)) == "西平县交通运输局"


def test_a_title_over_lines_opens_one_of_them() -> None:
    text = (
        "目录\n一、部门主要职能\n二、部门机构设置\n九、承办区委交办的其他事项。\n某某街道办事处（部门）机构设置\n"
        "上海市普陀区人民政府某某街道办事处部门预算是包括街道本部的综合收支计划。\n"
    )
    assert meta.department(_doc(text)) == "上海市普陀区人民政府某某街道办事处"


def test_the_gazetteer_holds_the_31_mainland_provinces_and_their_counties() -> None:
    provinces = [d for d in places._gazetteer().by_code.values() if d.code.endswith("0000")]
    assert len(provinces) == 31
    assert places.full_name(places.resolve(["株洲县"])) == "湖南省株洲市株洲县"  # a former name (渌口区 since 2018)
    assert places.full_name(places.resolve(["渌口区"])) == "湖南省株洲市渌口区"
