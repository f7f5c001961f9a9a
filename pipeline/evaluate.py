"""Scoring extraction against gold annotations (tests/gold/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.goldjson import to_gold_json
from pipeline.run import RunOptions, process


def evaluate_dirs(gold_dir: Path, docs_dir: Path, options: RunOptions) -> dict[str, Any]:
    """Run extraction on every document that has a gold file (any format with the gold's stem)."""
    per_doc: dict[str, Any] = {}
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        for doc_path in sorted(docs_dir.glob(gold_file.stem + ".*")):
            result = process(doc_path, options)
            predicted = to_gold_json(doc_path.name, result.facts, result.findings)
            per_doc[doc_path.name] = {
                "status": result.doc.status,
                "gold_doc": gold["doc"],
                "indicators": len(predicted["indicators"]),
            }
    return {"documents": per_doc}


def render_scores(scores: dict[str, Any]) -> str:
    return json.dumps(scores, ensure_ascii=False, indent=1)
