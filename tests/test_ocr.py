"""OCR reader: ruling-line grids from page images, page layout into a Document, the OCR rule, and one
real OCR run over the form page of seed 003's scan (the full scanned documents run with JIXIAO_SLOW_TESTS=1)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from pipeline.models import Amount, Facts, Number, Provenance
from pipeline.readers.grid import deskew, find_tables
from pipeline.readers.ocr import CellItem, PageLayout, TableItem, TextItem, assemble, chinese_punctuation

ROOT = Path(__file__).resolve().parent.parent
SCANS = ROOT / "data" / "samples" / "scans"
SEED_003 = SCANS / "003_8d36f83c1eb61d9b.pdf"

slow = pytest.mark.skipif(not os.environ.get("JIXIAO_SLOW_TESTS"), reason="full-document OCR: set JIXIAO_SLOW_TESTS=1")


# --------------------------------------------------------------------------- grid detection


def _ruled_form(angle: float) -> np.ndarray:
    """A 4×3 ruled table: the top row is one merged cell, column 0 of rows 1–2 is merged too."""
    image = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(image)
    xs, ys = [100, 400, 700, 1100], [100, 200, 300, 400, 500]
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=3)
    draw.rectangle([xs[0] + 3, ys[0] + 3, xs[-1] - 3, ys[1] - 3], fill=255)  # erase: merged header
    draw.rectangle([xs[0] + 3, ys[2] - 3, xs[1] - 3, ys[2] + 3], fill=255)
    draw.rectangle([xs[0] + 3, ys[3] - 3, xs[1] - 3, ys[3] + 3], fill=255)  # rows 1–3 of column 0
    for x in xs[1:-1]:
        draw.line([(x, ys[0] + 4), (x, ys[1] - 4)], fill=255, width=5)
    rotated = image.rotate(angle, fillcolor=255)
    noise = np.random.default_rng(1).normal(0, 6, (900, 1200))
    return np.clip(np.asarray(rotated, dtype=float) + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("angle", [0.0, 1.2, -1.5])
def test_grid_with_spans_survives_skew(angle: float) -> None:
    straight = deskew(_ruled_form(angle))
    assert abs(straight.angle + angle) < 0.2
    [table] = find_tables(straight.image)
    assert (table.n_rows, table.n_cols) == (4, 3)
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in table.cells}
    assert spans[(0, 0)] == (1, 3)
    assert spans[(1, 0)] == (3, 1)
    assert spans[(1, 1)] == spans[(3, 2)] == (1, 1)
    assert len(table.cells) == 1 + 1 + 3 * 2


def test_open_table_at_page_break() -> None:
    image = Image.new("L", (800, 600), 255)
    draw = ImageDraw.Draw(image)
    for y in (100, 200, 300):
        draw.line([(100, y), (700, y)], fill=0, width=3)
    for x in (100, 400, 700):
        draw.line([(x, 100), (x, 380)], fill=0, width=3)  # columns run on: the row continues overleaf
    [table] = find_tables(np.asarray(image))
    assert table.open_bottom and not table.open_top
    assert table.n_rows == 3


def test_table_without_side_borders() -> None:
    image = Image.new("L", (800, 600), 255)
    draw = ImageDraw.Draw(image)
    for y in (100, 200, 300):
        draw.line([(100, y), (700, y)], fill=0, width=3)
    for x in (300, 500):
        draw.line([(x, 100), (x, 300)], fill=0, width=3)  # inner column lines only
    [table] = find_tables(np.asarray(image))
    assert (table.n_rows, table.n_cols) == (2, 3)
    assert abs(table.xs[0] - 100) <= 6 and abs(table.xs[-1] - 700) <= 6


# --------------------------------------------------------------------------- layout


def test_chinese_punctuation() -> None:
    assert chinese_punctuation("土地出让(宗)") == "土地出让（宗）"
    assert chinese_punctuation("守住耕地红线(亩）") == "守住耕地红线（亩）"
    assert chinese_punctuation("(1) 逐步推进") == "（1） 逐步推进"
    assert chinese_punctuation('“科长跑"代替"群众跑”') == "“科长跑”代替“群众跑”"
    assert chinese_punctuation("改革,工业项目") == "改革,工业项目"  # both widths are printed: left as read
    assert chinese_punctuation("2,995.39 (a)") == "2,995.39 (a)"


def _cell(text: str, row: int, col: int, rowspan: int = 1, colspan: int = 1) -> CellItem:
    return CellItem(text, (0.0, 0.0, 1.0, 1.0), 0.99 if text else None, row, col, rowspan, colspan)


def test_table_continued_over_page_break_is_one_table() -> None:
    """Page 1 ends with an open table; page 2 starts with its continuation, whose first row is
    the rest of page 1's last row (split by the page break) and which has one more column line."""
    part1 = TableItem(
        n_rows=2,
        n_cols=2,
        cells=[_cell("一级指标", 0, 0), _cell("分值", 0, 1), _cell("产出", 1, 0), _cell("", 1, 1)],
        xs=[10.0, 60.0, 110.0],
        open_top=False,
        open_bottom=True,
    )
    part2 = TableItem(
        n_rows=2,
        n_cols=3,
        cells=[_cell("指标", 0, 0, rowspan=2), _cell("5", 0, 1), _cell("", 0, 2), _cell("4", 1, 1), _cell("x", 1, 2)],
        xs=[10.5, 60.4, 90.0, 110.2],
        open_top=True,
        open_bottom=False,
    )
    pages = [
        PageLayout(1, 200, 100, [(5.0, TextItem("附件2", (0, 0, 5, 5), 0.9)), (10.0, part1)]),
        PageLayout(2, 200, 100, [(10.0, part2), (90.0, TextItem("完", (0, 90, 5, 95), 0.9))]),
    ]
    doc = assemble(pages, "d", "scan.pdf", "pdf")
    [table] = doc.tables
    assert (table.n_rows, table.n_cols, table.pages) == (3, 3, [1, 2])
    grid = {(c.row, c.col): c for c in table.cells}
    assert grid[(1, 0)].text == "产出指标" and grid[(1, 0)].rowspan == 2
    assert grid[(0, 1)].colspan == 2  # 分值 spans the column line page 2 adds
    assert grid[(1, 1)].text == "5" and grid[(1, 1)].page == 2
    assert grid[(2, 1)].text == "4"
    for cell in table.cells:
        assert doc.text[cell.char_start : cell.char_end] == cell.text
    assert doc.text.startswith("附件2\n一级指标\t分值\n产出指标\t5\t")
    assert [(p.number, doc.text[p.char_start : p.char_end].splitlines()[-1]) for p in doc.pages][-1] == (2, "完")


# --------------------------------------------------------------------------- the OCR rule


def test_low_ocr_confidence_flags_numbers_only() -> None:
    from validate import validate

    def amount(key: str, raw: str, value: float, confidence: float) -> Amount:
        prov = Provenance(doc_id="d", method="table", raw=raw, page=1, confidence=confidence)
        return Amount(key=key, number=Number(value=value, decimals=2), prov=prov)

    facts = Facts(
        doc_id="d",
        amounts=[amount("executed", "2481.78", 2481.78, 0.42), amount("initial_budget", "4229.37", 4229.37, 0.99)],
    )
    findings = [f for f in validate(facts) if f.rule == "low_ocr_confidence"]
    assert len(findings) == 1
    assert findings[0].values == [2481.78] and findings[0].severity == "warning"


def test_a_scan_without_the_ocr_engine_stays_needs_ocr_and_says_what_is_missing(monkeypatch) -> None:
    """Without OpenVINO (the engine running the OCR text detector) a scan is not read: it stays
    `needs_ocr` and its error names the package to install."""
    import importlib.util

    from pipeline.models import Document
    from pipeline.readers import ocr

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "openvino" else real_find_spec(name))
    pending = Document(doc_id="x", path="scan.pdf", format="pdf", status="needs_ocr", error="no text layer")
    doc = ocr.ocr_if_needed(pending, b"%PDF-1.4")
    assert doc.status == "needs_ocr"
    assert doc.error == "no text layer; OCR not installed (openvino)"


# --------------------------------------------------------------------------- real OCR


@pytest.fixture(scope="module")
def form_page(tmp_path_factory: pytest.TempPathFactory):
    """The form page of seed 003's scanned fixture saved as a PNG and read like any input file."""
    import pypdfium2 as pdfium

    from pipeline.readers import read_document

    path = tmp_path_factory.mktemp("scan") / "form_page.png"
    pdfium.PdfDocument(SEED_003)[0].render(scale=200 / 72, grayscale=True).to_pil().save(path)
    return read_document(path)


def test_scanned_form_page_reads_grid_and_numbers(form_page) -> None:
    doc = form_page
    assert (doc.status, doc.format) == ("ok", "image")
    table = doc.tables[0]
    assert table.n_cols == 8 and table.n_rows >= 10
    cells = {c.text: c for c in table.cells}
    for value in ("4229.37", "2481.78", "95.60%"):
        cell = cells[value]
        assert doc.text[cell.char_start : cell.char_end] == value
        assert cell.page == 1 and cell.confidence is not None and cell.confidence > 0.9
        x0, y0, x1, y1 = cell.bbox
        assert 0 < x0 < x1 < doc.pages[0].width and 0 < y0 < y1 < doc.pages[0].height
    header = {c.col: c.text for c in table.cells if c.row == cells["4229.37"].row - 1}
    assert header[cells["4229.37"].col] == "年初预算数"
    assert header[cells["95.60%"].col] == "执行率"
    assert "岳阳市君山区自然资源局" in cells


@slow
def test_scanned_seed_003_gives_gold_amounts_and_indicators() -> None:
    from pipeline.evaluate import score_fields
    from pipeline.goldjson import to_gold_json
    from pipeline.run import process

    gold = json.loads((ROOT / "tests" / "gold" / f"{SEED_003.stem}.json").read_text(encoding="utf-8"))
    result = process(SEED_003)
    assert result.doc.status == "ok"
    counts = score_fields(gold, to_gold_json(SEED_003.name, result.facts, result.findings))
    assert counts["amounts"].as_dict()["f1"] >= 0.95
    assert counts["indicators"].as_dict()["f1"] >= 0.9


def test_wrapped_lines_join_but_items_and_sentences_break() -> None:
    from pipeline.readers.ocr import Word, _join_lines

    def line(text: str, x1: float, y: float) -> list[Word]:
        return [Word(text, 0.99, (0.0, y, x1, y + 20.0))]

    right = 1000.0
    lines = [
        line("其中：基本支出2048.73万元，项目支出", 900.0, 0.0),  # a long number pushed to the next line
        line("16678.30万元。", 300.0, 30.0),
        line("（2）完成信访工作。", 400.0, 60.0),
        line("持续优化营商环境", 995.0, 90.0),
        line("(宗)", 60.0, 120.0),
    ]
    assert (
        _join_lines(lines, right)
        == "其中：基本支出2048.73万元，项目支出16678.30万元。\n（2）完成信访工作。\n持续优化营商环境（宗）"
    )
