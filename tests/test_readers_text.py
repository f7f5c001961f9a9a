"""The text reader: decoding, flattened-table recovery into grids, exact character spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.readers import read_document
from pipeline.readers.text import decode_text, recover_tables

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def rows_of(table) -> dict[int, list[str]]:
    rows: dict[int, list[str]] = {}
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(cell.row, []).append(cell.text)
    return rows


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_every_cell_and_block_span_maps_back_to_the_source(path: Path) -> None:
    doc = read_document(path)
    assert doc.status == "ok"
    assert doc.text == path.read_text(encoding="utf-8")
    for table in doc.tables:
        for cell in table.cells:
            assert doc.text[cell.char_start : cell.char_end] == cell.text
    for block in doc.blocks:
        assert doc.text[block.char_start : block.char_end].strip()
    starts = [b.char_start for b in doc.blocks]
    assert starts == sorted(starts)


def test_cell_per_line_form_becomes_a_grid() -> None:
    doc = read_document(SAMPLES / "003_8d36f83c1eb61d9b.txt")
    assert len(doc.tables) == 1
    rows = rows_of(doc.tables[0])
    assert rows[2] == ["", "年度资金总额", "4229.37", "2481.78", "2481.78", "10", "95.60%", "9"]
    assert rows[5] == ["", "政府性基金拨款：105.29", "项目支出：840.02"]
    # the side label 绩效指标 ends with a paragraph break; it still starts the header row
    header = next(r for r in rows.values() if "一级指标" in r)
    assert header[0] == "绩\n效\n指\n标" and len(header) == 9
    # a cell ending with a blank line does not split its row
    row = next(r for r in rows.values() if "盘活存量土地，提高土地开发利用水平" in r)
    assert row[4:8] == ["存量土地利用水平提升", "2024年批而未供、闲置土地省市排名靠前", "4", "4"]
    # a blank line inside a cell ("效益指标\n\n（30分）") keeps the table whole
    assert any(r[1].startswith("效益指标\n\n（30分）") for r in rows.values() if len(r) > 1)
    assert rows[max(rows)][:2] == ["总分", "100"]


def test_row_per_line_form_becomes_a_grid() -> None:
    doc = read_document(SAMPLES / "004_48477aa04392dd68.txt")
    rows = rows_of(doc.tables[0])
    assert rows[1][:6] == ["年度预算申请(万元)", "资金总额：14623.09 万元", "18651.39 万元", "127.55%", "10", "10"]
    assert any(r[3] == "统筹推进空间规划编制" for r in rows.values() if len(r) > 3)


def test_several_tables_in_one_report_are_kept_apart() -> None:
    doc = read_document(SAMPLES / "002_c67ae4c09c7435a3.txt")
    firsts = [rows_of(t)[0][0] for t in doc.tables]
    assert firsts[0] == "评价准则"
    assert [len(t.cells) // t.n_rows for t in doc.tables[1:3]] == [5, 5]
    completed = rows_of(doc.tables[1])
    # a cell followed by two blank lines stays in its row
    assert completed[2] == ["", "", "建立地质灾害隐患台账数量（处）", "200", "264"]


def test_prose_alone_has_no_tables() -> None:
    assert recover_tables("一、基本情况\n本单位2023年年初预算1000万元。\n\n二、问题\n无。\n") == []


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("年初预算数".encode(), "utf-8"),
        ("年初预算数".encode("gbk"), "gb18030"),
        ("年初预算数".encode("utf-16"), "utf-16"),
        ("\ufeff年初预算数".encode(), "utf-8"),
    ],
)
def test_decoding_detects_the_encoding(data: bytes, encoding: str) -> None:
    text, found = decode_text(data)
    assert text.lstrip("\ufeff") == "年初预算数"
    assert found == encoding
