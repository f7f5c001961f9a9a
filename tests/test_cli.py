"""The `jixiao` command as a user runs it: ingest, re-ingest, failed rows, exit codes, query."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def jixiao(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )


@pytest.fixture()
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(SAMPLES / "003_8d36f83c1eb61d9b.txt", folder / "good.txt")
    shutil.copy(SAMPLES / "004_48477aa04392dd68.txt", folder / "nested" / "also_good.txt")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 this is not really a zip archive")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_ingest_stores_good_files_and_a_failed_row_per_bad_file(batch: Path, tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    run = jixiao("ingest", str(batch), "--db", str(db), "--no-llm")
    assert run.returncode == 1, run.stderr
    assert "broken.docx" in run.stderr and "empty file" in run.stderr
    con = duckdb.connect(str(db), read_only=True)
    rows = dict(con.execute("SELECT regexp_extract(path, '[^/]+$'), status FROM documents").fetchall())
    assert rows == {"good.txt": "ok", "also_good.txt": "ok", "broken.docx": "failed", "empty.txt": "failed"}
    errors = dict(
        con.execute("SELECT regexp_extract(path, '[^/]+$'), error FROM documents WHERE status = 'failed'").fetchall()
    )
    assert errors["empty.txt"] == "empty file (0 bytes)"
    assert "zip" in errors["broken.docx"]
    text = con.execute(
        "SELECT text FROM doc_text JOIN documents USING (doc_id) WHERE path LIKE '%good.txt'"
    ).fetchone()[0]
    assert text == (SAMPLES / "003_8d36f83c1eb61d9b.txt").read_text(encoding="utf-8")
    cells = con.execute("""SELECT c.text, c.char_start, c.char_end FROM table_cells c JOIN documents d USING (doc_id)
                           WHERE d.path LIKE '%/good.txt' AND c.text = '4229.37'""").fetchall()
    assert cells and all(text[s:e] == "4229.37" for _, s, e in cells)
    con.close()


def test_reingest_is_a_no_op(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    sample = SAMPLES / "003_8d36f83c1eb61d9b.txt"
    assert jixiao("ingest", str(sample), "--db", str(db), "--no-llm").returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    before = con.execute("SELECT doc_id, ingested_at FROM documents").fetchall()
    con.close()
    again = jixiao("ingest", str(sample), "--db", str(db), "--no-llm")
    assert again.returncode == 0
    assert "1 already stored" in again.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT doc_id, ingested_at FROM documents").fetchall() == before
    assert con.execute("SELECT count(*) FROM doc_text").fetchone()[0] == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert jixiao("ingest", str(tmp_path / "missing.txt"), "--db", str(tmp_path / "j.duckdb")).returncode == 2
    assert jixiao("query", "select 1", "--db", str(tmp_path / "none.duckdb")).returncode == 2
    assert jixiao("frobnicate").returncode == 2


def test_query_is_read_only_and_formats(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    jixiao("ingest", str(SAMPLES / "003_8d36f83c1eb61d9b.txt"), "--db", str(db))
    listed = jixiao(
        "query", "select format, status, count(*) as n from documents group by all", "--db", str(db), "--format", "json"
    )
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [{"format": "txt", "status": "ok", "n": 1}]
    csv_out = jixiao("query", "select status from documents", "--db", str(db), "--format", "csv")
    assert csv_out.stdout.splitlines() == ["status", "ok"]
    write = jixiao("query", "delete from documents", "--db", str(db))
    assert write.returncode == 2 and "read-only" in write.stderr.lower()


def test_extract_json_has_the_gold_schema() -> None:
    run = jixiao("extract", str(SAMPLES / "003_8d36f83c1eb61d9b.txt"), "--json", "--no-llm")
    assert run.returncode == 0, run.stderr
    payload = json.loads(run.stdout)
    assert set(payload) >= {
        "doc",
        "department",
        "region",
        "year",
        "amounts",
        "indicators",
        "section_weights",
        "projects",
        "line_items",
        "total_score",
        "findings",
    }
    assert payload["doc"] == "003_8d36f83c1eb61d9b.txt"
