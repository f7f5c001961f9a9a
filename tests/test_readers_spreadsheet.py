"""The spreadsheet reader (.xlsx, .xls/.et, .ods): sheets as pages, used ranges as grids with merges,
numbers as displayed, formulas as cached values, hidden sheets noted, exact char spans.

The workbooks are made in the tests with openpyxl, or are the committed fixtures of
tests/fixtures/spreadsheets (made from one openpyxl workbook by LibreOffice: see its script).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from make_bad_inputs import make_xls_with_macro, make_xlsm

from extract import extract_facts
from pipeline.models import Document, Facts
from pipeline.readers import legacy, read_document, sniff_format, spreadsheet
from pipeline.readers.errors import ReadError
from pipeline.readers.spreadsheet import (
    cell_name,
    display_date,
    display_number,
    general,
    read_spreadsheet,
    sheet_cells,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "spreadsheets"
SAMPLES = ROOT / "data" / "samples"


def workbook_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_cached_value(data: bytes, sheet_xml: str, cell: str, value: str) -> bytes:
    """The xlsx with `value` stored as the cached result of the formula in `cell` (what Excel saves;
    openpyxl writes formulas without one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == sheet_xml:
                xml = content.decode()
                xml = re.sub(rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(?:</v>)?', rf"\1\2<v>{value}</v>", xml)
                assert f"<v>{value}</v>" in xml
                content = xml.encode()
            dst.writestr(item, content)
    return out.getvalue()


def assert_spans_exact(doc: Document) -> None:
    for table in doc.tables:
        for cell in table.cells:
            assert doc.text[cell.char_start : cell.char_end] == cell.text
            assert doc.page_of(cell.char_start or 0) == cell.page or cell.text == ""
    for block in doc.blocks:
        assert 0 <= block.char_start < block.char_end <= len(doc.text)


def paragraphs(doc: Document) -> list[str]:
    return [doc.text[b.char_start : b.char_end] for b in doc.blocks if b.kind == "paragraph"]


def sheet_cells_of(path: Path) -> list:
    return sheet_cells(path.read_bytes(), str(path), path.suffix.lstrip("."))


# --------------------------------------------------------------------------- displayed numbers


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (43.2000001, "0.00", "43.20"),
        (9000, "#,##0.00_);[Red](#,##0.00)", "9,000.00"),
        (-9000, "#,##0.00_);[Red](#,##0.00)", "(9,000.00)"),
        (0.956, "0.00%", "95.60%"),
        (0.956, "0%", "96%"),
        (2.675, "0.00", "2.68"),
        (1234.5, '0.0"万元"', "1234.5万元"),
        (3, "0.0#", "3.0"),
        (3.14159, "0.0#", "3.14"),
        (0.3, "General", "0.3"),
        (412752.0, "General", "412752"),
        (0.1 + 0.2, "General", "0.3"),
        (1e-05, "General", "0.00001"),
        (7, "@", "7"),
        (1.5e20, "0.00E+00", general(1.5e20)),
    ],
)
def test_numbers_are_shown_as_their_format_displays_them(value: float, number_format: str, shown: str) -> None:
    assert display_number(value, number_format) == shown


@pytest.mark.parametrize(
    ("number_format", "shown"),
    [
        ('yyyy"年"m"月"d"日"', "2024年3月31日"),
        ("[$-804]yyyy年m月d日", "2024年3月31日"),
        ("yyyy年mm月dd日 hh:mm", "2024年03月31日 09:05"),
        ("mm-dd-yy", "2024-03-31 09:05:07"),  # a locale-dependent built-in: ISO
    ],
)
def test_dates_written_out_in_chinese_are_shown_as_formatted(number_format: str, shown: str) -> None:
    assert display_date(dt.datetime(2024, 3, 31, 9, 5, 7), number_format) == shown


def test_cell_names() -> None:
    assert [cell_name(6, 1), cell_name(0, 0), cell_name(9, 26), cell_name(0, 701)] == ["B7", "A1", "AA10", "ZZ1"]


# --------------------------------------------------------------------------- the three backends


@pytest.mark.parametrize("name", ["form.xlsx", "form.xls", "form.ods"])
def test_fixture_workbook_grid_merges_and_text(name: str) -> None:
    doc = read_document(FIXTURES / name)
    fmt = name.split(".")[1]
    assert (doc.status, doc.format) == ("ok", fmt), doc.error
    assert [p.number for p in doc.pages] == [1, 2]
    assert len(doc.tables) == 1  # the title row above the form and the notes sheet are text lines
    form = doc.tables[0]
    assert (form.n_rows, form.n_cols, form.pages) == (6, 6, [1])
    assert "项目支出绩效自评表" in paragraphs(doc) and "内部备注" in paragraphs(doc)
    assert form.cell_at(0, 4).text == "农村公路养护项目" and form.cell_at(0, 1).colspan == 5
    side = form.cell_at(5, 0)
    assert (side.text, side.row, side.rowspan) == ("产出指标", 4, 2)
    assert form.cell_at(5, 1).text == "质量指标"
    row = [form.cell_at(2, c).text for c in range(6)]
    expected_d4 = "" if fmt == "xlsx" else "8604.00"  # openpyxl stores no result; LibreOffice calculated it
    assert row == ["年度资金总额", "43.20", "9,000.00", expected_d4, "95.60%", "2024-03-31"]
    assert form.cell_at(3, 1).text == "0.3"
    origins = {(o.sheet, o.cell): doc.text[o.char_start : o.char_end] for o in sheet_cells_of(FIXTURES / name)}
    assert origins[("自评表", "A1")] == "项目支出绩效自评表" and origins[("自评表", "B7")] == "质量指标"
    assert origins[("自评表", "B4")] == "43.20" and origins[("备注", "A1")] == "内部备注"
    assert "年度资金总额\t43.20\t9,000.00\t" in doc.text
    assert doc.text.startswith("工作表：自评表\n项目支出绩效自评表\n项目名称\t农村公路养护项目\n")
    assert "工作表：备注（隐藏）\n内部备注\n" in doc.text
    assert doc.page_of(doc.text.index("内部备注")) == 2
    assert sum(1 for c in form.cells if c.text == "产出指标") == 1
    assert_spans_exact(doc)


def test_xlsx_formula_reads_its_cached_value() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws["A1"], ws["B1"] = 21.6, "=A1*2"
    ws["B1"].number_format = "0.00"
    data = with_cached_value(workbook_bytes(book), "xl/worksheets/sheet1.xml", "B1", "43.2000001")
    doc = read_spreadsheet(data, "id", "f.xlsx", "xlsx")
    assert doc.tables[0].cell_at(0, 1).text == "43.20"


def test_sheets_are_pages_and_empty_sheets_keep_their_page() -> None:
    book = openpyxl.Workbook()
    book.active.title = "一"
    book["一"]["C3"] = "右下"
    book.create_sheet("空")
    book.create_sheet("三")["A1"] = "三的内容"
    doc = read_spreadsheet(workbook_bytes(book), "id", "f.xlsx", "xlsx")
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.tables == []  # a sheet of single cells is text
    assert doc.text == "工作表：一\n右下\n工作表：空\n工作表：三\n三的内容\n"
    assert [doc.page_of(doc.text.index(t)) for t in ("右下", "三的内容")] == [1, 3]
    origins = sheet_cells(workbook_bytes(book), "f.xlsx", "xlsx")
    assert [(o.sheet, o.cell, doc.text[o.char_start : o.char_end]) for o in origins] == [
        ("一", "C3", "右下"),
        ("三", "A1", "三的内容"),
    ]
    assert_spans_exact(doc)


def test_title_and_note_rows_are_text_and_the_form_a_table_in_its_own_coordinates() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws["B2"] = "部门整体支出绩效自评表"
    ws.merge_cells("B2:D2")
    ws["B3"], ws["C3"], ws["D3"] = "项目", "全年预算数", "全年执行数"
    ws["B4"], ws["C4"], ws["D4"] = "年度资金总额", 120, 114.72
    ws["B5"], ws["C5"] = "其中：财政拨款", 100
    ws["B7"] = "填表人：张三"
    doc = read_spreadsheet(workbook_bytes(book), "id", "f.xlsx", "xlsx")
    assert doc.text == (
        "工作表：Sheet\n部门整体支出绩效自评表\n项目\t全年预算数\t全年执行数\n年度资金总额\t120\t114.72\n"
        "其中：财政拨款\t100\n填表人：张三\n"
    )
    assert paragraphs(doc) == ["工作表：Sheet", "部门整体支出绩效自评表", "填表人：张三"]
    [form] = doc.tables
    assert (form.n_rows, form.n_cols) == (3, 3)
    assert form.cell_at(1, 2).text == "114.72" and form.cell_at(2, 2) is None
    origins = {o.cell: doc.text[o.char_start : o.char_end] for o in sheet_cells(workbook_bytes(book), "f", "xlsx")}
    assert origins == {
        "B2": "部门整体支出绩效自评表",
        "B3": "项目",
        "C3": "全年预算数",
        "D3": "全年执行数",
        "B4": "年度资金总额",
        "C4": "120",
        "D4": "114.72",
        "B5": "其中：财政拨款",
        "C5": "100",
        "B7": "填表人：张三",
    }


def test_sniffing_tells_the_zip_and_ole_kinds_apart() -> None:
    kinds = {
        name: sniff_format((FIXTURES / name).read_bytes(), ".bin") for name in ("form.xlsx", "form.xls", "form.ods")
    }
    assert kinds == {"form.xlsx": "xlsx", "form.xls": "xls", "form.ods": "ods"}
    assert sniff_format((SAMPLES / "003_8d36f83c1eb61d9b.docx").read_bytes(), ".xlsx") == "docx"


def test_a_sheet_formatted_to_the_last_row_is_read_sparsely() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws["A1"], ws["B1"] = "标题", "值"
    ws.cell(1048576, 16384).number_format = "0.00"  # formatted, empty
    doc = read_spreadsheet(workbook_bytes(book), "id", "f.xlsx", "xlsx")
    assert (doc.tables[0].n_rows, doc.tables[0].n_cols) == (1, 2)


# --------------------------------------------------------------------------- same facts as the docx


def _as_xlsx(doc: Document) -> bytes:
    """A docx form as a spreadsheet: the lines above the table, then its grid with the same merges."""
    book = openpyxl.Workbook()
    ws = book.active
    table = doc.tables[0]
    heading = [b for b in doc.blocks if b.kind == "paragraph" and b.char_start < (table.char_start or 0)]
    for r, block in enumerate(heading, 1):
        ws.cell(r, 1, doc.text[block.char_start : block.char_end])
    top = len(heading) + 1
    for cell in table.cells:
        ws.cell(top + cell.row, cell.col + 1, cell.text)
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=top + cell.row,
                start_column=cell.col + 1,
                end_row=top + cell.row + cell.rowspan - 1,
                end_column=cell.col + cell.colspan,
            )
    return workbook_bytes(book)


def _values(facts: Facts) -> set[tuple]:
    def v(number):
        return None if number is None else number.value

    out: set[tuple] = {("meta", facts.department, facts.year)}
    out |= {("amount", a.key, v(a.number), a.primary) for a in facts.amounts}
    out |= {
        ("indicator", i.level1, i.level2, i.level3, i.target, i.actual, v(i.weight), v(i.score))
        for i in facts.indicators
    }
    out |= {("section", s.level1, s.level2, v(s.weight), v(s.score)) for s in facts.sections}
    out |= {("project", p.name, v(p.budget), v(p.executed), v(p.score)) for p in facts.projects}
    out |= {("line", li.parent, li.name, v(li.number)) for li in facts.line_items}
    if facts.total_score is not None:
        out.add(("total", v(facts.total_score.number)))
    return out


@pytest.mark.parametrize("seed", ["003_8d36f83c1eb61d9b", "004_48477aa04392dd68"])
def test_a_form_saved_as_xlsx_gives_the_facts_the_docx_gives(seed: str) -> None:
    docx_doc = read_document(SAMPLES / f"{seed}.docx")
    xlsx_doc = read_spreadsheet(_as_xlsx(docx_doc), "id", f"{seed}.xlsx", "xlsx")
    from_docx, from_xlsx = _values(extract_facts(docx_doc)), _values(extract_facts(xlsx_doc))
    assert len(from_docx) > 20
    assert from_xlsx == from_docx
    for amount in extract_facts(xlsx_doc).amounts:  # provenance: sheet page and cell
        assert amount.prov.page == 1
        if amount.prov.row is not None:
            cell = xlsx_doc.tables[0].cell_at(amount.prov.row, amount.prov.col)
            assert amount.prov.raw in cell.text or cell.text in amount.prov.raw


def test_a_wps_et_workbook_is_read_as_biff(tmp_path: Path) -> None:
    source = tmp_path / "绩效目标.et"
    source.write_bytes((FIXTURES / "form.xls").read_bytes())
    doc = read_document(source)
    assert (doc.status, doc.format) == ("ok", "xls"), doc.error
    assert "年度资金总额\t43.20\t9,000.00\t8604.00\t95.60%" in doc.text


@pytest.mark.skipif(legacy.soffice() is None, reason="LibreOffice is not installed (`make office`)")
def test_a_biff_file_xlrd_cannot_open_is_converted_by_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes) -> list:
        raise ReadError("xls workbook cannot be opened (unsupported BIFF variant)")

    monkeypatch.setattr(spreadsheet, "load_xls", refuse)
    doc = read_document(FIXTURES / "form.xls")
    assert (doc.status, doc.format) == ("ok", "xls"), doc.error
    assert doc.tables[0].cell_at(2, 1).text == "43.20" and doc.tables[0].cell_at(5, 0).rowspan == 2


def test_without_libreoffice_an_unreadable_biff_file_fails_with_xlrds_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes) -> list:
        raise ReadError("xls workbook cannot be opened (unsupported BIFF variant)")

    monkeypatch.setattr(spreadsheet, "load_xls", refuse)
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    doc = read_document(FIXTURES / "form.xls")
    assert (doc.status, doc.error) == ("failed", "xls workbook cannot be opened (unsupported BIFF variant)")


def test_a_workbook_with_a_vba_project_is_read_and_noted() -> None:
    """An .xls with a `_VBA_PROJECT_CUR` storage beside its Workbook stream, and an .xlsm with
    `xl/vbaProject.bin`: the cells are read as saved, the document says it has macros."""
    plain = read_document(FIXTURES / "form.xls")
    xls = spreadsheet.read_spreadsheet(make_xls_with_macro(), "x", "macro.xls", "xls")
    assert (xls.text, xls.tables) == (plain.text, plain.tables)
    assert xls.error == spreadsheet.MACRO_NOTE and plain.error is None
    xlsm = spreadsheet.read_spreadsheet(make_xlsm("项目名称\t农村公路养护项目\t\n"), "y", "macro.xlsm", "xlsx")
    assert "农村公路养护项目" in xlsm.text and xlsm.error == spreadsheet.MACRO_NOTE
    assert sniff_format(make_xlsm("a"), ".bin") == "xlsx"
