"""The HTML reader: block text as paragraphs, tables as grids with spans, scripts dropped."""

from __future__ import annotations

from pathlib import Path

from pipeline.readers import read_document

PAGE = """<!DOCTYPE html><html><head><title>标题</title><style>td {color: red}</style>
<script>var cell = "<td>4229.37</td>";</script></head>
<body><h1>2024年度部门整体支出绩效自评表</h1>
<p>一、部门概况<br>本部门&nbsp;共有 &amp; 3个
   科室。</p>
<table border=1>
<tr><th>部门名称</th><td colspan="3">某某局</td></tr>
<tr><td rowspan="2">绩<br>效<br>指<br>标</td><td>产出指标</td><td>数量</td><td>4229.37</td></tr>
<tr><td>效益指标</td><td>社会<table><tr><td>甲</td><td>乙</td></tr></table></td><td>5</td></tr>
</table>
<div>结尾 &lt;段落&gt;</div>
</body></html>"""


def test_html_tables_spans_and_text(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = read_document(path)
    assert (doc.status, doc.format, doc.encoding) == ("ok", "html", "utf-8")
    assert "var cell" not in doc.text and "color" not in doc.text and "标题" not in doc.text
    assert doc.text.startswith("2024年度部门整体支出绩效自评表\n一、部门概况\n本部门\xa0共有 & 3个 科室。\n")
    assert "结尾 <段落>" in doc.text
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph", "table", "paragraph"]

    table = doc.tables[0]
    assert (table.n_rows, table.n_cols) == (3, 4)
    assert (table.cell_at(0, 3).text, table.cell_at(0, 3).colspan) == ("某某局", 3)
    side = table.cell_at(2, 0)
    assert (side.text, side.row, side.rowspan) == ("绩\n效\n指\n标", 1, 2)
    assert table.cell_at(1, 3).text == "4229.37"
    assert table.cell_at(2, 1).text == "效益指标"  # placed after the rowspan from above
    assert table.cell_at(2, 2).text == "社会\n甲 乙"  # nested table flattened into its cell
    for cell in table.cells:
        assert doc.text[cell.char_start : cell.char_end] == cell.text
    for block in doc.blocks:
        assert doc.text[block.char_start : block.char_end].strip()


def test_unclosed_tags_and_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "legacy.htm"
    path.write_bytes("<html><body><p>执行率 95.60%<table><tr><td>得分<td>9".encode("gb18030"))
    doc = read_document(path)
    assert doc.status == "ok" and doc.encoding == "gb18030"
    assert doc.text.splitlines()[0] == "执行率 95.60%"
    assert [(c.row, c.col, c.text) for c in doc.tables[0].cells] == [(0, 0, "得分"), (0, 1, "9")]
