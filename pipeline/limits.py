"""Per-file limits and fault isolation, so one bad file never stops a batch.

* Size: a file over `Limits.max_mb` is refused before it is read.
* Time: with `Limits.max_seconds` set, each file is processed in a worker process; a file that
  runs past the limit has its worker killed (and a fresh one started) and becomes a `failed` row.
  The worker also turns a crash inside a native library (a segfault) into a `failed` row, and runs
  under an address-space cap so a decompression bomb that slips past the readers' checks fails
  with MemoryError instead of exhausting the machine.
* OCR pages: scans take seconds per page, so every page that needs OCR adds
  `Limits.seconds_per_page` to the file's limit. The allowance is granted page by page as the
  worker reports the pages read: with k of n pages read a file may have run
  `max_seconds + seconds_per_page × (k + 1)`, at most `max_seconds + seconds_per_page × n`, so a long
  scan finishes and a stalled one still stops. The same reports drive the CLI's per-page progress.
* Several files at once: `run_limited` runs a file in the calling thread's own `Worker`, so a
  parent that calls it from N threads (or N Ray workers) has N worker processes, each file under
  its own limits. Without a time limit a worker still isolates crashes; it just waits as long as
  the file takes.
* Reader guard (fixed, not a user option): how far a .docx may expand when unzipped. There is no
  page limit: a 500-page PDF is read in seconds, and the time limit stops any file that is slow.
* The database lock: DuckDB lets one process write or several read. `connect_waiting` retries while
  another jixiao process holds the lock, so `jixiao query` works while `jixiao ingest` runs (the
  ingest holds the lock only while it writes one document).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import duckdb

from pipeline.readers import Progress

DEFAULT_MAX_SECONDS = 300.0
DEFAULT_SECONDS_PER_PAGE = 30.0  # OCR reads a page in about 5 s on 2 cores
DEFAULT_MAX_MB = 200.0
MAX_UNZIPPED_MB = 500  # a .docx whose parts expand beyond this is treated as a zip bomb
WORKER_MEMORY_MB = 4096  # address-space cap of the worker process
DB_LOCK_WAIT_S = 60.0
WORKER_START_S = 120.0

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Per-file limits; None switches a limit off."""

    max_seconds: float | None = DEFAULT_MAX_SECONDS
    max_mb: float | None = DEFAULT_MAX_MB
    seconds_per_page: float | None = DEFAULT_SECONDS_PER_PAGE  # added to max_seconds per page that needs OCR


class LimitExceeded(Exception):
    """A file broke a limit or crashed its worker; the message is shown to the user."""


def check_size(path: Path, limits: Limits) -> None:
    """Raise LimitExceeded when the file is larger than the size limit."""
    if limits.max_mb is None:
        return
    size = path.stat().st_size
    if size > limits.max_mb * MB:
        raise LimitExceeded(f"file is {size / MB:.1f} MB, over the {limits.max_mb:g} MB size limit")


class Worker:
    """One child process that runs `func(arg, report)` with a time limit; restarted after a kill or crash.

    `func` may call `report(done, total)` as it reads pages by OCR: the parent passes that on to
    `call`'s `on_progress`, and each page started adds `seconds_per_page` to the time limit.
    With `max_seconds` None there is no time limit: the worker only isolates crashes.
    """

    def __init__(
        self, func: Callable[[Any, Progress], Any], max_seconds: float | None, seconds_per_page: float = 0.0
    ) -> None:
        self._func = func
        self._max_seconds = max_seconds
        self._per_page = seconds_per_page
        self._ctx = multiprocessing.get_context("spawn")  # no fork: the parent has DuckDB threads
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, arg: Any, on_progress: Progress | None = None) -> Any:
        """The function's result, or LimitExceeded when it ran too long or its process died."""
        if self._process is None:
            self._start()
        assert self._conn is not None and self._process is not None
        start = time.monotonic()
        done = total = 0
        self._conn.send(arg)
        while True:
            limit = self._limit(done, total)
            wait = None if limit is None else max(0.0, start + limit - time.monotonic())
            if not self._conn.poll(wait):
                self._stop()
                raise LimitExceeded(self._overtime(limit, done, total))
            try:
                status, value = self._conn.recv()
            except (EOFError, OSError):
                reason = _death_reason(self._process)
                self._stop()
                raise LimitExceeded(reason) from None
            if status == "progress":
                done, total = value
                if on_progress is not None:
                    on_progress(done, total)
                continue
            if status == "error":
                raise LimitExceeded(value)
            return value

    def _limit(self, done: int, total: int) -> float | None:
        """Seconds allowed so far: the per-file limit plus the allowance of every page started."""
        if self._max_seconds is None:
            return None
        return self._max_seconds + self._per_page * min(done + 1, total)

    def _overtime(self, limit: float, done: int, total: int) -> str:
        if not (total and self._per_page):
            return f"took longer than {limit:g} s (time limit)"
        return (
            f"took longer than {limit:g} s (time limit: {self._max_seconds:g} s + {self._per_page:g} s per OCR page; "
            f"{done} of {total} pages read)"
        )

    def kill(self) -> None:
        """Kill the worker process and its children, from any thread: a `call` in progress raises LimitExceeded."""
        process = self._process
        if process is not None and process.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)  # the worker and any pool it started
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(process.pid, signal.SIGKILL)  # one still starting has no process group of its own yet

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        self._process = self._conn = None

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        # not a daemon: the OCR reader starts its own pool of processes inside the worker
        self._process = self._ctx.Process(target=_serve, args=(child, self._func))
        self._process.start()
        child.close()
        self._conn = parent
        try:  # wait until it is ready: start-up is not the first file's time
            ready = parent.poll(WORKER_START_S) and parent.recv() == ("ready", None)
        except (EOFError, OSError):
            ready = False
        if not ready:
            self._stop()
            raise RuntimeError("the worker process did not start (a script must guard its code by __main__)")

    def _stop(self) -> None:
        if self._process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signal.SIGKILL)  # the worker and any pool it started
            self._process.kill()
            self._process.join()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None


_workers: dict[tuple, Worker] = {}  # each thread's worker, by thread, function and limits
_workers_lock = threading.Lock()


def run_limited(func: Callable[[Any, Progress], Any], arg: Any, limits: Limits, report: Progress | None = None) -> Any:
    """`func(arg, report)` in the calling thread's worker process, under the time limits of `limits`.

    Each thread keeps one worker (started on its first file), so N threads read N files at once,
    each under its own limits; the same holds in each process of a Ray pool. Raises LimitExceeded.
    """
    key = (threading.get_ident(), func, limits.max_seconds, limits.seconds_per_page)
    with _workers_lock:
        worker = _workers.get(key)
        if worker is None:
            worker = _workers[key] = Worker(func, limits.max_seconds, limits.seconds_per_page or 0.0)
    return worker.call(arg, report)


def kill_workers() -> None:
    """Kill every thread's worker process (a batch interrupted): the files they were reading fail at once."""
    with _workers_lock:
        workers = list(_workers.values())
    for worker in workers:
        worker.kill()


def close_workers() -> None:
    """Stop every thread's worker process (the threads must be done calling them)."""
    with _workers_lock:
        workers = list(_workers.values())
        _workers.clear()
    for worker in workers:
        worker.close()


def _death_reason(process: multiprocessing.process.BaseProcess) -> str:
    process.join(timeout=5)
    code = process.exitcode
    if code is not None and code < 0:
        return f"the reader crashed (killed by {signal.Signals(-code).name})"
    return f"the reader crashed (worker exited with code {code})"


def _serve(conn: Connection, func: Callable[[Any, Progress], Any]) -> None:
    """Worker loop: run `func` on each argument received until the parent closes the pipe."""
    os.setpgid(0, 0)  # its own process group, so a kill takes its children too
    cap = WORKER_MEMORY_MB * MB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    conn.send(("ready", None))

    def report(done: int, total: int) -> None:
        conn.send(("progress", (done, total)))

    while True:
        try:
            arg = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", func(arg, report)))
        except MemoryError:
            conn.send(("error", f"needs more than {WORKER_MEMORY_MB} MB of memory (memory limit)"))
        except Exception as exc:  # a pipeline bug must become a failed row, not a dead worker
            conn.send(("error", f"internal error ({type(exc).__name__}: {exc})"))


def connect_waiting(db_path: str | Path, read_only: bool = False, wait_s: float = DB_LOCK_WAIT_S):
    """duckdb.connect, retrying while another process holds the database lock."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
