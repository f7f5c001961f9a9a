"""Building findings: numbers formatted the way a finance person reads them, values rounded
to drop float noise, and the ids of every fact involved."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.models import Finding, Number
from validate.intervals import Outcome
from validate.registry import derived, rule_by_id

ROUNDING = "rounding"
derived(ROUNDING, "info", "A stated total or restatement differs from the computed value only by rounding")


def fmt(x: float) -> str:
    """12.50 → 12.5, 18709.010000002 → 18709.01, 127.5475 → 127.5475."""
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def printed(n: Number) -> str:
    """A number the way the report printed it: 95.60, not 95.6."""
    return f"{n.value:.{n.decimals}f}" if n.scale == 1 else fmt(n.value)


def clean(x: float) -> float:
    return round(x, 6)


def make(
    rule_id: str,
    message: str,
    *,
    fact_ids: Iterable[str],
    values: Iterable[float],
    reported: float | None = None,
    computed: float | None = None,
) -> Finding:
    """A finding of `rule_id` with that rule's severity."""
    difference = None if reported is None or computed is None else clean(reported - computed)
    return Finding(
        rule=rule_id,
        severity=rule_by_id(rule_id).severity,
        message=message,
        reported=None if reported is None else clean(reported),
        computed=None if computed is None else clean(computed),
        difference=difference,
        values=_unique(clean(v) for v in values),
        fact_ids=_unique(i for i in fact_ids if i),
    )


def for_outcome(
    outcome: Outcome,
    rule_id: str,
    message: str,
    *,
    fact_ids: Iterable[str],
    values: Iterable[float],
    reported: float,
    computed: float,
) -> list[Finding]:
    """No finding when equal, a `rounding` info when rounding explains it, else `rule_id`."""
    if outcome == "equal":
        return []
    if outcome == "rounding":
        message = f"{message} (a difference of {fmt(abs(reported - computed))} that rounding explains)"
        rule_id = ROUNDING
    return [make(rule_id, message, fact_ids=fact_ids, values=values, reported=reported, computed=computed)]


def _unique(items: Iterable) -> list:
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
