"""Render the plain-text seed reports as real .docx, text .pdf, .xlsx and .doc files with merged cells.

For every `data/samples/*.txt` this writes `<stem>.docx` (python-docx), `<stem>.pdf` (reportlab),
`<stem>.xlsx` (openpyxl; the layout is `workbook_plan`'s) and `<stem>.doc` (the docx saved as Word
97 by LibreOffice) next to it. Tables come from `pipeline.readers.text.recover_tables`; the flattened
text has lost the form's merges, so they are restored by layout rules, not by content:

* leading empty cells of a row continue the label above them (一级/二级 labels, the vertical
  绩效指标 side label, 年度预算申请 …): a vertical merge;
* two or more empty cells ending a short row are dropped (the row's last text cell is wide);
* a row with fewer cells than the table keeps its first (label) column one column wide and shares
  the other columns among its other cells (区级预算部门名称 | <name over the rest>;
  年度总体目标 | 预期目标 | 实际完成情况, the two over half each).

Text outside tables becomes paragraphs, one per line. Cell text is kept verbatim (line breaks
included) so that extraction from docx/PDF reads the same values as from the txt.

Needs the Debian font `fonts-wqy-zenhei` for the PDF and LibreOffice for the .doc (`make fixtures`
installs both; without LibreOffice the .doc is skipped with a message). Every output is the same
bytes on every run. Run: `.venv/bin/python scripts/make_samples.py [--formats=xlsx,doc] [stem-prefix …]`.
"""

from __future__ import annotations

import datetime
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.readers import legacy
from pipeline.readers.text import recover_tables

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT = "WenQuanYiZenHei"
_BLANK = " \u3000\xa0\t"
_FIXED_TIME = datetime.datetime(2024, 1, 1)


@dataclass
class SpanCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    n_rows: int
    n_cols: int
    cells: list[SpanCell]


def segments(text: str) -> list[str | Grid]:
    """The seed's content in order: paragraph lines (str) and tables (Grid)."""
    out: list[str | Grid] = []
    pos = 0
    for table in recover_tables(text):
        out.extend(_lines(text[pos : table.char_start]))
        rows: list[list[str]] = [[] for _ in range(table.n_rows)]
        for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
            rows[cell.row].append(cell.text)
        out.append(merge_layout(rows, table.n_cols))
        pos = table.char_end or pos
    out.extend(_lines(text[pos:]))
    return out


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n\f]", text) if line.strip(_BLANK)]


def merge_layout(rows: list[list[str]], n_cols: int) -> Grid:
    """Restore the merges a flattened form lost (see the module docstring)."""
    cells: list[SpanCell] = []
    covered: dict[tuple[int, int], SpanCell] = {}
    for r, row in enumerate(rows):
        if len(row) < n_cols:
            row = _drop_trailing_empties(row)
        lead = 0
        while lead < len(row) - 1 and not row[lead].strip(_BLANK) and any(t.strip(_BLANK) for t in row[lead:]):
            lead += 1
        for c in range(lead):
            above = covered.get((r - 1, c))
            if above is not None and above.col == c and above.colspan == 1 and above.text.strip(_BLANK):
                above.rowspan += 1
                covered[(r, c)] = above
            else:
                _place(SpanCell(r, c, row[c]), cells, covered)
        if lead == 0 and len(row) > 1:  # the first column is a label column: never widened
            _place(SpanCell(r, 0, row[0]), cells, covered)
            lead = 1
        rest = row[lead:]
        base = max((n_cols - lead) // max(len(rest), 1), 1)
        col = lead
        for k, text in enumerate(rest):
            span = base if k < len(rest) - 1 else max(n_cols - col, 1)
            _place(SpanCell(r, col, text, colspan=span), cells, covered)
            col += span
    return Grid(n_rows=len(rows), n_cols=n_cols, cells=cells)


def _drop_trailing_empties(row: list[str]) -> list[str]:
    """Two or more empty cells ending a short row are the flattening of one wide cell's row."""
    end = len(row)
    while end > 1 and not row[end - 1].strip(_BLANK):
        end -= 1
    return row[:end] if len(row) - end >= 2 else row


def _place(cell: SpanCell, cells: list[SpanCell], covered: dict[tuple[int, int], SpanCell]) -> None:
    cells.append(cell)
    for c in range(cell.col, cell.col + cell.colspan):
        covered[(cell.row, c)] = cell


# --------------------------------------------------------------------------- docx


def write_docx(parts: list[str | Grid], path: Path) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10)
    for part in parts:
        if isinstance(part, str):
            document.add_paragraph(part)
            continue
        table = document.add_table(rows=part.n_rows, cols=part.n_cols)
        table.style = "Table Grid"
        for cell in part.cells:
            target = table.cell(cell.row, cell.col)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
            target.text = cell.text
    document.core_properties.created = document.core_properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_fixed_zip_times(buffer.getvalue()))


def _fixed_zip_times(data: bytes) -> bytes:
    """The same zip with fixed member timestamps and a fixed `modified` date in its core properties
    (openpyxl stamps the time of saving), so regenerating gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, _FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info)
            if info.filename == "docProps/core.xml":
                stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            dst.writestr(member, content)
    return out.getvalue()


# --------------------------------------------------------------------------- pdf


def write_pdf(parts: list[str | Grid], path: Path) -> None:
    """A landscape A4 PDF; a table taller than a page is cut into page-sized row chunks."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    rl_config.invariant = 1  # no creation date or random id: identical bytes on every run
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, FONT_FILE, subfontIndex=0))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
    page = landscape(A4)
    width, height = page[0] - 72, page[1] - 72
    story = []
    for part in parts:
        if isinstance(part, str):
            story.append(Paragraph(_markup(part), body))
            continue
        widths = _col_widths(part, width)
        measured = _rl_table(part, widths)
        measured.wrap(width, 1e6)
        for chunk, chunk_height in _chunks(part, measured._rowHeights, height * 0.9):
            # only a single row taller than a page is split inside the row
            story.append(_rl_table(chunk, widths, split_in_row=chunk_height > height * 0.9))
        story.append(Spacer(1, 8))
    doc = SimpleDocTemplate(str(path), pagesize=page, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36)
    doc.build(story)


def _rl_table(grid: Grid, widths: list[float], split_in_row: bool = False):
    """A ruled reportlab table of the grid, merged cells as SPANs, text wrapped as CJK."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    small = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")
    data: list[list[object]] = [["" for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
    style: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        # a row split across pages is closed by a rule on both pages
        ("LINEBELOW", (0, "inrowsplitstart"), (-1, "inrowsplitstart"), 0.5, colors.black),
        ("LINEABOVE", (0, "inrowsplitend"), (-1, "inrowsplitend"), 0.5, colors.black),
    ]
    for cell in grid.cells:
        data[cell.row][cell.col] = Paragraph(_markup(cell.text), small)
        if cell.rowspan > 1 or cell.colspan > 1:
            style.append(("SPAN", (cell.col, cell.row), (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)))
    return Table(data, colWidths=widths, style=TableStyle(style), splitInRow=int(split_in_row))


def _chunks(grid: Grid, row_heights: list[float], limit: float) -> list[tuple[Grid, float]]:
    """Cut the grid between rows into pieces no taller than `limit`; a cut merged cell goes on
    in the next piece as an empty cell of the same width (as word processors print it)."""
    bounds, start, used = [], 0, 0.0
    for r, h in enumerate(row_heights):
        if used + h > limit and r > start:
            bounds.append((start, r))
            start, used = r, 0.0
        used += h
    bounds.append((start, grid.n_rows))
    pieces = []
    for a, b in bounds:
        cells = []
        for cell in grid.cells:
            end = cell.row + cell.rowspan
            if a <= cell.row < b:
                cells.append(SpanCell(cell.row - a, cell.col, cell.text, min(end, b) - cell.row, cell.colspan))
            elif cell.row < a < end:
                cells.append(SpanCell(0, cell.col, "", min(end, b) - a, cell.colspan))
        pieces.append((Grid(n_rows=b - a, n_cols=grid.n_cols, cells=cells), sum(row_heights[a:b])))
    return pieces


def _markup(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.split("\n"))


def _col_widths(grid: Grid, total: float) -> list[float]:
    """Columns as wide as their longest unmerged line (capped), scaled to the page width."""
    need = [3.0] * grid.n_cols
    for cell in grid.cells:
        if cell.colspan == 1:
            longest = max((len(line.strip(_BLANK)) for line in cell.text.split("\n")), default=0)
            need[cell.col] = max(need[cell.col], min(longest, 16))
    scale = total / sum(need)
    return [w * scale for w in need]


# --------------------------------------------------------------------------- xlsx

_CAPTION_MAX = 40  # a line this short, not ending a sentence, right above a table is its caption
_MAX_CAPTION_LINES = 3
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.(\d+))?")
_PERCENT = re.compile(r"(\d+(?:\.(\d+))?)%")


@dataclass
class SheetPlan:
    """One worksheet of the workbook: lines above, an optional form grid, lines below."""

    name: str
    above: list[str]
    grid: Grid | None = None
    below: list[str] | None = None


def workbook_plan(parts: list[str | Grid]) -> list[SheetPlan]:
    """The sheets, in the report's order, as a finance office lays a report out in a workbook:

    * every table is a sheet of its own (表1, 表2 …) with its caption lines (the short lines right
      above it: 附件, the form's title, its year or unit) as merged title rows over the form, and,
      for the last table, the short lines that end the document (填表人, signatures) below it;
    * every run of narrative between tables is a text sheet (报告1, 报告2 …), one paragraph a row.
    """
    sheets: list[SheetPlan] = []
    run: list[str] = []
    n_tables = n_texts = 0

    def flush_text(lines: list[str]) -> None:
        nonlocal n_texts
        if lines:
            n_texts += 1
            sheets.append(SheetPlan(name=f"报告{n_texts}", above=lines))

    for part in parts:
        if isinstance(part, str):
            run.append(part)
            continue
        split = len(run)
        while split > 0 and len(run) - split < _MAX_CAPTION_LINES and _is_caption(run[split - 1]):
            split -= 1
        flush_text(run[:split])
        n_tables += 1
        sheets.append(SheetPlan(name=f"表{n_tables}", above=run[split:], grid=part, below=[]))
        run = []
    if run and sheets and sheets[-1].grid is not None and all(_is_caption(line) for line in run):
        sheets[-1].below = run
    else:
        flush_text(run)
    return sheets


def _is_caption(line: str) -> bool:
    return len(line) <= _CAPTION_MAX and not line.endswith(("。", "；", ";"))


def cell_value(text: str) -> tuple[str | int | float, str]:
    """A cell's value and number format: a plain number or percentage is stored as a number whose
    format displays exactly the text (2790.13 as 0.00, 95% as 0%), anything else as text."""
    from pipeline.readers.spreadsheet import display_number

    candidates: list[tuple[float, str]] = []
    if match := _NUMBER.fullmatch(text):
        decimals = len(match.group(1) or "")
        candidates.append((float(text), "0." + "0" * decimals if decimals else "0"))
    elif match := _PERCENT.fullmatch(text):
        decimals = len(match.group(2) or "")
        candidates.append((float(match.group(1)) / 100, ("0." + "0" * decimals if decimals else "0") + "%"))
    for value, number_format in candidates:
        if display_number(value, number_format) == text:
            return (int(value) if number_format == "0" else value), number_format
    return text, "General"


def write_xlsx(parts: list[str | Grid], path: Path) -> None:
    """A workbook of the report (see `workbook_plan`): merged cells as merges, numbers as numbers."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    book = openpyxl.Workbook()
    book.remove(book.active)
    thin = Side(style="thin")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    for plan in workbook_plan(parts):
        ws = book.create_sheet(plan.name)
        if plan.grid is None:  # a text sheet: one paragraph a row in a wide column A
            ws.column_dimensions["A"].width = 120
            for r, line in enumerate(plan.above, 1):
                ws.cell(r, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
            continue
        width = plan.grid.n_cols
        row = 1
        for k, line in enumerate(plan.above):
            _title_row(ws, row, width, line, Font(bold=True, size=14 if k == len(plan.above) - 1 else 11))
            row += 1
        top = row
        for cell in plan.grid.cells:
            value, number_format = cell_value(cell.text)
            target = ws.cell(top + cell.row, 1 + cell.col, value if cell.text else None)
            target.number_format = number_format
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=top + cell.row,
                    start_column=1 + cell.col,
                    end_row=top + cell.row + cell.rowspan - 1,
                    end_column=cell.col + cell.colspan,
                )
        for r in range(top, top + plan.grid.n_rows):
            for c in range(1, width + 1):
                ws.cell(r, c).border = ruled
                ws.cell(r, c).alignment = wrap
        row = top + plan.grid.n_rows
        for line in plan.below or []:
            _title_row(ws, row, width, line, Font(size=11))
            row += 1
        for c, w in enumerate(_col_widths(plan.grid, 16.0 * width), 1):
            ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = w
    book.properties.created = book.properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_fixed_zip_times(buffer.getvalue()))


def _title_row(ws, row: int, width: int, text: str, font) -> None:
    """A line over the form's full width (one merged cell), as workbooks print titles and notes."""
    from openpyxl.styles import Alignment

    cell = ws.cell(row, 1, text)
    cell.font = font
    cell.alignment = Alignment(horizontal="center" if font.b else "left", vertical="center")
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


# --------------------------------------------------------------------------- doc


def write_doc(parts: list[str | Grid], path: Path) -> None:
    """The report saved as Word 97-2003 .doc by LibreOffice from its .docx rendering (the
    conversion the reader undoes). A Word document always ends with a paragraph mark: one ending
    in a table gets an empty closing paragraph, without which LibreOffice drops that table when it
    opens the .doc again."""
    import tempfile

    if parts and isinstance(parts[-1], Grid):
        parts = [*parts, ""]
    with tempfile.TemporaryDirectory(prefix="jixiao-samples-") as tmp:
        source = Path(tmp) / "report.docx"
        write_docx(parts, source)
        path.write_bytes(legacy.convert(source.read_bytes(), suffix=".docx", target="doc"))


FORMATS = ("docx", "pdf", "xlsx", "doc")


def main(args: list[str]) -> None:
    """`[--formats=xlsx,doc] [stem-prefix …]`: the given formats (all by default) of the given seeds."""
    formats = FORMATS
    for arg in [a for a in args if a.startswith("--formats=")]:
        formats = tuple(f for f in FORMATS if f in arg.removeprefix("--formats=").split(","))
    prefixes = tuple(a for a in args if not a.startswith("--"))
    if "doc" in formats and legacy.soffice() is None:
        print(f"skipped .doc: LibreOffice is not installed ({legacy.INSTALL_HINT})")
        formats = tuple(f for f in formats if f != "doc")
    for seed in sorted(SAMPLES.glob("*.txt")):
        if prefixes and not seed.name.startswith(prefixes):
            continue
        parts = segments(seed.read_text(encoding="utf-8"))
        for fmt in formats:
            if fmt == "docx":
                write_docx(parts, seed.with_suffix(".docx"))
            elif fmt == "pdf":
                write_pdf(parts, seed.with_suffix(".pdf"))
            elif fmt == "xlsx":
                write_xlsx(parts, seed.with_suffix(".xlsx"))
            else:
                write_doc(parts, seed.with_suffix(".doc"))
        print(f"wrote {seed.stem}: {', '.join('.' + f for f in formats)}")


if __name__ == "__main__":
    main(sys.argv[1:])
