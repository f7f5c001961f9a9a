"""Orchestration: the pipeline as a chain of stages, for one file or a batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from extract import extract_facts
from pipeline.models import Document, Facts, Finding
from pipeline.readers import SUPPORTED_SUFFIXES, file_hash, read_document
from validate import validate


@dataclass
class RunOptions:
    """What the pipeline does beyond the deterministic path."""

    use_llm: bool = False
    force: bool = False


@dataclass
class Result:
    doc: Document
    facts: Facts | None = None
    findings: list[Finding] = field(default_factory=list)
    skipped: bool = False


def process(path: str | Path, options: RunOptions | None = None) -> Result:
    """Read, extract and validate one file (no database)."""
    doc = read_document(path)
    if doc.status != "ok":
        return Result(doc=doc)
    facts = extract_facts(doc)
    return Result(doc=doc, facts=facts, findings=validate(facts))


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
    files: list[Path], con, options: RunOptions, on_result: Callable[[Path, Result], None] | None = None
) -> list[Result]:
    """Process each file into the database; a bad file becomes a `failed` row, never an exception."""
    from pipeline import store

    results = []
    for path in files:
        result = _ingest_one(path, con, options, store)
        results.append(result)
        if on_result:
            on_result(path, result)
    return results


def _ingest_one(path: Path, con, options: RunOptions, store) -> Result:
    try:
        doc_id = file_hash(path.read_bytes())
    except OSError:
        doc_id = None
    if doc_id and not options.force and store.known_status(con, doc_id) in {"ok", "needs_ocr"}:
        return Result(doc=Document(doc_id=doc_id, path=str(path), format="", status="ok"), skipped=True)
    result = process(path, options)
    store.save_document(con, result.doc, result.facts, result.findings)
    return result
