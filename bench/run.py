"""`make bench`: speed, memory and cost of the deterministic path, per input kind (issue 8).

Every corpus is generated from the bundled samples into a temporary folder (numbers varied so no two
documents are the same), then ingested by the real command, `jixiao ingest --no-llm`, in a child
process whose resident memory (with its worker) is sampled every 0.1 s. Measured:

* documents per second and peak RSS for txt, docx, text PDF, and pages per second for scans (OCR);
* the floor: opening the same files with python-docx / pdfplumber and reading their text, and our
  full path (read → facts → findings → DuckDB) as a multiple of it;
* where the time goes: read, extract, validate, store per document, in process;
* memory flat in corpus size: peak RSS on 100 and on N (1,000) documents;
* re-run cost: ingesting the same N documents again (every one is skipped by content hash);
* LLM input per document: the narrative the LLM stage would be sent against the whole narrative;
  tokens come from `llm_calls` only when the LLM stage ran (`--llm`), otherwise null;
* where OCR time goes (`ocr_stages`): CPU seconds per stage (render, seals, deskew, detection,
  recognition, orientation, table grid, layout) on 4 pages of the scanned samples, read in one
  process with one engine thread as each OCR worker reads them (`bench/ocr_stages.py`);
* a long scan (`ocr100`): one scanned PDF of 100 pages (the scanned fixtures' pages repeated) and
  one of 20, each ingested alone with the default limits: wall time, seconds per page and peak RSS
  of the whole process tree (CLI, worker, OCR pool), peak RSS per tenth of the run, so memory can
  be seen not to grow with the page count (about 10 minutes on 2 cores).
* several workers (`workers`): one batch of real documents (tests/corpus/docs and the files of
  ../shared/real-docs, less the image-only scans, whose names say `scan`) ingested with `--workers 1`
  and with `--workers N` (2): wall time, peak RSS of the whole process tree, the speed-up, and
  whether the two databases hold the same rows in every per-document table (facts and findings).
  The other sections run with `--workers 1`.
* the LLM on the corpus (`llm_corpus`): calls, model time and tokens of the local model over
  tests/corpus/docs, as measured by bench/llm_tokens.py (which `make bench` runs first) and read
  from bench/llm_tokens_corpus.json.

Usage: python bench/run.py [--n 1000] [--only docs|scan|ocr_stages|ocr100|workers|llm_corpus ...] [--workers 2] [--batch DIR ...]
[--out bench/latest.json]; writes
latest.json and latest.md. With --only, the sections run replace theirs in the existing report.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
MB = 1024 * 1024
SECTIONS = ("docs", "scan", "ocr_stages", "ocr100", "workers", "llm_corpus")
BATCH = (ROOT / "tests" / "corpus" / "docs", ROOT.parent / "shared" / "real-docs")  # the `workers` batch
SPEEDUP_TARGET = 1.7  # issue 18: two workers on two cores


# --------------------------------------------------------------------------- corpora


def vary_digits(text: str, rng: random.Random) -> str:
    """Replace every digit that follows another digit: numbers change, their shape and years' centuries do not."""
    return re.sub(r"(?<=\d)\d", lambda _: str(rng.randrange(10)), text)


def make_txt(folder: Path, n: int) -> list[Path]:
    samples = sorted(SAMPLES.glob("*.txt"))
    folder.mkdir(parents=True)
    paths = []
    for i in range(n):
        sample = samples[i % len(samples)]
        path = folder / f"{i:05d}_{sample.name}"
        path.write_text(vary_digits(sample.read_text(encoding="utf-8"), random.Random(i)), encoding="utf-8")
        paths.append(path)
    return paths


def make_docx(folder: Path, n: int) -> list[Path]:
    """Sample .docx files with the digits of word/document.xml's text varied."""
    samples = sorted(SAMPLES.glob("*.docx"))
    folder.mkdir(parents=True)
    paths = []
    for i in range(n):
        sample = samples[i % len(samples)]
        rng = random.Random(i)
        buffer = io.BytesIO()
        with zipfile.ZipFile(sample) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item)
                if item.filename == "word/document.xml":
                    xml = data.decode("utf-8")
                    data = re.sub(r">[^<]+<", lambda m, rng=rng: vary_digits(m.group(), rng), xml).encode("utf-8")
                dst.writestr(item, data)
        path = folder / f"{i:05d}_{sample.name}"
        path.write_bytes(buffer.getvalue())
        paths.append(path)
    return paths


def make_pdf(folder: Path, n: int) -> list[Path]:
    """Sample text PDFs, each made unique by a trailing comment (same reading work per copy)."""
    samples = sorted(SAMPLES.glob("*.pdf"))
    folder.mkdir(parents=True)
    paths = []
    for i in range(n):
        sample = samples[i % len(samples)]
        path = folder / f"{i:05d}_{sample.name}"
        path.write_bytes(sample.read_bytes() + f"\n%bench copy {i}\n".encode())
        paths.append(path)
    return paths


def make_scans(folder: Path, pages: int) -> list[Path]:
    """Page images rendered at 200 dpi from the sample PDFs (what a scanner gives)."""
    import pypdfium2

    folder.mkdir(parents=True)
    paths = []
    for sample in sorted(SAMPLES.glob("*.pdf")):
        pdf = pypdfium2.PdfDocument(str(sample))
        for index in range(len(pdf)):
            if len(paths) == pages:
                return paths
            path = folder / f"{sample.stem}_p{index + 1}.png"
            pdf[index].render(scale=200 / 72, grayscale=True).to_pil().save(path)
            paths.append(path)
    return paths


def make_long_scan(path: Path, pages: int) -> Path:
    """A scanned PDF of `pages` pages: the pages of the scanned fixtures, repeated in order."""
    import pypdfium2

    sources = [pypdfium2.PdfDocument(str(p)) for p in sorted((SAMPLES / "scans").glob("*.pdf"))]
    refs = [(pdf, index) for pdf in sources for index in range(len(pdf))]
    out = pypdfium2.PdfDocument.new()
    for k in range(pages):
        pdf, index = refs[k % len(refs)]
        out.import_pages(pdf, [index])
    out.save(path)
    return path


# --------------------------------------------------------------------------- measuring


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, AttributeError):
            continue
    return total


def run_measured(args: list[str], by_tenth: bool = False) -> dict:
    """Run a command; wall time, peak RSS of its process tree (sampled) and of the process itself;
    with `by_tenth`, the tree's peak RSS in each tenth of the run too."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            rss = tree_rss(process.pid)
            peak = max(peak, rss)
            samples.append((time.perf_counter() - start, rss))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read()
    measured = {
        "seconds": round(wall, 2),
        "peak_rss_mb": round(peak / MB, 1),
        "main_process_max_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "exit_code": process.returncode,
        "summary": stderr.strip().splitlines()[-1] if stderr.strip() else "",
    }
    if by_tenth:
        tenths = [0] * 10
        for at, rss in samples:
            k = min(9, int(10 * at / wall))
            tenths[k] = max(tenths[k], rss)
        measured["peak_rss_mb_by_tenth"] = [round(rss / MB, 1) for rss in tenths]
    return measured


def ingest(folder: Path, db: Path, *extra: str, by_tenth: bool = False, workers: int = 1) -> dict:
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(folder), "--db", str(db), "--no-llm"]
    return run_measured([*cmd, "--workers", str(workers), *extra], by_tenth)


def statuses(db: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT status, count(*) FROM documents GROUP BY ALL").fetchall())
    finally:
        con.close()


FLOOR_CODE = {
    "txt": "for p in paths: open(p, encoding='utf-8').read()",
    "docx": """import docx
for p in paths:
    d = docx.Document(p)
    [x.text for x in d.paragraphs]
    [c.text for t in d.tables for r in t.rows for c in r.cells]""",
    "pdf": """import pdfplumber
for p in paths:
    with pdfplumber.open(p) as pdf:
        [page.extract_text() for page in pdf.pages]""",
}


def floor(kind: str, paths: list[Path]) -> dict:
    """Just opening the files with the standard library / python-docx / pdfplumber and reading the text."""
    code = f"import json, sys\npaths = json.loads(sys.argv[1])\n{FLOOR_CODE[kind]}\n"
    return run_measured([sys.executable, "-c", code, json.dumps([str(p) for p in paths])])


def stages(paths: list[Path]) -> dict[str, float]:
    """Mean milliseconds per document of each stage, in this process (no worker, fresh database)."""
    from extract import extract_facts
    from pipeline import store
    from pipeline.readers import read_document
    from validate import validate

    totals = {"read": 0.0, "extract": 0.0, "validate": 0.0, "store": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        con = store.connect(Path(tmp) / "stages.duckdb")
        for path in paths:
            t0 = time.perf_counter()
            doc = read_document(path)
            t1 = time.perf_counter()
            facts = extract_facts(doc) if doc.status == "ok" else None
            t2 = time.perf_counter()
            findings = validate(facts) if facts else []
            t3 = time.perf_counter()
            store.save_document(con, doc, facts, findings)
            t4 = time.perf_counter()
            for key, seconds in zip(totals, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                totals[key] += seconds
        con.close()
    return {k: round(v / len(paths) * 1000, 1) for k, v in totals.items()}


def llm_input(paths: list[Path]) -> dict:
    """Characters of narrative per document against the characters the LLM stage would be sent."""
    from extract import extract_facts
    from extract.llm.chunking import make_chunks
    from extract.paragraphs import paragraphs
    from pipeline.readers import read_document

    narrative = sent = chunks = 0
    for path in paths:
        doc = read_document(path)
        facts = extract_facts(doc)
        narrative += sum(len(p.text) for p in paragraphs(doc))
        made = make_chunks(doc, facts)
        chunks += len(made)
        sent += sum(len(c.text) for c in made)
    n = len(paths)
    return {
        "documents": n,
        "narrative_chars_per_doc": round(narrative / n),
        "llm_chunk_chars_per_doc": round(sent / n),
        "llm_chunks_per_doc": round(chunks / n, 2),
        "share_of_narrative_sent": round(sent / narrative, 3) if narrative else None,
        "llm_tokens": _llm_tokens("llm_tokens.json"),
        "note": "the bench runs the deterministic path, so it reports the characters the LLM stage would send; "
        "tokens are measured by bench/llm_tokens.py with the model (its latest bench/llm_tokens.json is included)",
    }


def _llm_tokens(name: str) -> dict | None:
    """The latest measurement of bench/llm_tokens.py written to bench/`name`, when one was made."""
    path = ROOT / "bench" / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


# --------------------------------------------------------------------------- the run


def per_doc(result: dict, n: int) -> dict:
    result["documents"] = n
    result["docs_per_s"] = round(n / result["seconds"], 2) if result["seconds"] else None
    return result


def stamp() -> dict:
    """When, at which commit and on what machine a measurement was taken."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }


def bench_docs(n: int, work: Path) -> dict:
    """txt, docx and text PDF against their floor; memory and re-run on n documents; LLM input."""
    report: dict = {"kinds": {}}
    small = max(1, min(100, n // 10))
    corpora = {
        "txt": make_txt(work / "txt", n),
        "docx": make_docx(work / "docx", small),
        "pdf": make_pdf(work / "pdf", small),
    }
    for kind, paths in corpora.items():
        print(f"bench: {kind} × {len(paths)}", file=sys.stderr, flush=True)
        if kind == "txt":
            few = work / "txt_small"
            few.mkdir()
            for p in paths[:small]:
                shutil.copy(p, few / p.name)
            measured = per_doc(ingest(few, work / "txt_small.duckdb"), small)
        else:
            measured = per_doc(ingest(paths[0].parent, work / f"{kind}.duckdb"), len(paths))
        base = per_doc(floor(kind, paths[:small]), small)
        measured["statuses"] = statuses(work / f"{kind if kind != 'txt' else 'txt_small'}.duckdb")
        measured["floor"] = base
        measured["times_floor"] = round(measured["seconds"] / base["seconds"], 1) if base["seconds"] else None
        measured["stage_ms_per_doc"] = stages(paths[: min(20, len(paths))])
        report["kinds"][kind] = measured

    print(f"bench: memory and re-run on {n} txt documents", file=sys.stderr, flush=True)
    db = work / "big.duckdb"
    big = per_doc(ingest(corpora["txt"][0].parent, db), n)
    big["statuses"] = statuses(db)
    big["db_mb"] = round(db.stat().st_size / MB, 1)
    rerun = per_doc(ingest(corpora["txt"][0].parent, db), n)
    report["memory"] = {
        f"peak_rss_mb_{small}_docs": report["kinds"]["txt"]["peak_rss_mb"],
        f"peak_rss_mb_{n}_docs": big["peak_rss_mb"],
        "target_mb": 1024,
        "under_target": big["peak_rss_mb"] < 1024,
    }
    report["corpus"] = big
    report["rerun"] = rerun
    report["llm"] = llm_input(sorted(SAMPLES.glob("*.txt")))
    return report


def bench_scan(pages: int, work: Path) -> dict:
    """OCR speed on page images, one file per page."""
    print(f"bench: OCR × {pages} page images", file=sys.stderr, flush=True)
    scans = make_scans(work / "scan", pages)
    measured = per_doc(ingest(scans[0].parent, work / "scan.duckdb"), len(scans))
    measured["pages_per_s"] = measured.pop("docs_per_s")
    measured["statuses"] = statuses(work / "scan.duckdb")
    if "ok" not in measured["statuses"]:
        measured["note"] = "OCR did not read these pages (not installed?): the figure is not an OCR speed"
    return {"kinds": {"scan": {**measured, **stamp()}}}


def bench_ocr_stages(pages: int) -> dict:
    """CPU seconds per OCR stage on `pages` pages of the scanned samples (see bench/ocr_stages.py)."""
    import ocr_stages

    from pipeline.readers.ocr import MAX_WORKERS

    print(f"bench: OCR stages on {pages} sample pages", file=sys.stderr, flush=True)
    measured = ocr_stages.measure(sorted((SAMPLES / "scans").glob("*.pdf")), pages)
    measured["ocr_workers"] = max(1, min(MAX_WORKERS, os.cpu_count() or 1))
    return {"ocr_stages": {**stamp(), **measured}}


def bench_long_scan(pages: int, work: Path) -> dict:
    """One scanned PDF of `pages` pages and one of a fifth as many, each ingested alone (default limits)."""
    runs = {}
    for count in sorted({max(1, pages // 5), pages}):
        print(f"bench: one scanned PDF of {count} pages", file=sys.stderr, flush=True)
        folder = work / f"long_scan_{count}"
        folder.mkdir()
        path = make_long_scan(folder / f"scan_{count}_pages.pdf", count)
        db = work / f"long_scan_{count}.duckdb"
        measured = ingest(folder, db, by_tenth=True)
        measured["pages"] = count
        measured["file_mb"] = round(path.stat().st_size / MB, 1)
        measured["seconds_per_page"] = round(measured["seconds"] / count, 2)
        measured["statuses"] = statuses(db)
        runs[count] = measured
    few, many = min(runs), max(runs)
    return {
        "long_scan": {
            **stamp(),
            "runs": {str(k): v for k, v in runs.items()},
            "peak_rss_ratio": round(runs[many]["peak_rss_mb"] / runs[few]["peak_rss_mb"], 2),
            "note": f"peak RSS of the whole process tree on {many} pages against {few} pages of the same kind; "
            "default limits (300 s per file + 30 s per OCR page)",
        }
    }


def stored_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of the documents and per-document tables (less the LLM records), sorted, without ingestion times."""
    import duckdb

    from pipeline.store import PER_DOCUMENT_TABLES

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = {}
        for table in ("documents", *(t for t in PER_DOCUMENT_TABLES if not t.startswith("llm_"))):
            columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] != "ingested_at"]
            select = ", ".join(f'"{c}"' for c in columns)
            rows[table] = sorted(con.execute(f"SELECT {select} FROM {table}").fetchall(), key=repr)
        return rows
    finally:
        con.close()


def bench_workers(workers: int, batch: list[Path], work: Path) -> dict:
    """One batch ingested with one worker and with `workers`: time, memory, speed-up, same database."""
    folder = work / "workers_batch"
    folder.mkdir()
    from pipeline.readers import SUPPORTED_SUFFIXES

    sources = [
        f
        for d in batch
        if d.is_dir()
        for f in sorted(d.iterdir())
        if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and "scan" not in f.name
    ]
    for f in sources:  # one folder, so that both runs store the same paths
        shutil.copy(f, folder / f"{f.parent.name}__{f.name}")
    runs = {}
    for n in (1, workers):
        print(f"bench: {len(sources)} files with --workers {n}", file=sys.stderr, flush=True)
        db = work / f"workers_{n}.duckdb"
        runs[n] = {**ingest(folder, db, workers=n), "statuses": statuses(db)}
    one, many = (stored_rows(work / f"workers_{n}.duckdb") for n in (1, workers))
    different = [table for table in one if one[table] != many[table]]
    speedup = round(runs[1]["seconds"] / runs[workers]["seconds"], 2) if runs[workers]["seconds"] else None
    return {
        "workers": {
            **stamp(),
            "files": len(sources),
            "sources": [str(d) for d in batch if d.is_dir()],
            "runs": {str(n): m for n, m in runs.items()},
            "speedup": speedup,
            "speedup_target": SPEEDUP_TARGET,
            "identical": not different,
            "tables_that_differ": different,
            "facts_and_findings_rows": sum(len(rows) for table, rows in one.items() if table != "documents"),
        }
    }


def bench(
    n: int, scan_pages: int, long_pages: int, work: Path, only: set[str], workers: int, batch: list[Path]
) -> dict:
    report: dict = {**stamp(), "kinds": {}}
    parts = []
    if "docs" in only:
        parts.append(bench_docs(n, work))
    if "scan" in only and scan_pages:
        parts.append(bench_scan(scan_pages, work))
    if "ocr_stages" in only and scan_pages:
        parts.append(bench_ocr_stages(scan_pages))
    if "ocr100" in only and long_pages:
        parts.append(bench_long_scan(long_pages, work))
    if "workers" in only:
        parts.append(bench_workers(workers, batch, work))
    if "llm_corpus" in only:  # measured by bench/llm_tokens.py (make bench runs it first); read here
        measured = _llm_tokens("llm_tokens_corpus.json") or {}
        parts.append({"llm_corpus": {k: v for k, v in measured.items() if k != "documents"}})
    for part in parts:
        report["kinds"].update(part.pop("kinds", {}))
        report.update(part)
    return report


def merge(old: dict, new: dict, only: set[str]) -> dict:
    """The existing report with the sections just measured replaced (its stamp kept unless docs ran)."""
    merged = {**old, **{k: v for k, v in new.items() if k not in ("date", "commit", "machine", "kinds")}}
    merged["kinds"] = {**old.get("kinds", {}), **new["kinds"]}
    for key in ("date", "commit", "machine"):
        merged[key] = new[key] if "docs" in only or key not in old else old[key]
    return merged


def markdown(report: dict) -> str:
    lines = [
        f"# Benchmark ({report['date']}, commit {report['commit']})",
        "",
        f"Machine: {report['machine']}. Deterministic path (`jixiao ingest --no-llm`): read → facts → findings → "
        "DuckDB, one worker process with the per-file time limit. Peak RSS includes the worker.",
        "",
    ]
    if report["kinds"]:
        lines += [
            "| kind | documents | docs/s | peak RSS (MB) | floor docs/s | × floor | read / extract / validate / store "
            "(ms per doc) |",
            "|---|---|---|---|---|---|---|",
        ]
    for kind, m in report["kinds"].items():
        rate = m.get("docs_per_s") or m.get("pages_per_s")
        unit = " pages/s" if kind == "scan" else ""
        floor_ = m.get("floor", {})
        st = m.get("stage_ms_per_doc")
        stages_ = " / ".join(str(st[k]) for k in ("read", "extract", "validate", "store")) if st else ""
        lines.append(
            f"| {kind} | {m['documents']} | {rate}{unit} | {m['peak_rss_mb']} | {floor_.get('docs_per_s', '')} | "
            f"{m.get('times_floor', '')} | {stages_} |"
        )
    if report["kinds"]:
        lines.append("")
    if "corpus" in report:
        mem, corpus, rerun, llm = report["memory"], report["corpus"], report["rerun"], report["llm"]
        lines += [
            f"**{corpus['documents']} generated documents** (txt): {corpus['seconds']} s, {corpus['docs_per_s']} "
            f"docs/s, peak RSS {corpus['peak_rss_mb']} MB (target < 1024 MB); database {corpus['db_mb']} MB.",
            "",
            "Memory against corpus size: "
            + ", ".join(f"{k.replace('peak_rss_mb_', '')}: {v} MB" for k, v in mem.items() if k.startswith("peak"))
            + ".",
            "",
            f"**Re-run** of the same {rerun['documents']} documents (all skipped by content hash): {rerun['seconds']} s "
            f"({rerun['docs_per_s']} docs/s).",
            "",
            f"**LLM input** (the five samples): narrative {llm['narrative_chars_per_doc']} chars per document, of which "
            f"the LLM stage would be sent {llm['llm_chunk_chars_per_doc']} chars in {llm['llm_chunks_per_doc']} chunks "
            f"({llm['share_of_narrative_sent']:.0%}). Tokens: " + _tokens_line(llm.get("llm_tokens")) + ".",
            "",
        ]
    if "llm_corpus" in report:
        lines += [
            "**LLM on the corpus** (tests/corpus/docs, the local model, `bench/llm_tokens.py`): "
            + _corpus_tokens_line(report["llm_corpus"])
            + ".",
            "",
        ]
    scan = report["kinds"].get("scan")
    if scan and scan.get("note"):
        lines += [f"Scans: {scan['note']}.", ""]
    if "ocr_stages" in report:
        lines += _ocr_stages_lines(report["ocr_stages"])
    if "long_scan" in report:
        lines += _long_scan_lines(report["long_scan"])
    if "workers" in report:
        lines += _workers_lines(report["workers"])
    return "\n".join(lines)


def _workers_lines(bench: dict) -> list[str]:
    lines = [
        f"**Several workers** ({bench['date']}, commit {bench['commit']}, {bench['machine']}): {bench['files']} files "
        f"({', '.join(bench['sources'])}, less the image-only scans), `jixiao ingest --no-llm --workers N`; "
        "peak RSS of the whole process tree (CLI and its workers).",
        "",
        "| workers | seconds | peak RSS (MB) | status |",
        "|---|---|---|---|",
    ]
    for n, m in bench["runs"].items():
        status = ", ".join(f"{k} {v}" for k, v in m["statuses"].items())
        lines.append(f"| {n} | {m['seconds']} | {m['peak_rss_mb']} | {status} |")
    same = (
        "the two databases hold the same rows"
        if bench["identical"]
        else f"the databases DIFFER in {', '.join(bench['tables_that_differ'])}"
    )
    lines += [
        "",
        f"Speed-up ×{bench['speedup']} (target ×{bench['speedup_target']}); {same} "
        f"({bench['facts_and_findings_rows']} rows of facts, findings and document content).",
        "",
    ]
    return lines


def _ocr_stages_lines(measured: dict) -> list[str]:
    import ocr_stages

    return [
        f"**Where OCR time goes** ({measured['date']}, commit {measured['commit']}): {measured['clock'].upper()} "
        f"seconds per stage, one engine thread, {len(measured['pages'])} pages of the sample scans "
        f"(`bench/ocr_stages.py`): {measured['mean']['total']} s per page, read by {measured['ocr_workers']} OCR "
        "workers at once. CPU seconds still rise with the machine's other load (shared cores and caches): "
        "compare the stages of one run, and commits measured side by side.",
        "",
        *ocr_stages.table(measured),
        "",
    ]


def _long_scan_lines(long_scan: dict) -> list[str]:
    lines = [
        f"**Long scans** ({long_scan['date']}, commit {long_scan['commit']}): one scanned PDF per run, "
        "`jixiao ingest --no-llm` with the default limits; peak RSS of the whole process tree (CLI, worker, OCR pool).",
        "",
        "| pages | MB | seconds | s/page | status | peak RSS (MB) | peak RSS per tenth of the run (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in long_scan["runs"].values():
        status = ", ".join(f"{k} {v}" for k, v in m["statuses"].items())
        tenths = " / ".join(str(v) for v in m["peak_rss_mb_by_tenth"])
        lines.append(
            f"| {m['pages']} | {m['file_mb']} | {m['seconds']} | {m['seconds_per_page']} | {status} | "
            f"{m['peak_rss_mb']} | {tenths} |"
        )
    lines += ["", f"Peak RSS, most pages against fewest: ×{long_scan['peak_rss_ratio']}.", ""]
    return lines


def _tokens_line(measured: dict | None) -> str:
    if not measured or not measured.get("documents"):
        return "not measured (run bench/llm_tokens.py with the model)"
    n = len(measured["documents"])
    return (
        f"{measured['tokens_sent'] / n:.0f} sent per document against {measured['narrative_tokens'] / n:.0f} narrative "
        f"tokens (×{measured['ratio']}), {measured['rerun_tokens']} on a re-run; "
        f"{measured.get('calls_sent', '?')} model calls, {measured.get('model_s', '?')} s in the model; "
        f"model {measured['model']}, measured by bench/llm_tokens.py"
    )


def _corpus_tokens_line(measured: dict | None) -> str:
    if not measured or not measured.get("calls"):
        return "not measured (run bench/llm_tokens.py --samples tests/corpus/docs --out bench/llm_tokens_corpus.json)"
    return (
        f"{measured['documents_in_folder']} documents, {measured['calls_sent']} model calls, {measured['model_s']} s "
        f"in the model (first run {measured['first_run_s']} s); {measured['tokens_sent']} tokens sent "
        f"against {measured['chunk_tokens']} tokens of the chunks that needed the model "
        f"(×{measured['ratio_to_chunks']}; with the {measured.get('tokens_answered', '?')} answer tokens "
        f"×{measured.get('total_ratio_to_chunks', '?')}); {measured['rerun_tokens']} on a re-run "
        f"({measured['rerun_s']} s); model {measured['model']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="documents in the memory / re-run corpus")
    parser.add_argument("--scan-pages", type=int, default=4, help="page images for the OCR figure (0: skip)")
    parser.add_argument(
        "--long-scan-pages", type=int, default=100, help="pages of the long scanned PDF (ocr100; 0: skip)"
    )
    parser.add_argument(
        "--only", nargs="+", choices=SECTIONS, help="run only these sections; the others are kept from --out"
    )
    parser.add_argument("--workers", type=int, default=2, help="workers compared with one (section workers)")
    parser.add_argument(
        "--batch",
        type=Path,
        nargs="+",
        default=list(BATCH),
        help="folders of the workers batch (files named *scan* left out)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "latest.json")
    args = parser.parse_args()
    only = set(args.only or SECTIONS)
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        report = bench(args.n, args.scan_pages, args.long_scan_pages, Path(tmp), only, args.workers, args.batch)
    if args.only and args.out.exists():
        report = merge(json.loads(args.out.read_text(encoding="utf-8")), report, only)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


if __name__ == "__main__":
    main()
