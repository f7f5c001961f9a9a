"""PDF reader: text-layer PDFs into one canonical text with ruled tables as cell grids.

pypdfium2 opens the file first: it tells a broken or password-protected PDF apart and counts each
page's text characters and images, so a scan (no text, only images) is reported as `needs_ocr`
without further work. pdfplumber then finds the ruled tables of each text page
(`page.find_tables()`, line strategy); text lines, outside tables and in each cell, are built from
the characters by vertical overlap, so a run on a shifted baseline (a Latin year in a CJK title)
stays on its line.

A table's grid comes from the geometry of its cells: every distinct cell top is a row, every
distinct cell left edge a column, and a cell covering several of them is one merged `Cell` with
rowspan/colspan. A table continuing on the next page is a separate `Table` on that page.

Canonical text: the pages joined by form feeds; on a page, text lines and tables in top-to-bottom
order, a line per line and a table as its rows on separate lines with the cells of a row joined by
tabs (a merged cell once, at its first row). Cells keep their page, bbox and exact char span.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pipeline.models import Block, Cell, Document, Page, Table
from pipeline.readers.errors import ReadError

_EPS = 0.5  # points: tolerance when matching cell edges


def read_pdf(data: bytes, doc_id: str, path: str) -> Document:
    """Read a PDF; raise ReadError for an encrypted or broken file."""
    pages = _survey(data)
    if not any(p.has_text for p in pages):
        images = sum(1 for p in pages if p.image_count)
        if not images:
            raise ReadError(f"PDF has no text layer and no images ({len(pages)} empty pages)")
        return Document(
            doc_id=doc_id,
            path=path,
            format="pdf",
            status="needs_ocr",
            error=f"scanned PDF: no text layer ({images} pages with images)",
            pages=pages,
        )
    builder = _Builder()
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, (plumber_page, survey) in enumerate(zip(pdf.pages, pages, strict=True), start=1):
                builder.page(plumber_page, survey, number)
    except Exception as exc:
        raise ReadError(f"broken PDF: text cannot be read ({type(exc).__name__}: {exc})") from exc
    return Document(
        doc_id=doc_id,
        path=path,
        format="pdf",
        text=builder.text(),
        pages=builder.pages,
        blocks=builder.blocks,
        tables=builder.tables,
    )


def _survey(data: bytes) -> list[Page]:
    """Per page: size, whether it has text, how many images (char spans are filled in later)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError("encrypted PDF (password required)") from exc
        raise ReadError(f"broken PDF: {exc}") from exc
    try:
        if len(pdf) == 0:
            raise ReadError("PDF has no pages")
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            has_text = bool(textpage.get_text_range().strip())
            images = sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
            width, height = page.get_size()
            pages.append(
                Page(
                    number=index + 1,
                    char_start=0,
                    char_end=0,
                    width=width,
                    height=height,
                    has_text=has_text,
                    image_count=images,
                )
            )
            textpage.close()
            page.close()
        return pages
    finally:
        pdf.close()


def _cell_grid(table) -> tuple[int, int, list[tuple[int, int, int, int, tuple[float, float, float, float]]]]:
    """(n_rows, n_cols, [(row, col, rowspan, colspan, bbox)]) from a pdfplumber table's cells."""
    tops = sorted({c[1] for c in table.cells})
    lefts = sorted({c[0] for c in table.cells})
    placed = []
    for x0, top, x1, bottom in table.cells:
        row, col = tops.index(top), lefts.index(x0)
        rowspan = sum(1 for t in tops if top <= t < bottom - _EPS)
        colspan = sum(1 for x in lefts if x0 <= x < x1 - _EPS)
        placed.append((row, col, max(rowspan, 1), max(colspan, 1), (x0, top, x1, bottom)))
    return len(tops), len(lefts), sorted(placed)


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x < x1 and top <= y < bottom for x0, top, x1, bottom in boxes)


def _text_lines(chars: list[dict]) -> list[tuple[float, str]]:
    """Group characters into lines by vertical overlap (a Latin run on a shifted baseline stays
    on its line), order each line left to right, a space where the gap is a third of a character."""
    lines: list[list[dict]] = []
    band = (0.0, -1.0)
    for char in sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2):
        middle = (char["top"] + char["bottom"]) / 2
        if lines and band[0] <= middle <= band[1]:
            lines[-1].append(char)
        else:
            lines.append([char])
            band = (char["top"], char["bottom"])
    out = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        previous = None
        for char in line:
            if previous is not None:
                if char["text"] == previous["text"] and abs(char["x0"] - previous["x0"]) < 1:
                    continue  # the same glyph printed twice (fake bold)
                if char["x0"] - previous["x1"] > max(char.get("size") or 0, 3) / 3:
                    parts.append(" ")
            parts.append(char["text"])
            previous = char
        text = "".join(parts).strip()
        if text:
            out.append((min(c["top"] for c in line), text))
    return out


@dataclass
class _Builder:
    """Accumulates canonical text, pages, blocks and tables page by page."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    pages: list[Page] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def _emit(self, text: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)

    def page(self, page, survey: Page, number: int) -> None:
        if self.pages:
            self._emit("\f")
        page_start = self.length
        found = page.find_tables() if survey.has_text else []
        boxes = [t.bbox for t in found]
        outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
        items: list[tuple[float, int, object]] = [(top, 0, text) for top, text in _text_lines(outside.chars)]
        items += [(t.bbox[1], 1, t) for t in found]
        first = True
        for _, kind, item in sorted(items, key=lambda it: (it[0], it[1])):
            if not first:
                self._emit("\n")
            first = False
            if kind == 0:
                start, end = self._emit(item)
                self.blocks.append(
                    Block(index=len(self.blocks), kind="paragraph", page=number, char_start=start, char_end=end)
                )
            else:
                self._table(item, page.chars, number)
        self.pages.append(survey.model_copy(update={"char_start": page_start, "char_end": self.length}))

    def _table(self, found, chars: list[dict], number: int) -> None:
        n_rows, n_cols, placed = _cell_grid(found)
        chars = [c for c in chars if _inside(c, [found.bbox])]
        index = len(self.tables)
        table_start = self.length
        cells: list[Cell] = []
        for r in range(n_rows):
            if r:
                self._emit("\n")
            row_cells = [p for p in placed if p[0] == r]
            for k, (row, col, rowspan, colspan, bbox) in enumerate(row_cells):
                if k:
                    self._emit("\t")
                text = "\n".join(line for _, line in _text_lines([c for c in chars if _inside(c, [bbox])]))
                start, end = self._emit(text)
                cells.append(
                    Cell(
                        row=row,
                        col=col,
                        rowspan=rowspan,
                        colspan=colspan,
                        text=text,
                        page=number,
                        char_start=start,
                        char_end=end,
                        bbox=bbox,
                    )
                )
        self.tables.append(
            Table(
                index=index,
                n_rows=n_rows,
                n_cols=n_cols,
                cells=cells,
                pages=[number],
                char_start=table_start,
                char_end=self.length,
            )
        )
        self.blocks.append(
            Block(
                index=len(self.blocks),
                kind="table",
                page=number,
                char_start=table_start,
                char_end=self.length,
                table=index,
            )
        )
