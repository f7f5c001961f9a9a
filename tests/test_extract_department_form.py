"""A department form's money table: the task rows (年度主要任务) itemise its funds total row (金额合计), and
the total's column splits (财政拨款 / 其他资金) are amounts of their own."""

from __future__ import annotations

from pathlib import Path

from extract import extract_facts
from pipeline.models import Cell, Document, Table
from pipeline.readers import read_document
from validate import validate

FORM = (
    "某某局部门整体支出绩效自评表\n（2023年度）\n"
    "部门（单位）名称\t某某局\t\t\t\t\t\t\n"
    "年度主要任务完成情况\t任务名称\t主要内容\t全年预算数（万元）\t全年执行数（万元）\t分值\t执行率\t得分\n"
    "\t一般公共服务支出\t保证运行\t56\t56\t5\t100.00%\t5\n"
    "\t公共卫生\t提供公共卫生服务\t149.3\t148.53\t5\t99.48%\t5\n"
    "\t金额合计\t\t205.31\t204.53\t10\t99.62%\t10\n"
)


def test_task_rows_are_line_items_of_the_full_year_budget(tmp_path: Path) -> None:
    path = tmp_path / "dept.txt"
    path.write_text(FORM, encoding="utf-8")
    facts = extract_facts(read_document(path))
    assert {a.key: a.number.value for a in facts.amounts if a.primary} == {
        "full_year_budget": 205.31,
        "executed": 204.53,
        "execution_rate_pct": 99.62,
    }
    assert [(i.parent, i.name, i.number.value, i.prov.raw) for i in facts.line_items] == [
        ("全年预算数", "一般公共服务支出", 56, "56"),
        ("全年预算数", "公共卫生", 149.3, "149.3"),
    ]
    # 56 + 149.3 = 205.30 against the printed 205.31: a rounding difference, not an error
    [f] = [f for f in validate(facts) if f.rule in ("rounding", "line_items_sum_vs_parent")]
    assert f.rule == "rounding" and f.values == [205.3, 205.31]


def _cell(row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(row=row, col=col, text=text, rowspan=rowspan, colspan=colspan)


def test_the_totals_column_splits_are_amounts_of_their_own() -> None:
    cells = [_cell(0, 0, "某局部门整体支出绩效自评表", colspan=6)]
    cells += [_cell(1, 0, "任务名称", rowspan=2), _cell(1, 1, "全年预算数（万元）", colspan=3)]
    cells += [_cell(1, 4, "全年执行数（万元）", rowspan=2), _cell(1, 5, "执行率", rowspan=2)]
    cells += [_cell(2, 1, "总额"), _cell(2, 2, "财政拨款"), _cell(2, 3, "其他资金")]
    cells += [_cell(3, c, t) for c, t in enumerate(["公共卫生", "100", "80", "20", "90", "90%"])]
    cells += [_cell(4, c, t) for c, t in enumerate(["金额合计", "100", "80", "20", "90", "90%"])]
    doc = Document(doc_id="x", path="x.docx", format="docx", tables=[Table(index=0, n_rows=5, n_cols=6, cells=cells)])
    facts = extract_facts(doc)
    assert {a.key: a.number.value for a in facts.amounts} == {
        "full_year_budget": 100,
        "executed": 90,
        "execution_rate_pct": 90,
        "full_year_budget_fiscal_appropriation": 80,
        "full_year_budget_other_funds": 20,
    }
    assert [(i.name, i.number.value) for i in facts.line_items] == [("公共卫生", 100)]
