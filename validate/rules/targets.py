"""Target rules: an indicator's actual compared with its typed target, against the score it got."""

from __future__ import annotations

import re

from pipeline.models import Facts, Finding, Indicator
from validate.findings import Message, like, make, printed, say
from validate.lookup import scored_tables
from validate.registry import rule
from validate.targets import declared_unit, is_met, parse_actual, parse_target, partly_done

#: Indicator names of a rate kept low (财政供养人员控制率, 预算调整率, 结转结余率 …): a bare target of
#: such a rate ("100%") is a ceiling, not a level to reach, so falling below it is no shortfall.
_KEPT_LOW = re.compile(r"控制率|变动率|调整率|结余率|超支率|差错率|误差率|事故率|投诉率|发生率")


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
    if target.kind == "exact" and _KEPT_LOW.search(row.level3 or ""):
        return None, []  # a rate kept low: its bare target is a ceiling
    return is_met(target, actual), [bound.mantissa, actual.mantissa]


def _describe(row: Indicator) -> Message:
    """The row as a reviewer names it: indicator, target, actual and 得分/分值 as printed."""
    return say(
        "indicator_row",
        indicator=row.level3 or row.level2 or "",
        target=row.target or "",
        actual=row.actual or "",
        score=printed(row.score),
        weight=printed(row.weight),
    )


@rule("target_not_met_full_score", "warning")
def target_not_met_full_score(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for row in _scored_rows(facts):
        met, values = _met(row)
        if met is False and row.score.value >= row.weight.value:
            findings.append(
                make(
                    "target_not_met_full_score",
                    _describe(row) + say("target_not_met_full_score"),
                    fact_ids=[row.id],
                    values=[*values, row.score.value, row.weight.value],
                )
            )
    return findings


@rule("target_met_points_lost", "warning")
def target_met_points_lost(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for row in _scored_rows(facts):
        met, values = _met(row)
        if met is True and row.score.value < row.weight.value:
            findings.append(
                make(
                    "target_met_points_lost",
                    _describe(row)
                    + say(
                        "target_met_points_lost", lost=like(row.weight.value - row.score.value, [row.weight, row.score])
                    ),
                    fact_ids=[row.id],
                    values=[*values, row.score.value, row.weight.value],
                )
            )
    return findings


@rule(
    "partly_done_full_score",
    "info",
)
def partly_done_full_score(facts: Facts) -> list[Finding]:
    return [
        make(
            "partly_done_full_score",
            _describe(row) + say("partly_done_full_score"),
            fact_ids=[row.id],
            values=[row.score.value, row.weight.value],
        )
        for row in _scored_rows(facts)
        if row.score.value >= row.weight.value and partly_done(row.actual)
    ]


@rule(
    "completion_table_vs_target",
    "warning",
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
        findings.append(
            make(
                "completion_table_vs_target",
                say(
                    "listed_completed_misses" if listed_done else "listed_uncompleted_meets",
                    indicator=row.level3 or "",
                    actual=row.actual or "",
                    target=row.target or "",
                ),
                fact_ids=[row.id],
                values=values,
            )
        )
    return findings
