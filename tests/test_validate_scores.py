"""Scoring rules on hand-built facts: scores vs weights, weights vs sections, scores vs 总分."""

from validate_facts import by_rule, facts, has_values, row, section, total

from validate import validate


def form_rows(scores=("5", "3", "2")):
    return [
        row("国土空间规划编制（个）", "5", "5", "5", scores[0]),
        row("用地报批（项）", "14", "14", "3", scores[1], level2="质量指标"),
        row("群众满意度情况", "95%", "95%", "2", scores[2], level1="满意度指标", level2="满意度"),
    ]


def scored(scores=("5", "3", "2"), total_score="10", budget_score="0", weights=("8", "2")):
    return facts(
        indicators=form_rows(scores),
        sections=[
            section("预算执行", "90", budget_score),
            section("产出指标", weights[0]),
            section("满意度指标", weights[1]),
        ],
        total_score=total(total_score),
    )


def test_consistent_form_has_no_finding():
    assert validate(scored()) == []


def test_score_above_weight():
    [f] = by_rule(validate(scored(scores=("6", "3", "2"), total_score="11")), "score_exceeds_weight")
    assert has_values(f, 6, 5) and f.fact_ids == ["i1"]


def test_row_weights_vs_section_weight():
    found = validate(scored(weights=("9", "2")))
    [f] = by_rule(found, "weights_sum_vs_section")
    assert has_values(f, 8, 9)
    [s] = by_rule(found, "sections_sum_vs_100")
    assert has_values(s, 101, 100)


def test_scores_plus_budget_score_vs_total():
    # 003: 预算执行 9 + indicator scores 90 = 99 against 总分 100
    assert not by_rule(validate(scored(total_score="100", budget_score="90")), "scores_sum_vs_total")
    found = validate(scored(total_score="100", budget_score="89"))
    [f] = by_rule(found, "scores_sum_vs_total")
    assert has_values(f, 99, 100, 89, 10) and f.difference == 1


def test_integer_scores_are_exact_not_half_point_intervals():
    found = validate(scored(total_score="11"))
    assert by_rule(found, "scores_sum_vs_total")
    assert not by_rule(found, "rounding")


def test_section_scores_vs_total_and_rows():
    sections = [
        section("预算执行", "20", "19.4"),
        section("产出指标", "40", "37.25"),
        section("效益指标", "30", "28.37"),
        section("满意度指标", "10", "9.9"),
    ]
    assert validate(facts(sections=sections, total_score=total("94.92"))) == []
    found = validate(facts(sections=sections, total_score=total("95.92")))
    [f] = by_rule(found, "scores_sum_vs_total")
    assert has_values(f, 94.92, 95.92)


def test_section_score_vs_its_rows():
    rows = [row("a", "1", "1", "3", "2.1"), row("b", "1", "1", "3", "3")]
    found = validate(facts(indicators=rows, sections=[section("产出指标", "6", "5.2")]))
    [f] = by_rule(found, "section_score_vs_rows")
    assert has_values(f, 5.1, 5.2)


def test_level2_weights_vs_level1():
    sections = [
        section("产出指标", "40"),
        section("产出指标", "21", level2="数量指标"),
        section("产出指标", "9", level2="质量指标"),
        section("产出指标", "6", level2="时效指标"),
        section("产出指标", "5", level2="成本指标"),
    ]
    [f] = by_rule(validate(facts(sections=sections)), "weights_sum_vs_section")
    assert has_values(f, 41, 40)


def test_level2_weights_of_only_some_groups_are_no_sum():
    # 项目效益(35分): only 服务对象满意度指标(10分) prints its weight; 社会效益指标 and 可持续影响指标
    # print none, so the annotated level-2 weights are not all of the section's
    rows = [
        row("效果显著", "好", "好", "15", "13", level1="项目效益", level2="社会效益指标"),
        row("办学环境", "好", "好", "10", "8", level1="项目效益", level2="可持续影响指标"),
        row("满意度", "90%", "95%", "10", "10", level1="项目效益", level2="服务对象满意度指标"),
    ]
    sections = [section("项目效益", "35"), section("项目效益", "10", level2="服务对象满意度指标")]
    assert by_rule(validate(facts(indicators=rows, sections=sections)), "weights_sum_vs_section") == []
    # every group annotated, and their weights short of the section's: a contradiction
    sections = [
        section("项目效益", "35"),
        section("项目效益", "5", level2="服务对象满意度指标"),
        section("项目效益", "15", level2="社会效益指标"),
        section("项目效益", "10", level2="可持续影响指标"),
    ]
    found = by_rule(validate(facts(indicators=rows, sections=sections)), "weights_sum_vs_section")
    assert any(has_values(f, 30, 35) for f in found)


def test_rows_of_an_announced_group_missing_are_no_sum():
    # the excerpt ends before the rows of 服务对象满意度指标(10分): 15 + 10 of 35 is no contradiction
    rows = [
        row("效果显著", "好", "好", "15", "13", level1="项目效益", level2="社会效益指标"),
        row("办学环境", "好", "好", "10", "8", level1="项目效益", level2="可持续影响指标"),
    ]
    sections = [section("项目效益", "35"), section("项目效益", "10", level2="服务对象满意度指标")]
    assert by_rule(validate(facts(indicators=rows, sections=sections)), "weights_sum_vs_section") == []
    [f] = by_rule(validate(facts(indicators=rows, sections=sections[:1])), "weights_sum_vs_section")
    assert has_values(f, 25, 35)


def test_sections_without_budget_part_below_100_are_not_flagged():
    sections = [section("产出指标", "50"), section("效益指标", "30"), section("满意度指标", "10")]
    assert validate(facts(sections=sections)) == []


def test_total_may_hold_unscored_budget_points():
    # the form states no 预算执行 得分: a total of 98 over rows worth 10 of 100 points … is possible
    rows = form_rows()
    sections = [section("预算执行", "90"), section("产出指标", "8"), section("满意度指标", "2")]
    assert not by_rule(
        validate(facts(indicators=rows, sections=sections, total_score=total("98"))), "scores_sum_vs_total"
    )
    found = validate(facts(indicators=rows, sections=sections, total_score=total("9")))
    [f] = by_rule(found, "scores_sum_vs_total")
    assert has_values(f, 10, 9)


def test_project_score_above_its_printed_total_weight():
    from validate_facts import num, project

    scored_project = project("测绘", "50", "50", "100", "101").model_copy(update={"total_weight": num("100")})
    [f] = by_rule(validate(facts(projects=[scored_project])), "score_exceeds_weight")
    assert has_values(f, 101, 100)


def test_a_score_above_100_without_a_printed_weight_is_no_finding():
    # bonus points (加分项) can lift a self-evaluation past 100 where the form prints no 分值
    from validate_facts import project

    assert (
        by_rule(validate(facts(projects=[project("测绘", "50", "50", "100", "102.8")])), "score_exceeds_weight") == []
    )


def test_section_weights_short_of_100_without_a_total_are_a_cut_form_not_a_finding():
    # an excerpt cut after 产出指标 (预算执行 10 + 产出 50): nothing says the form ends there
    found = validate(scored(weights=("4", "2")).model_copy(update={"total_score": None}))
    assert by_rule(found, "sections_sum_vs_100") == []
    # with its 总分 printed the same shortfall is a contradiction
    [s] = by_rule(validate(scored(weights=("4", "2"))), "sections_sum_vs_100")
    assert has_values(s, 96, 100)
