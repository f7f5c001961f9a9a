"""Export the stable views to files people open elsewhere: parquet, CSV (Excel-friendly) or xlsx.

One file per view for parquet and CSV (English column names, as in SQL); one workbook for xlsx:
first the 问题清单 (one row per finding: severity, rule, message, document, pages and the source
text of its facts, the sheet a reviewer forwards), then one sheet per view. Sheet names and
headers come from the message catalogue (pipeline/i18n), in Chinese unless English is asked for.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from pipeline.i18n import CATALOGUES, t

FORMATS = ("parquet", "csv", "xlsx")

EXPORTED_VIEWS = ("v_documents", "v_indicators", "v_projects", "v_findings", "v_finding_facts", "v_facts")

# The reviewer's sheet: one row per finding, in the language chosen, with the text of its facts.
FINDINGS_LIST = """
    SELECT f.file AS document, f.severity, f.rule, f.message, f.message_en,
           (SELECT string_agg(DISTINCT CAST(ff.page AS VARCHAR), ', ') FROM v_finding_facts ff
            WHERE ff.doc_id = f.doc_id AND ff.finding_idx = f.finding_idx) AS pages,
           (SELECT string_agg(coalesce('p' || ff.page || ' ', '') || ff.raw, ' | ' ORDER BY ff.fact_pos)
            FROM v_finding_facts ff WHERE ff.doc_id = f.doc_id AND ff.finding_idx = f.finding_idx) AS facts_text
    FROM v_findings f
    ORDER BY f.file, f.finding_idx
"""
FINDINGS_COLUMNS = ("document", "severity", "rule", "message", "pages", "facts_text")


def sheet_name(view: str, lang: str = "zh") -> str:
    """A view's sheet name in the language (`export.sheet.<view>`)."""
    return t(f"export.sheet.{view}", lang)


def header(column: str, lang: str = "zh") -> str:
    """A column's header in the language (`export.col.<column>`; the SQL name if none)."""
    key = f"export.col.{column}"
    return t(key, lang) if key in CATALOGUES[lang] else column


def export(con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str, lang: str = "zh") -> list[Path]:
    """Write every exported view to `out_dir` in `fmt`; returns the files written. The workbook's
    sheet names, headers and 问题清单 are in `lang`; parquet and CSV keep the SQL column names."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        return [_write_xlsx(con, out / "jixiao.xlsx", lang)]
    writer = _write_parquet if fmt == "parquet" else _write_csv
    return [writer(con, view, out / f"{view}.{fmt}") for view in EXPORTED_VIEWS]


def _rows(con: duckdb.DuckDBPyConnection, view: str) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(f"SELECT * FROM {view} ORDER BY ALL")
    return [d[0] for d in cursor.description], cursor.fetchall()


def _write_parquet(con: duckdb.DuckDBPyConnection, view: str, path: Path) -> Path:
    con.execute(f"COPY (SELECT * FROM {view} ORDER BY ALL) TO '{_sql_path(path)}' (FORMAT parquet)")
    return path


def _write_csv(con: duckdb.DuckDBPyConnection, view: str, path: Path) -> Path:
    columns, rows = _rows(con, view)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM makes Excel read UTF-8
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows([[_flat(v) for v in row] for row in rows])
    return path


def _write_xlsx(con: duckdb.DuckDBPyConnection, path: Path, lang: str = "zh") -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _append(book.create_sheet(sheet_name("findings_list", lang)), FINDINGS_COLUMNS, _findings_list(con, lang), lang)
    for view in EXPORTED_VIEWS:
        columns, rows = _rows(con, view)
        _append(book.create_sheet(sheet_name(view, lang)), columns, rows, lang)
    book.save(path)
    return path


def _findings_list(con: duckdb.DuckDBPyConnection, lang: str) -> list[tuple]:
    """The 问题清单 rows: document, severity, rule, message (in `lang`), pages, the facts' source text."""
    rows = []
    for document, severity, rule, message, message_en, pages, facts_text in con.execute(FINDINGS_LIST).fetchall():
        text = (message_en or message) if lang == "en" else message
        rows.append((document, t(f"severity.{severity}", lang), rule, text, pages, facts_text))
    return rows


def _append(sheet: Any, columns: Sequence[str], rows: list[tuple], lang: str) -> None:
    """A header row in the language, then the rows (lists as text, characters Excel refuses dropped)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sheet.append([header(c, lang) for c in columns])
    for row in rows:
        cells = [_flat(v) for v in row]
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in cells])


def _flat(value: Any) -> Any:
    """Lists become `a; b` text (CSV and xlsx cells hold scalars); anything else is unchanged."""
    if isinstance(value, list):
        return "; ".join("" if v is None else str(v) for v in value)
    return value


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
