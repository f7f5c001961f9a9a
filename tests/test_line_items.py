"""Line items of running text: the parts an allocation lists after 其中 (extract/line_items.py)."""

from __future__ import annotations

from pathlib import Path

from extract import extract_facts
from pipeline.models import Facts
from pipeline.readers import read_document


def _facts(tmp_path: Path, text: str) -> Facts:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extract_facts(read_document(path))


def _items(facts: Facts) -> list[tuple[str, float, str]]:
    return [(i.name, i.number.value, i.prov.raw) for i in facts.line_items]


def test_allocation_parts_are_line_items_and_a_reduction_is_negative(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "一、资金基本情况\n"
        "2022年养老服务补助资金下达我县50万元(某财预〔2022〕3号),其中居家养老服务补贴30万元,"
        "高龄津贴20万元,调减8万元(某财预〔2022〕9号),全年实际下达42万元,已全额拨付。\n",
    )
    assert _items(facts) == [
        ("居家养老服务补贴", 30, "居家养老服务补贴30万元"),
        ("高龄津贴", 20, "高龄津贴20万元"),
        ("调减", -8, "调减8万元"),
    ]
    assert {i.parent for i in facts.line_items} == {"2022年养老服务补助资金下达我县50万元"}


def test_parts_of_a_masked_allocation_are_read_where_printed(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "根据某财指〔2021〕12号文件,下达给我单位资金 点击查看>> 万元,其中:"
        "湿地保护补助 点击查看>> 万元,造林补助2.35万元,森林抚育补助调减1.2万元,有害生物防治费9.03万元。\n",
    )
    assert [(name, value) for name, value, _ in _items(facts)] == [
        ("造林补助", 2.35),
        ("森林抚育补助调减", -1.2),
        ("有害生物防治费", 9.03),
    ]
    # the allocation is named with its mask, so no check takes a clear amount for its total
    assert {i.parent for i in facts.line_items} == {"下达给我单位资金 点击查看>> 万元"}


def test_parts_named_by_their_source_are_not_line_items(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "项目总投资300万元,其中:中央资金200万元,省级资金60万元,县级资金40万元。项目已完工。\n",
    )
    assert facts.line_items == []
    parts = [(a.key, a.number.value) for a in facts.amounts if a.key == "fund_budget_part"]
    assert parts == [("fund_budget_part", 200), ("fund_budget_part", 60), ("fund_budget_part", 40)]


def test_parts_that_do_not_add_up_to_the_allocation_are_not_its_items(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2021年下达道路养护资金100万元,其中桥梁维修30万元,路面修补50万元。资金已拨付。\n",
    )
    assert facts.line_items == []


def test_a_stated_allocation_is_kept_where_the_budget_is_masked(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "中央下达补助资金 点击查看>> 万元。\n"
        "根据某财指〔2021〕12号文件,下达给我单位资金1.53万元,已全面拨付使用,预算执行率100%。\n",
    )
    others = [(a.key, a.number.value, a.prov.raw) for a in facts.amounts if not a.primary]
    assert ("fund_budget_stated", 1.53, "下达给我单位资金1.53万元") in others


def test_amounts_that_add_up_to_a_stated_total_are_its_line_items(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "本次重点绩效评价共计5个项目,涉及资金1000万元。评价结果显示,结果为“优”的项目有2项,"
        "涉及金额为600万元;结果为“良”的项目有3项,涉及金额为400万元。\n",
    )
    assert [(value, raw) for _, value, raw in _items(facts)] == [
        (600, "评价结果显示,结果为“优”的项目有2项,涉及金额为600万元"),
        (400, "结果为“良”的项目有3项,涉及金额为400万元"),
    ]
    assert {i.parent for i in facts.line_items} == {"涉及资金1000万元"}


def test_zero_totals_and_budget_categories_are_not_broken_down(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "0个项目评为三等,涉及资金0万元;0个项目评为四等,涉及资金0万元。\n"
        "2023年支出合计300万元。基本支出200万元,项目支出100万元。\n",
    )
    assert facts.line_items == []


def test_money_received_and_money_evaluated_are_stated_not_spent(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2020年度县财政划给县司法局法律顾问经费,指标金额是110万元,实际拨付金额是108万元。\n"
        "本次纳入绩效评价范围的县级资金90万元。项目中,涉密项目0个,涉及资金0万元。\n",
    )
    primary = {a.key: a.number.value for a in facts.amounts if a.primary}
    others = sorted((a.key, a.number.value) for a in facts.amounts if not a.primary)
    assert primary == {"full_year_budget": 110}
    assert others == [("fund_evaluated_stated", 90), ("fund_received_stated", 108)]


def test_a_budget_line_stated_by_its_items_gives_each_as_a_part(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "(一)中央下达转移支付预算和绩效目标情况1.预算数:2021年,包含补助10个重点项目资金300万元、"
        "补助2期培训资金40.5万元,(二)区内分解下达情况\n",
    )
    parts = [(a.number.value, a.prov.raw) for a in facts.amounts if a.key == "fund_budget_part"]
    assert parts == [(300, "补助10个重点项目资金300万元"), (40.5, "补助2期培训资金40.5万元")]


def test_a_change_against_the_first_budget_is_an_adjustment(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2024年部门年初预算100万元,年中调整预算为150万元,比年初预算增加50万元,全年执行数140万元。\n",
    )
    adjustments = [(a.key, a.number.value, a.prov.raw) for a in facts.amounts if a.key.startswith("adj_")]
    assert adjustments == [("adj_total", 50, "比年初预算增加50万元")]


def test_an_estimate_and_an_unspent_balance_are_stated_amounts(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "某区道路改造工程项目估算投资500.5万元,区财政安排资金300万元。\n"
        "项目资金共300万元,已拨付工程款299.6万元,执行率99%,剩余未执行完的0.4万元将统筹使用。\n",
    )
    primary = {a.key: a.number.value for a in facts.amounts if a.primary}
    others = sorted((a.key, a.number.value) for a in facts.amounts if not a.primary)
    assert primary["full_year_budget"] == 300 and primary["executed"] == 299.6
    assert ("fund_estimated_stated", 500.5) in others and ("fund_unspent_stated", 0.4) in others


def test_parts_after_a_stated_budget_that_add_up_to_it_are_its_parts(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2024年部门年初预算100万元,全年执行数120万元。"
        "市财政将专户的预留预算资金 20 万元,统一计入财政拨款收入,具体为退休人员医疗补助收入 5.5 万元、"
        "公务员医疗补助14.5 万元,不列入年初预算。\n",
    )
    parts = [(a.number.value, a.prov.raw) for a in facts.amounts if a.key == "fund_budget_part"]
    assert parts == [(5.5, "退休人员医疗补助收入 5.5 万元"), (14.5, "公务员医疗补助14.5 万元")]
    assert facts.line_items == []


def test_parts_after_qizhong_are_not_read_as_a_breakdown_of_the_total(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "2024年度政府采购支出总额100万元,全部为财政资金,其中:政府采购货物支出40万元、政府采购服务支出60万元。\n",
    )
    assert facts.line_items == []


def test_procurement_categories_and_zero_parts_are_not_line_items(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "本部门纳入2026年部门预算的政府采购项目共有100万元,其中:货物类项目40万元、工程类项目0.00万元、"
        "服务类项目60万元。\n"
        "2026年公务用车预算安排25.31万元,其中:公务用车运行费25.31万元,公务用车购置费0万元。\n",
    )
    assert [(name, value) for name, value, _ in _items(facts)] == [("公务用车运行费", 25.31)]
