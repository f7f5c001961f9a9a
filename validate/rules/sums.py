"""Itemisation rules: listed projects against 项目支出, line items against their parent subtotal,
and each project's stated rate against executed / budget."""

from __future__ import annotations

from functools import partial

from pipeline.models import Amount, Facts, Finding, LineItem, Number
from validate.findings import for_outcome, like, money, pct, plus, printed, say
from validate.intervals import compare_rate, compare_sum, partial_list, rate_rounding, ratio_pct
from validate.lookup import PHASES, name, phase_amount, primary
from validate.registry import rule

PARENT_KEYS = {
    "项目支出": "project_expenditure",
    "基本支出": "basic_expenditure",
    "全年执行数": "executed",
    "全年预算数": "full_year_budget",
    "年初预算数": "initial_budget",
}


@rule(
    "projects_sum_vs_project_expenditure",
    "warning",
)
def projects_sum_vs_project_expenditure(facts: Facts) -> list[Finding]:
    project = primary(facts, "project_expenditure")
    executed = [p.executed for p in facts.projects]
    if project is None or len(executed) < 2 or any(e is None for e in executed):
        return []
    computed = sum(e.value for e in executed)
    return for_outcome(
        compare_sum(project.number, executed),
        "projects_sum_vs_project_expenditure",
        say(
            "projects_sum_vs_project_expenditure",
            count=len(executed),
            sum=like(computed, executed, "万元"),
            project=money(project.number),
        ),
        fact_ids=[project.id, *(p.id for p in facts.projects)],
        values=[computed, project.number.value],
        reported=project.number.value,
        computed=computed,
        printed_as=[*executed, project.number],
        unit="万元",
    )


@rule("project_rate_vs_computed", "error")
def project_rate_vs_computed(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for p in facts.projects:
        if p.rate_pct is None or p.executed is None or p.budget is None:
            continue
        iv = ratio_pct(p.executed, p.budget)
        if iv is None or compare_rate(p.rate_pct, iv):
            continue
        computed = 100 * p.executed.value / p.budget.value
        findings += for_outcome(
            "rounding" if rate_rounding(p.rate_pct, iv) else "mismatch",
            "project_rate_vs_computed",
            say(
                "project_rate_vs_computed",
                project=p.name,
                rate=f"{printed(p.rate_pct)}%",
                executed=money(p.executed),
                budget=money(p.budget),
                computed=pct(computed),
            ),
            fact_ids=[p.id],
            values=[p.rate_pct.value, round(computed, 2), p.executed.value, p.budget.value],
            reported=p.rate_pct.value,
            computed=computed,
            printed_as=[p.rate_pct],
            unit="%",
        )
    return findings


@rule("line_items_sum_vs_parent", "error")
def line_items_sum_vs_parent(facts: Facts) -> list[Finding]:
    groups: dict[str, list[LineItem]] = {}
    for item in facts.line_items:
        groups.setdefault(name(item.parent), []).append(item)
    findings: list[Finding] = []
    for parent, items in groups.items():
        found = _parent_total(facts, parent, items)
        if found is None or len(items) < 2:
            continue
        total_id, total = found
        parts = [i.number for i in items]
        if partial_list(total, parts):
            continue
        computed = sum(p.value for p in parts)
        findings += for_outcome(
            compare_sum(total, parts),
            "line_items_sum_vs_parent",
            say(
                "line_items_sum_vs_parent",
                count=len(items),
                parent=items[0].parent,
                sum=like(computed, parts),
                total=printed(total),
            ),
            fact_ids=[total_id, *(i.id for i in items)],
            values=[computed, total.value],
            reported=total.value,
            computed=computed,
            printed_as=[*parts, total],
        )
    return findings


def _parent_total(facts: Facts, parent: str, items: list[LineItem]) -> tuple[str, Number] | None:
    """The subtotal a group of line items itemises: a line item or an amount of that name."""
    for item in facts.line_items:
        if item not in items and name(item.name) == parent:
            return item.id, item.number
    key = PARENT_KEYS.get(parent)
    amount = primary(facts, key) if key else None
    if amount is None:
        amount = next((a for a in facts.amounts if parent and parent in (name(a.label), a.key)), None)
    return (amount.id, amount.number) if amount is not None else None


PHASE_LABELS = {"initial": "年初", "full_year": "全年预算", "executed": "执行", "adj": "年中调整"}
EXPENDITURE_DETAIL = ("basic_support", "personnel", "public_funds", "project")
INCOME_PARTS = ("general_public", "gov_fund", "other_income", "carryover")


CATEGORY_LABELS = {
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public_funds": "公用经费",
    "basic_support": "基本保障支出",
    "general_public": "一般公共预算",
    "gov_fund": "政府性基金",
    "other_income": "其他收入",
    "carryover": "结转结余",
}


def _splits(facts: Facts, phase: str) -> list[tuple[str, Amount | None, list[tuple[str, Amount]]]]:
    """(what is split, its total, [(category, part)]) for one phase of the budget sentences."""

    def parts(categories: tuple[str, ...]) -> list[tuple[str, Amount]]:
        found = [(c, phase_amount(facts, phase, c)) for c in categories]
        return [(c, a) for c, a in found if a is not None]

    get = partial(phase_amount, facts, phase)
    groups = [("基本支出", get("basic"), parts(("personnel", "public_funds")))]
    if phase != "executed":  # the executed split is basic_plus_project_vs_executed's
        detail = ("basic", "project") if get("basic") else EXPENDITURE_DETAIL
        groups.append(("支出", get("total"), parts(detail)))
    groups.append(("收入", get("income") or get("total"), parts(INCOME_PARTS)))
    return groups


@rule(
    "split_vs_total",
    "error",
)
def split_vs_total(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for phase in PHASES:
        for label, total, parts in _splits(facts, phase):
            numbers = [a.number for _, a in parts]
            if total is None or len(parts) < 2 or partial_list(total.number, numbers):
                continue
            computed = sum(n.value for n in numbers)
            listed = plus(f"{CATEGORY_LABELS[c]}{money(a.number)}" for c, a in parts)
            findings += for_outcome(
                compare_sum(total.number, numbers),
                "split_vs_total",
                say(
                    "split_vs_total",
                    what=f"{PHASE_LABELS[phase]}{label}",
                    parts=listed,
                    sum=like(computed, numbers, "万元"),
                    total=money(total.number),
                ),
                fact_ids=[total.id, *(a.id for _, a in parts)],
                values=[computed, total.number.value, *(n.value for n in numbers)],
                reported=total.number.value,
                computed=computed,
                printed_as=[*numbers, total.number],
                unit="万元",
            )
    return findings
