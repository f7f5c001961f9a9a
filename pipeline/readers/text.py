"""Plain-text reader: decodes UTF-8 / UTF-16 / GB18030, keeps the text as is, and recovers the
tables that text conversions flatten.

Two flattened layouts occur in real conversions:

* cell-per-line: every cell starts a line with one tab, a cell may run over several lines, and a
  blank line ends a row (`\\t年度资金总额\\n\\t4229.37\\n…\\n\\n\\t…`);
* row-per-line: a row is one line with its cells separated by tabs (`部门名称\\t衡阳市…\\t执行数`).

Pipe- and space-separated layouts are recovered by `flat_tables`. All are turned into `Table`
grids whose cells point back into the unchanged text by character span, so the form extractor
reads txt, docx and PDF tables the same way. A vertically merged cell
is flattened to an empty cell; it stays an empty cell here (the extractor carries labels down).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.models import Block, Cell, Document, Page, Table
from pipeline.readers.errors import ReadError
from pipeline.readers.flat_tables import FlatTable, find_flat_tables

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8, UTF-16 (BOM) or GB18030; raise ReadError for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding.replace("-sig", "")
    if _looks_utf16(data):
        encoding = "utf-16-le" if data[1:512:2].count(0) > data[0:512:2].count(0) else "utf-16-be"
        return data.decode(encoding, errors="strict"), encoding
    if b"\x00" in data[:4096]:
        raise ReadError("binary data, not text (contains NUL bytes)")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.reason == "unexpected end of data":  # cut inside the last character
                return data[: exc.start].decode(encoding), encoding
    raise ReadError("text in an unknown encoding (neither UTF-8, UTF-16 nor GB18030)")


def _looks_utf16(data: bytes) -> bool:
    sample = data[:512]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_nuls, odd_nuls) > half * 0.3 and min(even_nuls, odd_nuls) < half * 0.05


def read_text(data: bytes, doc_id: str, path: str, fmt: str) -> Document:
    if fmt == "html":
        from pipeline.readers.html import read_html

        return read_html(data, doc_id, path)
    text, encoding = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _is_binary_garbage(text):
        raise ReadError("binary data, not text (mostly control or unprintable characters)")
    doc = Document(doc_id=doc_id, path=path, format="txt", text=text, encoding=encoding)
    doc.pages = _pages(text)
    tables = recover_tables(text)
    doc.tables = tables
    doc.blocks = _blocks(text, tables, doc)
    return doc


def _is_binary_garbage(text: str) -> bool:
    sample = text[:4000]
    if not sample:
        return False
    bad = sum(
        1 for ch in sample if (ord(ch) < 32 and ch not in "\n\t\f") or 0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd"
    )
    return bad / len(sample) > 0.1


def _pages(text: str) -> list[Page]:
    """Form feeds separate pages in text conversions; without them the text is one page."""
    pages, start = [], 0
    for number, part in enumerate(text.split("\f"), start=1):
        pages.append(Page(number=number, char_start=start, char_end=start + len(part)))
        start += len(part) + 1
    return pages


def _blocks(text: str, tables: list[Table], doc: Document) -> list[Block]:
    """Paragraph blocks (non-empty lines outside tables) and table blocks, in reading order."""
    spans: list[tuple[int, int, int | None]] = [(t.char_start or 0, t.char_end or 0, t.index) for t in tables]
    blocks: list[Block] = []
    pos = 0
    for start, end, table_index in [*spans, (len(text), len(text), None)]:
        for match in re.finditer(r"[^\n\f]+", text[pos:start]):
            if match.group().strip():
                s, e = pos + match.start(), pos + match.end()
                blocks.append(Block(index=len(blocks), kind="paragraph", page=doc.page_of(s), char_start=s, char_end=e))
        if table_index is not None:
            blocks.append(
                Block(
                    index=len(blocks),
                    kind="table",
                    page=doc.page_of(start),
                    char_start=start,
                    char_end=end,
                    table=table_index,
                )
            )
        pos = end
    return blocks


# --------------------------------------------------------------------------- table recovery


@dataclass
class _Line:
    start: int
    end: int  # excluding the newline
    text: str

    @property
    def blank(self) -> bool:
        """An empty line (ASCII spaces only): a full-width space line is cell content."""
        return not self.text.strip(" ")


@dataclass
class _RawCell:
    start: int  # first character of the cell content (after its tab)
    end: int


@dataclass
class _RawRow:
    cells: list[_RawCell] = field(default_factory=list)


def _lines(text: str) -> list[_Line]:
    lines, pos = [], 0
    for part in text.split("\n"):
        lines.append(_Line(pos, pos + len(part), part))
        pos += len(part) + 1
    return lines


def _is_row_line(line: _Line) -> bool:
    """A row-per-line table row: at least two tabs, or a tab after some text."""
    body = line.text.rstrip("\n")
    return body.count("\t") >= 2 or ("\t" in body.lstrip("\t") and bool(body.strip()))


def _is_cell_line(line: _Line) -> bool:
    """A cell-per-line cell start: exactly one leading tab and no other tab."""
    return line.text.startswith("\t") and "\t" not in line.text[1:]


def recover_tables(text: str) -> list[Table]:
    """Find flattened tables in `text` and return them as grids with character spans."""
    lines = _lines(text)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if _is_row_line(lines[i]):
            i, rows = _read_row_lines(lines, i)
        elif _is_cell_line(lines[i]):
            i, rows = _read_cell_lines(lines, i)
        else:
            i += 1
            continue
        if len(rows) >= 2 or (rows and len(rows[0].cells) >= 3):
            tables.append(_to_table(rows, text, len(tables)))
    taken = [(t.char_start or 0, t.char_end or 0) for t in tables]
    tables += [_flat_to_table(flat, text) for flat in find_flat_tables(text, taken)]
    tables.sort(key=lambda t: t.char_start or 0)
    for index, table in enumerate(tables):
        table.index = index
    return tables


def _read_row_lines(lines: list[_Line], i: int) -> tuple[int, list[_RawRow]]:
    """Consecutive tab-separated row lines (single blank lines between them are allowed)."""
    rows: list[_RawRow] = []
    while i < len(lines):
        line = lines[i]
        if _is_row_line(line):
            row, pos = _RawRow(), line.start
            for part in line.text.split("\t"):
                row.cells.append(_RawCell(pos, pos + len(part)))
                pos += len(part) + 1
            rows.append(row)
            i += 1
        elif line.blank and i + 1 < len(lines) and _is_row_line(lines[i + 1]):
            i += 1
        elif line.blank and i + 2 < len(lines) and lines[i + 1].blank and _is_row_line(lines[i + 2]):
            i += 2
        else:
            break
    return i, rows


def _read_cell_lines(lines: list[_Line], i: int) -> tuple[int, list[_RawRow]]:
    """Cell-per-line rows: a tab starts a cell, a blank line before a tab line ends a row."""
    rows: list[_RawRow] = [_RawRow()]
    cell: _RawCell | None = None
    pending_row_break = False
    while i < len(lines):
        line = lines[i]
        if _is_cell_line(line):
            if pending_row_break and rows[-1].cells:
                rows.append(_RawRow())
            pending_row_break = False
            cell = _RawCell(line.start + 1, line.end)
            rows[-1].cells.append(cell)
            i += 1
        elif line.blank:
            j = i
            while j < len(lines) and lines[j].blank and not lines[j].text.startswith("\t"):
                j += 1
            if j < len(lines) and _is_cell_line(lines[j]) and j - i <= 2:
                pending_row_break = True
                i = j
            elif j < len(lines) and j - i == 1 and not _is_row_line(lines[j]) and _continues_cell(lines, j):
                i = j  # a blank line inside a cell (e.g. "效益指标\n\n（30分）")
            else:
                break
        elif cell is not None and not _is_row_line(line):
            cell.end = line.end  # continuation line of a multi-line cell
            i += 1
        else:
            break
    rows = [row for row in rows if row.cells]
    return i, _join_split_rows(rows, lines)


def _continues_cell(lines: list[_Line], j: int) -> bool:
    """After a blank line: do non-tab lines lead to a cell line before the next blank line?"""
    while j < len(lines) and not lines[j].blank:
        if _is_cell_line(lines[j]):
            return True
        j += 1
    return False


def _join_split_rows(rows: list[_RawRow], lines: list[_Line]) -> list[_RawRow]:
    """Undo false row breaks caused by a cell that ends with a paragraph break.

    A short row, followed by a row that does not start with an empty (merged) cell and completes
    it to exactly the width of the row before, is one row; so is a lone side label (绩\n效\n指\n标)
    that the next row completes to the width of the row after the pair.
    """
    out: list[_RawRow] = []
    width = 0
    k = 0
    while k < len(rows):
        row = rows[k]
        if k + 1 < len(rows):
            nxt = rows[k + 1]
            after = len(rows[k + 2].cells) if k + 2 < len(rows) else 0
            joined = len(row.cells) + len(nxt.cells)
            widths = {w for w in (width, after if len(row.cells) == 1 else 0) if w >= 5 and len(row.cells) < w}
            if joined in widths and _cell_text_nonblank(lines, nxt.cells[0]):
                row = _RawRow(cells=row.cells + nxt.cells)
                k += 1
        out.append(row)
        width = len(row.cells)
        k += 1
    return out


def _cell_text_nonblank(lines: list[_Line], cell: _RawCell) -> bool:
    for line in lines:
        if line.start <= cell.start <= line.end + 1:
            return bool(line.text[cell.start - line.start :].strip(" \u3000\xa0\t"))
    return False


def _flat_to_table(flat: FlatTable, text: str) -> Table:
    """A table of pipe- or space-separated rows (empty cells stay empty slots of the grid)."""
    cells = [
        Cell(row=r, col=c, text=text[span[0] : span[1]], char_start=span[0], char_end=span[1])
        for r, row in enumerate(flat.rows)
        for c, span in enumerate(row)
        if span is not None
    ]
    n_cols = max(len(row) for row in flat.rows)
    return Table(index=0, n_rows=len(flat.rows), n_cols=n_cols, cells=cells, char_start=flat.start, char_end=flat.end)


def _to_table(rows: list[_RawRow], text: str, index: int) -> Table:
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        for c, raw in enumerate(row.cells):
            start, end = raw.start, raw.end
            while end > start and text[end - 1] == "\n":
                end -= 1
            cells.append(Cell(row=r, col=c, text=text[start:end], char_start=start, char_end=end))
    n_cols = max(len(row.cells) for row in rows)
    start = (
        rows[0].cells[0].start - 1
        if text[rows[0].cells[0].start - 1 : rows[0].cells[0].start] == "\t"
        else rows[0].cells[0].start
    )
    end = rows[-1].cells[-1].end
    return Table(index=index, n_rows=len(rows), n_cols=n_cols, cells=cells, char_start=max(start, 0), char_end=end)
