"""Orchestration: the pipeline as a chain of stages, for one file or a batch."""

from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from extract import extract_facts
from pipeline.limits import (
    LimitExceeded,
    Limits,
    check_size,
    close_workers,
    connect_waiting,
    kill_workers,
    run_limited,
)
from pipeline.models import Document, Facts, Finding
from pipeline.readers import (
    SUPPORTED_SUFFIXES,
    Progress,
    cpu_cores,
    file_hash,
    hash_file,
    page_progress,
    read_document,
)
from pipeline.settings import LlmSettings
from validate import validate

if TYPE_CHECKING:
    from extract.llm import LlmOutput

# How far reading runs ahead of writing, per worker: files whose results wait, in memory, for the
# file before them to be written. Counted in files and in the bytes of those files, whichever is
# reached first; wide enough that the other workers go on while one reads a large file.
READ_AHEAD_FILES = 32
READ_AHEAD_BYTES = 8 * 2**20
WRITE_HOLD_S = 2.0  # longest the batch holds the database for a run of writes, so that `jixiao query` gets in
QUERY_GAP_S = 0.1  # how long it then leaves the database free (connect_waiting retries every 0.05 s)


@dataclass
class RunOptions:
    """What the pipeline does beyond the deterministic path."""

    use_llm: bool = False
    force: bool = False
    limits: Limits = field(default_factory=Limits)
    llm: LlmSettings | None = None  # endpoint and model; None → from the environment / local default
    cores: int | None = None  # CPU cores one file's reader may use (OCR); None → the machine's


@dataclass
class Result:
    doc: Document
    facts: Facts | None = None
    findings: list[Finding] = field(default_factory=list)
    skipped: bool = False
    llm: LlmOutput | None = None  # the LLM stage's call records and rejections


def process(path: str | Path, options: RunOptions | None = None, cache_db: str | Path | None = None) -> Result:
    """Read, extract and validate one file; with `use_llm`, answers are cached in `cache_db`."""
    doc = read_document(path)
    if doc.status != "ok":
        return Result(doc=doc)
    result = Result(doc=doc, facts=extract_facts(doc))
    if options is not None and options.use_llm:
        add_llm_facts(result, options, cache_db)
    result.findings = validate(result.facts) + (result.llm.findings if result.llm else [])
    return result


def add_llm_facts(result: Result, options: RunOptions, cache_db: str | Path | None = None) -> None:
    """Run the LLM stage over the narrative: grounded facts are added to `result.facts`."""
    from extract.llm import extract_narrative

    settings = options.llm or LlmSettings()
    result.llm = extract_narrative(result.doc, result.facts, settings, cache_db or settings.cache_db)


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus supported files found recursively in folders, sorted."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            files.append(p)
    return files


def reading_order(entering: list[_Pending], workers: int) -> list[_Pending]:
    """The order files entering the read-ahead start in: the `workers` − 1 largest first, then the
    others in the order they are written.

    A large file started last would be read by one worker while the others have nothing left;
    started first, it is read while the others go through the small files — and one worker always
    takes the files in the order they are written, so the writing goes on meanwhile instead of
    piling up at the end. The start order never changes what is written.
    """
    largest = sorted(entering, key=lambda pending: (-pending.size, str(pending.path)))[: max(0, workers - 1)]
    return largest + [pending for pending in entering if pending not in largest]


def _size(path: Path) -> int:
    """The file's size in bytes; 0 for a file that cannot be read (it becomes a failed row later)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def ingest(
    files: list[Path],
    db_path: str | Path,
    options: RunOptions,
    on_result: Callable[[Path, Result], None] | None = None,
    on_progress: Callable[[Path, int, int], None] | None = None,
    workers: int = 1,
    ray_address: str | None = None,
) -> None:
    """Process each file into the database; a bad file becomes a `failed` row, never an exception.

    Files are read by `read_file` in `workers` worker processes at once (or by a Ray pool at
    `ray_address`, `workers` None there meaning all the cluster's CPUs). This process alone writes
    the database, in the order of `files`, one transaction per document, so the database is the
    same whatever the number of workers; the LLM stage runs here too, one document at a time,
    with its own bounded concurrency. The database is opened only to write each finished
    run of finished documents (released before waiting for a worker or the LLM, and every
    `WRITE_HOLD_S`), so a killed batch keeps every document written before, and `jixiao query` can
    read in between. Results go to `on_result` in that order and are not kept: at most
    `READ_AHEAD_FILES` files and `READ_AHEAD_BYTES` of files per worker are read ahead of the next
    one to write, so memory stays flat however long the batch (a file much slower than the others
    holds the writing, and the other workers go on only that far ahead). Of the files entering that
    read-ahead, the largest start first (`reading_order`), so a large file is not left to the end.
    A file read by OCR reports `on_progress(path, pages_read, pages_in_all)` as it
    goes, from its worker process (not from a Ray cluster).
    """
    from pipeline import store

    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = connect_waiting(db_path)  # a running `jixiao query` may hold the lock for a moment
    store.ensure_schema(con)
    stored = {
        row[0] for row in con.execute("SELECT doc_id FROM documents WHERE status IN ('ok', 'needs_ocr')").fetchall()
    }
    con.close()
    readers = (
        RayReaders(ray_address, workers, options)
        if ray_address
        else LocalReaders(workers or 1, options, at_once=min(workers or 1, len(files)))
    )
    writer = _Writer(db_path)
    waiting, pending = deque(files), deque[_Pending]()
    try:
        while waiting or pending:
            entering = []
            while waiting and not readers.window.full([*pending, *entering]):
                entering.append(_enter(waiting.popleft(), options, stored))
            for file in reading_order(entering, readers.workers):
                file.start(readers, on_progress)
            pending.extend(entering)
            _finish(pending.popleft(), writer, options, stored, on_result)
    except BaseException:  # Ctrl-C or a database error: stop the files being read rather than wait for them
        readers.abort()
        raise
    finally:
        writer.release()
        readers.close()


def read_file(path: Path, options: RunOptions, report: Progress | None = None, isolate: bool = True) -> Result:
    """The per-file worker function: read, extract and validate one file under the per-file limits.

    Runs in a thread of the parent (the file itself in that thread's worker process) or in a Ray
    worker. With `isolate` False and no time limit the file is read in this process. A file over a
    limit, or one that crashed its worker, is a `failed` Result (its doc_id is set by the parent).
    The LLM stage is left to the parent.
    """
    limits = options.limits
    args = (path, replace(options, use_llm=False))
    try:
        check_size(path, limits)
        if isolate or limits.max_seconds:
            return run_limited(_process_args, args, limits, report)
        return _process_args(args, report)
    except LimitExceeded as exc:
        fmt = path.suffix.lower().lstrip(".") or "unknown"
        return Result(doc=Document(doc_id="", path=str(path), format=fmt, status="failed", error=str(exc)))


@dataclass(frozen=True)
class ReadAhead:
    """How many files, and how many bytes of files, may wait to be written."""

    files: int
    bytes: int

    @classmethod
    def per_worker(cls, workers: int) -> ReadAhead:
        return cls(READ_AHEAD_FILES * workers, READ_AHEAD_BYTES * workers)

    def full(self, pending: Iterable[_Pending]) -> bool:
        """Whether no more files may be started before the first waiting one is written."""
        waiting = list(pending)
        return len(waiting) >= self.files or sum(p.size for p in waiting) >= self.bytes


class LocalReaders:
    """Files read by `read_file` in N threads of this process, each driving its own worker process."""

    def __init__(self, workers: int, options: RunOptions, at_once: int | None = None) -> None:
        """`at_once`: how many files can be read at the same time (fewer than `workers` in a small
        batch); each gets that share of the machine's cores for its OCR pool and threads."""
        self.workers = workers
        self.window = ReadAhead.per_worker(workers)
        self._options = replace(options, cores=max(1, len(os.sched_getaffinity(0)) // max(1, at_once or workers)))
        self._in_process = workers == 1 and not options.limits.max_seconds  # no limit, no isolation: as before
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reader")

    def submit(self, path: Path, report: Progress | None) -> Future[Result]:
        """Start reading `path`."""
        return self._pool.submit(read_file, path, self._options, report, not self._in_process)

    def abort(self) -> None:
        """Drop the files not started and kill the worker processes of those being read."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        kill_workers()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        close_workers()


class RayUnavailable(RuntimeError):
    """Ray is not installed, or no pool could be started at the address given."""


class RayReaders:
    """Files read by `read_file` in the processes of a Ray pool (`ray.util.multiprocessing.Pool`).

    Every node must see the files at the paths given (a shared filesystem) and have jixiao
    installed. Each Ray process keeps its own worker process, so the per-file limits hold on the
    cluster too; OCR page progress is not reported back.
    """

    def __init__(self, address: str, workers: int | None, options: RunOptions) -> None:
        try:
            import ray
            from ray.util.multiprocessing import Pool
        except ImportError:
            raise RayUnavailable("--ray needs Ray: pip install 'jixiao[ray]'") from None
        try:
            self._pool = Pool(processes=workers, ray_address=address)
        except (ConnectionError, ValueError) as exc:  # no cluster there, or fewer CPUs than --workers
            raise RayUnavailable(f"cannot start a Ray pool at {address}: {exc}") from None
        size = workers or int(ray.cluster_resources().get("CPU", 1))
        self.workers = max(1, size)
        self.window = ReadAhead.per_worker(self.workers)
        self._options = replace(options, cores=1)  # a pool process holds one of its node's CPUs

    def submit(self, path: Path, report: Progress | None) -> _RayTask:
        """Start reading `path` on the cluster."""
        return _RayTask(path, self._pool.apply_async(read_file, (path, self._options)))

    def abort(self) -> None:
        """Nothing more than `close`: terminating the pool stops its processes."""

    def close(self) -> None:
        self._pool.terminate()


@dataclass
class _RayTask:
    """A file being read on a Ray cluster, seen like a local Future."""

    path: Path
    task: Any  # ray.util.multiprocessing.pool.AsyncResult

    def done(self) -> bool:
        return self.task.ready()

    def result(self) -> Result:
        try:
            return self.task.get()
        except Exception as exc:  # the Ray process died: a failed row, the batch goes on
            fmt = self.path.suffix.lower().lstrip(".") or "unknown"
            error = f"the Ray worker failed ({type(exc).__name__}: {exc})"
            return Result(doc=Document(doc_id="", path=str(self.path), format=fmt, status="failed", error=error))


@dataclass
class _Pending:
    """A file on its way through the batch: read (or skipped) and waiting for its turn to be written."""

    path: Path
    doc_id: str | None
    size: int = 0  # the file's bytes, counted against the read-ahead
    to_read: bool = True  # False: already stored when the batch reached it
    reading: Future[Result] | _RayTask | None = None

    def start(self, readers: LocalReaders | RayReaders, on_progress: Callable[[Path, int, int], None] | None) -> None:
        """Start reading the file, unless it is already stored."""
        if self.to_read:
            report = partial(on_progress, self.path) if on_progress else None
            self.reading = readers.submit(self.path, report)

    def done(self) -> bool:
        """Whether it can be written without waiting for a worker."""
        return self.reading is None or self.reading.done()


class _Writer:
    """The batch's one connection to the database, held over a run of finished documents.

    Opening and closing the database costs more than writing a document, so the connection stays
    open while documents are ready to write; it is released before waiting (for a worker, for the
    LLM stage) and after `WRITE_HOLD_S`, so that `jixiao query` can read in between.
    """

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = db_path
        self._con: duckdb.DuckDBPyConnection | None = None
        self._opened = 0.0

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The open connection, opened (or reopened after a pause for readers) when needed."""
        if self._con is not None and time.monotonic() - self._opened > WRITE_HOLD_S:
            self.release()
            time.sleep(QUERY_GAP_S)
        if self._con is None:
            self._con = connect_waiting(self.db_path)
            self._opened = time.monotonic()
        return self._con

    def release(self) -> None:
        """Close the connection, so that other processes can open the database."""
        if self._con is not None:
            self._con.close()
            self._con = None


def _enter(path: Path, options: RunOptions, stored: set[str]) -> _Pending:
    """Hash the file as it enters the read-ahead; one already stored is not to be read."""
    try:
        doc_id = hash_file(path)
    except OSError:
        doc_id = None
    return _Pending(path, doc_id, size=_size(path), to_read=not (doc_id and not options.force and doc_id in stored))


def _finish(
    pending: _Pending,
    writer: _Writer,
    options: RunOptions,
    stored: set[str],
    on_result: Callable[[Path, Result], None] | None,
) -> None:
    """Write one file's document in its own transaction, after the LLM stage; or skip it when already stored.

    A file whose content an earlier file of the batch has just stored is skipped here, as a
    one-at-a-time run would have skipped it.
    """
    from pipeline import store

    path, doc_id = pending.path, pending.doc_id
    if pending.reading is None or (doc_id and not options.force and doc_id in stored):
        result = Result(doc=Document(doc_id=doc_id or "", path=str(path), format="", status="ok"), skipped=True)
        if on_result:
            on_result(path, result)
        return
    if not pending.reading.done():
        writer.release()  # the database is free while a worker finishes this file
    result = pending.reading.result()
    if options.use_llm and result.facts is not None:
        writer.release()  # and while the model reads it (its answers are cached in the same database)
        add_llm_facts(result, options, writer.db_path)
        result.findings = validate(result.facts) + result.llm.findings
    if result.doc.status == "failed":  # one row per failed file, even where files share their bytes (empty ones)
        result.doc.doc_id = file_hash(f"{path}\n{doc_id}".encode())
    con = writer.connection()
    con.execute("DELETE FROM documents WHERE path = ? AND status = 'failed'", [str(path)])  # an earlier failure
    store.save_document(con, result.doc, result.facts, result.findings)
    if result.llm is not None:
        for call in result.llm.calls:
            store.save_llm_call(con, call)
        store.save_llm_rejections(con, result.llm.rejections)
    if result.doc.status != "failed":
        stored.add(result.doc.doc_id)
    if on_result:
        on_result(path, result)


def _process_args(args: tuple[Path, RunOptions], report: Progress | None) -> Result:
    """`process` on the cores its options give, reporting the pages read by OCR to `report`."""
    with page_progress(report) if report else contextlib.nullcontext(), cpu_cores(args[1].cores):
        return process(*args)
