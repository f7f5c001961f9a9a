"""Narrative project reports: the fund's budget, spending and rate as their sentences state them."""

from __future__ import annotations

from pathlib import Path

from extract import extract_facts
from pipeline.models import Facts
from pipeline.readers import read_document


def _facts(tmp_path: Path, text: str) -> Facts:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extract_facts(read_document(path))


def _primary(facts: Facts) -> dict[str, tuple[float, str]]:
    return {a.key: (a.number.value, a.prov.raw) for a in facts.amounts if a.primary}


def test_allocation_spending_and_rate(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "某县2022年道路建设项目计划投资2,179万元，估算投资3000万元。\n"
        "项目资金共2179万元，截止2022年12月8日，已完成拨付2113.63万元，资金到位率100%，执行率97%。\n",
    )
    assert _primary(facts) == {
        "full_year_budget": (2179, "项目资金共2179万元"),
        "executed": (2113.63, "已完成拨付2113.63万元"),
        "execution_rate_pct": (97, "执行率97%"),
    }


def test_the_total_beats_the_items_and_parts_are_not_the_fund(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2024年度，上级下达转移支付慈善会项目40万元；\n"
        "养老服务项目2.75万元；\n"
        "共计下达中央、市级转移支付资金42.75万元，其中下达乡镇10万元。\n",
    )
    assert _primary(facts) == {"full_year_budget": (42.75, "共计下达中央、市级转移支付资金42.75万元")}


def test_a_reduced_allocation_gives_initial_and_full_year(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "补助资金下达我区111万元，调减40万元，全年实际下达71万元，发放率100%。\n")
    primary = _primary(facts)
    assert primary["initial_budget"][0] == 111
    assert primary["full_year_budget"] == (71, "全年实际下达71万元")
    assert primary["execution_rate_pct"][0] == 100


def test_a_masked_first_allocation_is_not_replaced_by_a_later_one(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "根据文件，下达给我单位资金 点击查看>> 万元。\n根据文件，下达给我单位资金1.53万元。\n",
    )
    assert "full_year_budget" not in _primary(facts)


def test_traditional_text_with_pinyin_keeps_printed_quotes(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "檔案專項經(jīng)費預(yù)算10萬元,實際支出10萬元,執(zhí)行率100%。\n")
    assert _primary(facts) == {
        "full_year_budget": (10, "檔案專項經(jīng)費預(yù)算10萬元"),
        "executed": (10, "實際支出10萬元"),
        "execution_rate_pct": (100, "執(zhí)行率100%"),
    }


def test_amounts_in_yuan_and_a_qualified_rate(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "项目总投资392,696元，社会化发放率90%，资金拨付率96%。\n")
    primary = _primary(facts)
    assert primary["full_year_budget"][0] == 39.2696
    assert primary["execution_rate_pct"] == (96, "拨付率96%")


def test_an_itemised_list_of_allocations_is_a_list_of_projects(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "全区文物保护专项资金共22171万元。一是布达拉宫管理处，下达预算资金9378万元。"
        "具体是:布达拉宫雪城修缮展示工程项目3005万元;布达拉宫二期结构检测工程项目1235万元;"
        "民政管理工作经费17万元;布达拉宫消防提升工程项目1613万元。\n",
    )
    assert [(p.name, p.budget.value) for p in facts.projects] == [
        ("布达拉宫雪城修缮展示工程项目", 3005),
        ("布达拉宫二期结构检测工程项目", 1235),
        ("民政管理工作经费", 17),
        ("布达拉宫消防提升工程项目", 1613),
    ]
    assert _primary(facts)["full_year_budget"][0] == 22171


def test_numbered_items_of_one_fund_are_not_projects(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "(1)援宁经费50万元。(2)援藏工作经费20万元。(3)援疆工作经费130万元。\n")
    assert facts.projects == []


def test_projects_named_in_a_counted_list(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "二是部门项目支出自评，其中包括2024年医废处理项目、结核病防治项目和村级卫生体系建设资金项目等,共计16个项目。\n",
    )
    assert [p.name for p in facts.projects] == ["2024年医废处理项目", "结核病防治项目", "村级卫生体系建设资金项目"]
    assert all(p.budget is None for p in facts.projects)


def test_a_single_project_report_lists_its_project_from_the_title(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "县司法局2020年度一村(社区)一法律顾问经费绩效自评报告\n"
        "一、基本情况\n"
        "2020年度县财政划给县司法局一村(社区)一法律顾问经费，指标金额是110万元，实际拨付金额是108万元。\n"
        "项目自评分:100分。\n",
    )
    assert [(p.name, p.budget.value, p.executed, p.score.value) for p in facts.projects] == [
        ("一村(社区)一法律顾问经费", 110, None, 100)
    ]
    assert facts.total_score is not None and facts.total_score.number.value == 100


def test_a_single_project_named_in_its_budget_sentence(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "1、财政衔接资金下达预算及项目情况\n"
        "我县2022年农村公路通村道路建设项目计划投资2179万元，实现新建道路32.63公里。\n"
        "2、项目资金执行情况分析。项目资金共2179万元，已完成拨付2113.63万元，执行率97%。\n",
    )
    assert [(p.name, p.budget.value, p.executed.value, p.rate_pct.value) for p in facts.projects] == [
        ("2022年农村公路通村道路建设项目", 2179, 2113.63, 97)
    ]


def test_a_department_report_lists_no_single_project(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "某中心2022年整体和项目支出绩效自评总结报告\n部门预算总金额 803.74 万元。\n")
    assert _primary(facts)["full_year_budget"][0] == 803.74
    assert facts.projects == []


def test_department_from_a_title_line_and_in_full_where_printed(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2024年度城关镇社区卫生服务中心预算执行情况绩效自评报告\n"
        "舟曲县城关镇社区卫生服务中心主要负责辖区内居民的基本医疗。\n",
    )
    assert facts.department == "舟曲县城关镇社区卫生服务中心"


def test_department_as_printed_in_traditional_script(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "評表 單位名稱:黃岡市檔案館 填報日期:2021年4月\n")
    assert facts.department == "黃岡市檔案館"


def test_department_of_a_report_that_names_itself(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "现将2022年西平县交通运输局财政衔接推进乡村振兴资金项目绩效自评总结报告如下:\n")
    assert facts.department == "西平县交通运输局"


def test_an_approved_budget_is_not_spending(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "某局2021年度批复支出预算1,278.92万元，全年执行数1200万元。\n")
    primary = _primary(facts)
    assert primary["full_year_budget"][0] == 1278.92
    assert primary["executed"][0] == 1200


def test_numbered_project_paragraphs_with_allocation_spending_and_score(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "1.慈善会项目，下达资金40万元，实际支出38.5万元，执行率96.25%，自评得分95分。\n"
        "2.养老服务项目，下达资金275,000元，已拨付275,000元，支付率100%，自评得分98分。\n",
    )
    assert [(p.name, p.budget.value, p.executed.value, p.rate_pct.value, p.score.value) for p in facts.projects] == [
        ("慈善会项目", 40, 38.5, 96.25, 95),
        ("养老服务项目", 27.5, 27.5, 100, 98),
    ]


def test_outcomes_in_money_are_not_the_fund(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "设备投入使用后年节约电费10万元，带动农户增收500万元，较上年增加预算20万元。\n")
    assert _primary(facts) == {}


def test_a_department_report_takes_only_its_totals(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "某中心2023年部门整体支出绩效自评报告\n"
        "下达道路养护项目资金120万元，已拨付100万元。\n"
        "部门预算总金额803.74万元。\n",
    )
    assert _primary(facts) == {"full_year_budget": (803.74, "部门预算总金额803.74万元")}


def test_a_counted_list_of_the_units_projects(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "某中心2022年整体和项目支出绩效自评总结报告\n"
        "我单位共有 1 个项目批复了绩效目标,项目金额 46.00 万元。 其中: 河湖水系闸坝工程运行维修经费 46.00 万元。\n",
    )
    assert [(p.name, p.budget.value) for p in facts.projects] == [("河湖水系闸坝工程运行维修经费", 46)]


def test_project_name_from_a_titled_report_about_one_project(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "关于农村公路养护项目支出绩效自评的报告\n项目资金共200万元，已支付180万元，支付率90%。\n",
    )
    assert [(p.name, p.budget.value, p.executed.value) for p in facts.projects] == [("农村公路养护项目", 200, 180)]


def test_a_bare_budget_figure_is_the_budget(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "项目资金预算数为100万元，全年执行数为95万元，预算执行率95%。\n")
    primary = _primary(facts)
    assert (primary["full_year_budget"][0], primary["executed"][0], primary["execution_rate_pct"][0]) == (100, 95, 95)


def test_spending_of_the_whole_year_and_a_title_with_tag_and_year(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "(直达资金)东丽湖新建光辉路工程项目2020年度绩效自评报告\n区财政安排资金700万元。2020年全年支出650万元。\n",
    )
    assert [(p.name, p.budget.value, p.executed.value) for p in facts.projects] == [
        ("东丽湖新建光辉路工程项目", 700, 650)
    ]


def test_an_allocation_all_used_is_spent_and_a_fund_named_by_its_amount(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "下达建设资金56万元,全部用于社区排水沟建设。\n")
    assert _primary(facts)["executed"] == (56, "下达建设资金56万元,全部用于社区排水沟建设")
    facts = _facts(tmp_path, "(三)2018年财政绿化包干经费:1080万元。\n")
    assert [(p.name, p.budget.value) for p in facts.projects] == [("财政绿化包干经费", 1080)]


def test_labels_before_a_colon(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "预算数：100万元；实际支出：95万元；预算执行率：95%。\n")
    primary = _primary(facts)
    assert (primary["full_year_budget"][0], primary["executed"][0], primary["execution_rate_pct"][0]) == (100, 95, 95)


def test_raised_funds_and_a_title_with_the_year_after_it(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "农村饮水安全巩固提升项目绩效自评报告（2022年度）\n共筹集资金320万元，累计完成支出300万元。\n",
    )
    assert [(p.name, p.budget.value, p.executed.value) for p in facts.projects] == [
        ("农村饮水安全巩固提升项目", 320, 300)
    ]


def test_project_paragraphs_numbered_in_chinese(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "一是农村道路养护项目，预算资金120万元，已支付110万元，支付率91.67%。\n"
        "二是饮水安全项目，预算资金80万元，已支付80万元，支付率100%。\n",
    )
    assert [(p.name, p.budget.value, p.executed.value) for p in facts.projects] == [
        ("农村道路养护项目", 120, 110),
        ("饮水安全项目", 80, 80),
    ]


def test_the_parts_of_the_budget_are_kept_when_they_add_up(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2023年共投入衔接资金14380万元，其中：中央资金1836万元、省级资金1682万元、市级资金6954万元，本级资金3908万元。\n",
    )
    parts = [(a.number.value, a.prov.raw) for a in facts.amounts if a.key == "fund_budget_part"]
    assert parts == [
        (1836, "中央资金1836万元"),
        (1682, "省级资金1682万元"),
        (6954, "市级资金6954万元"),
        (3908, "本级资金3908万元"),
    ]
    facts = _facts(tmp_path, "共下达资金100万元，其中：中央资金60万元，省级资金30万元。\n")
    assert not [a for a in facts.amounts if a.key == "fund_budget_part"]


def test_a_bare_total_closing_the_allocations_is_the_budget(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "县财政下达第一批资金50万元，第二批资金30万元，共计80万元。\n")
    assert _primary(facts)["full_year_budget"] == (80, "共计80万元")


def test_a_department_reports_project_rate_is_not_its_rate(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "某县财政局2022年度部门整体支出绩效自评报告\n县财政下达乡村振兴项目资金500万元，已拨付480万元，拨付率96%，项目执行率96%。\n",
    )
    assert "execution_rate_pct" not in _primary(facts)


def test_the_cumulative_spending_beats_a_part(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "上级下达我县水利发展资金共计2,350万元。中央资金已拨付1,700万元，省级资金已拨付500万元，累计支付2,200万元。\n",
    )
    assert _primary(facts)["executed"] == (2200, "累计支付2,200万元")


def test_amounts_that_follow_the_budget_and_add_up_to_it_are_its_line_items(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2017年区域协作经费市级财政实际到位资金613万元，补助情况：\n"
        "(1)协作区经费和协作办公费经费分别为3万元和10万元。\n(2)援宁经费50万元。\n(3)援藏工作经费550万元。\n"
        "二、存在问题\n",
    )
    assert [(i.parent, i.number.value) for i in facts.line_items] == [
        ("2017年区域协作经费市级财政实际到位资金", 3),
        ("2017年区域协作经费市级财政实际到位资金", 10),
        ("2017年区域协作经费市级财政实际到位资金", 50),
        ("2017年区域协作经费市级财政实际到位资金", 550),
    ]
    facts = _facts(tmp_path, "项目资金共100万元，已拨付50万元，剩余资金50万元。\n")
    assert facts.line_items == []
