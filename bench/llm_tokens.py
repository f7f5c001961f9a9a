"""LLM cost benchmark (not a test): tokens sent per document against the tokens of the chunks that
needed the model and against the narrative's own tokens, the time the model took, and the cost of a
re-run (targets, issue 15: ≤ 1.3× the chunks, and 0 tokens on the re-run).

Runs `jixiao ingest` twice over a folder into a fresh database with the LLM stage on (the local
model unless --llm-base-url is given), then reads `llm_calls`. Tokens are counted with the local
model's own tokenizer (vocab only): the chunks' texts as `make_chunks` cuts them after the
deterministic stage, and the document's paragraphs (outside tables). Tokens sent are the prompt
tokens the server counted (instructions and passages; the local model gets the response schema as a
grammar, not as text); the answer's tokens, which come back, are counted apart (`tokens_answered`)
and in `total_ratio_to_chunks`.

Usage: python bench/llm_tokens.py [--samples data/samples] [--out bench/llm_tokens.json] [--db FILE]
[--llm-base-url URL --llm-model M] (`--samples tests/corpus/docs --out bench/llm_tokens_corpus.json`
for the corpus; with `--db FILE` kept, `JIXIAO_LLM_CACHE_DB=FILE jixiao eval …` scores the same answers)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract import extract_facts  # noqa: E402
from extract.llm.chunking import make_chunks  # noqa: E402
from extract.paragraphs import paragraphs  # noqa: E402
from pipeline.local_model import MODELS  # noqa: E402
from pipeline.readers import read_document  # noqa: E402
from pipeline.run import collect_files  # noqa: E402
from pipeline.settings import LlmSettings  # noqa: E402


def own_tokens(paths: list[Path]) -> dict[str, dict[str, int]]:
    """Per document: the tokens of its narrative and of the chunks the LLM stage is to read."""
    from llama_cpp import Llama

    settings = LlmSettings()
    vocab = Llama(str(settings.model_dir / MODELS[settings.local_model].filename), vocab_only=True, verbose=False)

    def count(text: str) -> int:
        return len(vocab.tokenize(text.encode("utf-8"), add_bos=False)) if text else 0

    counts = {}
    for path in paths:
        doc = read_document(path)
        chunks = make_chunks(doc, extract_facts(doc))
        counts[doc.doc_id] = {
            "narrative_tokens": count("\n".join(p.text for p in paragraphs(doc))),
            "chunk_tokens": sum(count(c.text) for c in chunks),
            "chunks": len(chunks),
        }
    return counts


def ingest(samples: Path, db: Path, extra: list[str]) -> float:
    started = time.monotonic()
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(samples), "--db", str(db), "--force", *extra]
    subprocess.run(cmd, cwd=ROOT, check=False)
    return round(time.monotonic() - started, 1)


def tokens_by_doc(db: Path) -> dict[str, dict]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        """SELECT d.doc_id, regexp_extract(d.path, '[^/]+$'), count(c.call_id), coalesce(sum(c.tokens_in), 0),
                  coalesce(sum(c.tokens_out), 0), coalesce(sum(c.cache_hit::int), 0),
                  round(coalesce(sum(c.latency_ms), 0) / 1000, 1)
           FROM documents d LEFT JOIN llm_calls c USING (doc_id) GROUP BY ALL ORDER BY 2"""
    ).fetchall()
    con.close()
    return {
        r[0]: {"file": r[1], "calls": r[2], "tokens_in": r[3], "tokens_out": r[4], "cache_hits": r[5], "model_s": r[6]}
        for r in rows
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=Path, default=ROOT / "data" / "samples")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "llm_tokens.json")
    parser.add_argument("--db", type=Path, help="keep the database here (replaced), e.g. to score with its cache")
    parser.add_argument("--llm-base-url")
    parser.add_argument("--llm-model")
    args = parser.parse_args()
    extra = [
        f for pair in (("--llm-base-url", args.llm_base_url), ("--llm-model", args.llm_model)) if pair[1] for f in pair
    ]
    paths = collect_files([args.samples])  # what `jixiao ingest` reads, the scans included
    own = own_tokens(paths)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        for old in db.parent.glob(f"{db.name}*"):  # a fresh database: every chunk goes to the model
            old.unlink()
        first_s = ingest(args.samples, db, extra)
        first = tokens_by_doc(db)
        second_s = ingest(args.samples, db, extra)
        second = tokens_by_doc(db)
    docs = []
    for doc_id, row in first.items():
        sent = row["tokens_in"]
        mine = own.get(doc_id, {"narrative_tokens": 0, "chunk_tokens": 0, "chunks": 0})
        rerun = second[doc_id]["tokens_in"] + second[doc_id]["tokens_out"]
        docs.append(
            {
                **row,
                **mine,
                "tokens_sent": sent,
                "ratio": round(sent / mine["narrative_tokens"], 3) if mine["narrative_tokens"] else None,
                "ratio_to_chunks": round(sent / mine["chunk_tokens"], 3) if mine["chunk_tokens"] else None,
                "total_ratio_to_chunks": (
                    round((sent + row["tokens_out"]) / mine["chunk_tokens"], 3) if mine["chunk_tokens"] else None
                ),
                "rerun_tokens": rerun,
            }
        )
    total_sent = sum(d["tokens_sent"] for d in docs)
    total_own = sum(d["narrative_tokens"] for d in docs)
    total_chunks = sum(d["chunk_tokens"] for d in docs)
    total_answered = sum(d["tokens_out"] for d in docs)
    result = {
        "folder": str(args.samples),
        "documents_in_folder": len(paths),
        "model": args.llm_model or MODELS[LlmSettings().local_model].name,
        "first_run_s": first_s,
        "rerun_s": second_s,
        "model_s": round(sum(d["model_s"] for d in docs), 1),  # time in model calls, first run
        "calls": sum(d["calls"] for d in docs),
        "calls_sent": sum(d["calls"] - d["cache_hits"] for d in docs),
        "tokens_sent": total_sent,
        "narrative_tokens": total_own,
        "ratio": round(total_sent / total_own, 3) if total_own else None,
        "chunk_tokens": total_chunks,
        "tokens_answered": total_answered,
        "ratio_to_chunks": round(total_sent / total_chunks, 3) if total_chunks else None,
        "total_ratio_to_chunks": round((total_sent + total_answered) / total_chunks, 3) if total_chunks else None,
        "rerun_tokens": sum(d["rerun_tokens"] for d in docs),
        "documents": docs,
    }
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "documents"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
