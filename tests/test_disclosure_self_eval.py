"""A department's 部门整体 自评表 against the 决算 bound in the same document: the form's 全年执行数
against 本年支出合计, its 财政拨款 执行数 against the 财政拨款 本年支出合计 (hand-built facts)."""

from __future__ import annotations

from validate_facts import amount, num

from pipeline.models import DisclosureCell, Facts, Provenance
from validate import validate


def final_total(kind: str, text: str, column_key: str, page: int) -> DisclosureCell:
    """A 决算 table's 本年支出合计 cell as printed."""
    return DisclosureCell(
        id=f"{kind}-{column_key}",
        table_kind=kind,
        table_seq=0,
        row_label="本年支出合计",
        row_key="expenditure_total",
        column=f"支出/{column_key}",
        column_key=column_key,
        number=num(text),
        prov=Provenance(doc_id="test", method="table", raw=text, page=page),
    )


def findings(executed: str, fiscal: str, phase: str = "决算") -> list:
    form = [amount("executed", executed), amount("executed_fiscal_appropriation", fiscal, primary=False)]
    form = [a.model_copy(update={"prov": a.prov.model_copy(update={"page": 30})}) for a in form]
    cells = [
        final_total("summary", "2074962.01", "final", 146),
        final_total("fiscal_summary", "864099.38", "total", 153),
    ]
    cells = [c.model_copy(update={"phase": phase}) for c in cells]
    facts = Facts(doc_id="test", year=2022, amounts=form, disclosure_cells=cells)
    return [f for f in validate(facts) if f.rule in ("disclosure_self_eval_vs_final", "rounding")]


def test_equal_execution_is_quiet_and_a_different_fiscal_execution_is_a_warning() -> None:
    [finding] = findings("2074962.01", "869329.38")
    assert (finding.rule, finding.severity) == ("disclosure_self_eval_vs_final", "warning")
    assert finding.values == [869329.38, 864099.38]
    assert finding.message == (
        "自评表（第30页）财政拨款全年执行数为869329.38万元，但财政拨款收入支出总表（第153页）"
        "本年支出合计为864099.38万元，相差5230.00万元"
    )


def test_a_form_printed_to_fewer_decimals_agrees() -> None:
    assert findings("2074962", "864099.38") == []


def test_a_budget_is_not_compared() -> None:
    assert findings("1.00", "2.00", phase="预算") == []
