"""DuckDB storage: a versioned schema created on first use, one transaction per document.

Every fact table carries the same provenance columns (method, page, block/table/row/col, char
span, raw text, bbox, confidence) so any stored value can be traced to its place in the source.
Documents are keyed by the sha256 of their bytes, which makes re-ingesting a no-op.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline import __version__
from pipeline.models import (
    Amount,
    DisclosureCell,
    DisclosureFigure,
    Document,
    Facts,
    Finding,
    Indicator,
    LineItem,
    Mention,
    Number,
    Project,
    Provenance,
    SectionScore,
    TotalScore,
)

SCHEMA_VERSION = 1  # columns added later come with ALTER … IF NOT EXISTS below, so old databases open

_PROV = """
    method VARCHAR, page INTEGER, block_idx INTEGER, table_idx INTEGER, row_idx INTEGER,
    col_idx INTEGER, char_start INTEGER, char_end INTEGER, raw VARCHAR,
    bbox DOUBLE[], confidence DOUBLE
"""

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY, path VARCHAR, format VARCHAR, pages INTEGER, status VARCHAR,
    error VARCHAR, encoding VARCHAR, n_chars INTEGER, department VARCHAR, region VARCHAR,
    year INTEGER, pipeline_version VARCHAR, ingested_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS doc_text (doc_id VARCHAR PRIMARY KEY, text VARCHAR);
CREATE TABLE IF NOT EXISTS blocks (
    doc_id VARCHAR, block_idx INTEGER, kind VARCHAR, page INTEGER, char_start INTEGER,
    char_end INTEGER, table_idx INTEGER
);
CREATE TABLE IF NOT EXISTS table_cells (
    doc_id VARCHAR, table_idx INTEGER, row_idx INTEGER, col_idx INTEGER, rowspan INTEGER,
    colspan INTEGER, page INTEGER, char_start INTEGER, char_end INTEGER, text VARCHAR,
    bbox DOUBLE[], confidence DOUBLE
);
CREATE TABLE IF NOT EXISTS amounts (
    doc_id VARCHAR, fact_id VARCHAR, key VARCHAR, value DOUBLE, decimals INTEGER, scale DOUBLE,
    unit VARCHAR, source VARCHAR, is_primary BOOLEAN, label VARCHAR, {_PROV}
);
CREATE TABLE IF NOT EXISTS indicators (
    doc_id VARCHAR, fact_id VARCHAR, table_seq INTEGER, table_kind VARCHAR, row_seq INTEGER,
    level1 VARCHAR, level2 VARCHAR, level3 VARCHAR, target VARCHAR, actual VARCHAR,
    weight DOUBLE, weight_decimals INTEGER, score DOUBLE, score_decimals INTEGER,
    deviation_reason VARCHAR, cells JSON, {_PROV}
);
CREATE TABLE IF NOT EXISTS sections (
    doc_id VARCHAR, fact_id VARCHAR, level1 VARCHAR, level2 VARCHAR, weight DOUBLE,
    weight_decimals INTEGER, score DOUBLE, score_decimals INTEGER, {_PROV}
);
CREATE TABLE IF NOT EXISTS projects (
    doc_id VARCHAR, fact_id VARCHAR, name VARCHAR, budget DOUBLE, budget_decimals INTEGER,
    executed DOUBLE, executed_decimals INTEGER, rate_pct DOUBLE, score DOUBLE,
    score_decimals INTEGER, {_PROV}
);
CREATE TABLE IF NOT EXISTS line_items (
    doc_id VARCHAR, fact_id VARCHAR, parent VARCHAR, name VARCHAR, value DOUBLE,
    decimals INTEGER, scale DOUBLE, {_PROV}
);
CREATE TABLE IF NOT EXISTS total_scores (
    doc_id VARCHAR, fact_id VARCHAR, value DOUBLE, decimals INTEGER, weight DOUBLE, {_PROV}
);
CREATE TABLE IF NOT EXISTS mentions (
    doc_id VARCHAR, fact_id VARCHAR, kind VARCHAR, label VARCHAR, value DOUBLE,
    decimals INTEGER, unit VARCHAR, {_PROV}
);
CREATE TABLE IF NOT EXISTS disclosure_cells (
    doc_id VARCHAR, fact_id VARCHAR, table_kind VARCHAR, phase VARCHAR, table_seq INTEGER,
    title VARCHAR, row_label VARCHAR, row_key VARCHAR, code VARCHAR, "column" VARCHAR,
    column_key VARCHAR, value DOUBLE, decimals INTEGER, scale DOUBLE, {_PROV}
);
CREATE TABLE IF NOT EXISTS disclosure_figures (
    doc_id VARCHAR, fact_id VARCHAR, kind VARCHAR, label VARCHAR, section VARCHAR, base VARCHAR,
    value DOUBLE, decimals INTEGER, {_PROV}
);
CREATE TABLE IF NOT EXISTS findings (
    doc_id VARCHAR, finding_idx INTEGER, rule VARCHAR, severity VARCHAR, message VARCHAR,
    reported DOUBLE, computed DOUBLE, difference DOUBLE, "values" DOUBLE[], fact_ids VARCHAR[]
);
CREATE TABLE IF NOT EXISTS llm_calls (
    doc_id VARCHAR, call_id VARCHAR, chunk_hash VARCHAR, prompt_name VARCHAR,
    prompt_version VARCHAR, model VARCHAR, schema_name VARCHAR, tokens_in INTEGER,
    tokens_out INTEGER, latency_ms DOUBLE, cache_hit BOOLEAN, outcome VARCHAR, error VARCHAR,
    created_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS llm_cache (
    cache_key VARCHAR PRIMARY KEY, model VARCHAR, prompt_version VARCHAR, schema_name VARCHAR,
    response JSON, tokens_in INTEGER, tokens_out INTEGER, created_at TIMESTAMP,
    outcome VARCHAR DEFAULT 'ok', error VARCHAR
);
ALTER TABLE llm_cache ADD COLUMN IF NOT EXISTS outcome VARCHAR DEFAULT 'ok';
ALTER TABLE llm_cache ADD COLUMN IF NOT EXISTS error VARCHAR;
ALTER TABLE amounts ADD COLUMN IF NOT EXISTS project_id VARCHAR;
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS project_id VARCHAR;
ALTER TABLE sections ADD COLUMN IF NOT EXISTS project_id VARCHAR;
ALTER TABLE projects ADD COLUMN IF NOT EXISTS initial_budget DOUBLE;
ALTER TABLE projects ADD COLUMN IF NOT EXISTS funds_weight DOUBLE;
ALTER TABLE projects ADD COLUMN IF NOT EXISTS funds_score DOUBLE;
ALTER TABLE projects ADD COLUMN IF NOT EXISTS total_weight DOUBLE;
ALTER TABLE findings ADD COLUMN IF NOT EXISTS message_en VARCHAR;
ALTER TABLE projects ADD COLUMN IF NOT EXISTS title VARCHAR;
ALTER TABLE projects ADD COLUMN IF NOT EXISTS source VARCHAR;
ALTER TABLE projects ADD COLUMN IF NOT EXISTS document_form BOOLEAN;
ALTER TABLE projects ADD COLUMN IF NOT EXISTS restates VARCHAR;
CREATE TABLE IF NOT EXISTS llm_rejections (
    doc_id VARCHAR, chunk_hash VARCHAR, field VARCHAR, value VARCHAR, quote VARCHAR,
    reason VARCHAR, model_output JSON, created_at TIMESTAMP
);
"""

PER_DOCUMENT_TABLES = (
    "doc_text",
    "blocks",
    "table_cells",
    "amounts",
    "indicators",
    "sections",
    "projects",
    "line_items",
    "total_scores",
    "mentions",
    "disclosure_cells",
    "disclosure_figures",
    "findings",
    "llm_calls",
    "llm_rejections",
)


class SchemaError(Exception):
    """The database was made by an incompatible version of jixiao."""


def connect(db_path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database; a writable connection creates or checks the schema."""
    db_path = Path(db_path)
    if read_only:
        if not db_path.exists():
            raise FileNotFoundError(f"no database at {db_path}: run `jixiao ingest` first")
        return duckdb.connect(str(db_path), read_only=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path))
    ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA)
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    elif int(row[0]) != SCHEMA_VERSION:
        raise SchemaError(f"database schema version {row[0]}, this jixiao needs {SCHEMA_VERSION}")
    from pipeline.views import create_views

    create_views(con)


def known_status(con: duckdb.DuckDBPyConnection, doc_id: str) -> str | None:
    row = con.execute("SELECT status FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    return row[0] if row else None


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def save_document(con: duckdb.DuckDBPyConnection, doc: Document, facts: Facts | None, findings: list[Finding]) -> None:
    """Replace everything stored for this document, in one transaction (a document stored for the
    first time has nothing to replace: its rows are only ever written together with its
    `documents` row, so the per-table deletes are skipped)."""
    with transaction(con):
        if known_status(con, doc.doc_id) is not None:
            for table in ("documents", *PER_DOCUMENT_TABLES):
                con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc.doc_id])
        con.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                doc.doc_id,
                doc.path,
                doc.format,
                len(doc.pages),
                doc.status,
                doc.error,
                doc.encoding,
                len(doc.text),
                facts.department if facts else None,
                facts.region if facts else None,
                facts.year if facts else None,
                __version__,
                datetime.now(UTC).replace(tzinfo=None),
            ],
        )
        if doc.status == "failed":
            return
        con.execute("INSERT INTO doc_text VALUES (?, ?)", [doc.doc_id, doc.text])
        _insert(
            con,
            "blocks",
            [[doc.doc_id, b.index, b.kind, b.page, b.char_start, b.char_end, b.table] for b in doc.blocks],
        )
        _insert(
            con,
            "table_cells",
            [
                [
                    doc.doc_id,
                    t.index,
                    c.row,
                    c.col,
                    c.rowspan,
                    c.colspan,
                    c.page,
                    c.char_start,
                    c.char_end,
                    c.text,
                    list(c.bbox) if c.bbox else None,
                    c.confidence,
                ]
                for t in doc.tables
                for c in t.cells
            ],
        )
        if facts is not None:
            _save_facts(con, doc.doc_id, facts)
        _insert(
            con,
            "findings",
            [
                [
                    doc.doc_id,
                    i,
                    f.rule,
                    f.severity,
                    f.message,
                    f.reported,
                    f.computed,
                    f.difference,
                    f.values,
                    f.fact_ids,
                    f.message_en or f.message,
                ]
                for i, f in enumerate(findings)
            ],
        )


def save_llm_call(con: duckdb.DuckDBPyConnection, row: dict[str, Any]) -> None:
    cols = [
        "doc_id",
        "call_id",
        "chunk_hash",
        "prompt_name",
        "prompt_version",
        "model",
        "schema_name",
        "tokens_in",
        "tokens_out",
        "latency_ms",
        "cache_hit",
        "outcome",
        "error",
        "created_at",
    ]
    _insert(con, "llm_calls", [[row.get(c) for c in cols]])


def save_llm_rejections(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    cols = ["doc_id", "chunk_hash", "field", "value", "quote", "reason", "model_output", "created_at"]
    _insert(con, "llm_rejections", [[row.get(c) for c in cols] for row in rows])


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[list[Any]]) -> None:
    """Insert rows column-wise: one statement unnesting a list per column (executemany costs
    about a millisecond per row, which made large tables slow to store)."""
    if not rows:
        return
    types = _column_types(con, table)
    columns = [list(column) for column in zip(*rows, strict=True)]
    select = ", ".join(f"unnest(${i}::{t}[])" for i, t in enumerate(types, start=1))
    con.execute(f"INSERT INTO {table} SELECT {select}", columns)


_COLUMN_TYPES: dict[str, list[str]] = {}


def _column_types(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The table's column types in order, looked up once: every database this version opens has
    the same schema (`ensure_schema` refuses another)."""
    if table not in _COLUMN_TYPES:
        _COLUMN_TYPES[table] = [
            r[0]
            for r in con.execute(
                "SELECT data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
    return _COLUMN_TYPES[table]


def _prov(p: Provenance) -> list[Any]:
    return [
        p.method,
        p.page,
        p.block,
        p.table,
        p.row,
        p.col,
        p.char_start,
        p.char_end,
        p.raw,
        list(p.bbox) if p.bbox else None,
        p.confidence,
    ]


def _value(n: Number | None) -> float | None:
    return n.value if n else None


def _num(n: Number | None) -> list[Any]:
    return [n.value, n.decimals] if n else [None, None]


def _save_facts(con: duckdb.DuckDBPyConnection, doc_id: str, facts: Facts) -> None:
    a: list[Amount] = facts.amounts
    _insert(
        con,
        "amounts",
        [
            [
                doc_id,
                x.id,
                x.key,
                x.number.value,
                x.number.decimals,
                x.number.scale,
                x.unit,
                x.source,
                x.primary,
                x.label,
                *_prov(x.prov),
                x.project_id,
            ]
            for x in a
        ],
    )
    ind: list[Indicator] = facts.indicators
    _insert(
        con,
        "indicators",
        [
            [
                doc_id,
                x.id,
                x.table_seq,
                x.table_kind,
                x.row_seq,
                x.level1,
                x.level2,
                x.level3,
                x.target,
                x.actual,
                *_num(x.weight),
                *_num(x.score),
                x.deviation_reason,
                json.dumps({k: v.model_dump(exclude_none=True) for k, v in x.cells.items()}, ensure_ascii=False),
                *_prov(x.prov),
                x.project_id,
            ]
            for x in ind
        ],
    )
    sec: list[SectionScore] = facts.sections
    _insert(
        con,
        "sections",
        [
            [doc_id, x.id, x.level1, x.level2, *_num(x.weight), *_num(x.score), *_prov(x.prov), x.project_id]
            for x in sec
        ],
    )
    proj: list[Project] = facts.projects
    _insert(
        con,
        "projects",
        [
            [
                doc_id,
                x.id,
                x.name,
                *_num(x.budget),
                *_num(x.executed),
                x.rate_pct.value if x.rate_pct else None,
                *_num(x.score),
                *_prov(x.prov),
                *(
                    _value(getattr(x, name))
                    for name in ("initial_budget", "funds_weight", "funds_score", "total_weight")
                ),
                x.title,
                x.source,
                x.document_form,
                x.restates,
            ]
            for x in proj
        ],
    )
    items: list[LineItem] = facts.line_items
    _insert(
        con,
        "line_items",
        [
            [doc_id, x.id, x.parent, x.name, x.number.value, x.number.decimals, x.number.scale, *_prov(x.prov)]
            for x in items
        ],
    )
    total: TotalScore | None = facts.total_score
    if total is not None:
        _insert(
            con,
            "total_scores",
            [
                [
                    doc_id,
                    total.id,
                    total.number.value,
                    total.number.decimals,
                    total.weight.value if total.weight else None,
                    *_prov(total.prov),
                ]
            ],
        )
    men: list[Mention] = facts.mentions
    _insert(con, "mentions", [[doc_id, x.id, x.kind, x.label, *_num(x.number), x.unit, *_prov(x.prov)] for x in men])
    _save_disclosure(con, doc_id, facts)


def _save_disclosure(con: duckdb.DuckDBPyConnection, doc_id: str, facts: Facts) -> None:
    """The standard tables' cells and the narrative's figures of a 部门预算/决算 disclosure."""
    cells: list[DisclosureCell] = facts.disclosure_cells
    _insert(
        con,
        "disclosure_cells",
        [
            [
                doc_id,
                x.id,
                x.table_kind,
                x.phase,
                x.table_seq,
                x.title,
                x.row_label,
                x.row_key,
                x.code,
                x.column,
                x.column_key,
                x.number.value,
                x.number.decimals,
                x.number.scale,
                *_prov(x.prov),
            ]
            for x in cells
        ],
    )
    figures: list[DisclosureFigure] = facts.disclosure_figures
    _insert(
        con,
        "disclosure_figures",
        [[doc_id, x.id, x.kind, x.label, x.section, x.base, *_num(x.number), *_prov(x.prov)] for x in figures],
    )
