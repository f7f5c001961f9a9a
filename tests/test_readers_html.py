"""The HTML reader: block text as paragraphs, tables as grids with spans, scripts dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.readers import read_document
from pipeline.readers.html import decode_html, read_html

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


CHROME_PAGE = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某局2024年度部门整体支出绩效自评报告_某某市人民政府</title></head><body>
<div class="header"><div class="logo">某某市人民政府</div><ul class="nav"><li><a href="/">首页</a></li>
<li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="position"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 正文</div>
<div class="article">
<h1>某某局2024年度部门整体支出绩效自评报告</h1>
<p>发布时间：2025-03-02</p>
<div class="bshare"><a href="#">分享到微信</a> <a href="#">微博</a></div>
<p>一、基本情况。2024年全年预算数2481.78万元，全年执行数2372.66万元，执行率95.60%。</p>
<table border="1"><tr><td>年初预算数</td><td>全年预算数</td><td>全年执行数</td></tr>
<tr><td>4229.37</td><td>2481.78</td><td>2372.66</td></tr></table>
<p>二、存在的问题。项目资金到位较晚，影响了执行进度。</p>
<p><a href="/upload/2025/zipingbiao.xls">附件：部门整体支出绩效自评表.xls</a></p>
</div>
<div class="relate"><h3>相关链接</h3><ul><li><a href="/a.html">某某局2023年度部门整体支出绩效自评报告</a></li>
<li><a href="/b.html">关于开展2024年度绩效自评工作的通知</a></li></ul></div>
<div class="links"><a href="http://www.gov.cn">中国政府网</a> | <a href="http://www.hunan.gov.cn">湖南省人民政府</a></div>
<footer><p>主办：某某市人民政府办公室 网站标识码：4300000001 湘ICP备05001234号</p></footer>
</body></html>"""


def test_a_saved_government_page_reads_its_article_not_the_site_chrome(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(CHROME_PAGE.encode("gbk"))
    doc = read_document(path)
    assert (doc.status, doc.encoding) == ("ok", "gb18030")  # the meta tag's gb2312, read as its superset
    assert doc.text.splitlines() == [
        "某某局2024年度部门整体支出绩效自评报告",
        "发布时间：2025-03-02",
        "一、基本情况。2024年全年预算数2481.78万元，全年执行数2372.66万元，执行率95.60%。",
        "年初预算数\t全年预算数\t全年执行数",
        "4229.37\t2481.78\t2372.66",
        "二、存在的问题。项目资金到位较晚，影响了执行进度。",
        "附件：部门整体支出绩效自评表.xls",  # a link to a file is the article's attachment
    ]
    assert doc.tables[0].cell_at(1, 2).text == "2372.66"


def test_an_article_inside_an_element_named_like_chrome_is_kept() -> None:
    page = (
        '<html><body><div id="main-nav-layout"><nav><a href="/">首页</a><a href="/x">栏目</a></nav>'
        "<p>全年执行数为114.72万元，执行率95.60%。</p><p>项目已完成，效果良好。</p></div></body></html>"
    )
    doc = read_html(page.encode(), "id", "p.html")
    assert doc.text.splitlines() == ["全年执行数为114.72万元，执行率95.60%。", "项目已完成，效果良好。"]


def test_class_names_count_by_word() -> None:
    page = (
        '<html><body><div class="header"><a href="/">首页</a></div><div class="content-head"><h1>2024年度自评报告</h1>'
        '</div><div class="relative research-box"><table><tr><td>全年执行数</td><td>114.72</td></tr></table></div>'
        '<div class="site-footer">主办单位：某某局</div><div class="xglj">相关链接：无</div></body></html>'
    )
    doc = read_html(page.encode(), "id", "p.html")
    assert doc.text.splitlines() == ["2024年度自评报告", "全年执行数\t114.72"]


def test_a_layout_table_keeps_its_grid_when_its_menu_cell_is_emptied() -> None:
    page = (
        "<html><body><table><tr><td><a href='/'>首页</a> <a href='/a'>新闻</a> <a href='/b'>公开</a></td>"
        "<td>全年执行数为114.72万元。</td></tr></table></body></html>"
    )
    doc = read_html(page.encode(), "id", "p.html")
    [table] = doc.tables
    assert [(c.col, c.text) for c in table.cells] == [(0, ""), (1, "全年执行数为114.72万元。")]


def test_a_data_cell_that_links_its_name_is_kept() -> None:
    page = (
        "<html><body><p>项目支出情况如下。</p><table><tr><td>项目名称</td><td>全年执行数</td></tr>"
        "<tr><td><a href='/xm/1.html'>农村公路养护项目</a></td><td>114.72</td></tr></table></body></html>"
    )
    [table] = read_html(page.encode(), "id", "p.html").tables
    assert table.cell_at(1, 0).text == "农村公路养护项目"


def test_a_page_of_links_only_is_read_whole() -> None:
    page = "<html><body><ul><li><a href='/a'>2024年度自评报告</a></li><li><a href='/b'>2023年度</a></li></ul></body></html>"
    assert read_html(page.encode(), "id", "p.html").text.splitlines() == ["2024年度自评报告", "2023年度"]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ('<meta charset="big5"><p>執行率95.60%</p>'.encode("big5"), "big5"),
        ('<meta charset="gbk"><p>执行率95.60%</p>'.encode(), "utf-8"),  # the bytes are UTF-8: the tag is wrong
        ("<p>执行率95.60%</p>".encode("gb18030"), "gb18030"),  # no tag: not UTF-8, so GB18030
    ],
)
def test_the_charset_comes_from_the_bytes_and_the_meta_tag(data: bytes, encoding: str) -> None:
    text, found = decode_html(data)
    assert found == encoding and "95.60%" in text and "率" in text
