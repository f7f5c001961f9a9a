"""Self-contained HTML review pages: a number shown in its place, so a reviewer can trust it.

A document page shows the source text and its tables with every extracted value highlighted
(colour by extraction method), the findings with links that scroll to and flash the facts they
are about, a table of all facts, and two inline SVG pictures (budget vs executed, score by
section). The corpus index lists every document with its execution rate as a bar. Pages work
offline: one file each, inline CSS/JS/SVG, no external resources. Everything is read from the
database (the stable views plus doc_text, blocks and table_cells). Labels come from the message
catalogue (pipeline/i18n, `review.*`), in Chinese unless English is asked for; findings show the
stored message in that language; the stylesheet names CJK fonts first.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

import duckdb

from pipeline.i18n import t

LOW_CONFIDENCE = 0.8  # OCR cells read with less confidence are marked for a closer look

METHODS = ("table", "rule", "llm", "ocr")  # labels: review.method.<method>

AMOUNT_BARS = (
    ("initial_budget", "年初预算数"),
    ("full_year_budget", "全年预算数"),
    ("executed", "全年执行数"),
    ("basic_expenditure", "基本支出"),
    ("project_expenditure", "项目支出"),
)


@dataclass
class Fact:
    fact_id: str
    fact_type: str
    label: str | None
    value: float | None
    detail: str | None
    method: str | None
    page: int | None
    table_idx: int | None
    row_idx: int | None
    col_idx: int | None
    char_start: int | None
    char_end: int | None
    raw: str | None


@dataclass
class CellRow:
    table_idx: int
    row_idx: int
    col_idx: int
    rowspan: int
    colspan: int
    char_start: int | None
    char_end: int | None
    text: str
    confidence: float | None  # OCR confidence of the cell text


@dataclass
class Highlights:
    """Where each fact is shown: character spans in the text, or whole cells without a span."""

    spans: list[tuple[int, int, Fact]] = field(default_factory=list)
    cells: dict[tuple[int, int, int], list[Fact]] = field(default_factory=lambda: defaultdict(list))
    anchored: set[str] = field(default_factory=set)  # fact ids whose `f-<id>` anchor was emitted
    shown: set[str] = field(default_factory=set)  # fact ids highlighted somewhere on the page


# --------------------------------------------------------------------------- public API


def render_document(
    con: duckdb.DuckDBPyConnection, doc_id: str, index_href: str | None = None, lang: str = "zh"
) -> str:
    """The review page of one stored document, its labels and findings in `lang`."""
    doc = _one_dict(con, "SELECT * FROM v_documents WHERE doc_id = ?", [doc_id])
    if doc is None:
        raise KeyError(f"no document {doc_id} in the database")
    text_row = con.execute("SELECT text FROM doc_text WHERE doc_id = ?", [doc_id]).fetchone()
    text = text_row[0] if text_row else ""
    facts = [
        Fact(*r)
        for r in con.execute(
            """SELECT fact_id, fact_type, label, value, detail, method, page, table_idx, row_idx, col_idx,
                      char_start, char_end, raw
               FROM v_facts WHERE doc_id = ? ORDER BY fact_type, char_start NULLS LAST, fact_id""",
            [doc_id],
        ).fetchall()
    ]
    cells = [
        CellRow(*r)
        for r in con.execute(
            """SELECT table_idx, row_idx, col_idx, rowspan, colspan, char_start, char_end, text, confidence
               FROM table_cells WHERE doc_id = ? ORDER BY table_idx, row_idx, col_idx""",
            [doc_id],
        ).fetchall()
    ]
    table_blocks = con.execute(
        "SELECT char_start, char_end, table_idx FROM blocks WHERE doc_id = ? AND kind = 'table' ORDER BY char_start",
        [doc_id],
    ).fetchall()
    findings = _dicts(
        con,
        'SELECT finding_idx, severity, rule, message, message_en, "values", fact_ids FROM findings WHERE doc_id = ? '
        "ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, finding_idx",
        [doc_id],
    )
    sections = con.execute(
        "SELECT concat_ws(' / ', level1, level2), weight, score FROM sections WHERE doc_id = ? ORDER BY fact_id",
        [doc_id],
    ).fetchall()
    highlights = _locate(facts, cells)
    page_starts = con.execute(
        "SELECT min(char_start), page FROM blocks WHERE doc_id = ? AND page IS NOT NULL GROUP BY page ORDER BY 1",
        [doc_id],
    ).fetchall()
    origins = _workbook_cells(doc) if doc.get("format") in SPREADSHEETS else []
    titles = {o.char_start: f"{_quoted_sheet(o.sheet)}!{o.cell}" for o in origins}
    source = _render_source(text, cells, table_blocks, page_starts, highlights, titles, lang)
    places = _sheet_places(origins, text, page_starts, facts, cells) if doc.get("format") in SPREADSHEETS else {}
    located = highlights.shown
    title = doc["file"] or doc_id
    body = "".join(
        [
            '<aside id="panel">',
            f'<p><a href="{_esc(index_href)}">← {t("review.all_documents", lang)}</a></p>' if index_href else "",
            _summary(doc, lang),
            _legend(lang),
            _findings_list(findings, {f.fact_id: f for f in facts}, lang),
            f'<h2>{t("review.budget_chart", lang)}</h2><figure class="chart">',
            _amount_chart(doc, lang),
            "</figure>",
            f'<h2>{t("review.score_chart", lang)}</h2><figure class="chart">',
            _score_chart(sections, doc.get("total_score"), lang),
            "</figure>",
            "</aside>",
            '<main id="source">',
            f"<h1>{_esc(title)}</h1>",
            source,
            _facts_table(facts, located, {f.fact_id: places[f.fact_id] for f in facts if f.fact_id in places}, lang),
            "</main>",
        ]
    )
    return _page(title, body, "doc-page", lang)


INDEX_COLUMNS = (
    "file",
    "department",
    "year",
    "status",
    "full_year_budget",
    "executed",
    "execution_rate_pct",
    "total_score",
    "n_findings",
    "n_errors",
)


def render_index(con: duckdb.DuckDBPyConnection, pages: dict[str, str], lang: str = "zh") -> str:
    """The corpus index: one row per document linking to its page (`pages`: doc_id → href)."""
    docs = _dicts(con, "SELECT * FROM v_documents ORDER BY file, doc_id", [])
    rows = []
    for d in docs:
        href = pages.get(d["doc_id"])
        name = f'<a href="{_esc(href)}">{_esc(d["file"])}</a>' if href else _esc(d["file"])
        rows.append(
            "<tr>"
            + f"<td>{name}</td>"
            + "".join(
                f"<td>{_fmt(d[k])}</td>"
                for k in ("department", "year", "status", "full_year_budget", "executed", "execution_rate_pct")
            )
            + f"<td>{_fmt(d['total_score'])}</td><td>{d['n_findings']}</td>"
            + f'<td class="{"sev-error" if d["n_errors"] else ""}">{d["n_errors"]}</td></tr>'
        )
    headers = "".join(f"<th>{_esc(t(f'review.col.{c}', lang))}</th>" for c in INDEX_COLUMNS)
    body = (
        f'<main id="index"><h1>{_esc(t("review.index_title", lang))}</h1>'
        f'<table class="docs"><thead><tr>{headers}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<h2>{t("review.execution_chart", lang)}</h2><figure class="chart">'
        f"{_execution_chart(docs, lang)}</figure></main>"
    )
    return _page(t("review.index_title", lang), body, "index-page", lang)


def write_corpus(con: duckdb.DuckDBPyConnection, out_dir: str | Path, lang: str = "zh") -> list[Path]:
    """Write `index.html` plus one page per document into `out_dir`; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    docs = con.execute("SELECT doc_id, file FROM v_documents WHERE status <> 'failed' ORDER BY file, doc_id").fetchall()
    pages = {doc_id: f"{_slug(file or doc_id)}-{doc_id[:8]}.html" for doc_id, file in docs}
    written = []
    for doc_id, name in pages.items():
        path = out / name
        path.write_text(render_document(con, doc_id, index_href="index.html", lang=lang), encoding="utf-8")
        written.append(path)
    index = out / "index.html"
    index.write_text(render_index(con, pages, lang), encoding="utf-8")
    return [index, *written]


def write_file_review(path: str | Path, out: str | Path, use_llm: bool, lang: str = "zh") -> tuple[Path, str]:
    """Run the pipeline on one file (no database needed) and write its page; returns (page, status)."""
    from pipeline import store
    from pipeline.run import RunOptions, process

    result = process(path, RunOptions(use_llm=use_llm))
    con = duckdb.connect()
    store.ensure_schema(con)
    store.save_document(con, result.doc, result.facts, result.findings)
    page = Path(out)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(render_document(con, result.doc.doc_id, lang=lang), encoding="utf-8")
    con.close()
    return page, result.doc.status


# --------------------------------------------------------------------------- locating facts


def _locate(facts: list[Fact], cells: list[CellRow]) -> Highlights:
    """Turn each fact's provenance into character spans (or whole cells when a cell has no span)."""
    by_row: dict[tuple[int, int], list[CellRow]] = defaultdict(list)
    for c in cells:
        for r in range(c.row_idx, c.row_idx + c.rowspan):
            by_row[(c.table_idx, r)].append(c)
    found = Highlights()
    for f in facts:
        if f.char_start is not None and f.char_end is not None and f.char_end > f.char_start:
            found.spans.append((f.char_start, f.char_end, f))
        elif f.table_idx is not None and f.row_idx is not None:
            row = by_row.get((f.table_idx, f.row_idx), [])
            hit = [c for c in row if f.col_idx is None or c.col_idx <= f.col_idx < c.col_idx + c.colspan]
            for c in hit:
                if c.char_start is not None and c.char_end is not None and c.char_end > c.char_start:
                    found.spans.append((c.char_start, c.char_end, f))
                else:
                    found.cells[(c.table_idx, c.row_idx, c.col_idx)].append(f)
    return found


# --------------------------------------------------------------------------- spreadsheet cells

SPREADSHEETS = {"xlsx", "xls", "ods"}  # formats read by pipeline.readers.spreadsheet


def _sheet_places(
    origins: list, text: str, page_starts: list[tuple[int, int]], facts: list[Fact], cells: list[CellRow]
) -> dict[str, str]:
    """fact_id → where a spreadsheet shows it: `sheet!cell` (表1!B7) by the workbook's `origins`
    (see `_workbook_cells`), else the sheet's name from the `工作表：名称` line that opens its page."""
    starts = [o.char_start for o in origins]
    sheets = sorted((offset, _sheet_name(text, offset)) for offset, _ in page_starts)
    cell_starts = {(c.table_idx, c.row_idx, c.col_idx): c.char_start for c in cells}
    places = {}
    for f in facts:
        offset = f.char_start
        if offset is None and f.table_idx is not None:
            offset = cell_starts.get((f.table_idx, f.row_idx, f.col_idx if f.col_idx is not None else 0))
        if offset is None:
            continue
        k = bisect_right(starts, offset) - 1
        if k >= 0 and offset <= origins[k].char_end:
            places[f.fact_id] = f"{_quoted_sheet(origins[k].sheet)}!{origins[k].cell}"
            continue
        page = bisect_right([start for start, _ in sheets], offset) - 1
        if page >= 0 and sheets[page][1]:
            places[f.fact_id] = _quoted_sheet(sheets[page][1])
    return places


def _workbook_cells(doc: dict[str, Any]) -> list:
    """The reader's sheet cells (`sheet_cells`) of the stored workbook, read again from its path;
    none when the file is gone or has changed since it was stored."""
    from pipeline.readers import file_hash
    from pipeline.readers.spreadsheet import sheet_cells

    try:
        data = Path(doc["path"]).read_bytes()
        if file_hash(data) != doc["doc_id"]:
            return []
        return sheet_cells(data, doc["path"], doc["format"])
    except Exception:  # the page is still written without cell names
        return []


def _sheet_name(text: str, page_start: int) -> str:
    line = text[page_start : text.find("\n", page_start) if "\n" in text[page_start:] else len(text)]
    return line.removeprefix("工作表：").removesuffix("（隐藏）") if line.startswith("工作表：") else ""


def _quoted_sheet(name: str) -> str:
    """A sheet name as a formula writes it: quoted when it has spaces or punctuation."""
    return name if re.fullmatch(r"\w+", name) else "'" + name.replace("'", "''") + "'"


# --------------------------------------------------------------------------- source rendering


def _render_source(
    text: str,
    cells: list[CellRow],
    table_blocks: list[tuple[int, int, int | None]],
    page_starts: list[tuple[int, int]],
    hl: Highlights,
    titles: dict[int, str] | None = None,
    lang: str = "zh",
) -> str:
    """The text in reading order, each table block replaced by its grid, a marker where a page starts
    (`titles`: a cell's hover title by its char_start, a spreadsheet's `sheet!cell`)."""
    tables: dict[int, list[CellRow]] = defaultdict(list)
    for c in cells:
        tables[c.table_idx].append(c)
    parts: list[str] = []
    pending = sorted(page_starts)  # (offset, page number)
    cursor = 0

    def text_to(limit: int) -> None:
        nonlocal cursor
        while pending and pending[0][0] <= limit:
            offset, page = pending.pop(0)
            if offset >= cursor:  # a page starting inside a table already shown gets no marker
                parts.append(_text_div(text, cursor, offset, hl))
                parts.append(f'<div class="page-mark" id="page-{page}">{t("review.page", lang, page=page)}</div>')
                cursor = offset
        parts.append(_text_div(text, cursor, limit, hl))
        cursor = limit

    placed: set[int] = set()
    for start, end, table_idx in table_blocks:
        if table_idx is None or table_idx not in tables or start < cursor:
            continue
        text_to(start)
        parts.append(_table_html(table_idx, tables[table_idx], text, hl, titles or {}, lang))
        placed.add(table_idx)
        cursor = end
    text_to(len(text))
    for table_idx in sorted(set(tables) - placed):
        parts.append(_table_html(table_idx, tables[table_idx], text, hl, titles or {}, lang))
    return '<section class="doc">' + "".join(parts) + "</section>"


def _text_div(text: str, start: int, end: int, hl: Highlights) -> str:
    if end <= start or not text[start:end].strip():
        return ""
    return f'<div class="text">{_marked(text, start, end, hl)}</div>'


def _table_html(
    table_idx: int,
    cells: list[CellRow],
    text: str,
    hl: Highlights,
    titles: dict[int, str] | None = None,
    lang: str = "zh",
) -> str:
    n_rows = max(c.row_idx + c.rowspan for c in cells)
    n_cols = max(c.col_idx + c.colspan for c in cells)
    origin = {(c.row_idx, c.col_idx): c for c in cells}
    covered = {
        (r, k)
        for c in cells
        for r in range(c.row_idx, c.row_idx + c.rowspan)
        for k in range(c.col_idx, c.col_idx + c.colspan)
    }
    rows = []
    for r in range(n_rows):
        tds = []
        for k in range(n_cols):
            cell = origin.get((r, k))
            if cell is None:
                tds.append("" if (r, k) in covered else "<td></td>")
                continue
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            )
            if cell.confidence is not None and cell.confidence < LOW_CONFIDENCE:
                spans += (
                    f' class="low-conf" title="{t("review.ocr_confidence", lang, confidence=f"{cell.confidence:.2f}")}"'
                )
            elif titles and cell.char_start in titles:
                spans += f' title="{_esc(titles[cell.char_start])}"'
            tds.append(f'<td{spans} id="c{table_idx}-{r}-{k}">{_cell_html(cell, text, hl)}</td>')
        rows.append(f"<tr>{''.join(tds)}</tr>")
    return f'<table class="grid" id="table-{table_idx}"><tbody>{"".join(rows)}</tbody></table>'


def _cell_html(cell: CellRow, text: str, hl: Highlights) -> str:
    has_span = cell.char_start is not None and cell.char_end is not None
    if has_span and text[cell.char_start : cell.char_end] == cell.text:
        return _marked(text, cell.char_start, cell.char_end, hl)
    content = _esc(cell.text)
    facts = hl.cells.get((cell.table_idx, cell.row_idx, cell.col_idx))
    return _mark(content, facts, hl) if facts else content


def _marked(text: str, start: int, end: int, hl: Highlights) -> str:
    """text[start:end], escaped, with every fact span inside it wrapped in a highlight."""
    inside = [(max(s, start), min(e, end), e - s, f) for s, e, f in hl.spans if s < end and e > start]
    cuts = sorted({start, end, *(s for s, _, _, _ in inside), *(e for _, e, _, _ in inside)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [(length, f) for s, e, length, f in inside if s <= a and b <= e]
        segment = _esc(text[a:b])
        if covering:
            covering.sort(key=lambda x: x[0])  # the most specific (shortest) fact first
            out.append(_mark(segment, [f for _, f in covering], hl))
        else:
            out.append(segment)
    return "".join(out)


def _mark(content: str, facts: list[Fact], hl: Highlights) -> str:
    """A highlight around `content` for `facts` (the first, most specific one sets the colour)."""
    ids = [f.fact_id for f in facts]
    anchor = next((i for i in ids if i not in hl.anchored), None)
    if anchor is not None:
        hl.anchored.add(anchor)
    hl.shown.update(ids)
    id_attr = f' id="f-{_esc(anchor)}"' if anchor is not None else ""
    title = "; ".join(f"{f.fact_id} {f.fact_type} {f.label or ''} = {_fmt(f.value)} ({f.method})" for f in facts)
    method = facts[0].method or "rule"
    return (
        f'<mark class="hl m-{_esc(method)}"{id_attr} data-f="{_esc(" ".join(ids))}" title="{_esc(title)}">'
        f"{content}</mark>"
    )


# --------------------------------------------------------------------------- panels


def _summary(doc: dict[str, Any], lang: str) -> str:
    rows = [
        (t("review.col.department", lang), doc["department"]),
        (t("review.col.region", lang), doc["region"]),
        (t("review.col.year", lang), doc["year"]),
        (t("review.col.format_status", lang), f"{doc['format']} / {doc['status']}"),
        (t("review.col.error", lang), doc["error"]),
        *((label, doc[key]) for key, label in AMOUNT_BARS),
        (t("review.col.execution_rate_pct", lang), doc["execution_rate_pct"]),
        (t("review.col.total_score", lang), doc["total_score"]),
    ]
    body = "".join(f"<tr><th>{_esc(k)}</th><td>{_fmt(v)}</td></tr>" for k, v in rows if v is not None)
    return f'<table class="summary">{body}</table>'


def _legend(lang: str) -> str:
    items = "".join(f'<span class="hl m-{m}">{_esc(t(f"review.method.{m}", lang))}</span> ' for m in METHODS)
    return f'<p class="legend">{t("review.extracted_by", lang)}{items}</p>'


def _findings_list(findings: list[dict[str, Any]], facts: dict[str, Fact], lang: str) -> str:
    if not findings:
        return f"<h2>{t('review.findings', lang)}</h2><p>{t('review.no_findings', lang)}</p>"
    items = []
    for f in findings:
        ids = [i for i in f["fact_ids"] or [] if i in facts]
        data = f' data-facts="{_esc(" ".join(ids))}"' if ids else ""
        href = f"#f-{_esc(ids[0])}" if ids else "#"
        links = " ".join(
            f'<a href="#f-{_esc(i)}" data-facts="{_esc(i)}" class="fact-link m-{_esc(facts[i].method or "rule")}">'
            f"{_esc(i)} {_esc(facts[i].label or '')} {_fmt(facts[i].value)}</a>"
            for i in ids
        )
        values = ", ".join(_fmt(v) for v in f["values"] or [])
        message = (f["message_en"] or f["message"]) if lang == "en" else f["message"]
        severity = t(f"severity.{f['severity']}", lang)
        items.append(
            f'<li class="finding sev-{_esc(f["severity"])}" id="finding-{f["finding_idx"]}">'
            f'<a href="{href}" class="finding-link"{data}><b>{_esc(severity)}</b> '
            f"{_esc(f['rule'])}{t('review.colon', lang)}{_esc(message)}</a>"
            + (f'<div class="values">{t("review.values", lang)}{values}</div>' if values else "")
            + (f'<div class="facts">{links}</div>' if links else "")
            + "</li>"
        )
    heading = t("review.findings_count", lang, count=len(findings))
    return f'<h2>{heading}</h2><ol class="findings">{"".join(items)}</ol>'


FACT_COLUMNS = ("id", "type", "label", "value", "detail", "method", "where", "raw")


def _facts_table(facts: list[Fact], located: set[str], places: dict[str, str], lang: str) -> str:
    """Every fact with its provenance (`places`: the sheet and cell of a spreadsheet's facts)."""
    rows = []
    for f in facts:
        where = ", ".join(
            part
            for part in (
                places.get(f.fact_id, ""),
                f"p.{f.page}" if f.page is not None else "",
                f"table {f.table_idx} r{f.row_idx} c{f.col_idx}" if f.table_idx is not None else "",
                f"chars {f.char_start}–{f.char_end}" if f.char_start is not None else "",
            )
            if part
        )
        fid = _esc(f.fact_id)
        link = f'<a href="#f-{fid}" data-facts="{fid}">{fid}</a>' if f.fact_id in located else fid
        rows.append(
            f'<tr id="row-{fid}"><td>{link}</td><td>{_esc(f.fact_type)}</td><td>{_esc(f.label or "")}</td>'
            f"<td>{_fmt(f.value)}</td><td>{_esc(f.detail or '')}</td>"
            f'<td><span class="hl m-{_esc(f.method or "rule")}">{_esc(f.method or "")}</span></td>'
            f"<td>{_esc(where)}</td><td>{_esc(f.raw or '')}</td></tr>"
        )
    headers = "".join(f"<th>{_esc(t(f'review.fact.{c}', lang))}</th>" for c in FACT_COLUMNS)
    return (
        f'<h2>{t("review.all_facts", lang, count=len(facts))}</h2><table class="facts"><thead><tr>{headers}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# --------------------------------------------------------------------------- pictures (inline SVG)


@dataclass
class Bar:
    label: str
    value: float | None  # None: nothing stated (no dark bar)
    css: str
    back: float | None = None  # a light bar behind, e.g. the weight a score is out of
    text: str = ""  # shown after the bar


def _bars_svg(bars: list[Bar], unit: str, width: int = 320, label_w: int = 90) -> str:
    """Horizontal bars, one row each, scaled to the largest value or background."""
    top = max(max(b.value or 0.0, b.back or 0.0) for b in bars) or 1.0
    row_h = 26
    plot_w = width - label_w - 70
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{row_h * len(bars) + 4}" role="img">']
    for n, bar in enumerate(bars):
        y = n * row_h + 4
        out.append(
            f'<text x="{label_w - 4}" y="{y + 13}" text-anchor="end">{_esc(_short(bar.label, label_w // 12))}</text>'
        )
        if bar.back is not None:
            out.append(
                f'<rect class="bar-back" x="{label_w}" y="{y}" width="{plot_w * bar.back / top:.1f}" height="18"/>'
            )
        w = plot_w * (bar.value or 0.0) / top
        if bar.value is not None:
            out.append(
                f'<rect class="{bar.css}" x="{label_w}" y="{y}" width="{w:.1f}" height="18">'
                f"<title>{_esc(bar.label)} {_fmt(bar.value)}{unit}</title></rect>"
            )
        x = label_w + max(w, plot_w * (bar.back or 0.0) / top) + 4
        out.append(f'<text x="{x:.1f}" y="{y + 13}">{_esc(bar.text or _fmt(bar.value))}</text>')
    out.append("</svg>")
    return "".join(out)


def _amount_chart(doc: dict[str, Any], lang: str) -> str:
    bars = [Bar(label, doc[key], f"bar bar-{key}") for key, label in AMOUNT_BARS if doc.get(key) is not None]
    if not bars:
        return f"<p>{t('review.no_amounts', lang)}</p>"
    return _bars_svg(bars, " 万元") + "<figcaption>万元</figcaption>"


def _score_chart(sections: list[tuple[str, float | None, float | None]], total: float | None, lang: str) -> str:
    bars = [
        Bar(name, score, "bar bar-score", weight, f"{_fmt(score) or '–'} / {_fmt(weight) or '–'}")
        for name, weight, score in sections
        if weight is not None or score is not None
    ]
    if total is not None:
        bars.append(Bar("总分", total, "bar bar-total", 100.0, f"{_fmt(total)} / 100"))
    if not bars:
        return f"<p>{t('review.no_scores', lang)}</p>"
    return _bars_svg(bars, " 分") + f"<figcaption>{t('review.score_caption', lang)}</figcaption>"


def _execution_chart(docs: list[dict[str, Any]], lang: str) -> str:
    bars = []
    for d in docs:
        if d["executed"] is not None and d["full_year_budget"]:
            pct = round(100.0 * d["executed"] / d["full_year_budget"], 2)
            name = f"{d['department'] or ''} {d['file']}".strip()
            bars.append(Bar(name, pct, "bar over" if pct > 100 else "bar", 100.0, f"{_fmt(pct)}%"))
    if not bars:
        return f"<p>{t('review.no_execution', lang)}</p>"
    return (
        _bars_svg(bars, "%", width=900, label_w=420) + f"<figcaption>{t('review.execution_caption', lang)}</figcaption>"
    )


# --------------------------------------------------------------------------- helpers


def _page(title: str, body: str, body_class: str, lang: str = "zh") -> str:
    template = Template(files("pipeline").joinpath("templates/review.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=_esc(title), body=body, body_class=body_class, lang="zh-CN" if lang == "zh" else "en"
    )


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return _esc(value)


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _slug(name: str) -> str:
    return re.sub(r"[^\w-]+", "_", Path(name).name) or "doc"


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _one_dict(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> dict[str, Any] | None:
    rows = _dicts(con, sql, params)
    return rows[0] if rows else None
