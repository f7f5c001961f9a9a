"""Findings against the gold `inconsistencies`: a gold item counts as found when one finding's
`values` contain at least two of the numbers its `detail` mentions (within ±0.005)."""

from __future__ import annotations

import re
from typing import Any

from pipeline.models import Finding

_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
TOLERANCE = 0.005


def detail_numbers(detail: str) -> list[float]:
    """The distinct numbers a gold detail mentions: '440,200亩' → 440200, '95.60%' → 95.6."""
    values: list[float] = []
    for match in _NUMBER.finditer(detail):
        value = float(match.group(0).replace(",", ""))
        if value not in values:
            values.append(value)
    return values


def shared_numbers(gold_numbers: list[float], finding: Finding) -> int:
    return sum(any(abs(g - v) <= TOLERANCE for v in finding.values) for g in gold_numbers)


def match_findings(gold_inconsistencies: list[dict], findings: list[Finding]) -> dict[str, Any]:
    """Recall over the gold items and the findings that match none of them."""
    matched_findings: set[int] = set()
    items: list[dict[str, Any]] = []
    for gold in gold_inconsistencies:
        numbers = detail_numbers(gold.get("detail", ""))
        hits = [i for i, f in enumerate(findings) if shared_numbers(numbers, f) >= 2]
        matched_findings.update(hits)
        items.append({"rule": gold.get("rule"), "found": bool(hits), "findings": hits})
    found = sum(item["found"] for item in items)
    unmatched = [i for i in range(len(findings)) if i not in matched_findings]
    return {
        "gold": len(items),
        "found": found,
        "recall": found / len(items) if items else 1.0,
        "items": items,
        "unmatched_findings": unmatched,
    }
