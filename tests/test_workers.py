"""`jixiao ingest --workers N` and `--ray` (issue 18): files are read by several worker processes at
once (largest first), the parent writes the database in the order of the files, so the stored facts
and findings are the same whatever N is; a failed file is a `failed` row and the batch goes on; a
re-run is a no-op."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_bad_inputs import make_pdf, pdf_lines, report_text  # noqa: E402
from test_crash_recovery import jixiao_args, snapshot  # noqa: E402

from pipeline.run import READ_AHEAD_BYTES, ReadAhead, _Pending, reading_order  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
CORPUS_DOCS = ROOT / "tests" / "corpus" / "docs"


def jixiao(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(jixiao_args(*args), cwd=ROOT, text=True, capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real reports and the samples as text and Word, a copy of one under another name, an empty file."""
    folder = tmp_path_factory.mktemp("workers_batch")
    for doc in sorted(CORPUS_DOCS.glob("*.txt"))[:4]:
        shutil.copy(doc, folder / doc.name)
    for sample in sorted(SAMPLES.glob("00[0-2]_*.txt")) + sorted(SAMPLES.glob("001_*.docx")):
        shutil.copy(sample, folder / sample.name)
    shutil.copy(SAMPLES / "000_6846721e42868cd4.txt", folder / "zz_same_bytes.txt")
    (folder / "zz_empty.txt").write_bytes(b"")
    return folder


def statuses(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT regexp_extract(path, '[^/]+$'), status FROM documents").fetchall())
    finally:
        con.close()


@pytest.fixture(scope="module")
def one_worker(batch: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The batch ingested one file at a time."""
    db = tmp_path_factory.mktemp("one_worker") / "j.duckdb"
    run = jixiao("ingest", str(batch), "--db", str(db), "--no-llm", "--workers", "1")
    assert run.returncode == 1, run.stderr  # the empty file fails
    return db


def test_two_workers_store_what_one_stores(batch: Path, one_worker: Path, tmp_path: Path) -> None:
    db = tmp_path / "two.duckdb"
    run = jixiao("ingest", str(batch), "--db", str(db), "--no-llm", "--workers", "2")
    assert run.returncode == 1, run.stderr
    assert "10 files: 8 ok, 0 need OCR, 1 failed, 1 already stored" in run.stderr
    rows = statuses(db)
    assert rows["zz_empty.txt"] == "failed" and "zz_same_bytes.txt" not in rows  # same bytes as a sample: stored once
    assert sorted(rows.values()).count("ok") == 8
    one, two = snapshot(one_worker), snapshot(db)
    assert one["amounts"] and one["indicators"] and one["findings"]
    for table in one:
        assert two[table] == one[table], table


def test_the_largest_files_start_first_and_one_worker_follows_the_writing_order() -> None:
    sizes = {"a.txt": 10, "b.pdf": 300, "c.txt": 10, "d.docx": 20, "e.pdf": 200}
    entering = [_Pending(Path(name), None, size) for name, size in sizes.items()]
    names = lambda files: [p.path.name for p in files]  # noqa: E731
    assert names(reading_order(entering, 1)) == ["a.txt", "b.pdf", "c.txt", "d.docx", "e.pdf"]
    assert names(reading_order(entering, 2)) == ["b.pdf", "a.txt", "c.txt", "d.docx", "e.pdf"]
    assert names(reading_order(entering, 3)) == ["b.pdf", "e.pdf", "a.txt", "c.txt", "d.docx"]


def test_the_read_ahead_is_bounded_by_files_and_by_bytes() -> None:
    window = ReadAhead.per_worker(2)
    small = [_Pending(Path(f"{i}.txt"), None, 1_000) for i in range(window.files - 1)]
    assert not window.full(small)  # other workers go on past a slow file, up to READ_AHEAD_FILES each
    assert window.full([*small, _Pending(Path("one-more.txt"), None, 1_000)])
    large = [_Pending(Path(f"{i}.pdf"), None, READ_AHEAD_BYTES) for i in range(2)]
    assert window.full(large)  # two large files per two workers hold the reading, however few files


def test_rerun_with_two_workers_is_a_no_op(batch: Path, one_worker: Path, tmp_path: Path) -> None:
    db = tmp_path / "again.duckdb"
    shutil.copy(one_worker, db)
    con = duckdb.connect(str(db), read_only=True)
    before = con.execute("SELECT doc_id, ingested_at FROM documents WHERE status = 'ok' ORDER BY doc_id").fetchall()
    con.close()
    again = jixiao("ingest", str(batch), "--db", str(db), "--no-llm", "--workers", "2")
    assert again.returncode == 1  # the empty file fails again
    assert "10 files: 0 ok, 0 need OCR, 1 failed, 9 already stored" in again.stderr
    con = duckdb.connect(str(db), read_only=True)
    after = con.execute("SELECT doc_id, ingested_at FROM documents WHERE status = 'ok' ORDER BY doc_id").fetchall()
    con.close()
    assert after == before
    assert snapshot(db) == snapshot(one_worker)


def test_a_file_over_the_time_limit_fails_and_the_other_workers_go_on(tmp_path: Path) -> None:
    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "a_slow.pdf").write_bytes(
        make_pdf(pdf_lines(report_text()), pages=1500, per_page=8)
    )  # read in 10 s or more
    for sample in sorted(SAMPLES.glob("00[0-2]_*.txt")):
        shutil.copy(sample, folder / f"b_{sample.name}")
    db = tmp_path / "j.duckdb"
    run = jixiao("ingest", str(folder), "--db", str(db), "--no-llm", "--workers", "2", "--max-seconds", "4")
    assert run.returncode == 1, run.stderr
    con = duckdb.connect(str(db), read_only=True)
    rows = dict(con.execute("SELECT regexp_extract(path, '[^/]+$'), coalesce(error, status) FROM documents").fetchall())
    con.close()
    assert rows.pop("a_slow.pdf") == "took longer than 4 s (time limit)"
    assert set(rows.values()) == {"ok"} and len(rows) == 3


def children(pid: int) -> set[int]:
    """The process ids of a process's children."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_ctrl_c_stops_the_files_being_read_at_once(tmp_path: Path) -> None:
    """Interrupted while two workers read long files, the command ends in seconds and leaves no worker behind."""
    folder = tmp_path / "long"
    folder.mkdir()
    pdf = make_pdf(pdf_lines(report_text()), pages=500, per_page=8)
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        (folder / name).write_bytes(pdf + f"%{name}\n".encode())  # not the same bytes
    process = subprocess.Popen(
        jixiao_args("ingest", str(folder), "--db", str(tmp_path / "j.duckdb"), "--no-llm", "--workers", "2"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        # as from a terminal: a test run started in the background (`pytest &`) ignores SIGINT, and
        # so would the ingest it starts
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 120
        while len(children(process.pid)) < 3:  # the resource tracker and two workers
            assert process.poll() is None and time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.1)
        workers = children(process.pid)
        time.sleep(1)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 130
        assert time.monotonic() - started < 10  # reading the three files takes longer than that
        time.sleep(0.5)
        assert not [pid for pid in workers if alive(pid)]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="Ray is not installed (pip install 'jixiao[ray]')")
def test_a_local_ray_pool_stores_what_one_worker_stores(batch: Path, tmp_path: Path) -> None:
    """`--ray local` starts a Ray instance of its own for the run; the parent writes the database, and the
    time limit stops a slow file on the Ray side too."""
    small = tmp_path / "small"
    small.mkdir()
    for name in ("000_6846721e42868cd4.txt", "001_071a5d285f2a70b3.docx", "zz_empty.txt"):
        shutil.copy(batch / name, small / name)
    (small / "slow.pdf").write_bytes(make_pdf(pdf_lines(report_text()), pages=1500, per_page=8))
    local, ray = tmp_path / "local.duckdb", tmp_path / "ray.duckdb"
    limit = ("--no-llm", "--max-seconds", "4")
    assert jixiao("ingest", str(small), "--db", str(local), *limit, "--workers", "1").returncode == 1
    run = jixiao("ingest", str(small), "--db", str(ray), *limit, "--ray", "local", "--workers", "2")
    assert run.returncode == 1, run.stderr
    assert "4 files: 2 ok, 0 need OCR, 2 failed" in run.stderr
    assert "slow.pdf: took longer than 4 s (time limit)" in run.stderr
    assert snapshot(ray) == snapshot(local)


def test_ray_without_ray_installed_is_a_usage_error(tmp_path: Path) -> None:
    if importlib.util.find_spec("ray") is not None:
        pytest.skip("Ray is installed")
    run = jixiao(
        "ingest", str(SAMPLES / "000_6846721e42868cd4.txt"), "--db", str(tmp_path / "j.duckdb"), "--ray", "auto"
    )
    assert run.returncode == 2 and "jixiao[ray]" in run.stderr


def test_workers_and_ray_are_documented_in_help() -> None:
    help_text = jixiao("ingest", "--help").stdout
    assert "--workers" in help_text and "--ray" in help_text
