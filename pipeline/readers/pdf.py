"""PDF reader: text-layer PDFs into one canonical text with ruled tables as cell grids.

pypdfium2 reads everything from the file: it tells a broken or password-protected PDF apart, gives
each page's characters with their boxes, its images (a page with images and no text is a scan: a
PDF of such pages only is reported as `needs_ocr`; among text pages, one is left empty, with
`has_text` false, for `mixed.py` to read by OCR), and its drawn paths. The straight, axis-parallel segments of those
paths are a table's rules; pdfplumber's table geometry (snap and join the edges, find their
intersections, the rectangles they close, and group those into tables) turns them into cells.

A table's grid comes from the geometry of its cells: every distinct cell top is a row, every
distinct cell left edge a column, and a cell covering several of them is one merged `Cell` with
rowspan/colspan. A table continuing on the next page is a separate `Table` on that page.

Text lines, outside tables and in each cell, are built from the characters by vertical overlap, so
a run on a shifted baseline (a Latin year in a CJK title) stays on its line; a gap of a third of a
character, or spaces in the text, become one space.

Canonical text: the pages joined by form feeds; on a page, text lines and tables in top-to-bottom
order, a line per line and a table as its rows on separate lines with the cells of a row joined by
tabs (a merged cell once, at its first row). Cells keep their page, bbox and exact char span.
Coordinates are PDF points from the top-left corner of the page as displayed (its /Rotate applied),
so a landscape table on a rotated page reads in its printed order.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.models import Block, Cell, Document, Page, Table
from pipeline.readers.errors import ReadError
from pipeline.readers.layout import TextBuilder

_EPS = 0.5  # points: tolerance when matching cell edges
_TOLERANCE = 3.0  # points: snap/join/intersection tolerance for table rules (pdfplumber's default)
_MIN_EDGE = 3.0  # points: shorter rule pieces are ignored

_SPACES = (" ", "\u3000", "\xa0")
BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


def read_pdf(data: bytes, doc_id: str, path: str) -> Document:
    """Read a PDF; raise ReadError for an encrypted or broken file."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError("encrypted PDF (password required)") from exc
        raise ReadError(f"broken PDF: {exc}") from exc
    try:
        if len(pdf) == 0:
            raise ReadError("PDF has no pages")
        pages = [_read_page(pdf[index], index + 1) for index in range(len(pdf))]
    finally:
        pdf.close()
    if not any(p.chars for p in pages):
        scanned = sum(1 for p in pages if p.images)
        if not scanned:
            raise ReadError(f"PDF has no text layer and no images ({len(pages)} empty pages)")
        return Document(
            doc_id=doc_id,
            path=path,
            format="pdf",
            status="needs_ocr",
            error=f"scanned PDF: no text layer ({scanned} pages with images)",
            pages=[p.model(0, 0) for p in pages],
        )
    builder = _Builder()
    for page in pages:
        builder.page(page)
    return Document(
        doc_id=doc_id,
        path=path,
        format="pdf",
        text=builder.text(),
        pages=builder.pages,
        blocks=builder.blocks,
        tables=builder.tables,
    )


# --------------------------------------------------------------------------- page content


@dataclass
class _Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def middle(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


@dataclass
class _PageContent:
    number: int
    width: float
    height: float
    chars: list[_Char]
    edges: list[dict]
    images: int

    def model(self, start: int, end: int) -> Page:
        return Page(
            number=self.number,
            char_start=start,
            char_end=end,
            width=self.width,
            height=self.height,
            has_text=bool(self.chars),
            image_count=self.images,
        )


def _read_page(page, number: int) -> _PageContent:
    import pypdfium2.raw as pdfium_c

    to_display, width, height = _display_transform(page)
    textpage = page.get_textpage()
    chars = []
    high = 0  # a UTF-16 high surrogate waiting for its pair
    for i in range(textpage.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(textpage, i) == 1:
            continue
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if 0xD800 <= code < 0xDC00:
            high = code
            continue
        if 0xDC00 <= code < 0xE000:
            code, high = (0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00) if high else 0), 0
        text = chr(code) if 0 < code < 0x110000 else ""
        if not text.strip() and text not in _SPACES:
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        (x0, y0), (x1, y1) = to_display(left, bottom), to_display(right, top)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        chars.append(_Char(text, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), size))
    textpage.close()
    edges: list[dict] = []
    images = 0
    for index in range(pdfium_c.FPDFPage_CountObjects(page)):
        images += _collect(pdfium_c.FPDFPage_GetObject(page, index), (1, 0, 0, 1, 0, 0), to_display, edges)
    page.close()
    return _PageContent(number, width, height, chars, edges, images)


def _display_transform(page) -> tuple[Callable[[float, float], tuple[float, float]], float, float]:
    """Map PDF user space to the page as displayed (its /Rotate applied, origin top-left)."""
    left, bottom, right, top = page.get_cropbox()
    rotation = page.get_rotation() % 360
    transforms = {
        0: lambda x, y: (x - left, top - y),
        90: lambda x, y: (y - bottom, x - left),
        180: lambda x, y: (right - x, y - bottom),
        270: lambda x, y: (top - y, right - x),
    }
    width, height = right - left, top - bottom
    if rotation in (90, 270):
        width, height = height, width
    return transforms.get(rotation, transforms[0]), width, height


def _collect(obj, parent: tuple[float, ...], to_display: Callable, edges: list[dict]) -> int:
    """Add a page object's rules to `edges` (recursing into forms); return its image count."""
    import pypdfium2.raw as pdfium_c

    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return 1
    if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
        return 0
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return 0
    matrix = _compose((m.a, m.b, m.c, m.d, m.e, m.f), parent)
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
        count = pdfium_c.FPDFFormObj_CountObjects(obj)
        return sum(_collect(pdfium_c.FPDFFormObj_GetObject(obj, i), matrix, to_display, edges) for i in range(count))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) and (fill.value or stroke.value):
        edges.extend(_path_edges(obj, matrix, to_display))
    return 0


def _compose(m: tuple[float, ...], parent: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix of `m` applied inside `parent` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    pa, pb, pc, pd, pe, pf = parent
    return (
        a * pa + b * pc,
        a * pb + b * pd,
        c * pa + d * pc,
        c * pb + d * pd,
        e * pa + f * pc + pe,
        e * pb + f * pd + pf,
    )


def _path_edges(obj, matrix: tuple[float, ...], to_display: Callable) -> list[dict]:
    """The horizontal and vertical straight segments of a path, in top-left coordinates."""
    import pypdfium2.raw as pdfium_c

    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    edges: list[dict] = []
    start = current = None
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = to_display(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            _add_edge(current, point, edges)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        current = point
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            _add_edge(current, start, edges)
            current = start
    return edges


def _add_edge(p: tuple[float, float], q: tuple[float, float], edges: list[dict]) -> None:
    (x0, y0), (x1, y1) = sorted((p, q))
    if abs(y1 - y0) < 0.1 and x1 - x0 >= 1:
        edges.append({"orientation": "h", "x0": x0, "x1": x1, "top": y0, "bottom": y0, "width": x1 - x0, "height": 0})
    elif abs(x1 - x0) < 0.1 and abs(y1 - y0) >= 1:
        top, bottom = min(y0, y1), max(y0, y1)
        edges.append(
            {"orientation": "v", "x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0, "height": bottom - top}
        )


# --------------------------------------------------------------------------- tables


def _find_tables(edges: list[dict]) -> list[list[BBox]]:
    """Cell rectangles of each ruled table, from the page's rules (pdfplumber's geometry)."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    if not edges:
        return []
    merged = merge_edges(edges, _TOLERANCE, _TOLERANCE, _TOLERANCE, _TOLERANCE)
    merged = [e for e in merged if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["height"]) >= _MIN_EDGE]
    cells = intersections_to_cells(edges_to_intersections(merged, _TOLERANCE, _TOLERANCE))
    return [list(group) for group in cells_to_tables(cells) if group]


def _bbox(cells: list[BBox]) -> BBox:
    return (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))


@dataclass
class _GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: BBox
    chars: list[_Char] = field(default_factory=list)


def _grid(cells: list[BBox]) -> tuple[int, int, list[_GridCell], list[float], list[float]]:
    """Rows from distinct cell tops, columns from distinct cell left edges; spans from extents."""
    tops = sorted({c[1] for c in cells})
    lefts = sorted({c[0] for c in cells})
    placed = []
    for x0, top, x1, bottom in cells:
        rowspan = sum(1 for t in tops if top <= t < bottom - _EPS)
        colspan = sum(1 for x in lefts if x0 <= x < x1 - _EPS)
        placed.append(
            _GridCell(tops.index(top), lefts.index(x0), max(rowspan, 1), max(colspan, 1), (x0, top, x1, bottom))
        )
    placed.sort(key=lambda g: (g.row, g.col))
    return len(tops), len(lefts), placed, tops, lefts


def _inside(char: _Char, box: BBox) -> bool:
    x, y = char.middle
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _text_lines(chars: list[_Char]) -> list[tuple[float, str]]:
    """Lines of text (top, text): grouped by vertical overlap, ordered left to right."""
    lines: list[list[_Char]] = []
    band = (0.0, -1.0)
    for char in sorted(chars, key=lambda c: c.middle[1]):
        if lines and band[0] <= char.middle[1] <= band[1]:
            lines[-1].append(char)
        elif char.text not in _SPACES:  # a space never starts a line
            lines.append([char])
            band = (char.top, char.bottom)
    out = []
    for line in lines:
        line.sort(key=lambda c: c.x0)
        parts: list[str] = []
        previous = None
        space = False
        for char in line:
            if char.text in _SPACES:
                space = True
                continue
            if previous is not None:
                if char.text == previous.text and abs(char.x0 - previous.x0) < 1:
                    continue  # the same glyph printed twice (fake bold)
                if space or char.x0 - previous.x1 > max(char.size, 3) / 3:
                    parts.append(" ")
            parts.append(char.text)
            previous, space = char, False
        out.append((min(c.top for c in line), "".join(parts)))
    return out


# --------------------------------------------------------------------------- canonical text


@dataclass(kw_only=True)
class _Builder(TextBuilder):
    """Accumulates canonical text, pages, blocks and tables page by page."""

    pages: list[Page] = field(default_factory=list)

    def page(self, page: _PageContent) -> None:
        if self.pages:
            self._emit("\f")
        page_start = self.length
        found = _find_tables(page.edges) if page.chars else []
        boxes = [_bbox(cells) for cells in found]
        in_table: list[list[_Char]] = [[] for _ in found]
        outside: list[_Char] = []
        for char in page.chars:
            k = next((k for k, box in enumerate(boxes) if _inside(char, box)), None)
            (outside if k is None else in_table[k]).append(char)
        items: list[tuple[float, int, object]] = [(top, -1, text) for top, text in _text_lines(outside)]
        items += [(boxes[k][1], k, found[k]) for k in range(len(found))]
        for n, (_, k, item) in enumerate(sorted(items, key=lambda it: (it[0], it[1]))):
            if n:
                self._emit("\n")
            if k < 0:
                start, end = self._emit(item)
                self.blocks.append(
                    Block(index=len(self.blocks), kind="paragraph", page=page.number, char_start=start, char_end=end)
                )
            else:
                self._table(item, in_table[k], page.number)
        self.pages.append(page.model(page_start, self.length))

    def _table(self, cells: list[BBox], chars: list[_Char], number: int) -> None:
        n_rows, n_cols, placed, tops, lefts = _grid(cells)
        at: dict[tuple[int, int], _GridCell] = {}
        for g in placed:
            for r in range(g.row, g.row + g.rowspan):
                for c in range(g.col, g.col + g.colspan):
                    at[(r, c)] = g
        for char in chars:
            x, y = char.middle
            g = at.get((bisect_right(tops, y) - 1, bisect_right(lefts, x) - 1))
            if g is not None and _inside(char, g.bbox):
                g.chars.append(char)
        index = len(self.tables)
        table_start = self.length
        out: list[Cell] = []
        for g in placed:
            if out and g.row != out[-1].row:
                self._emit("\n")
            elif out:
                self._emit("\t")
            text = "\n".join(line for _, line in _text_lines(g.chars))
            start, end = self._emit(text)
            out.append(
                Cell(
                    row=g.row,
                    col=g.col,
                    rowspan=g.rowspan,
                    colspan=g.colspan,
                    text=text,
                    page=number,
                    char_start=start,
                    char_end=end,
                    bbox=g.bbox,
                )
            )
        self.tables.append(
            Table(
                index=index,
                n_rows=n_rows,
                n_cols=n_cols,
                cells=out,
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
