"""Forms run together in the text → recovered grids read by the ordinary parsers (extract/recover.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import extract_facts
from extract.recover import add_recovered_tables, recover_tables
from pipeline.models import Facts
from pipeline.readers import read_document

PROJECT_FORM = (
    "项目支出绩效自评表(2016年度) 项目名称道路保洁外包经费主管部门及代码某街道办事处"
    "实施单位:某服务中心项目资金(万元) 年初预算数(A)全年执行数(B)分值(10分)执行率(B/A)得分"
    "得分计算方法年度资金总额:310.2154.741050%5执行率*该指标分值,最高不得超过分值上限。\n"
)


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    path: Path = tmp_path_factory.mktemp("recover") / "form.txt"
    path.write_text(PROJECT_FORM, encoding="utf-8")
    return extract_facts(read_document(path))


def test_funds_row_amounts_equal_the_source(facts: Facts) -> None:
    primary = {a.key: (a.number.value, a.prov.raw) for a in facts.amounts if a.primary}
    assert primary["initial_budget"] == (310.2, "310.2")
    assert primary["executed"] == (154.74, "154.74")
    assert primary["execution_rate_pct"] == (50, "50")


def test_budget_section_and_project(facts: Facts) -> None:
    section = next(s for s in facts.sections if s.level1 == "预算执行")
    assert (section.weight.value, section.score.value) == (10, 5)
    (project,) = facts.projects
    assert (project.name, project.budget.value, project.executed.value) == ("道路保洁外包经费", 310.2, 154.74)


def test_cells_point_at_their_substrings(tmp_path: Path) -> None:
    path = tmp_path / "form.txt"
    path.write_text(PROJECT_FORM, encoding="utf-8")
    doc = read_document(path)
    (table,) = recover_tables(doc)
    for cell in table.cells:
        assert doc.text[cell.char_start : cell.char_end] == cell.text


def test_uncertain_cut_builds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "form.txt"
    path.write_text("项目资金(万元) 年初预算数全年执行数年度资金总额:310.2154.74\n", encoding="utf-8")
    assert recover_tables(read_document(path)) == []


def _rows(tmp_path: Path, text: str) -> list[tuple]:
    path = tmp_path / "form.txt"
    path.write_text(text, encoding="utf-8")
    facts = extract_facts(read_document(path))
    return [(i.level3, i.target, i.actual, _value(i.weight), _value(i.score)) for i in facts.indicators]


def _value(number) -> float | None:
    return None if number is None else number.value


def test_project_indicator_rows_run_together(tmp_path: Path) -> None:
    text = (
        "一级指标二级指标三级指标分值指标值全年实际值得分未完成原因分析"
        "项目决策(10分)项目目标完整性4一目标明确4可行性2实际需求2"
        "项目产出(30分)数量指标(10分)保障人数102370人2370人10指标2:"
        "时效指标(5分)完成时间52021年12月完成2021年12月完成4\n"
    )
    assert _rows(tmp_path, text) == [
        ("完整性", "一", "目标明确", 4, 4),  # a dash in the 指标值 cell, then the actual
        ("可行性", None, "实际需求", 2, 2),  # a lone text under the group's dashed 指标值 column: the actual
        ("保障人数", "2370人", "2370人", 10, 10),
        ("完成时间", "2021年12月完成", "2021年12月完成", 5, 4),
    ]


def test_target_and_actual_of_one_unit_are_cut_at_the_unit(tmp_path: Path) -> None:
    text = (
        "一级指标二级指标三级指标分值指标值全年实际值得分未完成原因分析"
        "项目产出(30分)成本指标(10分)办公所需成本415万元15万元4绿化等成本3M.8万元14.8万元3"
        "质量指标(5分)合格率5≥95%98%5\n"
    )
    assert _rows(tmp_path, text) == [
        ("办公所需成本", "15万元", "15万元", 4, 4),
        ("绿化等成本", "M.8万元", "14.8万元", 3, 3),  # an OCR'd target is kept as printed
        ("合格率", "≥95%", "98%", 5, 5),
    ]


def test_a_long_name_with_a_comma_before_two_values(tmp_path: Path) -> None:
    text = (
        "二级指标三级指标年初目标值(A)实际完成值(B)得分效益指标经济效益完成院区建设,医疗收入达到5亿元5亿元6.47亿元10\n"
    )
    assert _rows(tmp_path, text) == [("完成院区建设,医疗收入达到5亿元", "5亿元", "6.47亿元", None, 10)]


def test_the_excerpts_cut_off_last_row_keeps_the_target_its_actual_repeats(tmp_path: Path) -> None:
    text = (
        "二级指标三级指标年初目标值(A)实际完成值(B)得分产出指标时效1年1年1年10"
        "效益指标可持续性院区建成后,可持续提供医疗服务服务范围扩大服务范"
    )
    assert _rows(tmp_path, text) == [
        ("1年", "1年", "1年", None, 10),
        # the excerpt stops inside the actual, which starts like the target: target read, actual not
        ("院区建成后,可持续提供医疗服务", "服务范围扩大", None, None, None),
    ]
    # a name cut off where it repeats its own words is the name alone
    text = "二级指标三级指标年初目标值(A)实际完成值(B)得分满意度指标群众满意度调查群众满意"
    assert _rows(tmp_path, text) == [("群众满意度调查群众满意", None, None, None, None)]


def test_an_ocr_read_level2_name_of_the_older_form(tmp_path: Path) -> None:
    text = (
        "一级指标二级指标三级指标分值指标值全年实际值得分未完成原因分析"
        "项目管理(25分)财务管理财务管理制度有效性7一制度健全7项H实施绩效监控有效性2一持续有效2\n"
    )
    rows = [(i.level2, i.level3) for i in _facts_of(tmp_path, text).indicators]
    # 项目实施 with its 目 read as a Latin letter still opens a group
    assert rows == [("财务管理", "财务管理制度有效性"), ("项H实施", "绩效监控有效性")]


def test_a_lone_text_without_a_dashed_row_before_it_is_left_empty(tmp_path: Path) -> None:
    text = (
        "一级指标二级指标三级指标分值指标值全年实际值得分未完成原因分析"
        "项目决策(10分)项目立项可行性2实际需求2适当性2一有测算标准2\n"
    )
    assert _rows(tmp_path, text) == [
        ("可行性", None, None, 2, 2),  # target or actual: cannot be told
        ("适当性", "一", "有测算标准", 2, 2),  # the dash comes after it, not before
    ]


def test_project_rows_without_weight_column(tmp_path: Path) -> None:
    text = (
        "二级指标三级指标年初目标值(A)实际完成值(B)得分产出指标数量指标成本控制不超过预算不超过预算10时效1年1年1年10\n"
    )
    assert _rows(tmp_path, text) == [
        ("成本控制", "不超过预算", "不超过预算", None, 10),
        ("1年", "1年", "1年", None, 10),
    ]


def test_department_indicator_rows(tmp_path: Path) -> None:
    text = (
        "指标名称计量单位指标性质年初指标值调整指标值全年完成值得分系数(%)指标权重(分)指标得分(分)是否核心指标"
        "财政供养人员控制率%定量指标100%92%100%22否“三公经费变动率%100%22否预算调整率%3%0100%22否"
        "资金使用合规性好好100%55否组织宣传活动次数次到0次43次100%1010是\n"
    )
    assert _rows(tmp_path, text) == [
        ("财政供养人员控制率", "100%", "92%", 2, 2),
        ("“三公经费变动率", None, None, 2, 2),
        ("预算调整率", "3%", "0", 2, 2),
        ("资金使用合规性", "好", "好", 5, 5),
        ("组织宣传活动次数", "到0次", "43次", 10, 10),
    ]


def test_one_form_one_grid_with_its_total(tmp_path: Path) -> None:
    text = (
        "某市本级部门项目支出绩效自评表(2021年)项目名称公用经费主管部门某教育局实施单位某中学自评得分96"
        "项目资金(万元)年度资金总额年初预算数全年预算数全年执行数执行率(B/A)64.864.864.8100%"
        "一级指标二级指标三级指标分值指标值全年实际值得分未完成原因"
        "项目产出(30分)质量指标(10分)公用经费标准10符合要求符合要求10\n"
    )
    path = tmp_path / "form.txt"
    path.write_text(text, encoding="utf-8")
    facts = extract_facts(read_document(path))
    (project,) = facts.projects
    assert (project.name, project.budget.value, project.executed.value, project.score.value) == (
        "公用经费",
        64.8,
        64.8,
        96,
    )
    assert project.cells["score"].raw == "96"
    assert [(i.level3, i.target, i.actual) for i in facts.indicators] == [("公用经费标准", "符合要求", "符合要求")]


def test_national_layout_weight_and_score_run_together(tmp_path: Path) -> None:
    text = (
        "一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"
        "产出指标数量指标培训人次≥300人次≥300人次2018质量指标合格率95%95%1010\n"
    )
    assert _rows(tmp_path, text) == [
        ("培训人次", "≥300人次", "≥300人次", 20, 18),
        ("合格率", "95%", "95%", 10, 10),
    ]


NATIONAL_FORM = (
    "项目支出绩效自评表(2021年度)项目名称乡村道路维护主管部门某县交通运输局实施单位某县公路养护中心"
    "项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分年度资金总额120120901075%7.5"
    "其中:当年财政拨款120120901075%7.5上年结转资金其他资金年度总体目标预期目标实际完成情况"
    "绩效指标一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"
    "产出指标数量指标维护里程50公里50公里2020质量指标合格率≥95%≥95%2018总分10095.5\n"
)


def test_national_form_run_together(tmp_path: Path) -> None:
    path = tmp_path / "form.txt"
    path.write_text(NATIONAL_FORM, encoding="utf-8")
    facts = extract_facts(read_document(path))
    primary = {a.key: a.number.value for a in facts.amounts if a.primary}
    assert primary == {"initial_budget": 120, "full_year_budget": 120, "executed": 90, "execution_rate_pct": 75}
    assert [(i.level3, i.target, i.actual, i.weight.value, i.score.value) for i in facts.indicators] == [
        ("维护里程", "50公里", "50公里", 20, 20),
        ("合格率", "≥95%", "≥95%", 20, 18),
    ]
    (project,) = facts.projects
    assert (project.budget.value, project.executed.value, project.score.value) == (120, 90, 95.5)


def test_rows_with_two_values_cut_at_the_unit(tmp_path: Path) -> None:
    text = (
        "一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"
        "产出指标数量指标培训人数≥500人526人1010质量指标合格率≥95%97.2%109"
        "效益指标社会效益指标服务能力明显提升有所提升2017可持续影响指标运行年限≥3年3年1010\n"
    )
    assert _rows(tmp_path, text) == [
        ("培训人数", "≥500人", "526人", 10, 10),
        ("合格率", "≥95%", "97.2%", 10, 9),
        # 明显提升有所提升: two texts that cannot be cut apart; the row is left out
        ("运行年限", "≥3年", "3年", 10, 10),  # the comparison is the target's, not the name's
    ]


def test_glued_weights_that_cut_two_ways_are_refused(tmp_path: Path) -> None:
    text = (
        "一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"
        "产出指标数量指标道路条数20条20条12.512.5质量指标保洁率100%100%1010\n"
    )
    # 12.512.5 is 12.5 | 12.5 or 12.51 | 2.5: no row is read from it, and its numbers are no target
    assert _rows(tmp_path, text) == [("保洁率", "100%", "100%", 10, 10)]


@pytest.mark.parametrize(
    "form",
    [
        "项目名称乡村道路养护项目主管部门某县交通运输局项目资金（元）年初预算数全年执行数分值执行率得分"
        "年度资金总额800000.00764000.001095.50%9.55\n",
        "单位：元\n项目名称乡村道路养护项目主管部门某县交通运输局项目资金年初预算数全年执行数分值执行率得分"
        "年度资金总额800000.00764000.001095.50%9.55\n",
    ],
    ids=["unit-in-label", "unit-above"],
)
def test_funds_printed_in_yuan_are_stored_in_wanyuan(tmp_path: Path, form: str) -> None:
    path = tmp_path / "form.txt"
    path.write_text(form, encoding="utf-8")
    facts = extract_facts(read_document(path))
    primary = {a.key: (a.number.value, a.prov.raw) for a in facts.amounts if a.primary}
    assert primary["initial_budget"] == (80.0, "800000.00")
    assert primary["executed"] == (76.4, "764000.00")


def test_chunk_marker_inside_a_value_leaves_only_that_value_out(tmp_path: Path) -> None:
    text = (
        "1、项目名称乡村道路养护项目主管部门某县交通运输局项目资金（万元）年初预算数全年预算数全年执行数分值执行率得分"
        "年度资金总额80.0090.0087.\n\n2、301097.00%9.70其中\n"
    )
    path = tmp_path / "form.txt"
    path.write_text(text, encoding="utf-8")
    facts = extract_facts(read_document(path))
    primary = {a.key: a.number.value for a in facts.amounts if a.primary}
    assert primary == {"initial_budget": 80.0, "full_year_budget": 90.0, "execution_rate_pct": 97.0}


def test_rows_under_a_name_cut_by_a_chunk_marker_are_left_out(tmp_path: Path) -> None:
    text = (
        "1、一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"
        "产出指标数量指标养护里程30公里30公里2020质量指\n\n2、标路面合格率100%100%2020验收合格率100%100%2020"
        "效益指标社会效益指标通行条件改善改善改善2020\n"
    )
    rows = [(i.level1, i.level2, i.level3) for i in _facts_of(tmp_path, text).indicators]
    # 质量指标 cut in two: its rows would otherwise be read under 数量指标
    assert rows == [("产出指标", "数量指标", "养护里程"), ("效益指标", "社会效益指标", "通行条件改善")]


def _facts_of(tmp_path: Path, text: str) -> Facts:
    path = tmp_path / "form.txt"
    path.write_text(text, encoding="utf-8")
    return extract_facts(read_document(path))


def test_a_recovered_form_is_a_table_block_not_prose(tmp_path: Path) -> None:
    path = tmp_path / "form.txt"
    path.write_text("关于乡村道路养护项目的自评报告\n" + PROJECT_FORM, encoding="utf-8")
    doc = read_document(path)
    add_recovered_tables(doc)
    (table,) = [t for t in doc.tables if t.char_start and t.char_start > 0]
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph"]
    # the form's cells are not running text any more (a narrative reader would take 资金总额:310.2 for a budget)
    assert not [b for b in paragraphs if b.char_start < table.char_end and table.char_start < b.char_end]
    assert [b.table for b in doc.blocks if b.kind == "table"] == [table.index]
    assert "关于乡村道路养护项目的自评报告" in [doc.text[b.char_start : b.char_end] for b in paragraphs]


def test_a_total_cut_by_a_chunk_marker_is_not_read(tmp_path: Path) -> None:
    text = (
        "1、项目名称乡村道路养护项目项目支出绩效自评表一级指标二级指标三级指标年度指标值实际完成值分值得分"
        "产出指标数量指标养护里程30公里30公里10096总分1009\n\n2、6.5\n"
    )
    facts = _facts_of(tmp_path, text)
    # 96.5 is cut in two: the 总分 row is left out (its 100 alone would read as the score)
    assert all(p.score is None for p in facts.projects)
    assert facts.total_score is None


def test_a_project_forms_cost_rows_are_no_amounts_of_their_own(tmp_path: Path) -> None:
    text = (
        "项目支出绩效自评表项目名称初中公用经费主管部门某教育局实施单位某中学"
        "项目资金(万元)年初预算数全年执行数执行率年度资金总额64.864.8100%"
        "一级指标二级指标三级指标分值指标值全年实际值得分未完成原因分析"
        "项目产出(30分)成本指标(10分)办公所需成本415万元15万元4维修所需成本335万元35万元3\n"
    )
    facts = _facts_of(tmp_path, text)
    assert [(i.level3, i.actual) for i in facts.indicators] == [("办公所需成本", "15万元"), ("维修所需成本", "35万元")]
    # the rows' 15万元 and 35万元 are parts of the funds row, read once: in the rows
    assert sorted(a.key for a in facts.amounts) == ["executed", "execution_rate_pct", "initial_budget"]


def test_a_transfer_payment_form_is_a_project_form(tmp_path: Path) -> None:
    text = (
        "中央文化保护资金转移支付绩效目标自评表(2021年度)转移支付(项目)名称文化保护资金"
        "中央主管部门文化和旅游部地方主管部门资金使用单位资金情况(万元)"
        "全年预算数(A)全年执行数(B)预算执行率(B/A)年度资金总额:21182118100%\n"
    )
    (project,) = _facts_of(tmp_path, text).projects
    assert (project.name, project.budget.value, project.executed.value) == ("文化保护资金", 2118, 2118)


@pytest.mark.parametrize(
    ("subrow", "income"),
    [
        ("其中:本年一般公共预算拨款 310.2154.74   其他资金", 310.2),
        ("其中:本年一般公共预算拨款 300.0150.00   其他资金", None),  # not the funds row's run: no cut
    ],
    ids=["restating", "other-values"],
)
def test_a_funding_source_row_restating_the_funds_row(tmp_path: Path, subrow: str, income: float | None) -> None:
    text = PROJECT_FORM.rstrip("\n") + subrow + "     年度总体目标\n"
    amounts = {a.key: a for a in _facts_of(tmp_path, text).amounts}
    assert amounts["initial_budget"].number.value == 310.2
    found = amounts.get("income_general_public")
    assert (found.number.value, found.prov.raw) == (income, "310.2") if income else found is None
