"""Faults during a batch (issue 8): kill -9 in the middle, run again, and the database equals the one a
clean run makes, with one worker process or several (issue 18); `jixiao query` works while an
ingest is writing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.store import PER_DOCUMENT_TABLES

sys.path.insert(0, str(Path(__file__).parent))
from make_bad_inputs import make_pdf, pdf_lines, report_text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
# every table a document writes, less the LLM records (an ingest with --no-llm writes none)
TABLES = ("documents", *(t for t in PER_DOCUMENT_TABLES if not t.startswith("llm_")))


def jixiao_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", *args]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """18 files: the samples as text and Word, one as PDF, text variants with other numbers, an empty
    file, and last a long text PDF: the batch cannot be written in one burst before a kill lands
    (with two workers the long file is read first and the writer waits for it at the end)."""
    folder = tmp_path_factory.mktemp("crash_batch")
    for sample in sorted(SAMPLES.iterdir()):
        if sample.suffix in {".txt", ".docx"} or sample.name.startswith("003_") and sample.suffix == ".pdf":
            shutil.copy(sample, folder / sample.name)
    for sample in sorted(SAMPLES.glob("*.txt")):
        text = sample.read_text(encoding="utf-8")
        (folder / f"variant_{sample.name}").write_text(text.replace("2024年", "2025年").replace("0", "7"), "utf-8")
    (folder / "zz_empty.txt").write_bytes(b"")
    (folder / "zz_long.pdf").write_bytes(make_pdf(pdf_lines(report_text()), pages=150, per_page=8))
    return folder


def rows_in(db: Path) -> int:
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:  # not created yet, or the ingest holds the lock right now
        return 0
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except duckdb.Error:
        return 0
    finally:
        con.close()


def start_ingest(folder: Path, db: Path, workers: int = 1) -> subprocess.Popen:
    return subprocess.Popen(
        jixiao_args("ingest", str(folder), "--db", str(db), "--no-llm", "--workers", str(workers)),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for_rows(db: Path, process: subprocess.Popen, n: int) -> None:
    deadline = time.monotonic() + 120
    while rows_in(db) < n:
        assert process.poll() is None, "the ingest finished before it could be killed"
        assert time.monotonic() < deadline, "no rows written within 120 s"
        time.sleep(0.05)


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every stored row, sorted, without the ingestion time."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = {}
        for table in TABLES:
            columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] != "ingested_at"]
            select = ", ".join(f'"{c}"' for c in columns)
            result[table] = sorted(con.execute(f"SELECT {select} FROM {table}").fetchall(), key=repr)
        return result
    finally:
        con.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_mid_batch_then_rerun_equals_a_clean_run(batch: Path, tmp_path: Path, workers: int) -> None:
    """Killed with `workers` worker processes and run again with as many: the database a clean
    one-worker run makes."""
    db = tmp_path / "killed.duckdb"
    process = start_ingest(batch, db, workers)
    wait_for_rows(db, process, 3)
    os.killpg(process.pid, signal.SIGKILL)  # the CLI (its workers then stop when they find it gone), as an OOM kill
    process.wait()
    stored = rows_in(db)
    n_files = len(list(batch.iterdir()))
    assert 3 <= stored < n_files, "the kill did not land in the middle of the batch"

    rerun = subprocess.run(
        jixiao_args("ingest", str(batch), "--db", str(db), "--no-llm", "--workers", str(workers)),
        cwd=ROOT,
        text=True,
        capture_output=True,
    )
    assert rerun.returncode == 1, rerun.stderr  # zz_empty.txt fails, nothing else
    assert "already stored" in rerun.stderr

    clean = tmp_path / "clean.duckdb"
    subprocess.run(
        jixiao_args("ingest", str(batch), "--db", str(clean), "--no-llm", "--workers", "1"),
        cwd=ROOT,
        capture_output=True,
    )
    killed, fresh = snapshot(db), snapshot(clean)
    assert len(fresh["documents"]) == n_files
    for table in TABLES:
        assert killed[table] == fresh[table], table


def test_query_works_while_an_ingest_is_writing(batch: Path, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    shutil.copytree(batch, busy)
    for sample in sorted(SAMPLES.glob("*.txt")):  # text files (written after the larger ones) for a long tail
        text = sample.read_text(encoding="utf-8")
        for copy in range(6):
            (busy / f"copy{copy}_{sample.name}").write_text(f"{text}\n（副本{copy}）\n", "utf-8")
    db = tmp_path / "busy.duckdb"
    process = start_ingest(busy, db)
    try:
        wait_for_rows(db, process, 1)
        query = subprocess.run(
            jixiao_args("query", "SELECT count(*) AS n FROM documents", "--db", str(db), "--format", "csv"),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert process.poll() is None, "the ingest finished before the query ran"
        assert query.returncode == 0, query.stderr
        assert int(query.stdout.splitlines()[1]) >= 1
    finally:
        process.wait(timeout=300)
    assert process.returncode == 1  # zz_empty.txt
    assert rows_in(db) == len(list(busy.iterdir()))
