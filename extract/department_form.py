"""A department form's money table beyond its funds total: the task rows the total itemises and
the total's column splits.

A 部门整体 form may print its money as a table of tasks closed by a total row (金额合计): the total
row is the form's funds row (extract/form.py reads it), and

* the rows right above it that hold a number in the same 全年预算数 column are its parts
  (`LineItem`s under 全年预算数), each named by the first text cell of its row that is not a label
  merged down from above (年度主要任务完成情况 spans them all);
* where a funds column heads sub-columns (全年预算数 over 总额 | 财政拨款 | 其他资金), the total row's
  other sub-columns are amounts of their own (`<key>_<sub-column>`, e.g. executed_fiscal_appropriation).
"""

from __future__ import annotations

from extract.cells import cell_number, clean
from extract.form import funds_amounts
from extract.numbers import to_number
from extract.prov import cell_prov
from extract.vocabulary import FUNDS_SUBCOLUMNS
from pipeline.models import Amount, Cell, Document, LineItem, Table

ITEMISED = ("full_year_budget", "全年预算数")  # the funds column whose total the rows itemise


def department_money(doc: Document, tables: list[int]) -> tuple[list[LineItem], list[Amount]]:
    """The task rows above a department form's funds total row (line items) and the total row's
    column splits (amounts)."""
    key, parent = ITEMISED
    items: list[LineItem] = []
    splits: list[Amount] = []
    for index in tables:
        table = doc.tables[index]
        funds = funds_amounts(doc, table)
        for total in funds[0] if funds else []:
            if total.prov.row is None or total.prov.col is None:
                continue
            if total.key == key:
                items += _rows_above(doc, table, total.prov.row, total.prov.col, parent)
            splits += _column_splits(doc, table, total)
    return items, splits


def _column_splits(doc: Document, table: Table, total: Amount) -> list[Amount]:
    """The total row's numbers under the other sub-columns of the header cell spanning its column."""
    grid = table.grid()
    row, col = total.prov.row, total.prov.col
    for h in range(row - 1, 0, -1):
        upper = grid[h - 1][col]
        spans = [c for c in range(table.n_cols) if upper is not None and grid[h - 1][c] is upper]
        if len(spans) < 2 or grid[h][col] is upper or spans[0] != col:
            continue
        amounts = []
        for c in spans[1:]:
            cell, sub = grid[row][c], clean(grid[h][c].text) if grid[h][c] else None
            number = cell_number(cell.text) if cell is not None else None
            name = next((n for word, n in FUNDS_SUBCOLUMNS if sub and word in sub), None)
            if number is not None and name is not None:
                prov = cell_prov(doc, table, cell)
                key = f"{total.key}_{name}"
                amounts.append(
                    Amount(key=key, number=to_number(number), source="form", label=f"{upper.text} {sub}", prov=prov)
                )
        return amounts
    return []


def _rows_above(doc: Document, table: Table, total_row: int, col: int, parent: str) -> list[LineItem]:
    """The consecutive rows above the total row with a number in its column, top to bottom."""
    grid = table.grid()
    found: list[LineItem] = []
    for r in range(total_row - 1, -1, -1):
        cell = grid[r][col]
        number = cell_number(cell.text) if cell is not None and cell is not grid[r + 1][col] else None
        name = _row_name(grid, r, col)
        if number is None or name is None:
            break
        found.append(LineItem(parent=parent, name=name, number=to_number(number), prov=cell_prov(doc, table, cell)))
    return found[::-1]


def _row_name(grid: list[list[Cell | None]], r: int, before: int) -> str | None:
    """The first text cell of the row left of `before` that is not merged down from the row above."""
    for c in range(before):
        cell = grid[r][c]
        if cell is None or (r > 0 and grid[r - 1][c] is cell) or (c > 0 and grid[r][c - 1] is cell):
            continue
        text = clean(cell.text)
        if text and cell_number(text) is None:
            return text
    return None
