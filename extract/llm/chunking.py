"""Chunking the narrative: only sentences the deterministic parsers did not already read.

The narrative is the document's logical paragraphs (`extract.paragraphs`: a PDF's wrapped lines
joined; tables are left to the form parser). Paragraphs are split into sentences; a sentence is
kept when it prints a money amount, a percentage or a score that no deterministic fact already
covers. Kept sentences are grouped by the document's own headings into chunks of bounded size, with
one sentence of overlap where a section is cut. Project self-evaluation paragraphs go to the project
prompt, everything else to the amounts prompt.

A chunk's hash (the cache key) is taken over its text without whitespace and with full-width
characters narrowed, so the same passage read from a .txt, a .docx or a PDF with other line breaks
is sent once; its answer is grounded again in each document.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from extract.llm.grounding import Segment, normalize
from extract.paragraphs import Paragraph, paragraphs
from pipeline.models import Document, Facts

_LINE_BREAK = re.compile(r"[ \t\u3000]*\n[ \t\u3000]*")
_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
_MONEY = re.compile(r"\d[\d,，]*(?:\.\d+)?\s*(?:万元|亿元|元|万(?=[，。；、,;\s）)]|$))")
_SCORE = re.compile(r"\d+(?:\.\d+)?\s*分")
_RATE = re.compile(r"\d+(?:\.\d+)?\s*[%％]")
_BUDGET_WORDS = re.compile(r"预算|执行|支出|资金|拨款")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")
_PROJECT = re.compile(r"项目.{0,6}绩效自评|项目自评得分|自评得分\d")

AMOUNTS_PROMPT = "narrative_amounts"
PROJECTS_PROMPT = "project_evals"


@dataclass
class Chunk:
    prompt: str
    segments: list[Segment] = field(default_factory=list)
    text: str = ""

    @property
    def hash(self) -> str:
        return hashlib.sha256(normalize(self.text).encode("utf-8")).hexdigest()[:32]


def covered_spans(facts: Facts) -> list[tuple[int, int]]:
    spans = []
    for fact in facts.all_facts():
        prov = fact.prov  # type: ignore[attr-defined]
        if prov.char_start is not None and prov.char_end is not None:
            spans.append((prov.char_start, prov.char_end))
    return spans


def sentences(para: Paragraph) -> list[Segment]:
    """The sentences of a paragraph as document spans (a wrapped sentence spans its line break)."""
    return [Segment(*para.span(m.start(), m.end())) for m in _SENTENCE.finditer(para.text) if m.group(0).strip()]


def is_relevant(doc_text: str, seg: Segment, covered: list[tuple[int, int]], prompt: str) -> bool:
    """Prints an amount, a budget rate or (for projects) a score outside every deterministic fact's span."""
    text = doc_text[seg.start : seg.end]
    matches = [*_MONEY.finditer(text), *(_RATE.finditer(text) if _BUDGET_WORDS.search(text) else [])]
    if prompt == PROJECTS_PROMPT:
        matches += _SCORE.finditer(text)
    for m in matches:
        a, b = seg.start + m.start(), seg.start + m.end()
        if not any(s <= a and b <= e for s, e in covered):
            return True
    return False


def make_chunks(doc: Document, facts: Facts, max_chars: int = 1200) -> list[Chunk]:
    covered = covered_spans(facts)
    chunks: list[Chunk] = []
    current: dict[str, Chunk] = {}
    last: dict[str, Segment] = {}
    for para in paragraphs(doc):
        prompt = PROJECTS_PROMPT if _PROJECT.search(para.text) else AMOUNTS_PROMPT
        for seg in sentences(para):
            if not is_relevant(doc.text, seg, covered, prompt):
                continue
            chunk = current.get(prompt)
            size = sum(s.end - s.start for s in chunk.segments) if chunk else 0
            heading = bool(_HEADING.match(doc.text[seg.start : seg.end]))
            if chunk is None or size + (seg.end - seg.start) > max_chars or (heading and size > max_chars // 2):
                overlap = [last[prompt]] if chunk and not heading else []
                chunk = Chunk(prompt=prompt, segments=overlap)
                chunks.append(chunk)
                current[prompt] = chunk
            _append(doc.text, chunk, seg)
            last[prompt] = seg
    for chunk in chunks:
        chunk.text = "\n".join(_LINE_BREAK.sub("", doc.text[s.start : s.end]).strip() for s in chunk.segments)
    return chunks


def _append(text: str, chunk: Chunk, seg: Segment) -> None:
    """Add a sentence, joining it to the previous one when they are adjacent in the document."""
    prev = chunk.segments[-1] if chunk.segments else None
    if prev is not None and prev.end <= seg.start and not text[prev.end : seg.start].strip():
        chunk.segments[-1] = Segment(prev.start, seg.end)
    else:
        chunk.segments.append(seg)
