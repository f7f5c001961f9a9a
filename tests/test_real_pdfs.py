"""Real born-digital 部门决算 PDFs (tests/fixtures/real-pdfs): they ingest cleanly and their ruled
tables come out as grids with merged header cells, numbers in the right cells and right pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.models import Document
from pipeline.readers import read_document

REAL = Path(__file__).resolve().parent / "fixtures" / "real-pdfs"
PAGES = {"putuo_czj_2024_juesuan": 25, "putuo_ghzy_2024_juesuan": 30, "putuo_shgzb_2024_juesuan": 24}


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {stem: read_document(REAL / f"{stem}.pdf") for stem in PAGES}


def test_all_ingest_with_tables_and_exact_spans(docs: dict[str, Document]) -> None:
    for stem, doc in docs.items():
        assert (doc.status, doc.error) == ("ok", None), stem
        assert len(doc.pages) == PAGES[stem]
        assert len(doc.tables) >= 10, stem
        assert sum(1 for b in doc.blocks if b.kind == "paragraph") >= 150, stem
        for table in doc.tables:
            assert table.n_rows >= 2 and table.n_cols >= 2
            for cell in table.cells:
                assert doc.text[cell.char_start : cell.char_end] == cell.text
                assert cell.page == table.pages[0]
                if cell.text:
                    assert doc.page_of(cell.char_start) == cell.page


def test_income_expenditure_summary_table(docs: dict[str, Document]) -> None:
    """收入支出决算总表: 收入/支出 headers over two columns each, amounts beside their items."""
    for stem, income, general in (
        ("putuo_czj_2024_juesuan", "2,940.05", "2,106.66"),
        ("putuo_shgzb_2024_juesuan", "307.82", "264.87"),
    ):
        doc = docs[stem]
        table = next(t for t in doc.tables if t.cells[0].text == "收入")
        assert (table.cell_at(0, 0).colspan, table.cell_at(0, 2).text, table.cell_at(0, 2).colspan) == (2, "支出", 2)
        assert [c.text for c in table.cells if c.row == 1] == ["项目", "决算数", "项目", "决算数"]
        assert table.cell_at(2, 0).text == "一、一般公共预算财政拨款收入"
        assert table.cell_at(2, 1).text == income
        assert table.cell_at(2, 2).text == "一、一般公共服务支出"
        assert table.cell_at(2, 3).text == general


def test_income_table_headers_split_over_lines(docs: dict[str, Document]) -> None:
    """收入决算表 (czj, page 8): a three-row header with vertical and horizontal merges."""
    doc = docs["putuo_czj_2024_juesuan"]
    table = next(t for t in doc.tables if t.pages == [8])
    assert (table.n_rows, table.n_cols) == (18, 11)
    head = table.cell_at(0, 0)
    assert (head.text, head.colspan) == ("项目", 4)
    total = table.cell_at(2, 4)
    assert (total.text, total.row, total.rowspan) == ("本年收入合\n计", 0, 3)
    assert table.cell_at(1, 0).text == "支出功能分类" and table.cell_at(1, 0).colspan == 3
    assert [c.text for c in table.cells if c.row == 3][:6] == ["类", "款", "项", "合计", "2,946.25", "2,940.05"]
    assert table.cell_at(3, 10).text == "6.20"
    assert all(c.page == 8 for c in table.cells)
    assert "上海市普陀区财政局2024年度部门决算表" in doc.text
