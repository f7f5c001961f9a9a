"""Narrative extraction: budget sentences, project self-evaluations, itemised lists, mentions."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import extract_facts
from pipeline.models import Facts
from pipeline.readers import read_document

REPORT = """某某县林业局2023年部门整体支出绩效自评报告
一、部门预算执行情况
2023年我部门年初预算批复数1,200.50万元，全年预算数1500万元，年终决算数1450.25万元，预算总体执行率为96.68%。其中，基本支出900.25万元，项目支出550万元，本次绩效自评金额共计1450.25万元。
年度中期预算调整299.5万，其中基本支出调增120万元，项目支出调减20.5万元。全年实现木材销售收入约3000万元。
（二）项目支出情况
1、林业发展支出550万元。其中：完成造林项目300万元；森林防火专项资金200万；其中病虫害防治50万元。
二、绩效自评情况
部门整体支出绩效自评得分95分。专项业务费项目3个、事业发展类项目1个共涉及资金C2₁万元。全年完成造林1.2万亩。
(1)造林补助项目绩效自评综述：根据年初设定的绩效目标，项目自评得分98分。项目全年预算数300万元，执行数300万元，完成预算的100%。
(2)森林防火项目绩效自评综述：根据年初设定的绩效目标，项目自评得分90.5分。项目全年预算数200万元，执行数180万元，完成预算的90%。
"""


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    path: Path = tmp_path_factory.mktemp("narrative") / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return extract_facts(read_document(path))


def test_canonical_budget_sentences(facts: Facts) -> None:
    primary = {a.key: a.number.value for a in facts.amounts if a.primary}
    assert primary == {
        "initial_budget": 1200.5,
        "full_year_budget": 1500,
        "executed": 1450.25,
        "execution_rate_pct": 96.68,
        "basic_expenditure": 900.25,
        "project_expenditure": 550,
    }
    rate = next(a for a in facts.amounts if a.key == "execution_rate_pct")
    assert rate.unit == "%" and rate.number.decimals == 2
    initial = next(a for a in facts.amounts if a.key == "initial_budget")
    assert initial.prov.raw.endswith("年初预算批复数1,200.50万元")
    assert REPORT[initial.prov.char_start : initial.prov.char_end] == initial.prov.raw


def test_adjustments_are_signed_and_outcomes_left_out(facts: Facts) -> None:
    others = {a.key: a.number.value for a in facts.amounts if not a.primary}
    assert others["midyear_adjustment"] == 299.5
    assert others["adj_basic"] == 120
    assert others["adj_project"] == -20.5
    assert 3000 not in others.values()  # 木材销售收入约3000万元 is an outcome, not a budget amount


def test_itemised_breakdown_becomes_line_items(facts: Facts) -> None:
    items = [(li.parent, li.name, li.number.value) for li in facts.line_items]
    assert items == [
        ("项目支出", "林业发展支出", 550),
        ("林业发展支出", "完成造林项目", 300),
        ("林业发展支出", "森林防火专项资金", 200),
        ("林业发展支出", "病虫害防治", 50),
    ]


def test_project_self_evaluations(facts: Facts) -> None:
    projects = [(p.name, p.budget.value, p.executed.value, p.rate_pct.value, p.score.value) for p in facts.projects]
    assert projects == [("造林补助", 300, 300, 100, 98), ("森林防火", 200, 180, 90, 90.5)]


def test_total_score_from_the_text(facts: Facts) -> None:
    assert facts.total_score is not None and facts.total_score.number.value == 95


def test_mentions_quantities_counts_and_garbled(facts: Facts) -> None:
    counts = [(m.label, m.number.value, m.unit) for m in facts.mentions if m.kind == "count"]
    assert ("专项业务费项目", 3, "个") in counts
    assert ("事业发展类项目", 1, "个") in counts
    quantities = [(m.number.value, m.unit) for m in facts.mentions if m.kind == "quantity"]
    assert (1.2, "万亩") in quantities
    garbled = [m for m in facts.mentions if m.kind == "garbled"]
    assert len(garbled) == 1 and garbled[0].prov.raw.endswith("C2₁万元")


def test_department_from_the_title(facts: Facts) -> None:
    assert (facts.department, facts.region, facts.year) == ("某某县林业局", None, 2023)


def test_range_ends_are_not_mentions(tmp_path: Path) -> None:
    path = tmp_path / "range.txt"
    path.write_text("年初目标值为2-3个环节，力争申报1—2个项目，水田规模-17.1466公顷。\n", encoding="utf-8")
    mentions = [(m.number.value, m.unit) for m in extract_facts(read_document(path)).mentions]
    assert mentions == [(-17.1466, "公顷")]


def test_other_project_and_total_phrasings(tmp_path: Path) -> None:
    path = tmp_path / "other.txt"
    text = (
        "经自评，我局2022年度部门整体支出绩效评价得分为92.5分。\n"
        "3、土地整治项目：全年预算数80万元，执行数76万元，执行率为95%，项目自评得分90分。\n"
        "部门（单位）名称：某某市规划局\n"
    )
    path.write_text(text, encoding="utf-8")
    facts = extract_facts(read_document(path))
    assert facts.total_score is not None and facts.total_score.number.value == 92.5
    projects = [(p.name, p.budget.value, p.executed.value, p.rate_pct.value, p.score.value) for p in facts.projects]
    assert projects == [("土地整治项目", 80, 76, 95, 90)]


def test_a_list_of_allocations_run_into_its_lead_in(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    text = (
        "2024年度,中央、市级下达转移支付慈善会项目40万元;城乡低保救助项目2.75万元;"
        "福利院运行经费项目25.85万元;民政管理工作经费17万元。共计下达中央、市级转移支付资金85.6万元。\n"
    )
    path.write_text(text, encoding="utf-8")
    projects = [(p.name, p.budget.value) for p in extract_facts(read_document(path)).projects]
    # the first name starts after the verb and the kind of money; the total is no project
    assert projects == [
        ("慈善会项目", 40),
        ("城乡低保救助项目", 2.75),
        ("福利院运行经费项目", 25.85),
        ("民政管理工作经费", 17),
    ]


def test_an_allocation_naming_its_project_after_it_continues_the_list(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    text = (
        "一是管理处,下达预算资金900万元。具体是:甲修缮工程项目300万元;乙检测工程项目200万元;"
        "丙消防提升工程项目400万元。二是博物馆,下达预算资金500万元,项目是博物馆展陈环境保护项目。\n"
    )
    path.write_text(text, encoding="utf-8")
    projects = [(p.name, p.budget.value) for p in extract_facts(read_document(path)).projects]
    assert projects == [
        ("甲修缮工程项目", 300),
        ("乙检测工程项目", 200),
        ("丙消防提升工程项目", 400),
        ("博物馆展陈环境保护项目", 500),
    ]


def test_per_item_budgets_are_not_the_departments(tmp_path: Path) -> None:
    path = tmp_path / "juesuan.txt"
    text = (
        "上海市某某区财政局\n2024年度部门决算\n"
        "行政运行（项）年初预算为10.00万元，支出决算为9.5万元。一般行政管理事务（项）年初预算为20万元，"
        "支出决算为18万元。机关服务（项）年初预算为30万元，支出决算为30万元。一般公共预算财政拨款支出减少5.5万元。\n"
    )
    path.write_text(text, encoding="utf-8")
    facts = extract_facts(read_document(path))
    assert (facts.department, facts.region, facts.year) == ("上海市某某区财政局", "上海市", 2024)
    assert not [a for a in facts.amounts if a.primary]
    keys = sorted((a.key, a.number.value) for a in facts.amounts)
    assert keys == [
        ("adj_general_public", -5.5),
        ("narrative_initial_budget", 10),
        ("narrative_initial_budget", 20),
        ("narrative_initial_budget", 30),
    ]


def test_one_funding_sources_basic_spending_is_not_the_departments(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(
        "某某局2022年度部门决算说明\n2022年度支出决算2074.96万元，其中基本支出1168.04万元，项目支出906.92万元。\n"
        "2022年度一般公共预算财政拨款基本支出986.06万元，包括人员经费和公用经费。\n",
        encoding="utf-8",
    )
    facts = extract_facts(read_document(path))
    primary = {a.key: a.number.value for a in facts.amounts if a.primary}
    assert primary["basic_expenditure"] == 1168.04
    assert [a.key for a in facts.amounts if a.number.value == 986.06] == ["executed_general_public_basic"]


def test_a_flattened_funds_header_is_not_a_sentence(tmp_path: Path) -> None:
    """The header of a form flattened into the text ("…全年预算数全年执行数分值执行率得分年度资金总额
    120.50万元118.00万元…") names every column before the first amount: none of its amounts is a
    budget or a spending the narrative states (it read 120.50 as both before). Here the row's 得分
    (3.10) does not follow from its 执行率, so the form's recovery reads nothing either."""
    path = tmp_path / "report.txt"
    path.write_text(
        "项目资金（万元）年初预算数全年预算数全年执行数分值执行率得分年度资金总额120.50万元118.00万元"
        "115.26万元1097.68%3.10其中：当年财政拨款100.5098.0095.26\n"
        "四、下一步工作\n全年预算资金118.00万元，实际支出115.26万元。\n",
        encoding="utf-8",
    )
    facts = extract_facts(read_document(path))
    read = sorted((a.key, a.number.value, a.prov.raw) for a in facts.amounts)
    assert read == [("executed", 115.26, "实际支出115.26万元"), ("full_year_budget", 118.0, "全年预算资金118.00万元")]
