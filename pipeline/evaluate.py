"""Scoring extraction against gold annotations (tests/gold/README.md).

Every document in the docs folder whose stem matches a gold file is scored, whatever its format
(`x.txt`, `x.docx`, `x.pdf` all score against `x.json`). Per field, true/false positives and false
negatives are counted, then precision / recall / F1 per document, per format and overall:

* amounts: the main fields, matched by key, value within ±0.005;
* other_mentions, line_items: matched by value (±0.005), each gold value used once;
* indicators: rows matched by 三级指标 (by 一级/二级 when it is empty) in order; a matched row is
  right when target, actual (the printed strings) and weight, score (±0.005) all agree;
* sections: matched by level-1 name, right when weight and score agree;
* projects: matched by name, right when budget, executed and score agree;
* names (三级指标, project names) and target / actual texts compare without whitespace: a space
  inside Chinese text is where a PDF wrapped it in its cell (约 103 万亩 comes out of a PDF cell as
  约103万亩), which one gold file keeps and another drops;
* total_score, department, region, year: one value each.

Gold files may omit any optional key (a missing list is empty, a missing value null) and carry
keys this scorer does not read (`kind`, `truncated`, `page`, `grade` …). Documents are also scored
per kind (the gold's `kind`: project, department …; `unknown` when it has none).

`invented` counts emitted numbers whose provenance `raw` is not a verbatim slice of the document
text or does not print the number. Findings: a gold inconsistency is found when one finding's
`values` contain two of the numbers in its `detail` (±0.005); findings matching none are counted.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from extract.numbers import find_numbers
from pipeline.goldjson import MAIN_KEYS, to_gold_json
from pipeline.models import Document, Facts, Finding, Number, Provenance
from pipeline.readers import SUPPORTED_SUFFIXES
from pipeline.run import RunOptions, process
from validate.gold_match import match_findings

TOL = 0.005
FIELDS = (
    "amounts",
    "other_mentions",
    "indicators",
    "sections",
    "projects",
    "line_items",
    "total_score",
    "department",
    "region",
    "year",
)
INDICATOR_FIELDS = ("level1", "level2", "level3", "target", "actual", "weight", "score", "deviation_reason")
PROJECT_FIELDS = ("name", "budget", "executed", "score")


# --------------------------------------------------------------------------- counting


class Counts:
    """True positives, false positives and false negatives of one field."""

    def __init__(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp, self.fp, self.fn = tp, fp, fn

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": p, "recall": r, "f1": f1}


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= TOL


def _pairs(gold: list[Any], pred: list[Any], same) -> Counts:
    """Greedy one-to-one matching in order: each gold item is used once."""
    unused = list(gold)
    tp = 0
    for item in pred:
        hit = next((g for g in unused if same(g, item)), None)
        if hit is not None:
            unused.remove(hit)
            tp += 1
    return Counts(tp, len(pred) - tp, len(unused))


def score_amounts(gold: dict[str, Any], pred: dict[str, Any]) -> Counts:
    counts = Counts()
    for key in MAIN_KEYS:
        g, p = gold.get(key), pred.get(key)
        if g and p and _close(g["value"], p["value"]):
            counts.tp += 1
        else:
            counts.fp += p is not None
            counts.fn += g is not None
    return counts


def _name(text: str | None) -> str | None:
    """A name or text value as compared: without whitespace."""
    return re.sub(r"\s+", "", text) if text is not None else None


def _row_key(row: dict[str, Any]) -> str:
    return _name(row["level3"]) or f"{row['level1']}/{row['level2']}"


def score_indicators(gold: list[dict], pred: list[dict]) -> Counts:
    by_key: dict[str, list[dict]] = defaultdict(list)
    for row in gold:
        by_key[_row_key(row)].append(row)
    tp = fp = 0
    for row in pred:
        candidates = by_key.get(_row_key(row))
        if not candidates:
            fp += 1
            continue
        g = candidates.pop(0)
        right = (
            _name(g["target"]) == _name(row["target"])
            and _name(g["actual"]) == _name(row["actual"])
            and _close(g["weight"], row["weight"])
            and _close(g["score"], row["score"])
        )
        tp += right
        fp += not right
    fn = len(gold) - tp
    return Counts(tp, fp, fn)


def _table_rows(rows: list[dict]) -> list[dict]:
    """The gold annotates the rows of indicator tables; the narrative's restatements are not scored."""
    return [row for row in rows if row.get("table_kind") != "narrative"]


def normalise_gold(gold: dict[str, Any]) -> dict[str, Any]:
    """The gold with every key the scorer reads: a missing list is empty, a missing value null."""
    amounts = dict(gold.get("amounts") or {})
    amounts["other_mentions"] = amounts.get("other_mentions") or []
    lists = ("indicators", "section_weights", "projects", "line_items", "inconsistencies")
    values = ("total_score", "department", "region", "year")
    return {
        **gold,
        "amounts": amounts,
        **{key: gold.get(key) or [] for key in lists},
        **{key: gold.get(key) for key in values},
        "indicators": [{f: row.get(f) for f in INDICATOR_FIELDS} for row in gold.get("indicators") or []],
        "projects": [{f: p.get(f) for f in PROJECT_FIELDS} for p in gold.get("projects") or []],
    }


def score_fields(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, Counts]:
    """Counts per field for one document (gold schema on both sides)."""
    gold = normalise_gold(gold)
    g_amounts, p_amounts = gold["amounts"], pred["amounts"]
    value = lambda g, p: _close(g["value"], p["value"])  # noqa: E731
    sections_gold = [s for s in gold["section_weights"] if "level2" not in s]
    sections_pred = [s for s in pred["section_weights"] if "level2" not in s]
    return {
        "amounts": score_amounts(g_amounts, p_amounts),
        "other_mentions": _pairs(g_amounts["other_mentions"], p_amounts["other_mentions"], value),
        "indicators": score_indicators(gold["indicators"], _table_rows(pred["indicators"])),
        "sections": _pairs(
            sections_gold,
            sections_pred,
            lambda g, p: (
                g.get("level1") == p["level1"]
                and _close(g.get("weight"), p["weight"])
                and _close(g.get("score"), p.get("score"))
            ),
        ),
        "projects": _pairs(
            gold["projects"],
            pred["projects"],
            lambda g, p: (
                _name(g["name"]) == _name(p["name"])
                and all(_close(g[k], p[k]) for k in ("budget", "executed", "score"))
            ),
        ),
        "line_items": _pairs(gold["line_items"], pred["line_items"], value),
        "total_score": _pairs(
            [gold["total_score"]] if gold["total_score"] else [],
            [pred["total_score"]] if pred["total_score"] else [],
            value,
        ),
        **{
            key: _pairs(
                [gold[key]] if gold[key] is not None else [],
                [pred[key]] if pred[key] is not None else [],
                lambda g, p: g == p,
            )
            for key in ("department", "region", "year")
        },
    }


# --------------------------------------------------------------------------- invented numbers


def _numbers_with_prov(facts: Facts) -> list[tuple[Number, Provenance]]:
    found: list[tuple[Number, Provenance]] = [(a.number, a.prov) for a in facts.amounts]
    for i in facts.indicators:
        for name in ("weight", "score"):
            number = getattr(i, name)
            if number is not None:
                found.append((number, i.cells.get(name, i.cells.get("level3", i.prov))))
    for s in facts.sections:
        for name in ("weight", "score"):
            number = getattr(s, name)
            if number is not None:
                found.append((number, s.cells.get(name, s.prov)))
    for p in facts.projects:
        for name in ("budget", "executed", "rate_pct", "score"):
            number = getattr(p, name)
            if number is not None:
                found.append((number, p.cells.get(name, p.prov)))
    found.extend((li.number, li.prov) for li in facts.line_items)
    if facts.total_score is not None:
        found.append((facts.total_score.number, facts.total_score.prov))
    found.extend((m.number, m.prov) for m in facts.mentions if m.number is not None and m.kind != "garbled")
    return found


def invented_numbers(doc: Document, facts: Facts) -> list[str]:
    """Numbers whose provenance is not verbatim source text or does not print the number."""
    bad = []
    for number, prov in _numbers_with_prov(facts):
        verbatim = prov.raw in doc.text if prov.char_start is None else _slice_is(doc, prov)
        # signs come from words (调减), so the printed magnitude is what must appear
        unwrapped = re.sub(r"(?<=\d)\s*\n\s*(?=\d)", "", prov.raw)  # digits wrapped in a narrow PDF cell
        printed = any(abs(abs(m.value) * number.scale - abs(number.value)) <= 1e-6 for m in find_numbers(unwrapped))
        if not (verbatim and printed):
            bad.append(f"{number.value} from {prov.raw[:40]!r}")
    return bad


def _slice_is(doc: Document, prov: Provenance) -> bool:
    return doc.text[prov.char_start : prov.char_end] == prov.raw or prov.raw in doc.text


# --------------------------------------------------------------------------- findings


def score_findings(gold: list[dict], findings: list[Finding]) -> dict[str, int]:
    """Gold inconsistencies found (two of their numbers in one finding's values), and the
    findings that match no gold item."""
    matched = match_findings(gold, findings)
    return {
        "gold": matched["gold"],
        "found": matched["found"],
        "unmatched_findings": len(matched["unmatched_findings"]),
    }


# --------------------------------------------------------------------------- driver


def evaluate_dirs(gold_dir: Path, docs_dir: Path, options: RunOptions, recursive: bool = True) -> dict[str, Any]:
    """Run the pipeline on every document that has a gold file and score it; with `recursive`,
    renderings in subfolders (scans/x.pdf) count as formats of their own ("scans/pdf")."""
    per_doc: dict[str, Any] = {}
    totals: dict[str, Counts] = {f: Counts() for f in FIELDS}
    by_format: dict[str, dict[str, Counts]] = defaultdict(lambda: {f: Counts() for f in FIELDS})
    by_kind: dict[str, dict[str, Counts]] = defaultdict(lambda: {f: Counts() for f in FIELDS})
    invented_total = 0
    findings_total = {"gold": 0, "found": 0, "unmatched_findings": 0}
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        pattern = gold_file.stem + ".*"
        for doc_path in sorted(docs_dir.rglob(pattern) if recursive else docs_dir.glob(pattern)):
            if doc_path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            doc_name = doc_path.relative_to(docs_dir).as_posix()
            result = process(doc_path, options)
            pred = to_gold_json(doc_path.name, result.facts, result.findings)
            counts = score_fields(gold, pred)
            invented = invented_numbers(result.doc, result.facts) if result.facts else []
            findings = score_findings(gold.get("inconsistencies") or [], result.findings)
            kind = str(gold.get("kind") or "unknown")
            fmt = str(Path(doc_name).parent / doc_path.suffix.lower().lstrip(".")).removeprefix("./")
            for name, c in counts.items():
                totals[name].add(c)
                by_format[fmt][name].add(c)
                by_kind[kind][name].add(c)
            invented_total += len(invented)
            for k in findings_total:
                findings_total[k] += findings[k]
            per_doc[doc_name] = {
                "status": result.doc.status,
                "kind": kind,
                "fields": {name: c.as_dict() for name, c in counts.items()},
                "invented": invented,
                "findings": findings,
            }
    return {
        "overall": {name: c.as_dict() for name, c in totals.items()},
        "by_format": _as_dicts(by_format),
        "by_kind": _as_dicts(by_kind),
        "invented": invented_total,
        "findings": findings_total,
        "documents": per_doc,
    }


def _as_dicts(groups: dict[str, dict[str, Counts]]) -> dict[str, dict[str, Any]]:
    return {group: {n: c.as_dict() for n, c in fields.items()} for group, fields in sorted(groups.items())}


def render_scores(scores: dict[str, Any]) -> str:
    """A plain-text table: overall P/R/F1 per field, F1 per document, invented numbers, findings."""
    lines = [f"{'field':16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}"]
    for name, s in scores["overall"].items():
        lines.append(
            f"{name:16}{s['precision']:7.3f}{s['recall']:7.3f}{s['f1']:7.3f}{s['tp']:6d}{s['fp']:5d}{s['fn']:5d}"
        )
    for title, groups in (("F1 by format", scores["by_format"]), ("F1 by kind", scores["by_kind"])):
        if len(groups) > 1:
            lines.append("")
            lines.append(f"{title:16}" + "".join(f"{group:>12}" for group in groups))
            for name in FIELDS:
                row = "".join(f"{fields[name]['f1']:12.3f}" for fields in groups.values())
                lines.append(f"{name:16}{row}")
    lines.append("")
    docs = list(scores["documents"])
    lines.append("F1 per document:")
    width = max([10, *(len(_short(d)) + 1 for d in docs)])
    lines.append(f"{'field':16}" + "".join(f"{_short(d):>{width}}" for d in docs))
    for name in FIELDS:
        row = "".join(f"{scores['documents'][d]['fields'][name]['f1']:{width}.3f}" for d in docs)
        lines.append(f"{name:16}{row}")
    lines.append("")
    f = scores["findings"]
    lines.append(f"invented numbers: {scores['invented']}")
    lines.append(
        f"findings: {f['found']}/{f['gold']} gold inconsistencies found, {f['unmatched_findings']} findings match none"
    )
    return "\n".join(lines)


def _short(name: str) -> str:
    path = Path(name)
    short = f"{re.sub(r'_.*', '', path.stem)}{path.suffix}"
    return short if path.parent == Path(".") else f"{path.parent.as_posix()}/{short}"
