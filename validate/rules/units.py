"""Unit rules: an indicator's numbers must be in the unit its name declares ('守住耕地红线（亩）'
44.02 where 44.02万亩 is meant; a target '2' against an actual '2.3万')."""

from __future__ import annotations

import re

from pipeline.models import Facts, Finding, Indicator
from validate.findings import fmt, make, say
from validate.registry import rule
from validate.targets import MAGNITUDES, declared_unit, normalise, numbers, parse_actual, parse_target


@rule(
    "unit_mismatch",
    "error",
)
def unit_mismatch(facts: Facts) -> list[Finding]:
    findings = [f for row in facts.indicators for f in _magnitude_within_row(row)]
    return findings + [f for row in facts.indicators for f in _magnitude_elsewhere(facts, row)]


def _magnitude_within_row(row: Indicator) -> list[Finding]:
    """Target '2' against actual '2.3万': one of the two lacks the 万."""
    unit = declared_unit(row.level3)
    target, actual = parse_target(row.target, unit), parse_actual(_with_unit_column(row), unit)
    bound = None if target is None else (target.low or target.high)
    if bound is None or actual is None or bound.magnitude == actual.magnitude or bound.percent or actual.percent:
        return []
    if bound.mantissa <= 0 or not 0.1 <= actual.mantissa / bound.mantissa <= 10:
        return []
    if _money_shorthand(row.target, row.actual):
        return []
    return [
        make(
            "unit_mismatch",
            say(
                "unit_factor",
                indicator=row.level3 or "",
                target=row.target,
                actual=row.actual,
                factor=fmt(max(bound.value, actual.value) / min(bound.value, actual.value)),
                literal_target=fmt(bound.value),
                literal_actual=fmt(actual.value),
                unit=unit or "",
            ),
            fact_ids=[row.id],
            values=[bound.mantissa, actual.mantissa, bound.value, actual.value],
        )
    ]


def _with_unit_column(row: Indicator) -> str | None:
    """The actual in the unit of the form's 计量单位 column, which the target is printed with."""
    unit = row.cells.get("unit")
    if unit is None or not row.actual or not row.target or not row.target.endswith(unit.raw.strip()):
        return row.actual
    return row.actual + unit.raw.strip()


def _money_shorthand(target: str | None, actual: str | None) -> bool:
    """'≤396万元' against '378.27万': a bare 万 beside 万元 is the same 万元, not a magnitude."""
    a, b = normalise(target), normalise(actual)
    bare = re.compile(r"\d\s*万(?!元)")
    return ("万元" in a and bool(bare.search(b))) or ("万元" in b and bool(bare.search(a)))


def _magnitude_elsewhere(facts: Facts, row: Indicator) -> list[Finding]:
    """'守住耕地红线（亩）' 44.02 while another statement says 44.02万亩."""
    unit = declared_unit(row.level3)
    if not unit or unit[0] in MAGNITUDES:
        return []
    own = [q for text in (row.target, row.actual) for q in numbers(text or "", unit)]
    if not own or any(q.magnitude != 1 for q in own):
        return []
    literal = {q.mantissa for q in own}
    for fact_id, mantissa, magnitude in _statements_in_unit(facts, row, unit):
        if mantissa in literal:
            scaled = mantissa * magnitude
            prefix = next(k for k, v in MAGNITUDES.items() if v == magnitude)
            return [
                make(
                    "unit_mismatch",
                    say(
                        "unit_elsewhere",
                        indicator=row.level3 or "",
                        value=fmt(mantissa),
                        unit=unit,
                        prefix=prefix,
                        scaled=fmt(scaled),
                    ),
                    fact_ids=[row.id, fact_id],
                    values=[mantissa, scaled],
                )
            ]
    return []


def _statements_in_unit(facts: Facts, row: Indicator, unit: str) -> list[tuple[str, float, float]]:
    """(fact id, printed value, magnitude) for every '<v>万<unit>' in mentions and other indicator cells."""
    found: list[tuple[str, float, float]] = []
    for m in facts.mentions:
        if m.kind == "quantity" and m.number is not None and m.unit[1:] == unit and m.unit[0] in MAGNITUDES:
            found.append((m.id, m.number.value, MAGNITUDES[m.unit[0]]))
    pattern = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿)" + re.escape(unit))
    for other in facts.indicators:
        if other is row:
            continue
        for text in (other.target, other.actual):
            for match in pattern.finditer(normalise(text)):
                found.append((other.id, float(match.group(1)), MAGNITUDES[match.group(2)]))
    return found
