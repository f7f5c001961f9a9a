"""Chunking the narrative: only sentences the deterministic parsers did not already read.

The narrative is the document's logical paragraphs (`extract.paragraphs`: a PDF's wrapped lines
joined; tables are left to the form parser). Paragraphs are split into sentences; a sentence is
kept when it prints a number the model could add: one no deterministic fact already covers, that
the grounding could accept (a money amount or execution rate with one of the field labels of
`labels` in its clause; in a project paragraph any amount, rate or score) and, outside project
paragraphs, that the parsers' amounts do not already hold under the field its clause names and
that an earlier sentence did not already print with the same words (reports repeat paragraphs).
Kept sentences are grouped by the document's own headings into chunks of bounded size, with one
sentence of overlap where a section is cut. Project self-evaluation paragraphs go to the project
prompt, everything else to the amounts prompt.

A chunk's hash (the cache key) is taken over its text without whitespace and with full-width
characters narrowed, so the same passage read from a .txt, a .docx or a PDF with other line breaks
is sent once; its answer is grounded again in each document.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from extract.llm.grounding import Segment, as_number, clause_before, normalize
from extract.llm.labels import fields_named, money_could_ground, rate_could_ground
from extract.paragraphs import Paragraph, paragraphs
from pipeline.models import Amount, Document, Facts

_LINE_BREAK = re.compile(r"[ \t\u3000]*\n[ \t\u3000]*")
_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
_MONEY = re.compile(r"\d[\d,，]*(?:\.\d+)?\s*(?:万元|亿元|元|万(?=[，。；、,;\s）)]|$))")
_SCORE = re.compile(r"\d+(?:\.\d+)?\s*分")
_RATE = re.compile(r"\d+(?:\.\d+)?\s*[%％]")
_BUDGET_WORDS = re.compile(r"预算|执行|支出|资金|拨款")  # a project paragraph's rates
_KEY_WORDS = 4  # characters before a number that, with it, say whether it was already read
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


@dataclass
class Read:
    """What the deterministic parsers read: the spans of their facts and their amounts."""

    spans: list[tuple[int, int]]
    amounts: list[Amount]

    @classmethod
    def of(cls, facts: Facts) -> Read:
        spans = []
        for fact in facts.all_facts():
            prov = fact.prov  # type: ignore[attr-defined]
            if prov.char_start is not None and prov.char_end is not None:
                spans.append((prov.char_start, prov.char_end))
        return cls(spans, list(facts.amounts))

    def covers(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.spans)

    def holds(self, printed: str, clause: str) -> bool:
        """An amount of the same value (within printed precision) and unit, under a field the
        clause names, or any field when the clause names none: 全年实际支出5737.12万元 restates
        the form's 执行数, while 执行数5923.63万元 against a budget of 5923.63 is sent."""
        number, unit = as_number(printed)
        named = fields_named(clause)
        return any(
            a.unit == unit and a.number.agrees(number) and (not named or a.key.removeprefix("narrative_") in named)
            for a in self.amounts
        )


def sentences(para: Paragraph) -> list[Segment]:
    """The sentences of a paragraph as document spans (a wrapped sentence spans its line break)."""
    return [Segment(*para.span(m.start(), m.end())) for m in _SENTENCE.finditer(para.text) if m.group(0).strip()]


def groundable_numbers(doc_text: str, seg: Segment, read: Read, prompt: str) -> dict[str, bool]:
    """The numbers of a sentence the grounding could accept for `prompt`, each keyed by the number
    and the few characters before it (normalised), with whether the parsers already read it."""
    text = doc_text[seg.start : seg.end]
    if prompt == PROJECTS_PROMPT:
        found = [*_MONEY.finditer(text), *_SCORE.finditer(text)]
        found += _RATE.finditer(text) if _BUDGET_WORDS.search(text) else []
    else:
        found = [*_MONEY.finditer(text), *_RATE.finditer(text)]
    numbers = {}
    for m in found:
        before = normalize(text[: m.start()])
        clause = clause_before(before)
        was_read = read.covers(seg.start + m.start(), seg.start + m.end())
        if prompt == AMOUNTS_PROMPT:
            could_ground = rate_could_ground if m.re is _RATE else money_could_ground
            if not could_ground(clause):
                continue
            was_read = was_read or read.holds(m.group(0), clause)
        numbers[before[-_KEY_WORDS:] + normalize(m.group(0))] = was_read
    return numbers


def make_chunks(doc: Document, facts: Facts, max_chars: int = 1200) -> list[Chunk]:
    read = Read.of(facts)
    chunks: list[Chunk] = []
    current: dict[str, Chunk] = {}
    last: dict[str, Segment] = {}
    known: set[str] = set()  # numbers read by the parsers or already sent, with the words before them
    for para in paragraphs(doc):
        prompt = PROJECTS_PROMPT if _PROJECT.search(para.text) else AMOUNTS_PROMPT
        for seg in sentences(para):
            numbers = groundable_numbers(doc.text, seg, read, prompt)
            unread = {key for key, was_read in numbers.items() if not was_read}
            if prompt == AMOUNTS_PROMPT:  # a restated amount is read once (projects share 自评得分100分)
                unread -= known
                known |= numbers.keys()
            if not unread:
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
