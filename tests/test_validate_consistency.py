"""Restatement and unit rules on hand-built facts."""

from validate_facts import amount, by_rule, facts, has_values, mention, row

from validate import validate

FORM_SPLIT = [
    amount("executed", "18727.03"),
    amount("basic_expenditure", "2048.73"),
    amount("project_expenditure", "16678.30"),
]


def test_cost_indicator_restating_the_split_differently():
    # 000: 成本指标 基本支出1285.63万元和项目支出17423.38万元 vs the form's 2048.73 + 16678.30
    cost = row("基本支出和项目支出", "　基本支出1285.63万元和项目支出17423.38万元", None, level2="成本指标")
    [f] = by_rule(validate(facts(amounts=FORM_SPLIT, indicators=[cost])), "same_quantity_differs")
    assert has_values(f, 1285.63, 17423.38, 18709.01, 2048.73, 16678.30, 18727.03)
    assert set(f.fact_ids) >= {"i1", "a2", "a3"}


def test_cost_indicator_agreeing_with_the_form():
    cost = row("基本支出和项目支出", "基本支出2048.73万元和项目支出16678.30万元", None, level2="成本指标")
    assert validate(facts(amounts=FORM_SPLIT, indicators=[cost])) == []


def _project_costs(*actuals: str | None) -> list:
    names = ("办公所需成本", "维修(维护)所需成本", "绿化、水电费等成本")
    return [row(name, actual, actual, "3", "3", level2="成本指标") for name, actual in zip(names, actuals, strict=True)]


def test_several_cost_rows_are_parts_of_the_spending():
    # 办公 15万元 + 维修 35万元 + 绿化 14.8万元 = the project's 全年执行数 64.8
    spent = [amount("executed", "64.8").model_copy(update={"project_id": "p1"})]
    assert validate(facts(amounts=spent, indicators=_project_costs("15万元", "35万元", "14.8万元"))) == []
    # a part that cannot be read leaves the sum unknown: no finding
    assert validate(facts(amounts=spent, indicators=_project_costs("15万元", "35万元", None))) == []
    # parts that do not reach the spending are worth a look
    [f] = by_rule(
        validate(facts(amounts=spent, indicators=_project_costs("15万元", "35万元", "4.8万元"))),
        "cost_indicator_vs_executed",
    )
    assert f.severity == "warning" and has_values(f, 54.8, 64.8)


def test_form_and_narrative_one_cent_apart_is_rounding():
    amounts = [
        amount("project_expenditure", "3038.57"),
        amount("project_expenditure", "3038.58", source="narrative", primary=False),
    ]
    found = validate(facts(amounts=amounts))
    [f] = by_rule(found, "rounding")
    assert has_values(f, 3038.57, 3038.58)


def test_restated_amount_that_differs():
    amounts = [amount("executed", "5737.12"), amount("executed", "5837.12", source="narrative", primary=False)]
    [f] = by_rule(validate(facts(amounts=amounts)), "same_quantity_differs")
    assert has_values(f, 5737.12, 5837.12)


def test_indicator_in_two_tables_with_different_targets():
    rows = [
        row("审批环节减少数量（个）", "3-5", "5", table_seq=0, table_kind="completed"),
        row("审批环节减少数量（个）", "2-3", "5", "2", "2", table_seq=1),
    ]
    [f] = by_rule(validate(facts(indicators=rows)), "same_quantity_differs")
    assert has_values(f, 3, 2)


def test_target_lacking_its_wan():
    # 002: 获批新增建设用地（亩） target '2' while the actual is '2.3万'
    rows = [row("获批新增建设用地（亩）", "2", "2.3万", "3", "3")]
    [f] = by_rule(validate(facts(indicators=rows)), "unit_mismatch")
    assert has_values(f, 2, 23000)


def test_value_in_mu_that_the_text_gives_in_wan_mu():
    # 003: 守住耕地红线（亩） 44.02 while the narrative says 守住44.02万亩耕地
    rows = [row("守住耕地红线（亩）", "44.02", "44.02", "4", "4", level2="质量指标")]
    said = mention("quantity", "守住", "44.02", unit="万亩")
    [f] = by_rule(validate(facts(indicators=rows, mentions=[said])), "unit_mismatch")
    assert has_values(f, 44.02, 440200) and f.fact_ids == ["i1", "m1"]


def test_same_unit_everywhere_is_fine():
    rows = [
        row("验收增减挂购项目面积（亩）", "2万以上", "2.8万", "4", "4"),
        row("生态修复投资规模（亿元）", "2亿元以上", "1.55", "4", "3.1", level2="成本指标"),
        row("不动产登记（万件）", "1", "1.4", "4", "4"),
        row("举办干部教育培训人次", "1万人次以上", "1.4万", "3", "3"),
    ]
    said = mention("quantity", "全年验收增减挂钩项目", "2.8", unit="万亩")
    assert validate(facts(indicators=rows, mentions=[said])) == []


def test_narrative_parts_against_indicator_actual():
    # 002: 实际完成值 663, but the text says 批示 560 件 + 提案 73 件 = 633
    rows = [row("办理省市领导批示件及人大代表提案件数量（件）", "500", "663", "3", "3")]
    said = [mention("count", "市领导机关批示", "560", unit="件"), mention("count", "市政协委员提案", "73", unit="件")]
    said[0].prov.char_start, said[0].prov.char_end = 100, 112
    said[1].prov.char_start, said[1].prov.char_end = 120, 131
    [f] = by_rule(validate(facts(indicators=rows, mentions=said)), "same_quantity_differs")
    assert has_values(f, 663, 633, 560, 73)


def test_narrative_total_with_its_parts_is_fine():
    rows = [row("办理抵押登记数量（笔）", "200", "154", "3", "2.31")]
    said = [
        mention("count", "办理抵押登记", "154", unit="笔"),
        mention("count", "其中线上办理抵押登记", "100", unit="笔"),
    ]
    said[0].prov.char_start, said[0].prov.char_end = 100, 110
    said[1].prov.char_start, said[1].prov.char_end = 112, 130
    assert validate(facts(indicators=rows, mentions=said)) == []


def test_yuan_table_against_the_wan_figures():
    from pipeline.models import Number

    def yuan(key: str, value: float):
        a = amount(key, "0", source="table", primary=False)
        a.number = Number(value=value, decimals=2, scale=1e-4)
        return a

    amounts = [
        amount("executed", "5737.12"),
        amount("project_expenditure", "3038.57"),
        amount("initial_personnel", "2150.3", source="narrative", primary=False),
        yuan("table_yuan_executed_total", 5737.123127),
        yuan("table_yuan_initial_personnel", 2150.3),
        yuan("table_yuan_executed_project", 3038.575162),
        yuan("table_yuan_full_year_total", 5923.626225),  # no 万元 statement to compare with
    ]
    [f] = validate(facts(amounts=amounts))
    assert f.rule == "rounding" and has_values(f, 3038.57, 3038.575162)


def test_sub_category_amounts_under_one_key_are_not_restatements():
    # a 决算 narrative: 一般公共服务支出年初预算135.9万元 … 教育支出年初预算450.52万元 …
    amounts = [amount("initial_budget", "1560.05", source="narrative")]
    amounts += [amount("initial_budget", v, source="narrative", primary=False) for v in ("135.9", "450.52")]
    assert validate(facts(amounts=amounts)) == []


def test_narrative_target_against_the_tables():
    # 002: both tables say 3-5 for 审批环节减少数量（个）, the narrative says 年初绩效目标值分别2-3个环节
    rows = [
        row("审批环节减少数量（个）", "3-5", "5", "2", "2", level2="时效指标"),
        row(
            "审批环节减少数量（个）",
            "2-3个环节",
            None,
            "2",
            "2",
            level2="时效指标",
            table_seq=1,
            table_kind="narrative",
        ),
    ]
    [f] = validate(facts(indicators=rows))
    assert f.rule == "same_quantity_differs" and has_values(f, 3, 5, 2)
    assert f.fact_ids == ["i1", "i2"] and "在报告正文中为「2-3个环节」" in f.message


def test_restatement_matched_without_quotes_and_unit():
    # the form's '多规合一村庄规划编制数量（个）' is the narrative's '“多规合一”村庄规划编制数量'
    rows = [
        row("多规合一村庄规划编制数量（个）", "350以上", "348", "3", "2.98"),
        row("“多规合一”村庄规划编制数量", "350个以上村庄", None, "3", "2.5", table_seq=1, table_kind="narrative"),
    ]
    [f] = validate(facts(indicators=rows))
    assert f.rule == "same_quantity_differs" and has_values(f, 2.98, 2.5) and "得分" in f.message


def test_restatement_differing_only_in_wan_is_a_unit_matter():
    # 002: the tables' target '2' (亩) against the narrative's 年初绩效目标值为2万亩
    rows = [
        row("获批新增建设用地（亩）", "2", "2.3", "3", "3"),
        row("获批新增建设用地（亩）", "2万亩", None, "3", "3", table_seq=1, table_kind="narrative"),
    ]
    assert by_rule(validate(facts(indicators=rows)), "same_quantity_differs") == []
