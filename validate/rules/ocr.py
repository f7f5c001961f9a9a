"""OCR rule: a number read from a scan with low recognition confidence is flagged, not trusted silently.

Cells and paragraphs read by OCR carry the recogniser's confidence (the lowest of their text boxes);
every fact whose source text holds a number and was read below the threshold gets one warning that
names the text as read, its page and its confidence, so a person checks it against the scan.
"""

from __future__ import annotations

from collections.abc import Iterator

from extract.numbers import find_numbers
from pipeline.models import Facts, Finding, Provenance
from validate.findings import make, say
from validate.registry import rule

LOW_OCR_CONFIDENCE = 0.80


@rule(
    "low_ocr_confidence",
    "warning",
)
def low_ocr_confidence(facts: Facts) -> list[Finding]:
    flagged: dict[tuple, tuple[Provenance, list[str]]] = {}
    for fact_id, prov in _provenances(facts):
        if prov.confidence is None or prov.confidence >= LOW_OCR_CONFIDENCE or not find_numbers(prov.raw):
            continue
        key = (prov.page, prov.char_start, prov.char_end, prov.raw)
        flagged.setdefault(key, (prov, []))[1].append(fact_id)
    return [
        make(
            "low_ocr_confidence",
            say("low_ocr_confidence", text=prov.raw.strip(), page=prov.page, confidence=f"{prov.confidence:.2f}"),
            fact_ids=ids,
            values=[m.value for m in find_numbers(prov.raw)],
        )
        for prov, ids in flagged.values()
    ]


def _provenances(facts: Facts) -> Iterator[tuple[str, Provenance]]:
    """Every fact's own provenance and its per-field cell provenances."""
    for fact in facts.all_facts():
        fact_id = getattr(fact, "id", "")
        prov = getattr(fact, "prov", None)
        if prov is not None:
            yield fact_id, prov
        for cell in (getattr(fact, "cells", None) or {}).values():
            yield fact_id, cell
