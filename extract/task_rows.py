"""The rows a department form's funds total itemises (年度主要任务: one row per task with its
全年预算数 / 全年执行数) → `LineItem`s under 全年预算数.

A 部门整体 form may print its money as a table of tasks closed by a total row (金额合计): the total
row is the form's funds row (extract/form.py reads it), and the rows right above it that hold a
number in the same 全年预算数 column are its parts. Each part is named by the first text cell of
its row that is not a label merged down from above (年度主要任务完成情况 spans them all).
"""

from __future__ import annotations

from extract.cells import cell_number, clean
from extract.form import funds_amounts
from extract.numbers import to_number
from extract.prov import cell_prov
from pipeline.models import Cell, Document, LineItem, Table

ITEMISED = ("full_year_budget", "全年预算数")  # the funds column whose total the rows itemise


def task_rows(doc: Document, tables: list[int]) -> list[LineItem]:
    """Line items of the task rows above the funds total row of a department form's tables."""
    key, parent = ITEMISED
    items: list[LineItem] = []
    for index in tables:
        table = doc.tables[index]
        funds = funds_amounts(doc, table)
        total = next((a for a in funds[0] if a.key == key), None) if funds else None
        if total is None or total.prov.row is None or total.prov.col is None:
            continue
        items += _rows_above(doc, table, total.prov.row, total.prov.col, parent)
    return items


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
