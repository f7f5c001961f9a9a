"""Extraction: Document → Facts. Deterministic parsers first (form tables, budget sentences),
then, optionally, the LLM over narrative chunks."""

from __future__ import annotations

from pipeline.models import Document, Facts


def extract_facts(doc: Document) -> Facts:
    """All deterministic facts of a document, with ids assigned."""
    facts = Facts(doc_id=doc.doc_id)
    assign_ids(facts)
    return facts


def assign_ids(facts: Facts) -> None:
    """Give every fact a short id unique within its document (a1, i3, p2 …)."""
    groups = {
        "a": facts.amounts,
        "i": facts.indicators,
        "s": facts.sections,
        "p": facts.projects,
        "l": facts.line_items,
        "m": facts.mentions,
    }
    for prefix, items in groups.items():
        for n, item in enumerate(items, start=1):
            item.id = f"{prefix}{n}"
    if facts.total_score is not None:
        facts.total_score.id = "t1"
