"""Itemisation rules on hand-built facts: projects, line items and the narrative's budget splits."""

from validate_facts import amount, by_rule, facts, has_values, item, project

from validate import validate


def test_projects_add_up_to_project_expenditure():
    projects = [project("乡村振兴", "59.02", "59.02", "100"), project("老干开支", "0.5", "0.5", "100")]
    assert validate(facts(amounts=[amount("project_expenditure", "59.52")], projects=projects)) == []
    found = validate(facts(amounts=[amount("project_expenditure", "80.52")], projects=projects))
    [f] = by_rule(found, "projects_sum_vs_project_expenditure")
    assert f.severity == "warning" and has_values(f, 59.52, 80.52)


def test_project_rate_vs_computed():
    found = validate(facts(projects=[project("测绘", "50", "40.00", "100")]))
    [f] = by_rule(found, "project_rate_vs_computed")
    assert has_values(f, 100, 80, 40, 50)


def test_line_items_rounding_against_a_parent_line_item():
    # 000: the 城乡社区支出 items add up to 15265.34 against the stated 15265.33
    items = [item("项目支出", "城乡社区支出", "15265.33"), item("项目支出", "自然资源海洋气象支出", "1412.97")]
    parts = ("7200", "2000", "125.35", "168.89", "2500", "328", "1393.52", "21.78", "1278.28", "223", "26.52")
    items += [item("城乡社区支出", f"item{n}", v) for n, v in enumerate(parts)]
    found = validate(facts(amounts=[amount("project_expenditure", "16678.30")], line_items=items))
    [f] = by_rule(found, "rounding")
    assert has_values(f, 15265.34, 15265.33) and f.severity == "info"
    assert not by_rule(found, "line_items_sum_vs_parent")


def test_line_items_exceeding_their_parent():
    items = [item("项目支出", "a", "100"), item("项目支出", "b", "50")]
    found = validate(facts(amounts=[amount("project_expenditure", "140")], line_items=items))
    [f] = by_rule(found, "line_items_sum_vs_parent")
    assert has_values(f, 150, 140)


def test_a_partial_list_is_not_a_breakdown():
    # 项目支出160万元，其中：A 100万元，B 50万元 names only some of the projects
    items = [item("项目支出", "a", "100"), item("项目支出", "b", "50")]
    assert validate(facts(amounts=[amount("project_expenditure", "160")], line_items=items)) == []


def test_initial_split_with_an_extraneous_part():
    # 002: 基本保障支出873.9 + 人员经费2150.3 + 标准公用经费294.19 + 项目支出3186.14 = 6504.53 ≠ 5630.63
    amounts = [
        amount("initial_budget", "5630.63", source="narrative"),
        amount("initial_basic_support", "873.9", source="narrative", primary=False),
        amount("initial_personnel", "2150.3", source="narrative", primary=False),
        amount("initial_public_funds", "294.19", source="narrative", primary=False),
        amount("initial_project", "3186.14", source="narrative", primary=False),
    ]
    [f] = by_rule(validate(facts(amounts=amounts)), "split_vs_total")
    assert has_values(f, 6504.53, 5630.63, 873.9, 2150.3, 294.19, 3186.14)


def test_signed_adjustments_rounding():
    # 002: +672.94 − 427.34 + 28.43 + 18.98 = 293.01 against 年度中期收入预算调整293万
    amounts = [
        amount("midyear_income", "293", source="narrative", primary=False),
        amount("adj_general_public", "672.94", source="narrative", primary=False),
        amount("adj_gov_fund", "-427.34", source="narrative", primary=False),
        amount("adj_other_income", "28.43", source="narrative", primary=False),
        amount("adj_carryover", "18.98", source="narrative", primary=False),
        amount("adj_basic", "254.06", source="narrative", primary=False),
        amount("adj_personnel", "310.71", source="narrative", primary=False),
        amount("adj_public_funds", "-56.65", source="narrative", primary=False),
    ]
    found = validate(facts(amounts=amounts))
    [f] = by_rule(found, "rounding")
    assert has_values(f, 293.01, 293)
    assert not by_rule(found, "split_vs_total")


def test_executed_basic_vs_personnel_and_public_funds():
    amounts = [
        amount("basic_expenditure", "2698.55"),
        amount("executed_personnel", "2461.01", source="narrative", primary=False),
        amount("executed_public_funds", "247.54", source="narrative", primary=False),
    ]
    [f] = by_rule(validate(facts(amounts=amounts)), "split_vs_total")
    assert has_values(f, 2708.55, 2698.55)
