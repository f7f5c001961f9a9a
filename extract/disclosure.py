"""The standard tables of a 部门预算 / 部门决算 disclosure as cells: Document → `DisclosureCell`s.

A standard table is recognised by its title (the text between the previous table and the grid,
or a title row inside the grid, matched against `disclosure_vocabulary.TABLE_TITLES`) and carries
on over page breaks: a grid on the next page with as many columns continues it when it has no
title of its own or repeats the same title (a repeated header or total row is skipped). Its header rows (the leading rows without an amount or a code) name the columns; in
each data row, reading left to right, digit cells of a code column build the 功能/经济分类 code
(201 | 06 | 01 → 2010601, or 2010601 in one cell), a text cell is the row label, and every amount
becomes one cell fact under the latest label and code. A table printed in 元 is stored in 万元
(Number.scale 1e-4), so a 元 table and a 万元 narrative compare as intervals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract import disclosure_vocabulary as vocab
from extract.disclosure_text import extract_disclosure_figures
from extract.numbers import MONEY_SCALE, parse_number, to_number
from extract.prov import cell_prov
from pipeline.models import Cell, DisclosureCell, DisclosureFigure, Document, Table

_CODE = re.compile(r"^\d{3,7}$")
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


@dataclass
class StandardTable:
    """One recognised standard table: its kind, title, unit scale and the grids it spans."""

    kind: str
    title: str
    phase: str
    scale: float
    parts: list[Table] = field(default_factory=list)


def squeeze(text: str) -> str:
    """Text with all whitespace removed (labels wrap inside cells)."""
    return re.sub(r"\s+", "", text)


def clean_label(text: str) -> str:
    """A row label as compared: no whitespace, no leading ordinal (一、 （二） 3.)."""
    return vocab.ORDINAL.sub("", squeeze(text))


def table_kind(title_text: str) -> tuple[str, str] | None:
    """The kind and matched title of the first standard-table title in `title_text`."""
    text = squeeze(title_text)
    for kind, pattern in vocab.TABLE_TITLES:
        if m := pattern.search(text):
            return kind, m.group(0)
    return None


def standard_tables(doc: Document) -> list[StandardTable]:
    """The document's standard tables in order, continuations merged into their table."""
    found: list[StandardTable] = []
    previous_end = 0
    for table in doc.tables:
        start = table.char_start if table.char_start is not None else previous_end
        page_start = next((p.char_start for p in doc.pages if table.pages and p.number == table.pages[0]), 0)
        before = doc.text[max(previous_end, page_start, start - 200) : start]
        previous_end = table.char_end if table.char_end is not None else start
        recognised = table_kind(_title_lines(before)) or _title_in_grid(table)
        if recognised is not None and found and _repeats(found[-1], recognised[1], table):
            found[-1].parts.append(table)
        elif recognised is not None:
            kind, title = recognised
            unit = vocab.UNIT_LINE.search(squeeze(before)) or vocab.UNIT_LINE.search(_grid_top(table))
            scale = MONEY_SCALE[unit.group(1)] if unit else 1.0
            phase = "决算" if "决算" in title or "决算" in squeeze(before) else "预算"
            found.append(StandardTable(kind, title, phase, scale, [table]))
        elif found and "表" not in squeeze(_title_lines(before)) and _continues(found[-1], table):
            found[-1].parts.append(table)  # no title of its own (another table's title ends the standard one)
    return found


def _title_in_grid(table: Table) -> tuple[str, str] | None:
    """A title printed inside the grid, in one of its first rows (预算01表 收支总表 above the header)."""
    return table_kind(_grid_top(table))


def _grid_top(table: Table) -> str:
    """The text of the grid's first rows that hold a single text each (a title, a unit line)."""
    lines = []
    for r in range(min(3, table.n_rows)):
        texts = {squeeze(c.text) for c in table.cells if c.row == r and c.text.strip()}
        if len(texts) == 1:
            lines.append(texts.pop())
    return "\n".join(lines)


def _title_lines(before: str) -> str:
    """The lines just above a grid that may hold its title (the unit and 编制部门 lines dropped)."""
    lines = [line for line in before.splitlines() if line.strip() and not vocab.UNIT_LINE.search(squeeze(line))]
    return "\n".join(line for line in lines[-3:] if not line.strip().startswith("注"))


def _repeats(current: StandardTable, title: str, table: Table) -> bool:
    """A grid under the same title again on the next page (titles and headers printed per page)."""
    return title == current.title and _continues(current, table)


def _continues(current: StandardTable, table: Table) -> bool:
    """A title-less grid on the page after the table's last page, with as many columns."""
    last = current.parts[-1]
    if not table.pages or not last.pages or table.n_cols != last.n_cols:
        return False
    return table.pages[0] - last.pages[-1] in (0, 1)


def extract_disclosure_cells(doc: Document) -> list[DisclosureCell]:
    """Every amount of every standard table, with its label, code, column and provenance."""
    cells: list[DisclosureCell] = []
    for seq, std in enumerate(standard_tables(doc)):
        first = std.parts[0]
        header_rows = _header_rows(first)
        columns = _column_headers(first, header_rows)
        seen_rows = [_row_texts(first, r) for r in range(header_rows)]
        for part in std.parts:
            grid = part.grid()
            for r in range(part.n_rows):
                texts = _row_texts(part, r)
                if (part is first and r < header_rows) or (part is not first and texts in seen_rows):
                    continue  # a header, or a header or total row printed again on a later page
                seen_rows.append(texts)
                cells.extend(_row_cells(doc, std, seq, part, grid[r], columns))
    return cells


def _is_amount(cell: Cell | None) -> bool:
    return cell is not None and bool(_AMOUNT.match(cell.text.strip())) and "." in cell.text


def _is_code(cell: Cell | None) -> bool:
    return cell is not None and bool(_CODE.match(cell.text.strip()))


def _header_rows(table: Table) -> int:
    """How many leading rows are header: rows with neither an amount nor a code."""
    grid = table.grid()
    for r, row in enumerate(grid):
        texts = [squeeze(c.text) for c in row if c is not None and c.text.strip()]
        if all(t.isdigit() and len(t) <= 2 or t == "栏次" for t in texts):
            continue  # a 栏次 row (1 2 3 …) numbers the columns
        if any(_is_amount(c) or _is_code(c) for c in row):
            return r
    return table.n_rows


def _row_texts(table: Table, r: int) -> list[str]:
    return [squeeze(c.text) if c else "" for c in table.grid()[r]]


def _column_headers(table: Table, header_rows: int) -> list[str]:
    """Each column's header: its distinct header cells top-down, joined with '/'."""
    grid = table.grid()
    rows = [r for r in range(header_rows) if not _title_or_unit_row(table, r)]
    headers = []
    for c in range(table.n_cols):
        parts: list[str] = []
        for r in rows:
            text = squeeze(grid[r][c].text) if grid[r][c] else ""
            if text and text not in parts and text != "栏次" and not text.isdigit():
                parts.append(text)
        headers.append("/".join(parts))
    return headers


def _title_or_unit_row(table: Table, r: int) -> bool:
    """A row inside the grid that only prints the table's title or its unit."""
    texts = {squeeze(c.text) for c in table.cells if c.row == r and c.text.strip()}
    return len(texts) == 1 and bool(table_kind(next(iter(texts))) or vocab.UNIT_LINE.search(next(iter(texts))))


def column_key(header: str) -> str:
    """The canonical column a header names: what its last level means, or "" when the vocabulary
    does not know it (人员支出 under 基本支出 is not 基本支出); a 小计 takes its parent's meaning."""
    levels = header.split("/")
    keys = [next((key for word, key in vocab.COLUMN_WORDS if word in level), "") for level in levels]
    if len(keys) > 1 and keys[-1] == "total" and keys[-2] in ("basic", "project", "personnel", "public_funds"):
        return keys[-2]  # 基本支出/小计 is the 基本支出 column
    return keys[-1]


def _numbering_column(header: str) -> bool:
    """A column of row numbers (行次), not amounts."""
    return any(word in header.split("/")[-1] for word in vocab.NUMBERING_HEADERS)


def _is_code_column(header: str) -> bool:
    """A column of 功能/经济分类 codes: headed 科目编码 (or 代码), or 类 / 款 / 项."""
    levels = header.split("/")
    return any(w in header for w in vocab.CODE_HEADER_WORDS) or any(level in vocab.CODE_LEVELS for level in levels)


def _row_cells(
    doc: Document, std: StandardTable, seq: int, table: Table, row: list[Cell | None], columns: list[str]
) -> list[DisclosureCell]:
    """The amounts of one grid row, each under the latest label and code read to its left."""
    out: list[DisclosureCell] = []
    label, code, code_open = "", "", True
    after_label = -1  # the column just right of the latest label
    second = False  # reading a second classification of the row, printed beside the first
    seen: set[int] = set()
    for c, cell in enumerate(row):
        if cell is None or id(cell) in seen or _numbering_column(columns[c]):
            continue
        seen.add(id(cell))
        text = cell.text.strip()
        if not text:
            continue
        if text.isdigit() and (_is_code_column(columns[c]) or (_is_code(cell) and len(text) in (3, 5, 7))):
            if second or (not code_open and c == after_label):
                second = True  # 政府经济分类 beside 部门经济分类: the row keeps its first code and label
                continue
            if not code_open:
                label, code, code_open = "", "", True
            code = code + text.zfill(2) if len(text) <= 2 and code else text
            continue
        number = squeeze(text)  # an amount may wrap inside its cell (21,118.5 / 1)
        match = parse_number(number) if _AMOUNT.match(number) else None
        if match is None:
            if not second:
                label, code_open = clean_label(text), False
            second, after_label = False, c + cell.colspan
            continue
        code_open = second = False
        out.append(
            DisclosureCell(
                table_kind=std.kind,
                phase=std.phase,  # type: ignore[arg-type]
                table_seq=seq,
                title=std.title,
                row_label=label,
                row_key=vocab.TOTAL_ROWS.get(label, ""),
                code=code,
                column=columns[c],
                column_key=column_key(columns[c]),
                number=to_number(match, std.scale),
                prov=cell_prov(doc, table, cell),
            )
        )
    return out


def extract_disclosure(doc: Document) -> tuple[list[DisclosureCell], list[DisclosureFigure]]:
    """The standard tables' cells and, when the document has any, the narrative's figures,
    with ids dc1, dc2 … and df1, df2 …"""
    cells = extract_disclosure_cells(doc)
    figures = extract_disclosure_figures(doc) if cells else []
    for n, cell in enumerate(cells, start=1):
        cell.id = f"dc{n}"
    for n, figure in enumerate(figures, start=1):
        figure.id = f"df{n}"
    return cells, figures
