"""Validation: Facts → Findings with deterministic rules only (no LLM)."""

from __future__ import annotations

from pipeline.models import Facts, Finding


def validate(facts: Facts) -> list[Finding]:
    """Run every rule of the catalogue over one document's facts."""
    return []
