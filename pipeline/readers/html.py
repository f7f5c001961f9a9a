"""HTML reader (stdlib `html.parser`): block text as paragraphs, `<table>` as cell grids.

Scripts, styles and the head are dropped; entities are decoded; runs of whitespace collapse to one
space (except in `<pre>`); `<br>` is a line break inside a paragraph or cell. Cells are placed on
the grid the way browsers do: a cell takes the next column not covered by a rowspan from above.
A table nested in a cell is flattened into that cell's text (rows by newline, cells by a space).

Canonical text: each paragraph on its own line(s); a table as its rows on separate lines with the
cells of a row joined by tabs (a merged cell once, at its first row and column). HTML has no
pages: the document is one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pipeline.models import Block, Cell, Document, Page, Table

_SKIP = {"script", "style", "head", "noscript", "template", "svg", "object"}
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header",
    "footer", "blockquote", "pre", "dt", "dd", "dl", "hr", "address", "center", "form", "fieldset",
    "nav", "aside", "main", "figure", "figcaption", "caption", "body", "html",
}  # fmt: skip
_MAX_SPAN = 1000
_SPACES = re.compile(r"[ \t\r\n\f]+")


@dataclass
class _HtmlCell:
    text: str
    rowspan: int
    colspan: int


@dataclass
class _HtmlTable:
    rows: list[list[_HtmlCell]] = field(default_factory=list)
    cell: list[str] | None = None  # text parts of the open cell
    spans: tuple[int, int] = (1, 1)

    def close_cell(self) -> None:
        if self.cell is None:
            return
        text = _clean("".join(self.cell))
        if not self.rows:
            self.rows.append([])
        self.rows[-1].append(_HtmlCell(text, *self.spans))
        self.cell = None


def _clean(text: str) -> str:
    """Trim each line of collapsed text and drop blank lines at the ends."""
    lines = [line.strip(" ") for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str | _HtmlTable] = []
        self.paragraph: list[str] = []
        self.tables: list[_HtmlTable] = []  # open tables, innermost last
        self.nested: list[int] = []  # depth of tables opened inside a cell of the outer table
        self.skip = 0
        self.pre = 0

    # ---- text sinks
    def _sink(self) -> list[str] | None:
        if not self.tables:
            return self.paragraph
        return self.tables[-1].cell  # None: text between cells, ignored

    def _write(self, text: str) -> None:
        sink = self._sink()
        if sink is not None:
            sink.append(text)

    def _flush(self) -> None:
        text = _clean("".join(self.paragraph))
        if text:
            self.items.append(text)
        self.paragraph = []

    # ---- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "pre":
            self.pre += 1
        if self.nested and self.nested[-1] > 0:
            self._nested_start(tag)
            return
        if tag == "table":
            if self.tables and self.tables[-1].cell is not None:
                self.nested.append(1)  # flatten into the open cell
                return
            self._flush()
            self.tables.append(_HtmlTable())
        elif tag == "tr" and self.tables:
            self.tables[-1].close_cell()
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            table = self.tables[-1]
            table.close_cell()
            values = dict(attrs)
            table.cell = []
            table.spans = (_span(values.get("rowspan")), _span(values.get("colspan")))
        elif tag == "br":
            self._write("\n")
        elif tag in _BLOCK:
            if self.tables:
                self._write("\n")
            else:
                self._flush()

    def _nested_start(self, tag: str) -> None:
        if tag == "table":
            self.nested[-1] += 1
        elif tag == "tr" or tag in _BLOCK or tag == "br":
            self._write("\n")
        elif tag in ("td", "th"):
            self._write(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
            return
        if self.skip:
            return
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)
        if self.nested and self.nested[-1] > 0:
            if tag == "table":
                self.nested[-1] -= 1
                if self.nested[-1] == 0:
                    self.nested.pop()
            return
        if tag == "table" and self.tables:
            table = self.tables.pop()
            table.close_cell()
            table.rows = [row for row in table.rows if row] or table.rows
            if any(table.rows):
                self.items.append(table)
        elif tag in ("td", "th") and self.tables:
            self.tables[-1].close_cell()
        elif tag in _BLOCK:
            if self.tables:
                self._write("\n")
            else:
                self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._write(data if self.pre else _SPACES.sub(" ", data))

    def close(self) -> None:
        super().close()
        while self.tables:
            self.handle_endtag("table")
        self._flush()


def html_to_document(text: str, doc_id: str, path: str, encoding: str | None) -> Document:
    """Parse decoded HTML into a Document with paragraph and table blocks."""
    parser = _Parser()
    parser.feed(text)
    parser.close()
    parts: list[str] = []
    length = 0
    blocks: list[Block] = []
    tables: list[Table] = []

    def emit(piece: str) -> tuple[int, int]:
        nonlocal length
        parts.append(piece)
        length += len(piece)
        return length - len(piece), length

    for item in parser.items:
        if isinstance(item, str):
            start, end = emit(item)
            blocks.append(Block(index=len(blocks), kind="paragraph", page=1, char_start=start, char_end=end))
            emit("\n")
            continue
        table_start = length
        cells = []
        for r, row in enumerate(_place(item.rows)):
            if r:
                emit("\n")
            for k, (col, cell) in enumerate(row):
                if k:
                    emit("\t")
                start, end = emit(cell.text)
                cells.append(
                    Cell(
                        row=r,
                        col=col,
                        rowspan=min(cell.rowspan, len(item.rows) - r),
                        colspan=cell.colspan,
                        text=cell.text,
                        page=1,
                        char_start=start,
                        char_end=end,
                    )
                )
        index = len(tables)
        n_cols = max((c.col + c.colspan for c in cells), default=0)
        tables.append(
            Table(
                index=index,
                n_rows=len(item.rows),
                n_cols=n_cols,
                cells=cells,
                pages=[1],
                char_start=table_start,
                char_end=length,
            )
        )
        blocks.append(
            Block(index=len(blocks), kind="table", page=1, char_start=table_start, char_end=length, table=index)
        )
        emit("\n")
    canonical = "".join(parts)
    return Document(
        doc_id=doc_id,
        path=path,
        format="html",
        text=canonical,
        encoding=encoding,
        pages=[Page(number=1, char_start=0, char_end=len(canonical))],
        blocks=blocks,
        tables=tables,
    )


def _place(rows: list[list[_HtmlCell]]) -> list[list[tuple[int, _HtmlCell]]]:
    """Each row's cells with their grid column, skipping columns covered by rowspans above."""
    covered: set[tuple[int, int]] = set()
    placed: list[list[tuple[int, _HtmlCell]]] = []
    for r, row in enumerate(rows):
        col = 0
        out = []
        for cell in row:
            while (r, col) in covered:
                col += 1
            out.append((col, cell))
            for dr in range(min(cell.rowspan, len(rows) - r)):
                for dc in range(cell.colspan):
                    covered.add((r + dr, col + dc))
            col += cell.colspan
        placed.append(out)
    return placed
