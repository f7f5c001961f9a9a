"""A report whose every number agrees raises nothing: the catalogue's false-positive test."""

from validate_facts import amount, facts, item, mention, project, row, section, total

from validate import validate


def clean_report():
    return facts(
        amounts=[
            amount("initial_budget", "4000.00"),
            amount("full_year_budget", "2481.78"),
            amount("executed", "2481.78"),
            amount("execution_rate_pct", "100.00"),
            amount("basic_expenditure", "1641.76"),
            amount("project_expenditure", "840.02"),
            amount("income_general_public", "2376.49"),
            amount("income_gov_fund", "105.29"),
            amount("income_other", "0"),
            amount("executed", "2481.78", source="narrative", primary=False),
            amount("initial_basic", "1600.00", source="narrative", primary=False),
            amount("initial_project", "2400.00", source="narrative", primary=False),
            amount("executed_personnel", "1500.00", source="narrative", primary=False),
            amount("executed_public_funds", "141.76", source="narrative", primary=False),
        ],
        indicators=[
            row("国土空间规划编制（个）", "5", "5", "20", "20"),
            row("信访案件办结率", "≥90%", "100%", "10", "10", level2="质量指标"),
            row("全年支出控制在预算经费内", "不超出4000万元", "实际支出2481.78万元", "10", "10", level2="成本指标"),
            row("拓展发展空间面积（平方公里）", "20", "14", "10", "7"),
            row("耕地保护", "持续加大耕地保护力度", "守住44.02万亩耕地", "30", "30", level1="效益指标"),
            row("群众满意度", "95%", "96%", "10", "10", level1="满意度指标", level2="满意度"),
        ],
        sections=[
            section("预算执行", "10", "10"),
            section("产出指标", "50"),
            section("效益指标", "30"),
            section("满意度指标", "10"),
        ],
        total_score=total("97", "100"),
        projects=[project("规划编制", "500", "500", "100", "98"), project("地灾防治", "340.02", "340.02", "100", "95")],
        line_items=[item("项目支出", "规划编制", "500"), item("项目支出", "地灾防治", "340.02")],
        mentions=[
            mention("quantity", "守住", "44.02", unit="万亩"),
            mention("count", "专项业务费项目", "2", unit="个"),
            mention("count", "信访", "49", unit="件"),
        ],
    )


def test_a_consistent_report_has_no_finding():
    assert validate(clean_report()) == []


def test_a_broken_rule_does_not_lose_the_others(monkeypatch):
    from validate import registry

    def broken(facts):
        raise ValueError("odd facts")

    monkeypatch.setattr(registry, "RULES", [registry.Rule("broken", "error", broken)])
    monkeypatch.setattr("validate.RULES", registry.RULES)
    [f] = validate(clean_report())
    assert f.rule == "rule_failed" and f.severity == "info" and "broken" in f.message
