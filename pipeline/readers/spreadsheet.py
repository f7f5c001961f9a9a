"""Spreadsheet reader (.xlsx, .xls/.et, .ods): every sheet a page, its text lines paragraphs, its form a table.

Each backend loads a workbook into `Sheet`s (name, hidden flag, the text of each non-empty cell,
the merged ranges); one layout turns them into a Document, laid out as the docx reader lays out a
report:

- a sheet is a page, opened by a line naming it (`工作表：名称`, `（隐藏）` for a hidden sheet);
- a *line* is a row whose only text is one cell in the sheet's first used column: the title
  merged across a form, 附件 2, 单位：万元, 填表人 …; the lines above the first and below the last
  other row are paragraph blocks, and a sheet of lines only (a text sheet, one paragraph a row)
  is all paragraphs;
- the rows between (the form) are one `Table` in its own coordinates: row 0 is the form's first
  row, column 0 its first column with text; a merged range is one cell with its spans; an empty
  cell inside a row's text is kept as an empty cell, as the docx reader does;
- the canonical text lays each row out on its own line, cells joined by tabs, every cell's
  `char_start/char_end` pointing at its text (rows with no text are left out of the text).
  `sheet_cells` gives the sheet and A1 cell (`cell_name`) of every piece of that text.

Values are shown as the sheet displays them: a number through its number format (`0.00` shows
43.20, `#,##0.00` 9,000.00, `0.0%` 95.6%), `General` without binary noise (0.30000000000000004
shows 0.3), a date as its format writes it out in Chinese (`2024年3月31日`) or else as ISO
`2024-03-31`, a formula as its cached result (the value the file was
saved with; a formula never calculated reads as empty).

Backends: openpyxl for .xlsx (merges, number formats, sheet state); xlrd with formatting_info for
BIFF .xls and WPS .et (merges, formats and visibility; python-calamine was measured on the real
16-sheet template: 2 ms against xlrd's 60 ms, the same merges, but it does not expose number
formats, so it cannot display 43.20); the OpenDocument XML itself for .ods (it stores each cell's
displayed text). A BIFF file xlrd cannot open is converted to .xlsx by LibreOffice when installed
(see legacy.py), then read by openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath

from lxml import etree

from pipeline.models import Block, Cell, Document, Page, Table
from pipeline.readers.errors import ReadError
from pipeline.readers.layout import TextBuilder

MAX_CELLS = 2_000_000  # text cells in one workbook; more is not a report


@dataclass
class Sheet:
    """One worksheet as loaded: displayed text by (row, col), merged ranges as (r0, c0, r1, c1) inclusive."""

    name: str
    hidden: bool = False
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def read_spreadsheet(data: bytes, doc_id: str, path: str, fmt: str) -> Document:
    """Read a workbook of kind `fmt` (xlsx, xls, ods); raise ReadError for one that cannot be opened."""
    if fmt == "xlsx":
        sheets = load_xlsx(data)
    elif fmt == "ods":
        sheets = load_ods(data)
    else:
        sheets = load_xls_or_convert(data, path)
    if sum(len(s.cells) for s in sheets) > MAX_CELLS:
        raise ReadError(f"workbook has more than {MAX_CELLS:,} filled cells: not a report")
    doc = layout(sheets, doc_id, path, fmt)
    return doc.model_copy(update={"error": MACRO_NOTE}) if has_macros(data, fmt) else doc


# A workbook's macros are never run (only the saved cell values are read); that it has them is
# said on its document row, where a person reviewing the batch sees it.
MACRO_NOTE = "contains VBA macros (not run): the cells were read as saved"
_VBA_STORAGES = {"_VBA_PROJECT_CUR", "_VBA_PROJECT"}  # Excel's VBA storage; the project stream in it


def has_macros(data: bytes, fmt: str) -> bool:
    """Whether the workbook carries a VBA project: a VBA storage in a compound file (.xls/.et), a
    `vbaProject.bin` part in an Office Open XML package (.xlsm). Found by the container's names
    only; the macro code is never read or run."""
    if fmt == "xls":
        import olefile

        try:
            with olefile.OleFileIO(io.BytesIO(data)) as ole:
                paths = ole.listdir(streams=True, storages=True)
        except Exception:  # olefile raises a variety of errors on a damaged directory
            return False
        return any(_VBA_STORAGES & set(entry) or entry[-2:] == ["VBA", "dir"] for entry in paths)
    if fmt != "xlsx":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())
    except zipfile.BadZipFile:
        return False


def cell_name(row: int, col: int) -> str:
    """The A1-style name of a 0-based sheet position: (6, 1) → B7."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


# --------------------------------------------------------------------------- displayed values


_SECTION_SPLIT = re.compile(r';(?=(?:[^"]*"[^"]*")*[^"]*$)')  # ; outside quoted text
_DIRECTIVE = re.compile(r"\[[^\]]*\]")  # [Red], [$-804], [>=100]
_PLACEHOLDERS = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?,*|\.[0#?]+,*")


def display_number(value: float, number_format: str | None) -> str:
    """A number as a cell with this Excel number format shows it (General when unknown)."""
    fmt = (number_format or "General").strip()
    if fmt.lower() in {"general", "@", ""}:
        return general(value)
    sections = _SECTION_SPLIT.split(fmt)
    section = sections[0]
    if value < 0 and len(sections) > 1:
        section, value = sections[1], -value  # the negative section prints the magnitude
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    literal, number = _parse_section(section)
    if number is None:
        return literal.replace("\0", "") if literal.strip("\0") else general(value)
    if "%" in literal:
        value *= 100
    # `_)` pads with an invisible space: the displayed text is what is seen, without it
    return literal.replace("\0", _format_placeholders(value, number), 1).strip()


def _parse_section(section: str) -> tuple[str, str | None]:
    """The section's literal text with `\\0` where the number goes, and the number's placeholders."""
    section = _DIRECTIVE.sub("", section)
    out: list[str] = []
    number = None
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            out.append(section[i + 1 : end])
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            out.append(section[i + 1])
            i += 2
        elif ch == "_" and i + 1 < len(section):
            out.append(" ")  # space as wide as the next character
            i += 2
        elif ch == "*" and i + 1 < len(section):
            i += 2  # fill character: nothing at a cell's natural width
        elif number is None and (match := _PLACEHOLDERS.match(section, i)):
            number = match.group()
            out.append("\0")
            i = match.end()
        elif ch in "Ee" and number is not None and section[i + 1 : i + 2] in ("+", "-"):
            return "", None  # scientific notation: shown as General
        else:
            out.append(ch)
            i += 1
    return "".join(out), number


def _format_placeholders(value: float, placeholders: str) -> str:
    """Format a non-negative or negative number by a run of 0 # ? , . placeholders."""
    scaling = len(placeholders) - len(placeholders.rstrip(","))
    placeholders = placeholders.rstrip(",")
    value /= 1000**scaling
    whole, _, frac = placeholders.partition(".")
    decimals = len(frac)
    min_decimals = len(frac.rstrip("#?"))
    try:
        rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return general(value)
    text = f"{abs(rounded):,.{decimals}f}" if "," in whole else f"{abs(rounded):.{decimals}f}"
    if decimals > min_decimals:
        int_part, _, frac_part = text.partition(".")
        frac_part = frac_part.rstrip("0").ljust(min_decimals, "0")
        text = f"{int_part}.{frac_part}" if frac_part else int_part
    min_int = whole.count("0")
    int_part, dot, frac_part = text.partition(".")
    if min_int == 0 and int_part == "0" and dot:
        int_part = ""  # `#.00` shows .50
    text = int_part.rjust(min_int, "0") + dot + frac_part
    return ("-" if rounded < 0 else "") + text


def general(value: float) -> str:
    """A number in the General format: integers plainly, others to 15 significant digits."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = format(Decimal(format(value, ".15g")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_DATE_TOKENS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|yyyy|yy|mm|m|dd|d|hh|h|ss|s|.', re.IGNORECASE)


def display_date(value: dt.datetime | dt.date | dt.time, number_format: str | None = None) -> str:
    """A date as its format shows it where the format is written out in Chinese (yyyy"年"m"月"d"日");
    otherwise as ISO text, a date at midnight without its time (the built-in short date formats
    print differently by locale, so ISO is the one unambiguous reading)."""
    fmt = _SECTION_SPLIT.split(number_format or "")[0]
    if isinstance(value, dt.datetime) and any(ch in fmt for ch in "年月日"):
        return _format_date(value, fmt)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat()


def _format_date(value: dt.datetime, fmt: str) -> str:
    """Render the y/m/d/h/s tokens of a date format; `m` next to `h` or `s` means minutes."""
    fields = {"yyyy": f"{value.year:04d}", "yy": f"{value.year % 100:02d}", "dd": f"{value.day:02d}"}
    fields |= {"d": str(value.day), "hh": f"{value.hour:02d}", "h": str(value.hour)}
    fields |= {"ss": f"{value.second:02d}", "s": str(value.second)}
    tokens = _DATE_TOKENS.findall(fmt)
    codes = [i for i, token in enumerate(tokens) if token.lower() in fields or token.lower() in ("m", "mm")]
    out: list[str] = []
    for i, token in enumerate(tokens):
        low = token.lower()
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif token.startswith("["):
            continue  # locale or colour directive
        elif low in ("m", "mm"):
            k = codes.index(i)
            before = tokens[codes[k - 1]].lower() if k else ""
            after = tokens[codes[k + 1]].lower() if k + 1 < len(codes) else ""
            number = value.minute if before in ("h", "hh") or after in ("s", "ss") else value.month
            out.append(f"{number:02d}" if low == "mm" else str(number))
        else:
            out.append(fields.get(low, token))
    return "".join(out)


def _clean_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- .xlsx (openpyxl)


def load_xlsx(data: bytes) -> list[Sheet]:
    """The worksheets of an .xlsx (chart sheets have no cells and are left out)."""
    import openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)  # formulas as cached values
    except Exception as exc:
        raise ReadError(f"xlsx workbook cannot be opened ({type(exc).__name__}: {exc})") from exc
    sheets = []
    for ws in book.worksheets:
        if not isinstance(ws, Worksheet):
            continue
        sheet = Sheet(name=ws.title, hidden=ws.sheet_state != "visible")
        # the sparse cell store: a sheet formatted down to row 1048576 is not walked cell by cell
        for cell in ws._cells.values():
            text = _xlsx_text(cell)
            if text:
                sheet.cells[(cell.row - 1, cell.column - 1)] = text
        for merged in ws.merged_cells.ranges:
            sheet.merges.append((merged.min_row - 1, merged.min_col - 1, merged.max_row - 1, merged.max_col - 1))
        sheets.append(sheet)
    return sheets


def _xlsx_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return display_date(value, cell.number_format)
    if isinstance(value, int | float):
        return display_number(value, cell.number_format)
    return _clean_text(str(value))


# --------------------------------------------------------------------------- .xls / .et (xlrd)


def load_xls_or_convert(data: bytes, path: str) -> list[Sheet]:
    """The sheets of a BIFF workbook by xlrd; one xlrd cannot read (a WPS .et variant, say) is saved
    as .xlsx by LibreOffice and read from that, where LibreOffice is installed."""
    from pipeline.readers import legacy

    try:
        return load_xls(data)
    except PasswordProtected:
        raise
    except ReadError as exc:
        if legacy.soffice() is None:
            raise
        suffix = PurePath(path).suffix.lower() if PurePath(path).suffix.lower() in {".xls", ".et"} else ".xls"
        try:
            converted = legacy.convert(data, suffix=suffix, target="xlsx")
        except ReadError as failed:
            raise ReadError(f"{exc}; {failed}") from failed
        return load_xlsx(converted)


class PasswordProtected(ReadError):
    """A workbook that is encrypted: no converter can read it either."""


def load_xls(data: bytes) -> list[Sheet]:
    """The worksheets of a BIFF workbook (.xls, or WPS .et)."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise PasswordProtected("password-protected Excel workbook: remove the password and save it again") from exc
        raise ReadError(f"xls workbook cannot be opened ({exc})") from exc
    except Exception as exc:
        raise ReadError(f"xls workbook cannot be opened ({type(exc).__name__}: {exc})") from exc
    formats = {key: fmt.format_str for key, fmt in book.format_map.items()}
    sheets = []
    for index in range(book.nsheets):
        ws = book.sheet_by_index(index)
        sheet = Sheet(name=ws.name, hidden=ws.visibility != 0)
        for r in range(ws.nrows):
            for c in range(ws.row_len(r)):
                text = _xls_text(book, ws.cell(r, c), formats)
                if text:
                    sheet.cells[(r, c)] = text
        sheet.merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells]
        sheets.append(sheet)
        book.unload_sheet(index)
    return sheets


def _xls_text(book, cell, formats: dict[int, str]) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return _clean_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
            number_format = formats.get(xf.format_key) if xf else None
            return display_date(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), number_format)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return general(cell.value)
    xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
    return display_number(cell.value, formats.get(xf.format_key) if xf else None)


# --------------------------------------------------------------------------- .ods (OpenDocument XML)

_OD = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}


def _od(prefix: str, name: str) -> str:
    return f"{{{_OD[prefix]}}}{name}"


_ROW, _CELL, _COVERED = _od("table", "table-row"), _od("table", "table-cell"), _od("table", "covered-table-cell")


def load_ods(data: bytes) -> list[Sheet]:
    """The sheets of an OpenDocument spreadsheet; each cell's text is what it displays."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            content = archive.read("content.xml")
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise ReadError(f"ods spreadsheet cannot be opened ({type(exc).__name__}: {exc})") from exc
    hidden_styles = {
        style.get(_od("style", "name"))
        for style in root.iter(_od("style", "style"))
        if any(p.get(_od("table", "display")) == "false" for p in style.iter(_od("style", "table-properties")))
    }
    sheets = []
    for table in root.iter(_od("table", "table")):
        sheet = Sheet(
            name=table.get(_od("table", "name"), ""), hidden=table.get(_od("table", "style-name")) in hidden_styles
        )
        _ods_rows(table, sheet)
        sheets.append(sheet)
    return sheets


def _ods_rows(table: etree._Element, sheet: Sheet) -> None:
    """Fill the sheet's cells and merges from its rows (header rows and row groups included)."""
    r = 0
    for row in table.iter(_ROW):
        repeat = int(row.get(_od("table", "number-rows-repeated"), "1"))
        cells = _ods_row_cells(row, r, sheet)
        if cells:
            for k in range(min(repeat, 1000)):  # a repeated row with text: each copy is shown
                for c, text in cells:
                    sheet.cells[(r + k, c)] = text
                    if len(sheet.cells) > MAX_CELLS:
                        raise ReadError(f"workbook has more than {MAX_CELLS:,} filled cells: not a report")
        r += repeat


def _ods_row_cells(row: etree._Element, r: int, sheet: Sheet) -> list[tuple[int, str]]:
    """The (col, text) of a row's filled cells; its merges are added to the sheet."""
    out = []
    c = 0
    for cell in row:
        if cell.tag not in (_CELL, _COVERED):
            continue
        repeat = int(cell.get(_od("table", "number-columns-repeated"), "1"))
        text = _ods_cell_text(cell) if cell.tag == _CELL else ""
        if cell.get(_od("office", "value-type"), "string") != "string":
            text = text.strip()  # a number's format pads it with spaces (`_)`), as in xlsx
        rows = int(cell.get(_od("table", "number-rows-spanned"), "1"))
        cols = int(cell.get(_od("table", "number-columns-spanned"), "1"))
        if rows > 1 or cols > 1:
            sheet.merges.append((r, c, r + rows - 1, c + cols - 1))
        if text:
            out.extend((c + k, text) for k in range(min(repeat, 1000)))
        c += repeat
    return out


def _ods_cell_text(cell: etree._Element) -> str:
    """A cell's paragraphs joined by newlines (text:s spaces, text:tab, text:line-break kept)."""
    lines = []
    for p in cell.iterchildren(_od("text", "p")):
        parts: list[str] = []
        _od_inline(p, parts)
        lines.append("".join(parts))
    return "\n".join(lines)


def _od_inline(node: etree._Element, parts: list[str]) -> None:
    if node.text:
        parts.append(node.text)
    for child in node:
        if child.tag == _od("text", "s"):
            parts.append(" " * int(child.get(_od("text", "c"), "1")))
        elif child.tag == _od("text", "tab"):
            parts.append("\t")
        elif child.tag == _od("text", "line-break"):
            parts.append("\n")
        elif child.tag != _od("office", "annotation"):
            _od_inline(child, parts)
        if child.tail:
            parts.append(child.tail)


# --------------------------------------------------------------------------- layout


def layout(sheets: list[Sheet], doc_id: str, path: str, fmt: str) -> Document:
    """The Document of a workbook: one page per sheet, its text lines paragraphs, its form a table."""
    builder = _Builder()
    for number, sheet in enumerate(sheets, 1):
        builder.sheet(sheet, number)
    return Document(
        doc_id=doc_id,
        path=path,
        format=fmt,
        text=builder.text(),
        pages=builder.pages,
        blocks=builder.blocks,
        tables=builder.tables,
    )


@dataclass(frozen=True)
class SheetCell:
    """Where a piece of the Document's text was read: `char_start:char_end` is the text of `sheet!cell`."""

    char_start: int
    char_end: int
    sheet: str
    cell: str  # A1-style, e.g. B7


def sheet_cells(data: bytes, path: str, fmt: str) -> list[SheetCell]:
    """The sheet and cell of every text cell of the workbook's Document, in text order (the same
    layout `read_spreadsheet` makes; for provenance shown to a person, e.g. the review page)."""
    sheets = load_xlsx(data) if fmt == "xlsx" else load_ods(data) if fmt == "ods" else load_xls_or_convert(data, path)
    builder = _Builder()
    for number, sheet in enumerate(sheets, 1):
        builder.sheet(sheet, number)
    return builder.origins


@dataclass(kw_only=True)
class _Builder(TextBuilder):
    """Lays sheets out one after another: a page each, a heading line, its text lines and its form."""

    pages: list[Page] = field(default_factory=list)
    origins: list[SheetCell] = field(default_factory=list)

    def sheet(self, sheet: Sheet, page: int) -> None:
        start = self.length
        self.line(f"工作表：{sheet.name}" + ("（隐藏）" if sheet.hidden else ""), page)
        if sheet.cells:
            anchors, covered = _merged(sheet.merges, *_used_size(sheet))
            top, form, bottom = _split_lines(sheet, covered)
            for position in top:
                self.line(sheet.cells[position], page, sheet.name, position)
            if form:
                self.grid(sheet, page, form, anchors, covered)
            for position in bottom:
                self.line(sheet.cells[position], page, sheet.name, position)
        self.pages.append(Page(number=page, char_start=start, char_end=self.length))

    def line(self, text: str, page: int, sheet: str = "", position: tuple[int, int] | None = None) -> None:
        """One line of text outside the form as a paragraph block (`position`: its sheet cell)."""
        start, end = self._emit(text)
        self._emit("\n")
        if position is not None:
            self.origins.append(SheetCell(start, end, sheet, cell_name(*position)))
        if end > start:
            self.blocks.append(
                Block(index=len(self.blocks), kind="paragraph", page=page, char_start=start, char_end=end)
            )

    def grid(
        self,
        sheet: Sheet,
        page: int,
        rows: list[int],
        anchors: dict[tuple[int, int], tuple[int, int]],
        covered: set[tuple[int, int]],
    ) -> None:
        """The form's rows as one table in its own coordinates: row 0 is its first row, column 0 its
        first column with text (the sheet cell of each is recorded in `origins`)."""
        top, bottom = rows[0], rows[-1]
        in_form = [(r, c) for r, c in sheet.cells if top <= r <= bottom and (r, c) not in covered]
        left = min(c for _, c in in_form)
        n_cols = _used_size(sheet)[1] - left
        last_in_row: dict[int, int] = {}  # the last column with text, per row
        for r, c in in_form:
            last_in_row[r] = max(last_in_row.get(r, -1), c)
        index = len(self.tables)
        table_start = self.length
        cells: list[Cell] = []
        for r in sorted(last_in_row):
            separator = ""  # cells of a row are joined by tabs; a covered position has no cell
            for c in range(left, last_in_row[r] + 1):
                if (r, c) in covered:
                    continue
                self._emit(separator)
                separator = "\t"
                text = sheet.cells.get((r, c), "")
                start, end = self._emit(text)
                self.origins.append(SheetCell(start, end, sheet.name, cell_name(r, c)))
                rowspan, colspan = anchors.get((r, c), (1, 1))
                cells.append(
                    Cell(
                        row=r - top,
                        col=c - left,
                        rowspan=min(rowspan, bottom + 1 - r),
                        colspan=colspan,
                        text=text,
                        page=page,
                        char_start=start,
                        char_end=end,
                    )
                )
            self._emit("\n")
        end = self.length - 1
        self.tables.append(
            Table(
                index=index,
                n_rows=bottom + 1 - top,
                n_cols=n_cols,
                cells=cells,
                pages=[page],
                char_start=table_start,
                char_end=end,
            )
        )
        self.blocks.append(
            Block(index=len(self.blocks), kind="table", page=page, char_start=table_start, char_end=end, table=index)
        )


def _used_size(sheet: Sheet) -> tuple[int, int]:
    """Rows and columns of the used range (A1 to the last cell with text)."""
    return max(r for r, _ in sheet.cells) + 1, max(c for _, c in sheet.cells) + 1


def _split_lines(
    sheet: Sheet, covered: set[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[int], list[tuple[int, int]]]:
    """The sheet's text rows split into lines above the form, the form's rows, and lines below it.

    A line is a row whose only text is one cell in the first used column (a title merged across
    the form, 附件 2, 单位：万元, 填表人 …, or a paragraph of a text sheet); the lines before the
    first and after the last other row are text, the rows between them the form (a line inside
    the form stays a form row). A sheet of lines only has no form. Lines are returned as their cell
    positions, form rows as row numbers."""
    first_col = min(c for _, c in sheet.cells)
    by_row: dict[int, list[int]] = {}
    for r, c in sheet.cells:
        if (r, c) not in covered:
            by_row.setdefault(r, []).append(c)
    rows = sorted(by_row)
    form = [r for r in rows if by_row[r] != [first_col]]
    if not form:
        return [(r, first_col) for r in rows], [], []
    top = [(r, first_col) for r in rows if r < form[0]]
    bottom = [(r, first_col) for r in rows if r > form[-1]]
    return top, [r for r in rows if form[0] <= r <= form[-1]], bottom


def _merged(
    merges: list[tuple[int, int, int, int]], n_rows: int, n_cols: int
) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """Merged ranges clipped to the used range: anchor → (rowspan, colspan), and the covered positions."""
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in merges:
        if r0 >= n_rows or c0 >= n_cols:
            continue  # a merge of empty cells beyond the text
        r1, c1 = min(r1, n_rows - 1), min(c1, n_cols - 1)
        anchors[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
    return anchors, covered
