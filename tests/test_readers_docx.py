"""The .docx reader: merged cells as spans, exact char spans, narrative kept, bad files explained."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.models import Document
from pipeline.readers import read_document

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SEED = SAMPLES / "003_8d36f83c1eb61d9b"


@pytest.fixture(scope="module")
def doc() -> Document:
    return read_document(SEED.with_suffix(".docx"))


def assert_spans_exact(d: Document) -> None:
    for table in d.tables:
        for cell in table.cells:
            assert d.text[cell.char_start : cell.char_end] == cell.text
    for block in d.blocks:
        assert 0 <= block.char_start < block.char_end <= len(d.text)
        if block.kind == "paragraph":
            assert d.text[block.char_start : block.char_end].strip()


def test_form_table_grid_with_merges(doc: Document) -> None:
    assert (doc.status, doc.format) == ("ok", "docx")
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert (table.n_rows, table.n_cols) == (35, 9)
    assert table.cell_at(2, 2).text == "4229.37"
    assert table.cell_at(2, 4).text == "2481.78"
    name = table.cell_at(0, 1)
    assert name.text == "岳阳市君山区自然资源局\u3000" and name.colspan == 8
    budget = table.cell_at(5, 0)
    assert budget.text == "年度预\n算申请\n（万元）" and (budget.row, budget.rowspan) == (1, 7)
    side = table.cell_at(20, 0)
    assert side.text == "绩\n效\n指\n标" and (side.row, side.rowspan) == (10, 24)
    output = table.cell_at(15, 1)
    assert output.text.startswith("产出指标") and (output.row, output.rowspan) == (11, 14)
    assert table.cell_at(12, 2).text == "数量指标" and table.cell_at(12, 2).rowspan == 6
    assert table.cell_at(4, 5).text == "[bookmark: _GoBack]其中：基本支出：1641.76"
    assert table.cell_at(34, 0).text == "总分"
    # a merged cell appears once in the cell list
    assert sum(1 for c in table.cells if c.text == "绩\n效\n指\n标") == 1


def test_spans_and_blocks_are_exact(doc: Document) -> None:
    assert_spans_exact(doc)
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["paragraph", "paragraph", "table"]
    assert doc.text[doc.blocks[1].char_start : doc.blocks[1].char_end] == "2024年度部门整体支出绩效自评表"


def test_same_content_as_the_seed_text() -> None:
    """Every cell and narrative line of the txt seed is found verbatim in the docx rendering."""
    for seed in sorted(SAMPLES.glob("*.txt")):
        txt = read_document(seed)
        rendered = read_document(seed.with_suffix(".docx"))
        assert rendered.status == "ok"
        assert_spans_exact(rendered)
        cells = {c.text for t in rendered.tables for c in t.cells}
        for table in txt.tables:
            for cell in table.cells:
                if cell.text.strip(" \u3000\xa0\t"):
                    assert cell.text.strip("\n") in cells, (seed.name, cell.text)
        for block in txt.blocks:
            if block.kind == "paragraph":
                assert txt.text[block.char_start : block.char_end].strip() in rendered.text


def test_handmade_merges_nested_table_and_page_break(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("第一页")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "一级"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "跨两列"
    table.cell(1, 1).text = "1.5"
    inner = table.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "甲"
    inner.cell(0, 1).text = "乙"
    document.add_page_break()
    document.add_paragraph("第二页")
    path = tmp_path / "form.docx"
    document.save(path)

    d = read_document(path)
    assert d.status == "ok"
    assert_spans_exact(d)
    t = d.tables[0]
    assert (t.n_rows, t.n_cols) == (3, 3)
    first = t.cell_at(2, 0)
    assert (first.text, first.row, first.rowspan) == ("一级", 0, 3)
    assert (t.cell_at(0, 2).text, t.cell_at(0, 2).colspan) == ("跨两列", 2)
    assert t.cell_at(1, 1).text == "1.5"
    assert "甲 乙" in t.cell_at(2, 2).text
    assert len(d.pages) == 2
    last = d.blocks[-1]
    assert d.text[last.char_start : last.char_end] == "第二页" and last.page == 2
    assert d.blocks[0].page == 1


def test_corrupt_zip_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    d = read_document(path)
    assert d.status == "failed"
    assert "zip is corrupt" in d.error


def test_zip_without_word_document(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    d = read_document(path)
    assert d.status == "failed"
    assert "no word/document.xml" in d.error


def test_text_box_read_once(tmp_path: Path) -> None:
    """Word stores a text box twice (mc:Choice and a legacy mc:Fallback): its text appears once."""
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph("正文")
    box = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><w:txbxContent>"
        "<w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    paragraph._p.append(parse_xml(box))
    path = tmp_path / "box.docx"
    document.save(path)
    d = read_document(path)
    assert d.text == "正文框内文字\n"


def test_pages_from_word_rendered_breaks(tmp_path: Path) -> None:
    """Word's saved layout marks where pages start: in a table row and at a paragraph's start."""
    from docx.oxml import OxmlElement

    def mark(run) -> None:
        run._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))

    document = docx.Document()
    document.add_paragraph("第一页正文")
    table = document.add_table(rows=3, cols=2)
    for r in range(3):
        for c in range(2):
            table.cell(r, c).text = f"{r}{c}"
    mark(table.cell(2, 0).paragraphs[0].runs[0])
    mark(document.add_paragraph().add_run("第三页正文"))
    document.add_page_break()  # an explicit break is ignored when Word's rendered marks are present
    path = tmp_path / "rendered.docx"
    document.save(path)

    d = read_document(path)
    assert len(d.pages) == 3
    t = d.tables[0]
    assert t.pages == [1, 2]
    assert [t.cell_at(r, 0).page for r in range(3)] == [1, 1, 2]
    assert [(d.text[b.char_start : b.char_end], b.page) for b in d.blocks if b.kind == "paragraph"] == [
        ("第一页正文", 1),
        ("第三页正文", 3),
    ]
    for page in d.pages:
        assert 0 <= page.char_start <= page.char_end <= len(d.text)
