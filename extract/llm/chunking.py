"""Chunking: coverage, not vocabulary, decides what the model reads.

Every document is cut into logical passages: runs of consecutive paragraphs (`extract.paragraphs`:
a PDF's wrapped lines joined) of up to `max_chars` characters, a new passage starting at each
top-level section heading; and each table that no recogniser read, as its lines with the header
line repeated at the head of every piece. A passage goes to the model when it prints a money
amount, a rate or a score whose characters no deterministic fact covers; a passage whose numbers
were all read is not sent, and a paragraph the report prints again word for word is sent once.
Whether a printed label means 年初预算, 执行数 or nothing the schema knows is the model's call; the
grounding then keeps only what the passage prints.

The passages a document sends are packed into calls (`pack`): consecutive passages of one prompt
kind share a call up to the same size, so the instructions are not repeated for each short one.

Passages with project self-evaluations (项目…绩效自评, 自评得分) go to the project prompt,
everything else to the amounts prompt, so one chunk holds paragraphs of one kind.

A chunk's hash (the cache key) is taken over its text without whitespace and with full-width
characters narrowed, so the same passage read from a .txt, a .docx or a PDF with other line breaks
is sent once; its answer is grounded again in each document.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from extract.llm.grounding import Segment, normalize
from extract.paragraphs import Paragraph, paragraphs, starts_section
from pipeline.models import Document, Facts, Table

_LINE_BREAK = re.compile(r"[ \t\u3000]*\n[ \t\u3000]*")
# what the model could add: a money amount, a rate or a score, as printed
_FIGURE = re.compile(
    r"\d[\d,，]*(?:\.\d+)?\s*(?:万元|亿元|元|万(?=[，。；、,;\s）)]|$)|[%％]|分(?![之钟别类配析享担工布散]))"
)
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

    @property
    def figures(self) -> int:
        """The money amounts, rates and scores the chunk prints, read or not."""
        return len(_FIGURE.findall(self.text))

    @property
    def size(self) -> int:
        return sum(s.end - s.start for s in self.segments)


@dataclass
class Coverage:
    """What the deterministic recognisers read: their facts' character spans and table indexes."""

    spans: list[tuple[int, int]]
    tables: set[int]

    @classmethod
    def of(cls, facts: Facts) -> Coverage:
        spans, tables = [], set()
        for fact in facts.all_facts():
            prov = fact.prov  # type: ignore[attr-defined]
            if prov.char_start is not None and prov.char_end is not None:
                spans.append((prov.char_start, prov.char_end))
            if prov.table is not None:
                tables.add(prov.table)
        return cls(spans, tables)

    def covers(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.spans)


def unread_figures(doc_text: str, start: int, end: int, coverage: Coverage) -> list[str]:
    """The money amounts, rates and scores printed in text[start:end] that no fact covers."""
    return [m.group(0) for m in _FIGURE.finditer(doc_text, start, end) if not coverage.covers(m.start(), m.end())]


def make_chunks(doc: Document, facts: Facts, max_chars: int = 1500) -> list[Chunk]:
    """The passages of `doc` the model must read, in document order."""
    coverage = Coverage.of(facts)
    passages = _paragraph_passages(doc, max_chars) + _table_passages(doc, coverage, max_chars)
    chunks = [c for c in passages if any(unread_figures(doc.text, s.start, s.end, coverage) for s in c.segments)]
    chunks.sort(key=lambda c: c.segments[0].start)
    for chunk in chunks:
        chunk.text = "\n".join(_LINE_BREAK.sub("", doc.text[s.start : s.end]).strip() for s in chunk.segments)
    return chunks


def pack(chunks: list[Chunk], max_chars: int) -> list[Chunk]:
    """The passages to send packed into calls: consecutive passages of one prompt kind share a call
    while together they stay within `max_chars` (every call repeats the instructions, so a report's
    three short budget paragraphs cost one set of them, not three)."""
    calls: list[Chunk] = []
    for chunk in chunks:
        last = calls[-1] if calls else None
        if last is not None and last.prompt == chunk.prompt and last.size + chunk.size <= max_chars:
            calls[-1] = Chunk(last.prompt, last.segments + chunk.segments, f"{last.text}\n{chunk.text}")
        else:
            calls.append(chunk)
    return calls


def _paragraph_passages(doc: Document, max_chars: int) -> list[Chunk]:
    """Consecutive paragraphs of one prompt kind, up to `max_chars`, cut at section headings; a
    paragraph printed again word for word is left out (reports repeat their budget paragraph)."""
    chunks: list[Chunk] = []
    current: Chunk | None = None
    seen: set[str] = set()
    for para in paragraphs(doc):
        key = normalize(para.text)
        if not key or key in seen:
            continue
        seen.add(key)
        prompt = PROJECTS_PROMPT if _PROJECT.search(para.text) else AMOUNTS_PROMPT
        for seg in _pieces(para, max_chars):
            length = seg.end - seg.start
            if (
                current is None
                or current.prompt != prompt
                or current.size + length > max_chars
                or starts_section(doc.text[seg.start : seg.end])
            ):
                current = Chunk(prompt=prompt)
                chunks.append(current)
            current.segments.append(seg)
    return chunks


_SENTENCE_END = re.compile(r"[。；;！？!?]")


def _pieces(para: Paragraph, max_chars: int) -> list[Segment]:
    """A paragraph as one segment, or, when longer than `max_chars`, cut after sentence ends."""
    if len(para.text) <= max_chars:
        return [Segment(*para.span(0, len(para.text)))]
    pieces, start = [], 0
    while start < len(para.text):
        end = min(len(para.text), start + max_chars)
        if end < len(para.text):
            stops = [m.end() for m in _SENTENCE_END.finditer(para.text, start, end)]
            end = stops[-1] if stops and stops[-1] > start + max_chars // 3 else end
        pieces.append(Segment(*para.span(start, end)))
        start = end
    return pieces


def _table_passages(doc: Document, coverage: Coverage, max_chars: int) -> list[Chunk]:
    """Each table no fact was read from, as its lines; a long one in pieces, each headed by the
    table's first line (the header row names the columns the numbers stand in)."""
    chunks = []
    for table in doc.tables:
        if table.index in coverage.tables or table.char_start is None or table.char_end is None:
            continue
        lines = _lines(doc.text, table)
        if not lines:
            continue
        header, rows = lines[0], lines[1:]
        current = Chunk(prompt=AMOUNTS_PROMPT, segments=[header])
        chunks.append(current)
        for row in rows:
            if current.size + (row.end - row.start) > max_chars and len(current.segments) > 1:
                current = Chunk(prompt=AMOUNTS_PROMPT, segments=[header])
                chunks.append(current)
            current.segments.append(row)
    return chunks


def _lines(text: str, table: Table) -> list[Segment]:
    """The non-blank lines of a table's text as document spans."""
    segments, start = [], table.char_start or 0
    for line in text[start : table.char_end].split("\n"):
        if line.strip():
            segments.append(Segment(start, start + len(line)))
        start += len(line) + 1
    return segments
