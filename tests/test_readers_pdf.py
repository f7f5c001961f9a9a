"""The text-PDF reader: ruled tables as grids with spans and pages, exact char spans, and bad
PDFs (encrypted, broken, scanned) reported with a reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pipeline.models import Document
from pipeline.readers import read_document

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SEED = SAMPLES / "003_8d36f83c1eb61d9b"


@pytest.fixture(scope="module")
def doc() -> Document:
    return read_document(SEED.with_suffix(".pdf"))


def _squash(text: str) -> str:
    return "".join(text.split()).replace("\u3000", "")


def test_form_tables_per_page_with_merges(doc: Document) -> None:
    assert (doc.status, doc.format) == ("ok", "pdf")
    assert len(doc.pages) == 3
    assert [t.pages for t in doc.tables] == [[1], [2], [3]]
    budget, indicators, rest = doc.tables
    assert budget.cell_at(2, 2).text == "4229.37" and budget.cell_at(2, 2).page == 1
    assert budget.cell_at(2, 4).text == "2481.78"
    label = budget.cell_at(4, 0)
    assert _squash(label.text) == "年度预算申请（万元）" and (label.row, label.rowspan) == (1, 7)
    assert budget.cell_at(0, 1).text == "岳阳市君山区自然资源局" and budget.cell_at(0, 1).colspan == 7
    # the indicator block continues on page 2 with the vertical side label and the 一级 label merged
    assert (indicators.n_rows, indicators.n_cols) == (20, 9)
    side = indicators.cell_at(10, 0)
    assert side.text == "绩\n效\n指\n标" and (side.row, side.rowspan, side.page) == (0, 20, 2)
    output = indicators.cell_at(5, 1)
    assert output.text == "产出指标\n(50分)" and (output.row, output.rowspan) == (1, 14)
    assert indicators.cell_at(1, 3).text == "国土空间规划编制（个）"
    assert indicators.cell_at(7, 4).text == "44.02"
    assert rest.cell_at(4, 0).text == "总分" and rest.cell_at(4, 0).page == 3


def test_spans_pages_and_narrative(doc: Document) -> None:
    for table in doc.tables:
        for cell in table.cells:
            assert doc.text[cell.char_start : cell.char_end] == cell.text
            if cell.text:  # an empty cell ending a page sits at the page's end offset
                assert doc.page_of(cell.char_start) == cell.page
            assert cell.bbox is not None
    for block in doc.blocks:
        assert doc.text[block.char_start : block.char_end].strip()
        assert doc.page_of(block.char_start) == block.page
    assert "2024年度部门整体支出绩效自评表" in doc.text
    assert doc.text.count("\f") == 2


def test_same_values_as_the_seed_text() -> None:
    """Every cell of the txt seed is one PDF cell (up to line wrapping)."""
    txt = read_document(SEED.with_suffix(".txt"))
    cells = {_squash(c.text) for t in read_document(SEED.with_suffix(".pdf")).tables for c in t.cells}
    for table in txt.tables:
        for cell in table.cells:
            assert _squash(cell.text) in cells, cell.text


def _pdf_bytes(**kwargs) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, **kwargs)
    page.drawString(72, 720, "Total 4229.37")
    page.save()
    return buffer.getvalue()


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_pdf_bytes(encrypt="secret"))
    d = read_document(path)
    assert d.status == "failed"
    assert d.error == "encrypted PDF (password required)"


def test_owner_password_only_pdf_is_read(tmp_path: Path) -> None:
    """Copy/print restrictions (owner password, empty user password) do not stop reading."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = tmp_path / "restricted.pdf"
    path.write_bytes(_pdf_bytes(encrypt=StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0)))
    d = read_document(path)
    assert (d.status, d.text) == ("ok", "Total 4229.37")


def test_broken_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(_pdf_bytes()[:300])
    d = read_document(path)
    assert d.status == "failed"
    assert d.error.startswith("broken PDF")


def test_scanned_pdf_needs_ocr(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawImage(ImageReader(Image.new("RGB", (200, 100), "white")), 72, 500, width=400, height=200)
    page.showPage()
    page.drawImage(ImageReader(Image.new("L", (100, 100), 128)), 72, 500, width=200, height=200)
    page.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    d = read_document(path)
    assert d.status == "needs_ocr"
    assert d.error == "scanned PDF: no text layer (2 pages with images)"
    assert [(p.has_text, p.image_count) for p in d.pages] == [(False, 1), (False, 1)]


def test_rotated_page_reads_as_displayed(tmp_path: Path) -> None:
    """A landscape page stored portrait with /Rotate 90: lines and table in their displayed order."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(842, 595))
    page.setPageRotation(90)  # reportlab stores the MediaBox as 595 x 842 (portrait) with /Rotate 90
    page.rotate(90)  # from here (x, -y) is the displayed position x, y from the top-left

    def at(x: float, y: float) -> tuple[float, float]:
        return x, -y

    page.drawString(*at(72, 100), "Title line 2024")
    page.drawString(*at(72, 130), "Second line")
    for y in (200, 230, 260):
        page.line(*at(72, y), *at(372, y))
    for x in (72, 222, 372):
        page.line(*at(x, 200), *at(x, 260))
    for (x, y), text in {
        (80, 220): "Budget",
        (230, 220): "4229.37",
        (80, 250): "Executed",
        (230, 250): "2481.78",
    }.items():
        page.drawString(*at(x, y), text)
    page.save()
    path = tmp_path / "rotated.pdf"
    path.write_bytes(buffer.getvalue())

    d = read_document(path)
    assert d.status == "ok"
    assert (d.pages[0].width, d.pages[0].height) == (842, 595)
    assert d.text.startswith("Title line 2024\nSecond line\n")
    table = d.tables[0]
    assert (table.n_rows, table.n_cols) == (2, 2)
    assert [[c.text for c in table.cells if c.row == r] for r in (0, 1)] == [
        ["Budget", "4229.37"],
        ["Executed", "2481.78"],
    ]
