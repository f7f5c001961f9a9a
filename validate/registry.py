"""The rule catalogue: each rule is a small named function with an id and a severity, registered
with the `@rule` decorator. What a rule checks is worded in the message catalogue (`rule.<id>` in
pipeline/i18n), in Chinese and in English."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pipeline.i18n import t
from pipeline.models import Facts, Finding, Severity

Check = Callable[[Facts], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    check: Check | None  # None: emitted by other rules (e.g. rounding)

    def description(self, lang: str | None = None) -> str:
        """What the rule checks, in `lang` (default: JIXIAO_LANG, else Chinese)."""
        return t(f"rule.{self.id}", lang)


RULES: list[Rule] = []


def rule(rule_id: str, severity: Severity) -> Callable[[Check], Check]:
    """Register a check function in the catalogue under `rule_id`."""

    def register(check: Check) -> Check:
        RULES.append(Rule(rule_id, severity, check))
        return check

    return register


def derived(rule_id: str, severity: Severity) -> None:
    """Register a finding kind that other rules emit (it has no check of its own)."""
    RULES.append(Rule(rule_id, severity, None))


def rule_by_id(rule_id: str) -> Rule:
    return next(r for r in RULES if r.id == rule_id)
