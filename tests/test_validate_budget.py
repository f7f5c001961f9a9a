"""Budget rules on hand-built facts: splits vs totals, stated rate, over-spending, execution score."""

from validate_facts import amount, by_rule, facts, has_values, section

from validate import validate


def consistent_budget():
    """003-like form where everything adds up except nothing: no finding expected."""
    return [
        amount("initial_budget", "4229.37"),
        amount("full_year_budget", "2481.78"),
        amount("executed", "2481.78"),
        amount("execution_rate_pct", "100.00"),
        amount("basic_expenditure", "1641.76"),
        amount("project_expenditure", "840.02"),
        amount("income_general_public", "2376.49"),
        amount("income_gov_fund", "105.29"),
        amount("income_other", "0"),
    ]


def test_consistent_budget_has_no_finding():
    assert validate(facts(amounts=consistent_budget(), sections=[section("预算执行", "10", "10")])) == []


def test_split_matching_the_budget_not_the_spending():
    found = validate(
        facts(
            amounts=[
                amount("initial_budget", "14623.09"),
                amount("executed", "18651.39"),
                amount("basic_expenditure", "7301.64"),
                amount("project_expenditure", "7321.45"),
            ]
        )
    )
    [f] = by_rule(found, "basic_plus_project_vs_executed")
    assert f.severity == "error"
    assert has_values(f, 14623.09, 18651.39, 7301.64, 7321.45, 4028.30)
    assert "年初预算数" in f.message
    assert f.difference == 4028.3  # reported 全年执行数 − computed split


def test_split_one_cent_off_is_rounding():
    found = validate(
        facts(
            amounts=[
                amount("executed", "5737.12"),
                amount("basic_expenditure", "2698.55"),
                amount("project_expenditure", "3038.58"),
            ]
        )
    )
    [f] = by_rule(found, "rounding")
    assert f.severity == "info" and has_values(f, 5737.13, 5737.12)
    assert not by_rule(found, "basic_plus_project_vs_executed")


def test_income_parts_vs_total():
    amounts = consistent_budget()
    amounts[7] = amount("income_gov_fund", "205.29")
    [f] = by_rule(validate(facts(amounts=amounts)), "income_parts_vs_total")
    assert has_values(f, 2581.78, 2481.78)


def test_income_parts_naming_only_some_sources_are_not_a_breakdown():
    amounts = [a for a in consistent_budget() if a.key != "income_other"]
    amounts[6] = amount("income_general_public", "1000")  # 1000 + 105.29 of 2481.78: 其他资金 not stated
    assert not by_rule(validate(facts(amounts=amounts)), "income_parts_vs_total")


def test_stated_rate_matches_no_budget():
    amounts = consistent_budget()
    amounts[3] = amount("execution_rate_pct", "95.60")
    [f] = by_rule(validate(facts(amounts=amounts)), "execution_rate_vs_computed")
    assert has_values(f, 95.6, 100, 58.68)
    assert f.reported == 95.6 and f.computed == 100


def test_stated_rate_against_initial_budget_is_named():
    amounts = consistent_budget()
    amounts[3] = amount("execution_rate_pct", "58.68")
    found = validate(facts(amounts=amounts))
    assert not by_rule(found, "execution_rate_vs_computed")
    [f] = by_rule(found, "execution_rate_uses_initial_budget")
    assert "年初预算数" in f.message and has_values(f, 58.68, 100)


def test_rounded_rate_is_fine():
    found = validate(
        facts(
            amounts=[
                amount("full_year_budget", "5923.63"),
                amount("executed", "5737.12"),
                amount("execution_rate_pct", "97"),
            ]
        )
    )
    assert found == []


def test_overspending_with_full_execution_score():
    found = validate(
        facts(
            amounts=[
                amount("initial_budget", "14623.09"),
                amount("executed", "18651.39"),
                amount("execution_rate_pct", "127.55"),
            ],
            sections=[section("预算执行", "10", "10")],
        )
    )
    [over] = by_rule(found, "executed_vs_full_year_budget")
    assert has_values(over, 18651.39, 14623.09, 127.55, 4028.30)
    [score] = by_rule(found, "execution_score_vs_rate")
    assert score.severity == "warning" and has_values(score, 10, 127.55)


def test_spending_beyond_the_initial_budget_alone_is_no_finding():
    # only the 年初 budget is stated (合计 1304.23 | 实际投入 2951.55): a mid-year addition explains it
    initial_only = [amount("initial_budget", "1304.23"), amount("executed", "2951.55")]
    assert by_rule(validate(facts(amounts=initial_only)), "executed_vs_full_year_budget") == []
    # a stated 全年预算数 below the spending is a contradiction
    full_year = [*initial_only, amount("full_year_budget", "1304.23")]
    [over] = by_rule(validate(facts(amounts=full_year)), "executed_vs_full_year_budget")
    assert has_values(over, 2951.55, 1304.23)


def test_budget_never_updated():
    found = validate(
        facts(
            amounts=[
                amount("initial_budget", "2790.13"),
                amount("full_year_budget", "2790.13"),
                amount("executed", "18727.03"),
            ]
        )
    )
    [over] = by_rule(found, "executed_vs_full_year_budget")
    assert has_values(over, 18727.03, 2790.13, 671.19)
    [stale] = by_rule(found, "budget_never_updated")
    assert has_values(stale, 2790.13, 18727.03)


def test_execution_score_below_full_is_not_flagged():
    found = validate(
        facts(
            amounts=[amount("full_year_budget", "100"), amount("executed", "120.00")],
            sections=[section("预算执行", "10", "8")],
        )
    )
    assert not by_rule(found, "execution_score_vs_rate")


def test_a_rate_one_hundredth_off_is_rounding_a_whole_percent_off_is_not():
    # 215457.6 / 250000 = 86.183%: printed 86.19% is a rounding slip in the last place
    fine = [
        amount("full_year_budget", "25.0000"),
        amount("executed", "21.54576"),
        amount("execution_rate_pct", "86.19"),
    ]
    [f] = validate(facts(amounts=fine))
    assert (f.rule, f.severity) == ("rounding", "info") and has_values(f, 86.19, 86.18)
    # 2595.6208 / 2596 = 99.985%: printed 99% is a point below what it rounds to
    coarse = [amount("full_year_budget", "2596"), amount("executed", "2595.6208"), amount("execution_rate_pct", "99")]
    [f] = validate(facts(amounts=coarse))
    assert (f.rule, f.severity) == ("execution_rate_vs_computed", "error")
