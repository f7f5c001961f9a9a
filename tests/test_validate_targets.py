"""Typed targets, and the rules comparing an indicator's actual with its target and score."""

import pytest
from validate_facts import by_rule, facts, has_values, row

from validate import validate
from validate.targets import Quantity, is_met, parse_actual, parse_target


@pytest.mark.parametrize(
    ("text", "kind", "low", "high"),
    [
        ("≥95%", "at_least", 95, None),
        ("1万以上", "at_least", 10000, None),
        ("不超出4229.37万元", "at_most", None, 4229.37),
        ("2-3", "range", 2, 3),
        ("100%", "exact", 100, 100),
        ("按时完成", "qualitative", None, None),
        ("有效推进", "qualitative", None, None),
        ("２０", "exact", 20, 20),
    ],
)
def test_parse_target(text, kind, low, high):
    target = parse_target(text)
    assert target.kind == kind
    assert (target.low.value if target.low else None) == low
    assert (target.high.value if target.high else None) == high


def test_declared_unit_is_not_a_magnitude():
    assert parse_target("1", "万件").low == Quantity(1, 1, False)
    assert parse_target("2亿元以上", "亿元").low == Quantity(2, 1, False)


def test_actual_with_a_year_and_words():
    assert parse_actual("实际支出2481.78万元").value == 2481.78
    assert parse_actual("2024年度年初绩效目标任务已基本完成") is None
    assert parse_actual("全市共有79个项目68694套房屋") is None


def test_is_met():
    assert is_met(parse_target("≥90%"), parse_actual("100%")) is True
    assert is_met(parse_target("350以上"), parse_actual("348")) is False
    assert is_met(parse_target("不超出740.00万元"), parse_actual("实际支出734.73万元")) is True
    assert is_met(parse_target("2-3"), parse_actual("6")) is None  # beyond the range: direction unknown
    assert is_met(parse_target("95%"), parse_actual("95")) is None  # a percentage against a count


def test_not_met_but_full_score():
    rows = [row("村庄规划编制数量（个）", "350以上", "348", "3", "3")]
    [f] = by_rule(validate(facts(indicators=rows)), "target_not_met_full_score")
    assert has_values(f, 350, 348, 3)


def test_a_rate_kept_low_below_its_bare_target_is_no_shortfall():
    # 财政供养人员控制率: target 100%, actual 92% is within the ceiling; 执行率 92% of 100% is short
    kept_low = [row("财政供养人员控制率", "100%", "92%", "2", "2")]
    assert by_rule(validate(facts(indicators=kept_low)), "target_not_met_full_score") == []
    reached = [row("政府采购执行率", "100%", "92%", "2", "2")]
    [f] = by_rule(validate(facts(indicators=reached)), "target_not_met_full_score")
    assert has_values(f, 100, 92, 2)


def test_met_but_points_lost():
    rows = [row("信访案件办结率", "≥90%", "100%", "3", "2")]
    [f] = by_rule(validate(facts(indicators=rows)), "target_met_points_lost")
    assert has_values(f, 90, 100, 2, 3)


def test_proportional_scores_and_full_marks_raise_nothing():
    rows = [
        row("拓展发展空间面积（平方公里）", "20", "14", "3", "2.1"),
        row("用地报批（项）", "14", "14", "3", "3"),
        row("生态修复投资规模（亿元）", "2", "1.55", "4", "3.1", level2="成本指标"),
        row("全年支出控制在预算经费内", "不超出4229.37万元", "实际支出2481.78万元", "5", "5", level2="成本指标"),
    ]
    assert validate(facts(indicators=rows)) == []


def test_partly_done_qualitative_with_full_marks_is_info():
    rows = [row("年度内完成年初绩效目标任务", "完成", "2024年度年初绩效目标任务已基本完成", "5", "5")]
    [f] = by_rule(validate(facts(indicators=rows)), "partly_done_full_score")
    assert f.severity == "info"


def test_completion_tables_against_the_targets():
    rows = [
        row("拓展发展空间面积（平方公里）", "20", "14", table_kind="completed"),
        row("新增耕地面积（亩）", "1万", "1万", table_kind="completed", table_seq=0),
        row("园区办理抵押登记数量（笔）", "200", "154", table_kind="uncompleted", table_seq=1),
        row("社会群众满意率", "100%", "100%", table_kind="uncompleted", table_seq=1),
    ]
    found = by_rule(validate(facts(indicators=rows)), "completion_table_vs_target")
    assert [f.fact_ids for f in found] == [["i1"], ["i4"]]
    assert has_values(found[0], 20, 14)
