"""Orchestration: the pipeline as a chain of stages, for one file or a batch."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from extract import extract_facts
from pipeline.limits import LimitExceeded, Limits, Worker, check_size, connect_waiting
from pipeline.models import Document, Facts, Finding
from pipeline.readers import SUPPORTED_SUFFIXES, Progress, file_hash, hash_file, page_progress, read_document
from pipeline.settings import LlmSettings
from validate import validate

if TYPE_CHECKING:
    from extract.llm import LlmOutput


@dataclass
class RunOptions:
    """What the pipeline does beyond the deterministic path."""

    use_llm: bool = False
    force: bool = False
    limits: Limits = field(default_factory=Limits)
    llm: LlmSettings | None = None  # endpoint and model; None → from the environment / local default


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


def ingest(
    files: list[Path],
    db_path: str | Path,
    options: RunOptions,
    on_result: Callable[[Path, Result], None] | None = None,
    on_progress: Callable[[Path, int, int], None] | None = None,
) -> None:
    """Process each file into the database; a bad file becomes a `failed` row, never an exception.

    The database is opened only to write each finished document (one transaction), so a killed
    batch keeps every document written before, and `jixiao query` can read in between. Results go
    to `on_result` one by one and are not kept: memory stays flat however long the batch. A file
    read by OCR reports `on_progress(path, pages_read, pages_in_all)` as it goes, from the worker
    process too.
    """
    from pipeline import store

    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = connect_waiting(db_path)  # a running `jixiao query` may hold the lock for a moment
    store.ensure_schema(con)
    stored = {
        row[0] for row in con.execute("SELECT doc_id FROM documents WHERE status IN ('ok', 'needs_ocr')").fetchall()
    }
    con.close()
    limits = options.limits
    worker = Worker(_process_args, limits.max_seconds, limits.seconds_per_page or 0.0) if limits.max_seconds else None
    try:
        for path in files:
            report = partial(on_progress, path) if on_progress else None
            result = _ingest_one(path, db_path, options, stored, worker, report)
            if on_result:
                on_result(path, result)
    finally:
        if worker is not None:
            worker.close()


def _process_args(args: tuple[Path, RunOptions], report: Progress | None) -> Result:
    """`process`, reporting the pages read by OCR to `report`."""
    with page_progress(report) if report else contextlib.nullcontext():
        return process(*args)


def _ingest_one(
    path: Path,
    db_path: str | Path,
    options: RunOptions,
    stored: set[str],
    worker: Worker | None,
    report: Progress | None,
) -> Result:
    from pipeline import store

    try:
        doc_id = hash_file(path)
    except OSError:
        doc_id = None
    if doc_id and not options.force and doc_id in stored:
        return Result(doc=Document(doc_id=doc_id, path=str(path), format="", status="ok"), skipped=True)
    try:
        check_size(path, options.limits)
        deterministic = replace(options, use_llm=False)  # the LLM stage runs here, not in the worker
        args = (path, deterministic)
        result = worker.call(args, report) if worker else _process_args(args, report)
        if options.use_llm and result.facts is not None:
            add_llm_facts(result, options, db_path)
            result.findings = validate(result.facts) + result.llm.findings
    except LimitExceeded as exc:
        fmt = path.suffix.lower().lstrip(".") or "unknown"
        result = Result(doc=Document(doc_id=doc_id or "", path=str(path), format=fmt, status="failed", error=str(exc)))
    if result.doc.status == "failed":  # one row per failed file, even where files share their bytes (empty ones)
        result.doc.doc_id = file_hash(f"{path}\n{doc_id}".encode())
    con = connect_waiting(db_path)
    try:
        con.execute("DELETE FROM documents WHERE path = ? AND status = 'failed'", [str(path)])  # an earlier failure
        store.save_document(con, result.doc, result.facts, result.findings)
        if result.llm is not None:
            for call in result.llm.calls:
                store.save_llm_call(con, call)
            store.save_llm_rejections(con, result.llm.rejections)
    finally:
        con.close()
    if result.doc.status != "failed":
        stored.add(result.doc.doc_id)
    return result
