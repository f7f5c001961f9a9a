"""Budget tables in 元 (caption or header "单位：元", or amounts like 56,306,300.00) → amounts in 万元.

Columns are phases (年初预算数 / 调整预算数 / 决算数), rows are categories (合计, 基本支出, 人员经费,
公用经费, 项目支出). Every value becomes an `Amount` `table_yuan_<phase>_<category>` with
`Number(scale=1e-4)`; the rows of an 按经济分类 block are itemised spending, so they become
`LineItem`s under "<合计 row>（<phase column>）".
"""

from __future__ import annotations

import re

from extract.cells import clean
from extract.indicators import find_header
from extract.numbers import money, parse_number
from extract.prov import cell_prov
from pipeline.models import Amount, Document, LineItem, Table

_PHASES = (
    ("年初", "initial"),
    ("调整", "full_year"),
    ("全年预算", "full_year"),
    ("决算", "executed"),
    ("执行", "executed"),
)
_CATEGORIES = (
    ("合计", "total"),
    ("总计", "total"),
    ("基本支出", "basic"),
    ("人员经费", "personnel"),
    ("公用经费", "public_funds"),
    ("项目支出", "project"),
)
_YUAN_RE = re.compile(r"单位[:：]\s*元")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(,\d{3})+\.\d{2}$")


def extract_yuan_tables(doc: Document) -> tuple[list[Amount], list[LineItem]]:
    amounts: list[Amount] = []
    items: list[LineItem] = []
    for table in doc.tables:
        if find_header(table) is None and _in_yuan(doc, table):
            _read(doc, table, amounts, items)
    return amounts, items


def _in_yuan(doc: Document, table: Table) -> bool:
    before = doc.text[max(0, (table.char_start or 0) - 80) : table.char_start or 0]
    if _YUAN_RE.search(before) or any(_YUAN_RE.search(c.text) for c in table.cells if c.row == 0):
        return True
    values = [clean(c.text) or "" for c in table.cells]
    return sum(bool(_THOUSANDS_RE.match(v)) for v in values) >= 3


def _read(doc: Document, table: Table, amounts: list[Amount], items: list[LineItem]) -> None:
    grid = table.grid()
    phases = {c: _first(clean(cell.text) or "", _PHASES) for c, cell in enumerate(grid[0]) if cell}
    parent: str | None = None
    for row in grid[1:]:
        label = re.sub(r"^[一二三四五六七八九十]+、|\s", "", clean(row[0].text) or "") if row[0] else ""
        if not label:
            continue
        if "经济分类" in label:
            parent = label
        for c, cell in enumerate(row[1:], start=1):
            phase = phases.get(c)
            number = parse_number(cell.text) if cell else None
            if cell is None or phase is None or number is None:
                continue
            value = money(number, "元")
            if parent and parent != label:
                items.append(
                    LineItem(
                        parent=f"{parent}（{clean(grid[0][c].text)}）",
                        name=label,
                        number=value,
                        prov=cell_prov(doc, table, cell),
                    )
                )
            elif parent is None:
                category = _first(label, _CATEGORIES) or label
                amounts.append(
                    Amount(
                        key=f"table_yuan_{phase}_{category}",
                        number=value,
                        source="table",
                        label=label,
                        prov=cell_prov(doc, table, cell),
                    )
                )


def _first(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    return next((value for word, value in table if word in text), None)
