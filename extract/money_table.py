"""Tables that itemise money by recipient or use (资金使用明细, 补助资金分配表) → `LineItem`s.

A table whose header starts with 序号 and has a column naming each item (培训机构, 单位名称, 资金用途 …:
vocab.DETAIL_NAME_COLUMN) and a money column (补助资金, 金额 …: vocab.DETAIL_MONEY_COLUMN) gives one
line item per row under the money column's header; a total row (合计) is not an item, and a
project list (项目名称 | 预算金额 | 得分) is read as projects (extract/project_list.py).

The money column's unit must be known, never guessed: printed in its header ("金额(万元)") or in the
caption ("单位：元"), or fixed by the table's own arithmetic: a numbering row under the header that
gives the column as a product ("⑧=④*⑦") of a column in 元 ("培训补助标准(元/人)") and a count, where
every row's value times 10000 is that product — the column is in 万元.
"""

from __future__ import annotations

import re

from extract import vocabulary as vocab
from extract.cells import cell_number, clean
from extract.numbers import close, to_number
from extract.prov import cell_prov
from pipeline.models import Cell, Document, LineItem, Table

_YUAN_PER = re.compile(r"[(（]元(?:/[^()（）]*)?[)）]")  # a column in 元 (元/人 per person)
_CAPTION_CHARS = 80  # how far before a table its caption ("单位：万元") may stand


def money_table_items(doc: Document, skip: set[int]) -> list[LineItem]:
    """The line items of every money detail table but those in `skip` (form tables)."""
    items: list[LineItem] = []
    for table in doc.tables:
        if table.index not in skip:
            items.extend(_table_items(doc, table))
    return items


def _text(cell: Cell | None) -> str:
    return re.sub(r"\s+", "", clean(cell.text) or "") if cell else ""


def _table_items(doc: Document, table: Table) -> list[LineItem]:
    grid = table.grid()
    if not grid or not grid[0] or not vocab.TABLE_START_CELL.match(_text(grid[0][0])):
        return []
    header = [_text(cell) for cell in grid[0]]
    name_col = next((c for c, word in enumerate(header) if vocab.DETAIL_NAME_COLUMN.search(word)), None)
    money_col = next((c for c, word in enumerate(header) if vocab.DETAIL_MONEY_COLUMN.search(word)), None)
    if name_col is None or money_col is None or name_col == money_col or _is_project_list(header):
        return []
    rows = grid[1:]
    formula = _formula(rows[0], money_col) if rows else None
    if formula is not None:
        rows = rows[1:]
    rows = [row for row in rows if money_col < len(row) and name_col < len(row) and _text(row[name_col])]
    rows = [row for row in rows if not vocab.TOTAL_ROW.match(_text(row[name_col]))]
    scale = _scale(doc, table, header[money_col], header, formula, rows, money_col)
    if scale is None:
        return []
    parent = header[money_col] + (f"({_text(grid[1][money_col])})" if formula is not None else "")
    items = []
    for row in rows:
        number = cell_number(row[money_col].text) if row[money_col] else None
        if number is None:
            continue
        items.append(
            LineItem(
                parent=parent,
                name=_text(row[name_col]),
                number=to_number(number, scale),
                prov=cell_prov(doc, table, row[money_col]),
            )
        )
    return items


def _is_project_list(header: list[str]) -> bool:
    """A project list (项目名称 | 预算金额 | 得分: extract/project_list.py) is read as projects."""
    fields = {f for word in header for f, words in vocab.PROJECT_LIST_COLUMNS if any(w in word for w in words)}
    return "name" in fields and bool(fields & {"budget", "executed", "score"})


def _formula(row: list[Cell | None], money_col: int) -> tuple[int, int] | None:
    """The two columns the money column is the product of, from a numbering row (① | ② | ⑧=④*⑦)."""
    cell = _text(row[money_col]) if money_col < len(row) else ""
    m = vocab.DETAIL_FORMULA.match(cell)
    if m is None:
        return None
    numbering = {_text(c): i for i, c in enumerate(row) if c is not None}
    numbering[m.group("col")] = money_col
    a, b = numbering.get(m.group("a")), numbering.get(m.group("b"))
    return (a, b) if a is not None and b is not None else None


def _scale(
    doc: Document,
    table: Table,
    money_header: str,
    header: list[str],
    formula: tuple[int, int] | None,
    rows: list[list[Cell | None]],
    money_col: int,
) -> float | None:
    """The money column's factor to 万元: from its header, the caption, or the formula; None if unknown."""
    before = doc.text[max(0, (table.char_start or 0) - _CAPTION_CHARS) : table.char_start or 0]
    for text in (money_header, before):
        found = vocab.FORM_UNIT.search(text)
        if found:
            return 1e-4 if (found.group(1) or found.group(2)) == "元" else 1.0
    if formula is None or not rows or not any(_YUAN_PER.search(header[c]) for c in formula if c < len(header)):
        return None
    for row in rows:
        values = [cell_number(row[c].text) if c < len(row) and row[c] else None for c in (*formula, money_col)]
        if any(v is None for v in values):
            return None
        a, b, value = values
        if not close(value.value * 1e4, a.value * b.value, 0.5 * 10 ** (4 - value.decimals)):
            return None  # the product, rounded to the printed digits of 万元
    return 1.0
