"""Funds-block rules of a project form: the rows under its 年度资金总额 row (其中：当年财政拨款,
上年结转资金, 其他资金; amounts keyed `funds_split_<key>`, see extract/project_form.py) must add up
to it column by column, and a rate printed on such a row must equal its 执行数 / 预算数."""

from __future__ import annotations

from pipeline.models import Amount, Facts, Finding, Number
from validate.findings import for_outcome, like, make, money, pct, plus, printed, say
from validate.intervals import compare_rate, compare_sum, partial_list, ratio_pct
from validate.lookup import primary
from validate.registry import rule

SPLIT = "funds_split_"
COLUMNS = (("initial_budget", "年初预算数"), ("full_year_budget", "全年预算数"), ("executed", "全年执行数"))
BUDGET_DECIMALS = 2  # a budget is assigned: 423 means 423.00


def _rows(facts: Facts) -> list[dict[str, Amount]]:
    """The split rows, each as {key: amount} (keys without the prefix), in order."""
    rows: dict[tuple[int | None, int | None], dict[str, Amount]] = {}
    for a in facts.amounts:
        if a.key.startswith(SPLIT):
            rows.setdefault((a.prov.table, a.prov.row), {})[a.key.removeprefix(SPLIT)] = a
    return list(rows.values())


def _restates_funds_row(facts: Facts, rate: Amount, executed: Amount, budget: Amount) -> bool:
    """A split row printing the same 执行率, 执行数 and 预算数 as the 年度资金总额 row."""
    pairs = (("execution_rate_pct", rate), ("executed", executed), ("full_year_budget", budget))
    return all((main := primary(facts, key)) is not None and main.number.value == a.number.value for key, a in pairs)


def _assigned(n: Number) -> Number:
    return n.model_copy(update={"decimals": max(n.decimals, BUDGET_DECIMALS)})


@rule(
    "funds_split_vs_total",
    "error",
)
def funds_split_vs_total(facts: Facts) -> list[Finding]:
    rows = _rows(facts)
    findings: list[Finding] = []
    for key, label in COLUMNS:
        total = primary(facts, key)
        if total is None or not rows or any(key not in row for row in rows):
            continue  # a row without this column: the breakdown is not stated in full
        parts = [row[key] for row in rows]
        numbers = [p.number if key == "executed" else _assigned(p.number) for p in parts]
        stated = total.number if key == "executed" else _assigned(total.number)
        if partial_list(stated, numbers):
            continue
        computed = sum(n.value for n in numbers)
        listed = plus(f"{p.label}{money(p.number)}" for p in parts)
        findings += for_outcome(
            compare_sum(stated, numbers),
            "funds_split_vs_total",
            say(
                "funds_split_vs_total",
                column=label,
                parts=listed,
                sum=like(computed, [p.number for p in parts], "万元"),
                total=money(total.number),
            ),
            fact_ids=[total.id, *(p.id for p in parts)],
            values=[computed, total.number.value, *(n.value for n in numbers)],
            reported=total.number.value,
            computed=computed,
            printed_as=[*numbers, stated],
            unit="万元",
        )
    return findings


@rule(
    "funds_split_rate_vs_computed",
    "error",
)
def funds_split_rate_vs_computed(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for row in _rows(facts):
        rate, executed = row.get("execution_rate_pct"), row.get("executed")
        budget = row.get("full_year_budget") or row.get("initial_budget")
        if rate is None or executed is None or budget is None or budget.number.value <= 0:
            continue
        if _restates_funds_row(facts, rate, executed, budget):
            continue  # the funds row's own figures (one source of funds): its rate is checked there
        computed = ratio_pct(executed.number, _assigned(budget.number))
        if computed is None or compare_rate(rate.number, computed):
            continue
        mid = round((computed.lo + computed.hi) / 2, 2)
        findings.append(
            make(
                "funds_split_rate_vs_computed",
                say(
                    "funds_split_rate_vs_computed",
                    row=rate.label,
                    rate=f"{printed(rate.number)}%",
                    executed=money(executed.number),
                    budget=money(_assigned(budget.number)),
                    computed=pct(mid),
                ),
                fact_ids=[rate.id, executed.id, budget.id],
                values=[rate.number.value, mid, executed.number.value, budget.number.value],
                reported=rate.number.value,
                computed=mid,
            )
        )
    return findings
