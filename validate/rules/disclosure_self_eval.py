"""A department's 自评表 (its 部门整体 form) against its 决算, where one document binds both.

The 部门整体支出绩效自评表 prints what the department spent in the year (全年执行数) and, in its
资金 rows, what of it was 财政拨款; the 收入支出决算总表 prints 本年支出合计 and the 财政拨款收入支出
决算总表 the 财政拨款 本年支出合计. Both report the same year's spending of the same department, so
a difference beyond rounding is a `warning`, not an `error`: the form is filled in before the 决算 is
final and may draw its scope differently (a 上年结转 spent, a unit consolidated later), which the
document does not let a reader tell from a slip. Only 决算 cells are compared (a 预算's tables
plan the year; they do not report it).
"""

from __future__ import annotations

from extract import disclosure_vocabulary as vocab
from pipeline.models import Amount, DisclosureCell, Facts, Finding
from validate.findings import for_outcome, like, money, say
from validate.intervals import compare_same
from validate.registry import rule

#: 自评表 amount key, what the form calls it, and the 决算 table kind with its 本年支出合计 columns
#: (preferred first).
FORM_VS_FINAL: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("executed", "全年执行数", "summary", ("total", "final", "")),
    ("executed_fiscal_appropriation", "财政拨款全年执行数", "fiscal_summary", ("total", "final", "")),
)


def _form_amount(facts: Facts, key: str) -> Amount | None:
    """The department's own form amount under a key (not a project form's, not the narrative's)."""
    found = [a for a in facts.amounts if a.key == key and a.source == "form" and a.project_id is None]
    return next((a for a in found if a.primary), found[0] if found else None)


def _expenditure_total(facts: Facts, kind: str, columns: tuple[str, ...]) -> DisclosureCell | None:
    """A 决算 table's 本年支出合计 in the first of the columns it has."""
    cells = [
        c
        for c in facts.disclosure_cells
        if c.table_kind == kind and c.phase == "决算" and c.row_key == "expenditure_total"
    ]
    for column in columns:
        cell = next((c for c in cells if c.column_key == column), None)
        if cell is not None:
            return cell
    return None


@rule("disclosure_self_eval_vs_final", "warning")
def disclosure_self_eval_vs_final(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for key, label, kind, columns in FORM_VS_FINAL:
        amount = _form_amount(facts, key)
        cell = _expenditure_total(facts, kind, columns) if amount is not None else None
        if amount is None or cell is None:
            continue
        numbers = [amount.number, cell.number]
        findings += for_outcome(
            compare_same(amount.number, cell.number),
            "disclosure_self_eval_vs_final",
            say(
                "disclosure_self_eval_vs_final",
                page=amount.prov.page,
                label=label,
                value=money(amount.number),
                table=vocab.TABLE_NAMES[kind],
                table_page=cell.prov.page,
                row=cell.row_label,
                cell=money(cell.number),
                difference=like(abs(amount.number.value - cell.number.value), numbers, "万元"),
            ),
            fact_ids=[amount.id, cell.id],
            values=[amount.number.value, cell.number.value],
            reported=amount.number.value,
            computed=cell.number.value,
            printed_as=numbers,
            unit="万元",
        )
    return findings
