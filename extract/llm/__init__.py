"""The LLM stage: passages → grounded facts merged into the deterministic ones.

Only passages printing amounts, rates or scores that no deterministic fact covers are sent
(`chunking`), a document's consecutive short ones packed into one call. Answers, and the model's
deterministic failures, are cached in DuckDB (a re-run sends 0 tokens); every call is recorded for
`llm_calls` and every rejected value for `llm_rejections`, including a value a deterministic fact
contradicts (reason `conflicts`). Each answer is capped by the figures its passages print, in
tokens and in items (a model that starts repeating itself stops early); a token budget bounds
each document and, when set, the whole run (what does not fit is recorded `over_budget`). Up to
`settings.workers` requests are in flight at once; `progress` hears of each chunk answered.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extract import assign_ids
from extract.llm.cache import Cache, cache_key
from extract.llm.chunking import PROJECTS_PROMPT, Chunk, make_chunks, pack
from extract.llm.client import Answer, LlmClient
from extract.llm.endpoint import endpoint, model_name
from extract.llm.merge import Rejection, ground_amount, ground_project, merge_amounts, merge_projects
from extract.llm.schemas import Prompt, load_prompt
from pipeline.models import Amount, Document, Facts, Finding, Project
from pipeline.settings import LlmSettings

ClientFactory = Callable[[LlmSettings], LlmClient]
ChunkProgress = Callable[[str, int, int], None]  # (document file name, chunks answered, chunks to answer)

# An answer lists about one item per figure the chunk prints (an item — quote, key, label and
# value in JSON — is ~50 tokens, and a small model also lists headings and counts): room for
# every figure, far short of a model repeating itself, which on a local CPU model costs minutes.
ANSWER_TOKENS_BASE = 256
ANSWER_TOKENS_PER_FIGURE = 128


@dataclass
class LlmOutput:
    findings: list[Finding] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[dict[str, Any]] = field(default_factory=list)

    @property
    def tokens_sent(self) -> int:
        return sum((c["tokens_in"] or 0) + (c["tokens_out"] or 0) for c in self.calls)


@dataclass
class _Job:
    chunk: Chunk
    prompt: Prompt
    key: str
    max_tokens: int
    response: dict[str, Any] | None = None


def answer_tokens(settings: LlmSettings, chunk: Chunk) -> int:
    """The cap on one answer: enough for every figure of the chunk, far short of a runaway."""
    return min(settings.max_tokens, ANSWER_TOKENS_BASE + ANSWER_TOKENS_PER_FIGURE * chunk.figures)


def report_chunk(name: str, answered: int, total: int) -> None:
    """The default per-chunk progress: a line on stderr (shown above the CLI's progress bar)."""
    print(f"[llm] {name}: chunk {answered}/{total} answered", file=sys.stderr, flush=True)


def default_client(settings: LlmSettings) -> LlmClient:
    where = endpoint(settings)
    return LlmClient(settings, where.base_url, where.model)


def extract_narrative(
    doc: Document,
    facts: Facts,
    settings: LlmSettings,
    cache_db: str | Path,
    make_client: ClientFactory = default_client,
    progress: ChunkProgress | None = report_chunk,
) -> LlmOutput:
    """Add grounded facts to `facts` (in place); call records and rejections are returned."""
    out = LlmOutput()
    model = model_name(settings)
    cache = Cache(cache_db)
    jobs = []
    for chunk in pack(make_chunks(doc, facts, settings.chunk_chars), settings.chunk_chars):
        # no answer can ground more values than the passages print figures
        prompt = load_prompt(chunk.prompt).at_most(max(1, chunk.figures))
        cap = answer_tokens(settings, chunk)
        jobs.append(_Job(chunk, prompt, cache_key(chunk.hash, prompt, model, cap), cap))
    cached = cache.get_many([job.key for job in jobs])
    pending = []
    for job in jobs:
        if job.key in cached:
            job.response = cached[job.key].response
            out.calls.append(_call(doc, job, model, cached[job.key], cache_hit=True))
        else:
            pending.append(job)
    _send(doc, pending, settings, model, cache, out, make_client, progress)
    for job in jobs:
        if job.response is not None:
            amounts, projects = _ground(doc, job, out)
            conflicts = merge_amounts(facts, amounts) + merge_projects(facts, projects)
            out.rejections += [_rejection(doc, job, r, None) for r in conflicts]
    assign_ids(facts)
    return out


def _send(
    doc: Document,
    pending: list[_Job],
    settings: LlmSettings,
    model: str,
    cache: Cache,
    out: LlmOutput,
    make_client: ClientFactory,
    progress: ChunkProgress | None,
) -> None:
    """Ask for every uncached chunk that fits the document's and the run's token budgets
    (estimated at one token a character, settled with the tokens each call used)."""
    budget, affordable = settings.token_budget, []
    for job in pending:
        estimate = _estimate(job)
        if estimate > budget:
            skipped = Answer(None, 0, 0, 0.0, "over_budget", "token budget for the document spent")
        elif not settings.reserve_run_tokens(estimate):
            skipped = Answer(None, 0, 0, 0.0, "over_budget", "token budget for the run spent")
        else:
            budget -= estimate
            affordable.append(job)
            continue
        out.calls.append(_call(doc, job, model, skipped, cache_hit=False))
    if not affordable:
        return
    try:
        client = make_client(settings)
    except Exception as exc:  # no model or server: the deterministic facts stand, the failure is recorded
        failed = Answer(None, 0, 0, 0.0, "error", f"{type(exc).__name__}: {exc}"[:2000])
        out.calls += [_call(doc, job, model, failed, cache_hit=False) for job in affordable]
        for job in affordable:
            settings.settle_run_tokens(_estimate(job), 0)
        return
    answered, lock = [0], threading.Lock()

    def ask(job: _Job) -> Answer:
        answer = client.ask(job.prompt, job.chunk.text, job.max_tokens)
        settings.settle_run_tokens(_estimate(job), answer.tokens_in + answer.tokens_out)
        with lock:
            answered[0] += 1
            if progress is not None:
                progress(Path(doc.path).name, answered[0], len(affordable))
        return answer

    with ThreadPoolExecutor(max_workers=settings.workers) as pool:
        answers = list(pool.map(ask, affordable))
    for job, answer in zip(affordable, answers, strict=True):
        out.calls.append(_call(doc, job, model, answer, cache_hit=False))
        if answer.outcome == "ok" and answer.response is not None:
            job.response = answer.response
            cache.put(job.key, job.prompt, model, answer)
        elif answer.is_model_failure:
            if settings.temperature == 0:
                cache.put(job.key, job.prompt, model, answer)
            rejected = Rejection("response", "", "", answer.error or "invalid response")
            out.rejections.append(_rejection(doc, job, rejected, answer.raw_output))


def _estimate(job: _Job) -> int:
    """A call's tokens before it is made: one a character of prompt and chunk, plus the answer cap."""
    return len(job.prompt.system) + len(job.chunk.text) + job.max_tokens


def _ground(doc: Document, job: _Job, out: LlmOutput) -> tuple[list[Amount], list[Project]]:
    """The grounded amounts and projects of one answer; what cannot be grounded goes to `out`."""
    amounts: list[Amount] = []
    projects: list[Project] = []
    for item in job.response.get("items", []) if job.response else []:
        if job.chunk.prompt == PROJECTS_PROMPT:
            project, rejections = ground_project(doc, job.chunk, item)
            if project is not None and not any(p.prov.char_start == project.prov.char_start for p in projects):
                projects.append(project)
        else:
            grounded = ground_amount(doc, job.chunk, item)
            rejections = [grounded] if isinstance(grounded, Rejection) else []
            if isinstance(grounded, Amount) and not any(
                a.prov.char_start == grounded.prov.char_start and a.number == grounded.number for a in amounts
            ):
                amounts.append(grounded)
        out.rejections += [_rejection(doc, job, r, json.dumps(item, ensure_ascii=False)) for r in rejections]
    return amounts, projects


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _call(doc: Document, job: _Job, model: str, answer: Answer, cache_hit: bool) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "call_id": f"{job.key[:16]}-{_now().timestamp():.6f}",
        "chunk_hash": job.chunk.hash,
        "prompt_name": job.prompt.name,
        "prompt_version": job.prompt.version,
        "model": model,
        "schema_name": job.prompt.schema_name,
        "tokens_in": answer.tokens_in,
        "tokens_out": answer.tokens_out,
        "latency_ms": answer.latency_ms,
        "cache_hit": cache_hit,
        "outcome": answer.outcome,
        "error": answer.error,
        "created_at": _now(),
    }


def _as_json(model_output: str | None) -> str | None:
    """The model's output for the JSON column: as it came when it parses, else as a JSON string
    (a truncated or malformed answer is exactly what a reviewer wants to see)."""
    if model_output is None:
        return None
    try:
        json.loads(model_output)
    except ValueError:
        return json.dumps(model_output, ensure_ascii=False)
    return model_output


def _rejection(doc: Document, job: _Job, r: Rejection, model_output: str | None) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "chunk_hash": job.chunk.hash,
        "field": r.field,
        "value": r.value,
        "quote": r.quote,
        "reason": r.reason,
        "model_output": _as_json(model_output),
        "created_at": _now(),
    }
