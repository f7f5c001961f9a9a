"""Validation: Facts → Findings with deterministic rules only (no LLM).

Every rule is a small function in `validate/rules/` registered in the catalogue
(`validate.registry.RULES`) with an id, a severity and a one-line description. Numbers are
compared as intervals at their printed precision (`validate/intervals.py`): a difference that
rounding explains becomes an info finding `rounding`, never an error. A finding's message comes
from the message catalogue (pipeline/i18n: `finding.<key>` with named values, numbers as printed
with their units) and is stored in Chinese (`message`) and in English (`message_en`).

Facts the rules read (see extract/__init__.py for how they are produced):
* amounts by gold key (initial_budget, full_year_budget, executed, execution_rate_pct,
  basic_expenditure, project_expenditure, income_*), their restatements under the same key, and
  the narrative's `<phase>_<category>` splits (initial_personnel, adj_gov_fund …);
* indicator rows (target, actual, weight, score), sections (weights, scores), total score;
* projects, line items (parent → items), mentions (quantities with units, counts, garbled).

A rule sees one scope at a time: in a file binding many forms, each project form's facts are a
`Facts` of their own (validate/scopes.py), so "the same quantity" is compared within one form.
"""

from __future__ import annotations

from pipeline.models import Facts, Finding
from validate import rules  # noqa: F401  (registers the rules)
from validate.findings import render, say
from validate.registry import RULES, Rule, derived
from validate.scopes import in_scope, scopes

RULE_FAILED = "rule_failed"
derived(RULE_FAILED, "info")


def validate(facts: Facts) -> list[Finding]:
    """Run every rule of the catalogue over each scope of one document's facts (the document's
    own, and each project form that is a scope of its own: validate/scopes.py); duplicates within a
    scope are merged."""
    findings: list[Finding] = []
    for project, scoped in scopes(facts):
        found = [f for r in RULES if r.check is not None for f in _run(r, scoped)]
        findings.extend(
            _merge_duplicates(in_scope(project, found))
        )  # within one scope: two forms' alike slips stay two
    return findings


def _run(r: Rule, facts: Facts) -> list[Finding]:
    """One rule; a rule that fails on odd facts yields an info finding instead of stopping the run."""
    try:
        return list(r.check(facts))
    except Exception as exc:  # noqa: BLE001 - one broken rule must not lose the other findings
        message = say("rule_failed", rule=r.id, error=repr(exc))
        return [
            Finding(rule=RULE_FAILED, severity="info", message=render(message, "zh"), message_en=render(message, "en"))
        ]


def _merge_duplicates(findings: list[Finding]) -> list[Finding]:
    """The same rule about the same numbers (e.g. an indicator repeated in two tables) is one finding."""
    merged: dict[tuple[str, tuple[float, ...]], Finding] = {}
    for f in findings:
        key = (f.rule, tuple(sorted(f.values)))
        if key in merged and f.values:
            kept = merged[key]
            kept.fact_ids = kept.fact_ids + [i for i in f.fact_ids if i not in kept.fact_ids]
        else:
            merged[key] = f
    return list(merged.values())
