"""The review pages as HTML: values highlighted in place, findings linked, escaped, self-contained."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import duckdb
import pytest
from synthetic import SAMPLE, make_db, sample_db
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.review import render_document, write_corpus, write_file_review


class Elements(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str | None = None, cls: str | None = None) -> list[dict[str, str]]:
        return [
            a for t, a in self.tags if (tag is None or t == tag) and (cls is None or cls in a.get("class", "").split())
        ]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory, samples_dir):
    con, doc, facts = make_db(samples_dir, tmp_path_factory.mktemp("review") / "review.duckdb")
    page = render_document(con, doc.doc_id)
    con.close()
    return page, doc, facts


def _highlighted(elements: Elements) -> dict[str, list[dict[str, str]]]:
    marks: dict[str, list[dict[str, str]]] = {}
    for attrs in elements.find("mark", "hl"):
        for fact_id in attrs["data-f"].split():
            marks.setdefault(fact_id, []).append(attrs)
    return marks


def test_every_located_fact_is_highlighted_in_its_method_colour(synthetic):
    page, _, _ = synthetic
    marks = _highlighted(Elements(page))
    assert set(marks) == {"a1", "a2", "a3", "i1", "i2", "t1", "m1"}  # i3, s1, s2, p1 have no place
    assert "m-table" in marks["a1"][0]["class"]
    assert "m-llm" in marks["m1"][0]["class"]
    assert {m["id"] for ms in marks.values() for m in ms if m.get("id")} >= {"f-a1", "f-m1", "f-i1"}


def test_a_table_fact_highlights_its_cell_and_a_row_fact_the_whole_row(synthetic):
    page, doc, facts = synthetic
    a1 = facts.amounts[0]
    cell = re.search(rf'<td[^>]*id="c{a1.prov.table}-{a1.prov.row}-{a1.prov.col}">(.*?)</td>', page)
    assert cell and 'data-f="a1' in cell.group(1)
    row_cells = [c for c in doc.tables[a1.prov.table].cells if c.row == a1.prov.row and c.text.strip()]
    i1_cells = re.findall(r'<mark [^>]*data-f="[^"]*\bi1\b', page)
    assert len(i1_cells) == len(row_cells)


def test_tables_are_rendered_as_grids_with_spans(synthetic):
    page, doc, _ = synthetic
    assert page.count('<table class="grid"') == len(doc.tables)
    merged = [c for t in doc.tables for c in t.cells if c.rowspan > 1 or c.colspan > 1]
    assert page.count("rowspan=") + page.count("colspan=") == len(merged)


def test_findings_are_listed_escaped_and_linked_to_their_facts(synthetic):
    page, _, _ = synthetic
    elements = Elements(page)
    items = elements.find("li", "finding")
    assert [i["class"] for i in items] == ["finding sev-error", "finding sev-warning", "finding sev-info"]
    links = elements.find("a", "finding-link")
    assert [a.get("data-facts") for a in links] == ["a1 a2", "m1 i3", None]
    assert links[0]["href"] == "#f-a1"
    assert "超出全年预算数100万元 &lt;b&gt;" in page and "100万元 <b>" not in page
    assert elements.find("tr") and any(a.get("id") == "row-i3" for a in elements.find("tr"))


def test_page_is_self_contained(synthetic):
    page, _, _ = synthetic
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=", page)
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}
    assert page.count("<svg") == 2 and "<script>" in page and "<style>" in page


def test_corpus_index_links_every_document_page(tmp_path, tmp_path_factory, samples_dir):
    con = duckdb.connect(str(sample_db(samples_dir, tmp_path_factory.getbasetemp())), read_only=True)
    written = write_corpus(con, tmp_path)
    n_docs = con.execute("SELECT count(*) FROM documents WHERE status <> 'failed'").fetchone()[0]
    spans = con.execute(
        "SELECT d.file, list(DISTINCT f.fact_id) FROM v_facts f JOIN v_documents d USING (doc_id) "
        "WHERE f.char_end > f.char_start GROUP BY ALL"
    ).fetchall()
    con.close()
    index = written[0].read_text(encoding="utf-8")
    hrefs = [a["href"] for a in Elements(index).find("a")]
    assert len(written) == n_docs + 1 and sorted(hrefs) == sorted(p.name for p in written[1:])
    assert "<svg" in index
    for file, fact_ids in spans:  # every fact with a character span is highlighted on its page
        page = next(p for p in written[1:] if p.name.startswith(re.sub(r"\W", "_", file)))
        shown = _highlighted(Elements(page.read_text(encoding="utf-8")))
        assert set(fact_ids) <= set(shown), file


def test_cli_reviews_one_file_without_a_database(tmp_path, samples_dir):
    out = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["review", str(samples_dir / SAMPLE), "--html", str(out), "--no-llm"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert f"<title>{SAMPLE}</title>" in page and '<table class="grid"' in page


def test_pdf_page_shows_where_each_page_starts(tmp_path, samples_dir):
    pdf = samples_dir / SAMPLE.replace(".txt", ".pdf")
    out = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["review", str(pdf), "--html", str(out), "--no-llm"])
    assert result.exit_code == 0, result.output
    marks = [a["id"] for a in Elements(out.read_text(encoding="utf-8")).find("div", "page-mark")]
    assert len(marks) > 1 and marks == [f"page-{n}" for n in range(1, len(marks) + 1)]


def test_ocr_cells_read_with_little_confidence_are_marked(synthetic):
    page, _, _ = synthetic
    [cell] = Elements(page).find("td", "low-conf")
    assert (cell["id"], cell["title"]) == ("c0-0-0", "文字识别置信度0.42")


def _where(page: str) -> dict[str, str]:
    """fact id → the `where` column of the facts table."""
    rows = re.findall(r'<tr id="row-([^"]+)">(.*?)</tr>', page)
    return {fid: html.unescape(re.findall(r"<td>(.*?)</td>", row)[-2]) for fid, row in rows}


def test_a_spreadsheet_value_shows_its_sheet_and_cell(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "自评表"
    ws["A1"] = "项目支出绩效自评表"
    ws.merge_cells("A1:E1")
    ws.append(["项目名称", "农村公路养护项目"])
    ws.append(["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率"])
    ws.append(["年度资金总额", 120, 120, 114.72, "95.60%"])
    book.create_sheet("自评报告")["A1"] = "本项目全年执行数为114.72万元。"
    source = tmp_path / "form.xlsx"
    book.save(source)
    page, status = write_file_review(source, tmp_path / "form.html", use_llm=False)
    where = _where(page.read_text(encoding="utf-8"))
    assert status == "ok"
    assert where["a1"].startswith("自评表!B4, p.1, table 0 r2 c1")  # the form's 年初预算数 in B4
    assert where["a3"].startswith("自评表!D4,")  # 全年执行数
    assert where["a4"].startswith("自评表!E4,")
    cells = {a.get("id"): a.get("title") for a in Elements(page.read_text(encoding="utf-8")).find("td")}
    assert cells["c0-2-3"] == "自评表!D4"  # hovering a form cell names it


def test_without_the_workbook_the_review_names_the_sheet(tmp_path):
    import openpyxl

    from pipeline import store
    from pipeline.run import RunOptions, process

    book = openpyxl.Workbook()
    book.active.title = "Sheet 1"
    book.active.append(["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率"])
    book.active.append(["年度资金总额", 120, 120, 114.72, "95.60%"])
    source = tmp_path / "form.xlsx"
    book.save(source)
    result = process(source, RunOptions(use_llm=False))
    con = duckdb.connect()
    store.ensure_schema(con)
    store.save_document(con, result.doc, result.facts, result.findings)
    assert _where(render_document(con, result.doc.doc_id))["a1"].startswith("'Sheet 1'!B2, p.1")
    source.unlink()  # the file is gone: the cell cannot be checked, the sheet is still known
    assert _where(render_document(con, result.doc.doc_id))["a1"].startswith("'Sheet 1', p.1")


def test_labels_and_findings_in_the_language_chosen(tmp_path, samples_dir):
    """Chinese by default (labels, severities, messages, a CJK font stack); English on request."""
    con, doc, _ = make_db(samples_dir, tmp_path / "lang.duckdb")
    zh, en = render_document(con, doc.doc_id), render_document(con, doc.doc_id, lang="en")
    con.close()
    assert '<html lang="zh-CN">' in zh and "问题（3条）" in zh and "<b>错误</b>" in zh and "提取方式：" in zh
    assert "全年执行数120.5万元超出全年预算数100万元" in zh and "Findings" not in zh
    assert '"WenQuanYi Zen Hei"' in zh and '"Noto Sans CJK SC"' in zh
    assert '<html lang="en">' in en and "Findings (3)" in en and "<b>error</b>" in en and "Extracted by: " in en
    assert "executed 120.5 exceeds the full-year budget 100" in en
