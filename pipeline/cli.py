"""The `jixiao` command line: ingest, extract, query, findings, rules, review, export, eval.

Exit codes: 0 when every file is ok, 1 when some file failed, 2 on a usage error. Findings, rule
descriptions, column headers and summary lines are in Chinese unless `--lang en` (or JIXIAO_LANG=en)
asks for English (pipeline/i18n).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column
from rich.table import Table as RichTable

from pipeline.limits import DEFAULT_MAX_MB, DEFAULT_MAX_SECONDS, DEFAULT_SECONDS_PER_PAGE, Limits, connect_waiting
from pipeline.run import RayUnavailable, RunOptions, collect_files, ingest, process

DEFAULT_DB = Path("data/jixiao.duckdb")

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Performance self-evaluation reports → checked numbers in DuckDB."
)
console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB database file")]
NoLlm = Annotated[bool, typer.Option("--no-llm", help="skip the LLM stage (deterministic parsers only)")]
LlmBaseUrl = Annotated[
    str | None,
    typer.Option(
        "--llm-base-url",
        help="OpenAI-compatible endpoint (key from JIXIAO_LLM_API_KEY or OPENAI_API_KEY); default: the local model",
    ),
]
LlmModel = Annotated[str | None, typer.Option("--llm-model", help="model name at that endpoint")]
Lang = Annotated[
    str | None,
    typer.Option("--lang", envvar="JIXIAO_LANG", help="zh (中文, the default) or en: findings, rules and labels"),
]
LlmConcurrency = Annotated[
    int | None,
    typer.Option("--llm-concurrency", help="LLM requests in flight at once (default: 4 remote, 1 local model)"),
]
LlmTokenBudget = Annotated[
    int | None,
    typer.Option("--llm-token-budget", help="tokens the LLM may be sent in this run; the rest is recorded over_budget"),
]


def _llm_settings(
    base_url: str | None, model: str | None, concurrency: int | None = None, token_budget: int | None = None
):
    from pipeline.settings import LlmSettings

    given = {"base_url": base_url, "model": model, "concurrency": concurrency, "run_token_budget": token_budget}
    return LlmSettings(**{k: v for k, v in given.items() if v})


def _read_only(db: Path):
    """A read-only connection; it waits while a running ingest writes a document."""
    if not db.exists():
        raise FileNotFoundError(f"no database at {db}: run `jixiao ingest` first")
    return connect_waiting(db, read_only=True)


def _usage_error(message: str) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


def _language(lang: str | None) -> str:
    """The language chosen (`--lang`, else JIXIAO_LANG, else Chinese); a usage error if unknown."""
    from pipeline.i18n import language

    try:
        return language(lang)
    except ValueError as exc:
        _usage_error(str(exc))
        raise  # unreachable: _usage_error exits


def _headers(keys: list[str], lang: str) -> list[str]:
    """Column headers in the language (`cli.col.<key>`)."""
    from pipeline.i18n import t

    return [t(f"cli.col.{k}", lang) for k in keys]


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (searched recursively)")],
    db: DbOption = DEFAULT_DB,
    no_llm: NoLlm = False,
    llm_base_url: LlmBaseUrl = None,
    llm_model: LlmModel = None,
    llm_concurrency: LlmConcurrency = None,
    llm_token_budget: LlmTokenBudget = None,
    force: Annotated[bool, typer.Option("--force", help="re-process files already stored")] = False,
    max_seconds: Annotated[
        float, typer.Option("--max-seconds", help="per-file time limit in seconds (0: none)")
    ] = DEFAULT_MAX_SECONDS,
    max_seconds_per_page: Annotated[
        float,
        typer.Option(
            "--max-seconds-per-page",
            help="seconds added to the time limit for each page a file needs read by OCR (0: none)",
        ),
    ] = DEFAULT_SECONDS_PER_PAGE,
    max_mb: Annotated[float, typer.Option("--max-mb", help="per-file size limit in MB (0: none)")] = DEFAULT_MAX_MB,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="files read at once, each in its own worker process [default: the number of cores; "
            "with --ray, the cluster's CPUs]",
            show_default=False,
        ),
    ] = None,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            metavar="ADDRESS",
            help="read the files on a Ray cluster (host:port, ray://host:10001, 'auto', or 'local' for a "
            "fresh local one); this process still writes the database. Needs `pip install 'jixiao[ray]'`",
        ),
    ] = None,
) -> None:
    """Read report files into the database (idempotent: unchanged files are skipped).

    A file over a limit, or one that cannot be read, becomes a `failed` row with its reason and
    the batch goes on. Several files are read at once (--workers); the database is written by
    this process alone, in the order of the files, so it is the same whatever the number of
    workers. Scans are read by OCR (a few seconds per page); the progress bar shows their pages.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _usage_error(f"no such file or folder: {', '.join(missing)}")
    if ray and importlib.util.find_spec("ray") is None:
        _usage_error("--ray needs Ray: pip install 'jixiao[ray]'")
    files = collect_files(paths)
    counts = {"ok": 0, "needs_ocr": 0, "failed": 0, "skipped": 0}
    findings = 0
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("ingesting", total=len(files))

        def on_result(path: Path, result) -> None:
            nonlocal findings
            if result.skipped:
                counts["skipped"] += 1
            else:
                counts[result.doc.status] += 1
                findings += len(result.findings)
                if result.doc.status == "failed":
                    console.print(f"[red]failed[/red] {path}: {result.doc.error}")
                elif result.doc.status == "ok" and result.doc.error:  # read, with a note (macros, pages not OCR'd)
                    console.print(f"[yellow]note[/yellow] {path}: {result.doc.error}")
            progress.update(task, advance=1, description="ingesting")

        def on_progress(path: Path, done: int, total: int) -> None:
            progress.update(task, description=f"{path.name}: OCR page {done}/{total}", refresh=True)

        limits = Limits(
            max_seconds=max_seconds or None, max_mb=max_mb or None, seconds_per_page=max_seconds_per_page or None
        )
        llm = _llm_settings(llm_base_url, llm_model, llm_concurrency, llm_token_budget)
        options = RunOptions(use_llm=not no_llm, force=force, limits=limits, llm=llm)
        if workers is None and not ray:
            workers = len(os.sched_getaffinity(0))
        try:
            ingest(files, db, options, on_result, on_progress, workers=workers, ray_address=ray)
        except RayUnavailable as exc:
            _usage_error(str(exc))
        except duckdb.IOException as exc:  # another process kept the database locked past the wait
            _usage_error(f"cannot write {db}: {exc}")
    console.print(
        f"{len(files)} files: {counts['ok']} ok, {counts['needs_ocr']} need OCR, {counts['failed']} failed, "
        f"{counts['skipped']} already stored; {findings} findings → {db}"
    )
    raise typer.Exit(1 if counts["failed"] else 0)


@app.command("extract")
def extract_cmd(
    file: Annotated[Path, typer.Argument(help="one report file")],
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object in the gold schema")] = False,
    no_llm: NoLlm = False,
    llm_base_url: LlmBaseUrl = None,
    llm_model: LlmModel = None,
    lang: Lang = None,
) -> None:
    """Extract one file without a database and print what was found."""
    from pipeline.goldjson import to_gold_json

    lang = _language(lang)
    if not file.is_file():
        _usage_error(f"no such file: {file}")
    result = process(file, RunOptions(use_llm=not no_llm, llm=_llm_settings(llm_base_url, llm_model)))
    if result.doc.status == "failed":
        console.print(f"[red]failed[/red] {file}: {result.doc.error}")
        raise typer.Exit(1)
    payload = to_gold_json(file.name, result.facts, result.findings)
    payload["status"] = result.doc.status
    if as_json:
        out.print_json(json.dumps(payload, ensure_ascii=False))
    else:
        _print_summary(payload, lang)


def _print_summary(payload: dict, lang: str) -> None:
    from pipeline.i18n import t

    out.print(f"[bold]{payload['doc']}[/bold] {payload['department'] or ''} {payload['year'] or ''}")
    for key, value in payload["amounts"].items():
        if key != "other_mentions" and value:
            out.print(f"  {key:24} {value['value']}")
    counts = {k: len(payload[k]) for k in ("indicators", "projects", "findings")}
    out.print("  " + t("cli.extract_summary", lang, **counts))
    for f in payload["findings"]:
        message = f["message_en"] if lang == "en" else f["message"]
        severity = t("severity." + f["severity"], lang)
        out.print(f"  [{severity}] {f['rule']}: {message}", markup=False)


@app.command("query")
def query_cmd(
    sql: Annotated[str, typer.Argument(help="SQL to run (read-only)")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Run SQL against the database over a read-only connection."""
    import duckdb

    if fmt not in {"table", "csv", "json"}:
        _usage_error(f"unknown format {fmt!r}: use table, csv or json")
    try:
        con = _read_only(db)
        cursor = con.execute(sql)
    except (duckdb.Error, FileNotFoundError) as exc:
        _usage_error(str(exc))
    columns = [d[0] for d in cursor.description or []]
    rows = cursor.fetchall()
    print_rows(columns, rows, fmt)


def print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "json":
        out.print_json(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], ensure_ascii=False, default=str))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        table = RichTable(*[Column(c, overflow="fold") for c in columns])
        for r in rows:
            table.add_row(*["" if v is None else str(v) for v in r])
        out.print(table)


@app.command("findings")
def findings_cmd(
    db: DbOption = DEFAULT_DB,
    severity: Annotated[str | None, typer.Option("--severity", help="error, warning or info")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    lang: Lang = None,
) -> None:
    """List the contradictions found, per document (in Chinese; English with --lang en)."""
    from pipeline.i18n import t

    lang = _language(lang)
    if severity not in {None, "error", "warning", "info"}:
        _usage_error(f"unknown severity {severity!r}")
    try:
        con = _read_only(db)
    except FileNotFoundError as exc:
        _usage_error(str(exc))
    message = "coalesce(f.message_en, f.message)" if lang == "en" else "f.message"
    sql = f"""SELECT regexp_extract(d.path, '([^/]+/)?[^/]+$') AS document, f.severity, f.rule, {message}
              FROM findings f JOIN documents d USING (doc_id)"""
    params: list = []
    if severity:
        sql += " WHERE f.severity = ?"
        params.append(severity)
    sql += " ORDER BY document, f.finding_idx"
    rows = [
        (doc, t(f"severity.{sev}", lang), rule, text) for doc, sev, rule, text in con.execute(sql, params).fetchall()
    ]
    print_rows(_headers(["document", "severity", "rule", "message"], lang), rows, fmt)
    if fmt == "table":
        by_severity = {
            s: sum(1 for r in rows if r[1] == t(f"severity.{s}", lang)) for s in ("error", "warning", "info")
        }
        documents = len({r[0] for r in rows})
        console.print(t("cli.findings_summary", lang, count=len(rows), documents=documents, **by_severity))


@app.command("rules")
def rules_cmd(
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table", lang: Lang = None
) -> None:
    """List the validation rules: id, severity and what each checks (in Chinese; English with --lang en)."""
    from pipeline.i18n import t
    from validate.registry import RULES

    lang = _language(lang)
    if fmt not in {"table", "csv", "json"}:
        _usage_error(f"unknown format {fmt!r}: use table, csv or json")
    rows = [(r.id, t(f"severity.{r.severity}", lang), r.description(lang)) for r in RULES]
    print_rows(_headers(["rule", "severity", "checks"], lang), rows, fmt)


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Option("--gold", help="folder of gold JSON files")],
    docs: Annotated[Path, typer.Option("--docs", help="folder of documents named like the gold files")],
    no_llm: NoLlm = False,
    llm_base_url: LlmBaseUrl = None,
    llm_model: LlmModel = None,
    llm_concurrency: LlmConcurrency = None,
    llm_token_budget: LlmTokenBudget = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the scores as JSON")] = False,
) -> None:
    """Score extraction (and findings) against hand-checked gold annotations."""
    from pipeline.evaluate import evaluate_dirs, render_scores

    for p in (gold, docs):
        if not p.is_dir():
            _usage_error(f"not a folder: {p}")
    llm = _llm_settings(llm_base_url, llm_model, llm_concurrency, llm_token_budget)
    scores = evaluate_dirs(gold, docs, RunOptions(use_llm=not no_llm, llm=llm))
    if as_json:
        out.print_json(json.dumps(scores, ensure_ascii=False))
    else:
        out.print(render_scores(scores))


@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", help="parquet, csv or xlsx")],
    out_dir: Annotated[Path, typer.Option("--out", help="folder to write into")],
    db: DbOption = DEFAULT_DB,
    lang: Lang = None,
) -> None:
    """Export the SQL views: one file per view (parquet, csv) or one workbook, one sheet per view (xlsx)
    with a 问题清单 sheet of the findings in the language chosen."""
    from pipeline import store
    from pipeline.export import FORMATS, export

    lang = _language(lang)
    if fmt not in FORMATS:
        _usage_error(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
    try:
        con = store.connect(db, read_only=True)
    except FileNotFoundError as exc:
        _usage_error(str(exc))
    for path in export(con, out_dir, fmt, lang=lang):
        console.print(f"wrote {path}")


@app.command("review")
def review_cmd(
    file: Annotated[Path | None, typer.Argument(help="one report file; without it, every document in --db")] = None,
    html_out: Annotated[
        Path, typer.Option("--html", help="the page to write (with FILE), else a folder for index.html + pages")
    ] = Path("review"),
    db: DbOption = DEFAULT_DB,
    no_llm: NoLlm = False,
    lang: Lang = None,
) -> None:
    """Write self-contained HTML review pages: source text with every value highlighted, findings linked."""
    from pipeline import store
    from pipeline.review import write_corpus, write_file_review

    lang = _language(lang)
    if file is not None:
        if not file.is_file():
            _usage_error(f"no such file: {file}")
        page, status = write_file_review(file, html_out, use_llm=not no_llm, lang=lang)
        console.print(f"wrote {page} ({status})")
        raise typer.Exit(1 if status == "failed" else 0)
    try:
        con = store.connect(db, read_only=True)
    except FileNotFoundError as exc:
        _usage_error(str(exc))
    written = write_corpus(con, html_out, lang=lang)
    console.print(f"wrote {written[0]} and {len(written) - 1} document pages")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
