"""Paragraphs of running text (outside tables) with their spans, and label helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import Document

_DELIMITERS = "，。；;,、（）()：:\n"


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str


def paragraphs(doc: Document) -> list[Paragraph]:
    """Paragraph blocks in reading order (the whole text when the reader gave no blocks)."""
    blocks = [b for b in doc.blocks if b.kind == "paragraph"]
    if not blocks and not doc.tables:
        return [Paragraph(0, len(doc.text), doc.text)]
    return [Paragraph(b.char_start, b.char_end, doc.text[b.char_start : b.char_end]) for b in blocks]


def label_before(text: str, end: int, max_len: int = 24, stops: str = _DELIMITERS) -> tuple[str, int]:
    """The label right before position `end`: back to the previous delimiter (at most max_len)."""
    start = end
    while start > 0 and end - start < max_len and text[start - 1] not in stops:
        start -= 1
    label = re.sub(r"^\s*(其中|包括|含)\s*", "", text[start:end]).strip()
    return label, start
