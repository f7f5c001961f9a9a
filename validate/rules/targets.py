"""Target rules: an indicator's actual compared with its typed target, against the score it got."""

from __future__ import annotations

from pipeline.models import Facts, Finding, Indicator
from validate.findings import fmt, make
from validate.lookup import scored_tables
from validate.registry import rule
from validate.targets import declared_unit, is_met, parse_actual, parse_target, partly_done


def _scored_rows(facts: Facts) -> list[Indicator]:
    return [r for rows in scored_tables(facts).values() for r in rows if r.weight is not None and r.score is not None]


def _met(row: Indicator) -> tuple[bool | None, list[float]]:
    unit = declared_unit(row.level3)
    target, actual = parse_target(row.target, unit), parse_actual(row.actual, unit)
    if target is None or actual is None or target.kind == "qualitative":
        return None, []
    bound = target.low or target.high
    if target.kind == "exact" and "成本" in (row.level2 or ""):
        return None, []  # a bare cost figure: more or less may be the better direction
    return is_met(target, actual), [bound.mantissa, actual.mantissa]


def _describe(row: Indicator) -> str:
    return f"{row.level3 or row.level2}: target {row.target!r}, actual {row.actual!r}, 得分 {fmt(row.score.value)}/{fmt(row.weight.value)}"


@rule("target_not_met_full_score", "warning", "An indicator whose actual misses its target still got full marks")
def target_not_met_full_score(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for row in _scored_rows(facts):
        met, values = _met(row)
        if met is False and row.score.value >= row.weight.value:
            findings.append(
                make(
                    "target_not_met_full_score",
                    f"{_describe(row)}: the target is not met, yet full marks were given",
                    fact_ids=[row.id],
                    values=[*values, row.score.value, row.weight.value],
                )
            )
    return findings


@rule("target_met_points_lost", "warning", "An indicator whose actual meets its target still lost points")
def target_met_points_lost(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for row in _scored_rows(facts):
        met, values = _met(row)
        if met is True and row.score.value < row.weight.value:
            findings.append(
                make(
                    "target_met_points_lost",
                    f"{_describe(row)}: the target is met, yet {fmt(row.weight.value - row.score.value)} points were deducted",
                    fact_ids=[row.id],
                    values=[*values, row.score.value, row.weight.value],
                )
            )
    return findings


@rule(
    "partly_done_full_score",
    "info",
    "A qualitative indicator whose actual says the work is only partly done (基本完成, 未完成) got full marks",
)
def partly_done_full_score(facts: Facts) -> list[Finding]:
    return [
        make(
            "partly_done_full_score",
            f"{_describe(row)}: the actual says the work is not fully done, yet full marks were given",
            fact_ids=[row.id],
            values=[row.score.value, row.weight.value],
        )
        for row in _scored_rows(facts)
        if row.score.value >= row.weight.value and partly_done(row.actual)
    ]


@rule(
    "completion_table_vs_target",
    "warning",
    "An indicator listed as completed (完成的绩效目标) must meet its target, one listed as not completed must not",
)
def completion_table_vs_target(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for row in facts.indicators:
        if row.table_kind not in ("completed", "uncompleted"):
            continue
        met, values = _met(row)
        listed_done = row.table_kind == "completed"
        if met is None or met == listed_done:
            continue
        table = "完成" if listed_done else "未完成"
        verdict = "misses" if listed_done else "meets"
        findings.append(
            make(
                "completion_table_vs_target",
                f"{row.level3}: listed under {table}的绩效目标, but its actual {row.actual!r} {verdict} "
                f"the target {row.target!r}",
                fact_ids=[row.id],
                values=values,
            )
        )
    return findings
