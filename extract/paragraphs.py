"""Logical paragraphs of running text (outside tables), and the label before a number.

Readers give one paragraph block per source line; PDF lines break mid-sentence. Consecutive
blocks are joined when the first does not end a sentence and the next does not start a numbered
heading. The joined text leaves the line breaks out and is in matching form (Simplified, without
pinyin noise: extract.normalize); `Paragraph.span` maps positions in it back to the document text
so provenance stays a verbatim slice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.normalize import normalize
from pipeline.models import Block, Document

# Conversion debris a Word-to-text tool leaves at the start of a paragraph or cell.
BOOKMARK = r"\[bookmark:\s*[^\]\n]*\]"
# An arabic item number opening a paragraph: "(1)", "（12）", "2、", "3." (after any bookmark debris).
NUMBERING = r"^\s*(?:" + BOOKMARK + r")?\s*[（(]?\d{1,3}[)）、.．]\s*"
_DELIMITERS = "，。；;,、（）()：:\n"
_SENTENCE_END = "。！？；：:;!?"
_HEADING_RE = re.compile(
    r"^\s*(?:" + BOOKMARK + r")?\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．](?!\d)|第[一二三四五六七八九十]+)"
)
_MIN_WRAPPED_LINE = 20


@dataclass(frozen=True)
class Paragraph:
    start: int  # document offset of the first character
    end: int
    text: str  # the paragraph's lines joined without line breaks
    offsets: tuple[int, ...]  # document offset of each character of `text`

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Document span of text[i:j]."""
        if i >= j:
            return self.offsets[i] if i < len(self.offsets) else self.end, self.end
        return self.offsets[i], self.offsets[j - 1] + 1


def paragraphs(doc: Document) -> list[Paragraph]:
    """Paragraphs in reading order (the whole text when the reader gave no blocks)."""
    groups: list[list[Block]] = []
    previous: Block | None = None
    for block in doc.blocks:
        if block.kind != "paragraph":
            previous = None
            continue
        if previous is not None and _continues(doc.text, previous, block):
            groups[-1].append(block)
        else:
            groups.append([block])
        previous = block
    if not groups and not doc.tables and doc.text:
        return [_paragraph(doc.text, [(0, len(doc.text))])]
    return [_paragraph(doc.text, [(b.char_start, b.char_end) for b in group]) for group in groups]


def _continues(text: str, previous: Block, block: Block) -> bool:
    line = text[previous.char_start : previous.char_end].strip()
    nxt = text[block.char_start : block.char_end]
    return len(line) >= _MIN_WRAPPED_LINE and line[-1] not in _SENTENCE_END and not starts_heading(nxt)


_SECTION_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十]+[章节部分])")


def starts_section(text: str) -> bool:
    """Whether a line opens a top-level section (二、 / 第三部分), not a numbered item."""
    return bool(_SECTION_RE.match(text))


def starts_heading(text: str) -> bool:
    """Whether a line starts with a numbered heading (一、 （二） 3. (4) 第五 …)."""
    return bool(_HEADING_RE.match(text))


def _paragraph(text: str, spans: list[tuple[int, int]]) -> Paragraph:
    """The lines at `spans` joined, in matching form (extract.normalize), with each character's
    document offset."""
    offsets = [i for start, end in spans for i in range(start, end)]
    joined, index = normalize("".join(text[i] for i in offsets))
    return Paragraph(start=spans[0][0], end=spans[-1][1], text=joined, offsets=tuple(offsets[i] for i in index))


def label_before(text: str, end: int, max_len: int = 24, stops: str = _DELIMITERS) -> tuple[str, int]:
    """The label right before position `end`: back to the previous delimiter (at most max_len)."""
    start = end
    while start > 0 and end - start < max_len and text[start - 1] not in stops:
        start -= 1
    label = re.sub(r"^\s*(其中|包括|含)\s*", "", text[start:end]).strip()
    return label, start
