"""The rule catalogue: each rule is a small named function with an id, a severity and a
one-line description, registered with the `@rule` decorator."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pipeline.models import Facts, Finding, Severity

Check = Callable[[Facts], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    description: str
    check: Check | None  # None: emitted by other rules (e.g. rounding)


RULES: list[Rule] = []


def rule(rule_id: str, severity: Severity, description: str) -> Callable[[Check], Check]:
    """Register a check function in the catalogue under `rule_id`."""

    def register(check: Check) -> Check:
        RULES.append(Rule(rule_id, severity, description, check))
        return check

    return register


def derived(rule_id: str, severity: Severity, description: str) -> None:
    """Register a finding kind that other rules emit (it has no check of its own)."""
    RULES.append(Rule(rule_id, severity, description, None))


def rule_by_id(rule_id: str) -> Rule:
    return next(r for r in RULES if r.id == rule_id)
