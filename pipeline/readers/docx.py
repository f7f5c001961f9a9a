"""Word (.docx) reader: body paragraphs and tables in reading order, merged cells kept as spans.

python-docx opens the package; the table XML is read directly because `row.cells` repeats a
merged cell once per grid position. `w:gridSpan` gives a cell's colspan, `w:vMerge` (restart /
continue) its rowspan, `w:gridBefore` skipped leading grid columns. A table nested in a cell is
flattened into that cell's text (rows by newline, cells by a space).

Canonical text: each paragraph is one line; a table is laid out as its rows on separate lines with
the cells of a row joined by tabs (a merged cell appears once, at its first row and column), so
every cell's `char_start/char_end` points at its exact text.

Pages: a .docx has no fixed pagination. When Word saved its layout (`w:lastRenderedPageBreak`)
those marks start new pages; otherwise explicit page breaks (`w:br w:type="page"`) do. A document
with neither is one page.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from pipeline.models import Block, Cell, Document, Page, Table
from pipeline.readers.errors import ReadError
from pipeline.readers.layout import TextBuilder

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}


def _tag(name: str) -> str:
    return f"{{{_W}}}{name}"


_P, _TBL, _TR, _TC, _SDT = _tag("p"), _tag("tbl"), _tag("tr"), _tag("tc"), _tag("sdt")
_T, _TAB, _BR, _CR, _RENDERED = _tag("t"), _tag("tab"), _tag("br"), _tag("cr"), _tag("lastRenderedPageBreak")
_VAL, _TYPE = _tag("val"), _tag("type")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def read_docx(data: bytes, doc_id: str, path: str) -> Document:
    """Read a .docx file; raise ReadError for a corrupt or non-Word package."""
    body = _open_body(data)
    builder = _Builder(page_marker=_page_marker(body))
    for element in _body_items(body):
        if element.tag == _P:
            builder.paragraph(element)
        elif element.tag == _TBL:
            builder.table(element)
    return builder.document(doc_id, path)


def _open_body(data: bytes) -> etree._Element:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError("not a docx: zip is corrupt") from exc
    with archive:
        if "word/document.xml" not in archive.namelist():
            raise ReadError("not a Word document: docx has no word/document.xml")
        if archive.testzip() is not None:
            raise ReadError("not a docx: zip is corrupt (bad CRC)")
    import docx  # python-docx, imported late: it is slow to import

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ReadError(f"docx cannot be opened ({type(exc).__name__}: {exc})") from exc
    return document.element.body


def _body_items(parent: etree._Element):
    """Paragraphs and tables of the body in order, looking inside content controls (w:sdt)."""
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find("w:sdtContent", _NS)
            if content is not None:
                yield from _body_items(content)


def _page_marker(body: etree._Element) -> str | None:
    """Which page marks to trust: Word's rendered breaks when present, else explicit breaks."""
    if body.find(f".//{_RENDERED}") is not None:
        return "rendered"
    if any(br.get(_TYPE) == "page" for br in body.iter(_BR)):
        return "explicit"
    return None


def _is_page_mark(node: etree._Element, marker: str | None) -> bool:
    if marker == "rendered":
        return node.tag == _RENDERED
    return marker == "explicit" and node.tag == _BR and node.get(_TYPE) == "page"


def _paragraph_text(p: etree._Element, marker: str | None = None) -> tuple[str, int, int]:
    """A paragraph's text (tab → \\t, line break → \\n) and its page marks before and after its
    first text: a mark before any text starts the paragraph on a new page."""
    parts: list[str] = []
    before = after = 0
    for node in p.iter(_T, _TAB, _BR, _CR, _RENDERED):
        if any(True for _ in node.iterancestors(_FALLBACK)):
            continue  # the legacy copy of a text box that mc:Choice already holds
        if _is_page_mark(node, marker):
            if "".join(parts).strip():
                after += 1
            else:
                before += 1
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB and node.getparent().tag != _tag("tabs"):
            parts.append("\t")
        elif node.tag in (_BR, _CR) and node.get(_TYPE) not in ("page", "column"):
            parts.append("\n")
    return "".join(parts), before, after


def _cell_text(tc: etree._Element) -> str:
    """A cell's paragraphs joined by newlines; a nested table becomes lines of space-joined cells."""
    lines: list[str] = []
    for child in _body_items(tc):
        if child.tag == _P:
            lines.append(_paragraph_text(child)[0])
        else:
            for tr in child.iter(_TR):
                lines.append(" ".join(_cell_text(cell) for cell in tr.findall("w:tc", _NS)))
    return "\n".join(lines).strip("\n")


@dataclass
class _GridCell:
    row: int
    col: int
    colspan: int
    text: str
    rowspan: int = 1


@dataclass(kw_only=True)
class _Builder(TextBuilder):
    """Accumulates the canonical text, pages, blocks and tables while walking the body."""

    page_marker: str | None
    page: int = 1
    page_starts: list[int] = field(default_factory=lambda: [0])

    def _new_pages(self, count: int) -> None:
        for _ in range(count):
            self.page += 1
            self.page_starts.append(self.length)

    def paragraph(self, p: etree._Element) -> None:
        text, before, after = _paragraph_text(p, self.page_marker)
        self._new_pages(before)
        start, end = self._emit(text)
        self._emit("\n")
        if text.strip():
            self.blocks.append(
                Block(index=len(self.blocks), kind="paragraph", page=self.page, char_start=start, char_end=end)
            )
        self._new_pages(after)  # a break inside a paragraph: the next block starts the new page

    def table(self, tbl: etree._Element) -> None:
        rows = _table_rows(tbl)
        if not rows:
            return
        row_marks = [sum(sum(_paragraph_text(p, self.page_marker)[1:]) for p in tr.iter(_P)) for tr in _rows_of(tbl)]
        self._new_pages(row_marks[0])  # the table starts on a new page
        index = len(self.tables)
        cells: list[Cell] = []
        table_start = self.length
        first_page = self.page
        for r, row in enumerate(rows):
            if r and row_marks[r]:
                self._new_pages(row_marks[r])  # Word's layout put this row on a new page
            for k, gc in enumerate(row):
                if k:
                    self._emit("\t")
                start, end = self._emit(gc.text)
                cells.append(
                    Cell(
                        row=r,
                        col=gc.col,
                        rowspan=gc.rowspan,
                        colspan=gc.colspan,
                        text=gc.text,
                        page=self.page,
                        char_start=start,
                        char_end=end,
                    )
                )
            self._emit("\n")
        n_cols = max(max((c.col + c.colspan for c in cells), default=0), len(tbl.findall("w:tblGrid/w:gridCol", _NS)))
        pages = list(range(first_page, self.page + 1))
        self.tables.append(
            Table(
                index=index,
                n_rows=len(rows),
                n_cols=n_cols,
                cells=cells,
                pages=pages,
                char_start=table_start,
                char_end=self.length - 1,
            )
        )
        self.blocks.append(
            Block(
                index=len(self.blocks),
                kind="table",
                page=first_page,
                char_start=table_start,
                char_end=self.length - 1,
                table=index,
            )
        )

    def document(self, doc_id: str, path: str) -> Document:
        text = self.text()
        ends = [*self.page_starts[1:], len(text)]
        pages = [
            Page(number=n, char_start=s, char_end=e)
            for n, (s, e) in enumerate(zip(self.page_starts, ends, strict=True), 1)
        ]
        return Document(
            doc_id=doc_id, path=path, format="docx", text=text, pages=pages, blocks=self.blocks, tables=self.tables
        )


def _table_rows(tbl: etree._Element) -> list[list[_GridCell]]:
    """The table's rows of anchored cells; a vMerge continuation extends the cell above it."""
    rows: list[list[_GridCell]] = []
    open_merges: dict[int, _GridCell] = {}  # grid column -> cell whose vertical merge is open
    for tr in _rows_of(tbl):
        row: list[_GridCell] = []
        col = _int_val(tr.find("w:trPr/w:gridBefore", _NS), 0)
        for tc in _row_cells(tr):
            props = tc.find("w:tcPr", _NS)
            span = _int_val(props.find("w:gridSpan", _NS) if props is not None else None, 1)
            vmerge = props.find("w:vMerge", _NS) if props is not None else None
            above = open_merges.get(col)
            if vmerge is not None and vmerge.get(_VAL, "continue") == "continue" and above is not None:
                above.rowspan = len(rows) - above.row + 1
            else:
                cell = _GridCell(row=len(rows), col=col, colspan=span, text=_cell_text(tc))
                row.append(cell)
                for c in range(col, col + span):
                    open_merges.pop(c, None)
                if vmerge is not None:
                    open_merges[col] = cell
            col += span
        rows.append(row)
    return rows


def _rows_of(tbl: etree._Element) -> list[etree._Element]:
    return tbl.findall("w:tr", _NS)


def _row_cells(tr: etree._Element):
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag == _SDT:
            content = child.find("w:sdtContent", _NS)
            if content is not None:
                yield from content.findall("w:tc", _NS)


def _int_val(node: etree._Element | None, default: int) -> int:
    if node is None:
        return default
    try:
        return max(int(node.get(_VAL, default)), 1 if default else 0)
    except ValueError:
        return default
