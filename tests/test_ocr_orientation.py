"""OCR of pages as they come off a scanner: a table printed across the sheet (the page turned a
quarter) is read upright, and text under a red seal keeps its characters.

The pages are drawn here with a Chinese font (fonts-wqy-zenhei; skipped without it) and read
like any input image, so each OCR test costs one page (two for the turned one: it is read again
upright).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from pipeline.readers.grid import drop_seals

FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
needs_font = pytest.mark.skipif(not FONT_FILE.is_file(), reason="fonts-wqy-zenhei is not installed")

ROWS = [
    ("项目内容", "支出功能科目", "金额"),
    ("城市宣传推广项目", "2070113旅游宣传", "12.3456"),
    ("宣传项目招标代理费", "2070113旅游宣传", "0.4321"),
    ("合计", "", "12.7777"),
]


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILE), size)


def _landscape_table() -> Image.Image:
    """A landscape page: a title and a ruled 4×3 table of project amounts."""
    image = Image.new("L", (1400, 900), 255)
    draw = ImageDraw.Draw(image)
    draw.text((400, 80), "2025年项目资金安排表", font=_font(44), fill=0)
    xs, ys = [100, 600, 1000, 1300], [220, 320, 420, 520, 620]
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=3)
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            draw.text((xs[c] + 20, ys[r] + 32), text, font=_font(34), fill=0)
    return image


def _read(image: Image.Image, path: Path):
    from pipeline.readers import read_document

    image.save(path)
    return read_document(path)


@needs_font
def test_page_turned_a_quarter_is_read_upright(tmp_path: Path) -> None:
    """Printed across a portrait sheet (text running bottom to top), the table is read as rows."""
    doc = _read(_landscape_table().rotate(90, expand=True), tmp_path / "turned.png")
    assert doc.status == "ok"
    page = doc.pages[0]
    assert page.width > page.height  # boxes are in the upright (landscape) page's coordinates
    assert "2025年项目资金安排表" in doc.text
    [table] = doc.tables
    rows = {}
    for cell in table.cells:
        rows.setdefault(cell.row, []).append(cell.text)
        assert doc.text[cell.char_start : cell.char_end] == cell.text
    assert [rows[r] for r in sorted(rows)][1:3] == [list(ROWS[1]), list(ROWS[2])]
    amounts = {cell.text: cell for cell in table.cells if cell.col == 2}
    assert {"12.3456", "0.4321", "12.7777"} <= set(amounts)
    x0, y0, x1, y1 = amounts["0.4321"].bbox
    assert 1000 < x0 < x1 < 1300 and 420 < y0 < y1 < 520  # where it is printed on the upright page


def _stamp(image: Image.Image, centre: tuple[int, int], radius: int, label: str = "") -> Image.Image:
    """`image` in colour with a red seal (a ring, a star, the seal's `label` in red) over it."""
    seal = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    cx, cy = centre
    red = (225, 40, 45)
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=red, width=14)
    draw.regular_polygon((cx, cy, radius // 4), 5, fill=red)
    if label:
        draw.text((cx - radius * 0.6, cy - radius * 0.65), label, font=_font(radius // 3), fill=red)
    return ImageChops.multiply(image.convert("RGB"), seal)  # ink over ink: black print stays black


def _text_page() -> Image.Image:
    image = Image.new("L", (1200, 700), 255)
    draw = ImageDraw.Draw(image)
    draw.text((150, 60), "财政局文件", font=_font(90), fill=0)
    for k, line in enumerate(["项目资金下达单位：文旅广电局", "本年度项目资金合计：35.678万元", "请及时拨付资金。"]):
        draw.text((150, 250 + 90 * k), line, font=_font(44), fill=0)
    return image


def test_red_seal_is_read_out_and_black_print_kept() -> None:
    page = Image.new("L", (1200, 700), 255)
    ImageDraw.Draw(page).rectangle([300, 346, 900, 354], fill=0)  # a black rule across the seal
    rgb = np.asarray(_stamp(page, (600, 350), 160))
    title = Image.fromarray(rgb.copy())
    ImageDraw.Draw(title).rectangle([100, 40, 1100, 110], fill=(220, 30, 30))  # a wide red title line
    gray = drop_seals(np.asarray(title))
    assert gray[197, 600] > 200 and gray[503, 600] > 200 and gray[320, 600] > 200  # ring and star are gone
    assert gray[350, 320] < 80 and gray[350, 600] < 120  # the rule stays dark, under the star too
    assert gray[75, 600] < 150  # red print that is no seal stays ink


@needs_font
def test_text_under_a_red_seal_is_read(tmp_path: Path) -> None:
    doc = _read(_stamp(_text_page(), (620, 380), 170, "专用章"), tmp_path / "sealed.png")
    assert doc.status == "ok"
    assert "本年度项目资金合计：35.678万元" in doc.text
    assert "项目资金下达单位：文旅广电局" in doc.text


@needs_font
def test_turn_is_measured_upside_down_and_upright() -> None:
    """The same lines read as printed, upside down and sideways: only the misprinted ones turn."""
    from pipeline.readers.ocr import make_engine, read_words, upright_turns

    engine = make_engine(threads=2)
    gray = np.asarray(_text_page().crop((100, 200, 1100, 560)))
    turns = {}
    for k in (0, 2, 3):
        image = np.ascontiguousarray(np.rot90(gray, k))
        turns[k] = upright_turns(engine, image, read_words(engine, image))
    assert turns == {0: 0, 2: 2, 3: 1}
