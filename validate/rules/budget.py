"""Budget rules: the expenditure and income splits against their totals, the stated execution
rate against executed / budget, spending beyond the budget, and the execution score."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.i18n import Phrase
from pipeline.models import Amount, Facts, Finding, Indicator, Number
from validate.findings import (
    Message,
    fmt,
    for_outcome,
    like,
    listing,
    make,
    money,
    pct,
    plus,
    printed,
    say,
    word,
)
from validate.intervals import Interval, compare_rate, compare_same, compare_sum, of, rate_rounding, ratio_pct
from validate.lookup import budget, budget_section, primary, restatements
from validate.registry import derived, rule
from validate.rules.funds import SPLIT
from validate.targets import declared_unit, normalise, numbers

INCOME_KEYS = ("income_general_public", "income_gov_fund", "income_other")
INCOME_SPLIT_KEYS = ("income_special_account_nontax", "income_superior_subsidy", "income_other_funds")
SOME_PARTS = 0.99  # parts more than 1% short of the total name only some of them (docs/validation.md)

derived(
    "execution_rate_uses_initial_budget",
    "warning",
)


def _matches(total: Amount | None, parts: list[Number]) -> bool:
    return total is not None and compare_sum(total.number, parts) != "mismatch"


def _expenditure_pairs(facts: Facts) -> Iterator[tuple[Amount, Amount]]:
    """(基本支出, 项目支出) as the form states them, then as each other source restates them."""
    basic, project = primary(facts, "basic_expenditure"), primary(facts, "project_expenditure")
    if basic is None or project is None:
        return
    yield basic, project
    seen = {(basic.number.value, project.number.value)}
    for source in ("form", "narrative", "table"):
        b = next((a for a in restatements(facts, "basic_expenditure") if a.source == source), basic)
        p = next((a for a in restatements(facts, "project_expenditure") if a.source == source), project)
        if (b.number.value, p.number.value) not in seen:
            seen.add((b.number.value, p.number.value))
            yield b, p


@rule(
    "basic_plus_project_vs_executed",
    "error",
)
def basic_plus_project_vs_executed(facts: Facts) -> list[Finding]:
    executed = primary(facts, "executed")
    if executed is None:
        return []
    findings: list[Finding] = []
    for basic, project in _expenditure_pairs(facts):
        parts = [basic.number, project.number]
        computed = sum(p.value for p in parts)
        outcome = compare_sum(executed.number, parts)
        message = say(
            "basic_plus_project_vs_executed",
            basic=money(basic.number),
            project=money(project.number),
            sum=like(computed, parts, "万元"),
            executed=money(executed.number),
        )
        values = [computed, executed.number.value, basic.number.value, project.number.value]
        if outcome == "mismatch":
            values.append(executed.number.value - computed)
            gap = like(executed.number.value - computed, [*parts, executed.number], "万元")
            message += say("gap", gap=gap) + _which_budget(facts, parts, values)
        findings += for_outcome(
            outcome,
            "basic_plus_project_vs_executed",
            message,
            fact_ids=[basic.id, project.id, executed.id],
            values=values,
            reported=executed.number.value,
            computed=computed,
            printed_as=[*parts, executed.number],
            unit="万元",
            note="rounding_gap",
        )
    return findings


def _which_budget(facts: Facts, parts: list[Number], values: list[float]) -> Message:
    for key, label in BUDGETS:
        amount = primary(facts, key)
        if _matches(amount, parts):
            values.append(amount.number.value)
            return say("split_is_budget", budget=label, amount=money(amount.number))
    return say("split_is_no_budget")


@rule("income_parts_vs_total", "error")
def income_parts_vs_total(facts: Facts) -> list[Finding]:
    parts = [a for a in (primary(facts, k) for k in INCOME_KEYS) if a is not None]
    parts += [a for a in facts.amounts if a.key in INCOME_SPLIT_KEYS and a.source == "form"]
    # a project form's rows under its funds row are checked row by row (funds_split_vs_total)
    split_tables = {a.prov.table for a in facts.amounts if a.key.startswith(SPLIT)}
    parts = [a for a in parts if not (a.source == "form" and a.prov.table in split_tables)]
    totals = [(k, primary(facts, k)) for k in ("full_year_budget", "initial_budget", "executed")]
    totals = [(k, a) for k, a in totals if a is not None]
    if len(parts) < 2 or not totals:
        return []
    numbers = [a.number for a in parts]
    computed = sum(n.value for n in numbers)
    if primary(facts, "income_other") is None and all(computed < of(a.number).lo * SOME_PARTS for _, a in totals):
        return []  # a source is not stated and the parts fall well short: they name only some sources
    outcomes = [(k, a, compare_sum(a.number, numbers)) for k, a in totals]
    if any(o == "equal" for _, _, o in outcomes):
        return []
    key, total, outcome = next(((k, a, o) for k, a, o in outcomes if o == "rounding"), outcomes[0])
    message = say(
        "income_parts_vs_total",
        parts=plus(money(n) for n in numbers),
        sum=like(computed, numbers, "万元"),
        total_label=word(key),
        total=money(total.number),
    )
    return for_outcome(
        outcome,
        "income_parts_vs_total",
        message,
        fact_ids=[a.id for a in parts] + [total.id],
        values=[computed, total.number.value, *(n.value for n in numbers)],
        reported=total.number.value,
        computed=computed,
        printed_as=[*numbers, total.number],
        unit="万元",
    )


BUDGETS = (("full_year_budget", "全年预算数"), ("initial_budget", "年初预算数"))


def _computed_rates(facts: Facts, executed: Amount) -> list[tuple[str, Amount, Interval]]:
    """全年执行数 / each stated budget as a percentage interval, 全年预算数 first."""
    rates = []
    for key, label in BUDGETS:
        amount = primary(facts, key)
        interval = ratio_pct(executed.number, amount.number) if amount is not None else None
        if interval is not None:
            rates.append((label, amount, interval))
    return rates


@rule(
    "execution_rate_vs_computed",
    "error",
)
def execution_rate_vs_computed(facts: Facts) -> list[Finding]:
    rate, executed = primary(facts, "execution_rate_pct"), primary(facts, "executed")
    rates = _computed_rates(facts, executed) if rate is not None and executed is not None else []
    if not rates or compare_rate(rate.number, rates[0][2]):
        return []
    first_label, first_budget, first_rate = rates[0]
    for label, amount, interval in rates[1:]:
        if compare_rate(rate.number, interval):
            return [
                make(
                    "execution_rate_uses_initial_budget",
                    say(
                        "execution_rate_uses_initial_budget",
                        rate=f"{printed(rate.number)}%",
                        budget=label,
                        amount=money(amount.number),
                        first_budget=first_label,
                        first_rate=pct(_mid(first_rate)),
                    ),
                    fact_ids=[rate.id, executed.id, amount.id, first_budget.id],
                    values=[rate.number.value, _mid(first_rate), executed.number.value, amount.number.value],
                )
            ]
    computed = [
        Phrase(
            "finding.rate_against",
            {"executed": money(executed.number), "budget": label, "amount": money(a.number), "rate": pct(_mid(iv))},
        )
        for label, a, iv in rates
    ]
    message = say("execution_rate_vs_computed", rate=f"{printed(rate.number)}%", rates=listing(computed))
    return for_outcome(
        "rounding" if rate_rounding(rate.number, first_rate) else "mismatch",
        "execution_rate_vs_computed",
        message,
        fact_ids=[rate.id, executed.id, *(a.id for _, a, _ in rates)],
        values=[rate.number.value, *(_mid(iv) for _, _, iv in rates), executed.number.value]
        + [a.number.value for _, a, _ in rates],
        reported=rate.number.value,
        computed=_mid(first_rate),
        printed_as=[rate.number],
        unit="%",
    )


def _mid(interval: Interval) -> float:
    return round((interval.lo + interval.hi) / 2, 2)


@rule("executed_vs_full_year_budget", "error")
def executed_vs_budget(facts: Facts) -> list[Finding]:
    executed, chosen = primary(facts, "executed"), budget(facts)
    if executed is None or chosen is None:
        return []
    amount, label = chosen
    if of(executed.number).lo <= of(amount.number).hi or amount.number.value <= 0:
        return []
    rate = 100 * executed.number.value / amount.number.value
    stated = primary(facts, "execution_rate_pct")
    if amount.key == "initial_budget" and (stated is None or of(stated.number).lo <= 100):
        # no 全年预算数 stated: spending beyond the 年初 budget is what a mid-year addition (追加)
        # looks like; it contradicts the form only where its own 执行率 is measured against it (>100%)
        return []
    over = executed.number.value - amount.number.value
    return [
        make(
            "executed_vs_full_year_budget",
            say(
                "executed_vs_full_year_budget",
                executed=money(executed.number),
                budget=label,
                amount=money(amount.number),
                over=like(over, [executed.number, amount.number], "万元"),
                rate=pct(rate),
            ),
            fact_ids=[executed.id, amount.id] + ([stated.id] if stated else []),
            values=[executed.number.value, amount.number.value, round(rate, 2), over]
            + ([stated.number.value] if stated else []),
            reported=executed.number.value,
            computed=amount.number.value,
        )
    ]


@rule(
    "budget_never_updated",
    "warning",
)
def budget_never_updated(facts: Facts) -> list[Finding]:
    initial, full_year = primary(facts, "initial_budget"), primary(facts, "full_year_budget")
    executed = primary(facts, "executed")
    if initial is None or full_year is None or executed is None:
        return []
    if initial.number.value != full_year.number.value or of(executed.number).lo <= of(full_year.number).hi:
        return []
    return [
        make(
            "budget_never_updated",
            say(
                "budget_never_updated",
                budget=money(full_year.number),
                executed=money(executed.number),
                times=f"{executed.number.value / full_year.number.value:.1f}",
            ),
            fact_ids=[full_year.id, initial.id, executed.id],
            values=[full_year.number.value, executed.number.value],
        )
    ]


@rule(
    "execution_score_vs_rate",
    "warning",
)
def execution_score_vs_rate(facts: Facts) -> list[Finding]:
    section = budget_section(facts)
    if section is None or section.score is None or section.weight is None:
        return []
    if section.score.value < section.weight.value:
        return []
    rate, fact_ids = _execution_rate(facts)
    if rate is None or rate <= 100:
        return []
    return [
        make(
            "execution_score_vs_rate",
            say(
                "execution_score_vs_rate",
                score=printed(section.score),
                weight=printed(section.weight),
                rate=f"{fmt(rate)}%",
            ),
            fact_ids=[section.id, *fact_ids],
            values=[section.score.value, section.weight.value, rate],
        )
    ]


def _execution_rate(facts: Facts) -> tuple[float | None, list[str]]:
    """The stated rate, else executed / budget; rates within rounding of 100% count as 100."""
    stated = primary(facts, "execution_rate_pct")
    if stated is not None:
        return (100.0 if of(stated.number).lo <= 100 else stated.number.value), [stated.id]
    executed, chosen = primary(facts, "executed"), budget(facts)
    if executed is None or chosen is None:
        return None, []
    iv = ratio_pct(executed.number, chosen[0].number)
    if iv is None:
        return None, []
    return (100.0 if iv.lo <= 100 else round(iv.lo, 2)), [executed.id, chosen[0].id]


_MONEY_UNIT = re.compile(r"\d\s*万元?(?![人件次个亩吨台套])")


@rule(
    "cost_indicator_vs_executed",
    "warning",
)
def cost_indicator_vs_executed(facts: Facts) -> list[Finding]:
    executed, chosen = primary(facts, "executed"), budget(facts)
    if executed is None or executed.project_id is None:
        return []  # a department's cost indicators are parts of its spending
    rows = [r for r in facts.indicators if _is_money_cost_row(r) and r.project_id in (None, executed.project_id)]
    if len(rows) > 1:
        return _cost_rows_vs_executed(rows, executed)
    findings: list[Finding] = []
    for row in rows:
        actual = _money(row.actual)
        if actual is None:
            continue
        outcome = compare_same(executed.number, actual)
        if outcome == "equal":
            continue
        target = _money(row.target)
        values = [actual.value, executed.number.value]
        message = say(
            "cost_indicator_vs_executed",
            indicator=row.level3 or "",
            actual=money(actual),
            executed=money(executed.number),
        )
        if target is not None and chosen is not None:
            values += [target.value, chosen[0].number.value]
            message += say("cost_target", target=money(target), budget=chosen[1], amount=money(chosen[0].number))
        findings += for_outcome(
            outcome,
            "cost_indicator_vs_executed",
            message,
            fact_ids=[row.id, executed.id],
            values=values,
            reported=actual.value,
            computed=executed.number.value,
            printed_as=[actual, executed.number],
            unit="万元",
        )
    return findings


def _is_money_cost_row(row: Indicator) -> bool:
    """A 成本指标 row whose name does not count something else (发行量（万册）); its actual may be
    unreadable (a cost row all the same)."""
    unit = declared_unit(row.level3)
    return bool(row.level2) and "成本" in (row.level2 or "") and not (unit and "元" not in unit)


def _cost_rows_vs_executed(rows: list[Indicator], executed: Amount) -> list[Finding]:
    """Several cost rows are parts of the project's spending (办公 15万元, 维修 35万元 …): their
    sum is compared, and only where every one states its 万元 amount."""
    actuals = [_money(r.actual) for r in rows]
    if any(a is None for a in actuals):
        return []
    parts = [a for a in actuals if a is not None]
    total = Number(value=round(sum(a.value for a in parts), 6), decimals=max(a.decimals for a in parts))
    outcome = compare_sum(executed.number, parts)
    message = say(
        "cost_indicator_vs_executed",
        indicator="、".join(r.level3 or "" for r in rows),
        actual=money(total),
        executed=money(executed.number),
    )
    return for_outcome(
        outcome,
        "cost_indicator_vs_executed",
        message,
        fact_ids=[*(r.id for r in rows), executed.id],
        values=[total.value, executed.number.value, *(a.value for a in parts)],
        reported=total.value,
        computed=executed.number.value,
        printed_as=[*parts, executed.number],
        unit="万元",
    )


def _money(text: str | None) -> Number | None:
    """The one 万元 amount a cost cell states ('实际支付1392.20万元', '378.27万', or a bare number, the
    form's money unit); None otherwise."""
    clean = normalise(text)
    found = numbers(clean)
    money = _MONEY_UNIT.search(clean) or re.fullmatch(r"\d+(?:\.\d+)?", clean)
    if len(found) != 1 or not money or found[0].percent:
        return None
    printed = re.search(r"\d+(?:\.\d+)?", clean).group(0)
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return Number(value=found[0].mantissa, decimals=decimals)
