"""Restatement rules: the same quantity stated twice (form, narrative, a 元 table, an indicator
cell, a second indicator table, the narrative's enumeration) must agree."""

from __future__ import annotations

import re

from pipeline.i18n import Phrase, Word
from pipeline.models import Amount, Facts, Finding, Indicator, Mention, Number
from validate.findings import fmt, for_outcome, like, make, money, plus, printed, say, word
from validate.intervals import compare_same, compare_sum
from validate.lookup import close_runs, indicator_key, phase_amount, primary, restatements
from validate.registry import rule
from validate.targets import Quantity, Target, declared_unit, normalise, parse_actual, parse_target

MAIN_KEYS = (
    "initial_budget",
    "full_year_budget",
    "executed",
    "basic_expenditure",
    "project_expenditure",
    "income_general_public",
    "income_gov_fund",
    "income_other",
)
TABLE_KEY = re.compile(r"table_yuan_(initial|full_year|executed)_([a-z_]+)")
GENERIC_WORDS = {"数量", "完成", "年初", "目标", "指标", "全年", "实现", "实际", "项目", "工作", "办理", "开展"}
SPLIT_IN_CELL = re.compile(r"(基本支出|项目支出)[:：为]?\s*(\d+(?:\.\d+)?)\s*万元")
SPLIT_KEYS = {"基本支出": "basic_expenditure", "项目支出": "project_expenditure"}
LABELS = {
    "initial_budget": "年初预算数",
    "full_year_budget": "全年预算数",
    "executed": "全年执行数",
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出",
    "income_general_public": "一般公共预算",
    "income_gov_fund": "政府性基金",
    "income_other": "其他资金",
}


def _number(text: str) -> Number:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Number(value=float(text), decimals=decimals)


@rule(
    "same_quantity_differs",
    "error",
)
def same_quantity_differs(facts: Facts) -> list[Finding]:
    return [
        *_restated_amounts(facts),
        *_restated_project_score(facts),
        *_table_restatements(facts),
        *_splits_in_indicators(facts),
        *_indicator_tables(facts),
        *_narrative_parts_vs_indicator(facts),
    ]


def _restated_amounts(facts: Facts) -> list[Finding]:
    """A main figure restated elsewhere (the narrative against the form) with another value.

    Only restatements from another source count: within one source a second value is more likely
    another quantity under a similar label.
    """
    findings: list[Finding] = []
    for key in MAIN_KEYS:
        chosen = primary(facts, key)
        if chosen is None:
            continue
        for other in restatements(facts, key):
            if other.source == chosen.source:
                continue
            findings += for_outcome(
                compare_same(chosen.number, other.number),
                "same_quantity_differs",
                say(
                    "restated_amount",
                    label=LABELS[key],
                    value=money(chosen.number),
                    source=word(chosen.source),
                    other=money(other.number),
                    other_source=word(other.source),
                ),
                fact_ids=[chosen.id, other.id],
                values=[chosen.number.value, other.number.value],
                reported=other.number.value,
                computed=chosen.number.value,
                printed_as=[chosen.number, other.number],
                unit="万元",
            )
    return findings


def _restated_project_score(facts: Facts) -> list[Finding]:
    """A project form's 总分 against the narrative item restating that project (in the project's
    scope, whose total is the form's: validate/scopes.py)."""
    total = facts.total_score
    findings: list[Finding] = []
    for item in facts.projects:
        if total is None or item.score is None or item.restates is None or item.restates != total.id:
            continue
        findings += for_outcome(
            compare_same(total.number, item.score),
            "same_quantity_differs",
            say("restated_total_score", form=printed(total.number), narrative=printed(item.score)),
            fact_ids=[total.id, item.id],
            values=[total.number.value, item.score.value],
            reported=item.score.value,
            computed=total.number.value,
        )
    return findings


def _table_restatements(facts: Facts) -> list[Finding]:
    """A 元 table's cell (table_yuan_<phase>_<category>) against the same figure stated in 万元."""
    findings: list[Finding] = []
    for cell in facts.amounts:
        match = TABLE_KEY.fullmatch(cell.key)
        stated = phase_amount(facts, match.group(1), match.group(2)) if match else None
        if stated is None:
            continue
        findings += for_outcome(
            compare_same(stated.number, cell.number),
            "same_quantity_differs",
            say(
                "restated_in_yuan",
                label=cell.label or cell.key,
                value=money(stated.number),
                source=word(stated.source),
                yuan=f"{cell.number.value / cell.number.scale:.{cell.number.decimals}f}元",
                wan=f"{fmt(cell.number.value)}万元",
            ),
            fact_ids=[stated.id, cell.id],
            values=[stated.number.value, cell.number.value],
            reported=stated.number.value,
            computed=cell.number.value,
            unit="万元",
        )
    return findings


def _splits_in_indicators(facts: Facts) -> list[Finding]:
    """基本支出/项目支出 amounts written into an indicator cell (typically a 成本指标)."""
    findings: list[Finding] = []
    for row in facts.indicators:
        for field in (row.target, row.actual):
            stated = {SPLIT_KEYS[m.group(1)]: _number(m.group(2)) for m in SPLIT_IN_CELL.finditer(normalise(field))}
            chosen = {k: primary(facts, k) for k in stated}
            if stated and all(chosen.values()):
                findings += _compare_split(facts, row, stated, chosen)
    return findings


def _compare_split(
    facts: Facts, row: Indicator, stated: dict[str, Number], chosen: dict[str, Amount | None]
) -> list[Finding]:
    cell = plus(f"{LABELS[k]}{money(n)}" for k, n in stated.items())
    form = plus(money(chosen[k].number) for k in stated)
    cell_sum = sum(n.value for n in stated.values())
    form_parts = [chosen[k].number for k in stated]
    form_sum = sum(n.value for n in form_parts)
    outcome = compare_sum(Number(value=cell_sum, decimals=max(n.decimals for n in stated.values())), form_parts)
    if all(compare_same(chosen[k].number, n) == "equal" for k, n in stated.items()):
        return []
    values = [*(n.value for n in stated.values()), cell_sum, *(n.value for n in form_parts), form_sum]
    executed = primary(facts, "executed")
    if executed is not None:
        values.append(executed.number.value)
    message = say(
        "split_in_indicator",
        indicator=row.level3 or row.level2 or "",
        cell=cell,
        cell_sum=like(cell_sum, list(stated.values()), "万元"),
        form=form,
        form_sum=like(form_sum, form_parts, "万元"),
    )
    if outcome == "equal":
        outcome = "mismatch"  # the parts differ even though the totals agree
    return for_outcome(
        outcome,
        "same_quantity_differs",
        message,
        fact_ids=[row.id, *(chosen[k].id for k in stated), executed.id if executed else ""],
        values=values,
        reported=cell_sum,
        computed=form_sum,
        printed_as=[*stated.values(), *form_parts],
        unit="万元",
    )


def _indicator_tables(facts: Facts) -> list[Finding]:
    """The same indicator (三级指标) in two tables, or in a table and the narrative, with a different
    target, actual or score. A difference of 万/亿 alone is the unit rule's."""
    first: dict[str, Indicator] = {}
    findings: list[Finding] = []
    for row in facts.indicators:
        key = indicator_key(row.level3)
        if not key:
            continue
        seen = first.setdefault(key, row)
        if seen.table_seq == row.table_seq:
            continue
        unit = declared_unit(row.level3)
        for field, parse in (("target", parse_target), ("actual", parse_actual)):
            a, b = getattr(seen, field), getattr(row, field)
            qa, qb = _bounds(parse(a, unit)), _bounds(parse(b, unit))
            if not qa or not qb or len(qa) != len(qb) or _same_or_magnitude(qa, qb):
                continue
            findings.append(
                make(
                    "same_quantity_differs",
                    say(
                        "restated_indicator",
                        indicator=row.level3,
                        field=word(field),
                        value=a,
                        where=_where(seen),
                        other=b,
                        other_where=_where(row),
                    ),
                    fact_ids=[seen.id, row.id],
                    values=[*(q.value for q in qa), *(q.value for q in qb)],
                )
            )
        if seen.score is not None and row.score is not None:
            findings += for_outcome(
                compare_same(seen.score, row.score),
                "same_quantity_differs",
                say(
                    "restated_indicator_score",
                    indicator=row.level3,
                    score=printed(seen.score),
                    where=_where(seen),
                    other=printed(row.score),
                    other_where=_where(row),
                ),
                fact_ids=[seen.id, row.id],
                values=[seen.score.value, row.score.value],
                reported=row.score.value,
                computed=seen.score.value,
            )
    return findings


def _where(row: Indicator) -> Word | Phrase:
    """Which table (or the narrative) an indicator row was read from, as the catalogue words it."""
    if row.table_kind in ("form", "completed", "uncompleted", "narrative"):
        return word(f"indicators_{row.table_kind}")
    return Phrase("word.table_n", {"n": row.table_seq + 1})


def _bounds(parsed: Target | Quantity | None) -> list[Quantity]:
    """The numbers a parsed target (its bounds) or actual stands for; none for a qualitative one."""
    if isinstance(parsed, Target):
        return [q for q in (parsed.low, parsed.high) if q is not None]
    return [parsed] if parsed is not None else []


def _same_or_magnitude(a: list[Quantity], b: list[Quantity]) -> bool:
    """Equal, or printed alike and different only in 万/亿 ('2' against '2万亩')."""
    return all(x.value == y.value for x, y in zip(a, b, strict=True)) or all(
        x.mantissa == y.mantissa for x, y in zip(a, b, strict=True)
    )


def _narrative_parts_vs_indicator(facts: Facts) -> list[Finding]:
    """'批示 560 件 … 提案 73 件' in the text against the indicator '…批示件及…提案件数量（件）' = 663."""
    findings: list[Finding] = []
    for row in facts.indicators:
        unit = declared_unit(row.level3)
        actual = parse_actual(row.actual, unit)
        if not unit or actual is None or actual.magnitude != 1 or actual.percent:
            continue
        for run in close_runs(m for m in facts.mentions if m.unit == unit and _shares_words(m.label, row.level3)):
            stated = sum(m.number.value for m in run)
            if len(run) < 2 or stated == actual.value or _total_with_parts(run, actual.value):
                continue
            parts = plus(f"{m.label}{printed(m.number)}" for m in run)
            findings.append(
                make(
                    "same_quantity_differs",
                    say(
                        "narrative_parts_vs_indicator",
                        indicator=row.level3,
                        actual=fmt(actual.value),
                        parts=parts,
                        sum=fmt(stated),
                        unit=unit,
                    ),
                    fact_ids=[row.id, *(m.id for m in run)],
                    values=[actual.value, stated, *(m.number.value for m in run)],
                    reported=actual.value,
                    computed=stated,
                )
            )
    return findings


def _total_with_parts(run: list[Mention], actual: float) -> bool:
    """A run that restates the actual, or a total followed by its parts (154笔，其中线上100笔)."""
    values = [m.number.value for m in run]
    return actual in values or any(2 * v == sum(values) for v in values)


def _shares_words(label: str, indicator: str | None) -> bool:
    """Whether a mention's label and an indicator name share a two-character word (批示, 提案 …)."""
    name_text = normalise(indicator)
    pairs = {label[i : i + 2] for i in range(len(label) - 1)}
    return any(p in name_text for p in pairs - GENERIC_WORDS)
