"""The canonical text a reader lays out (paragraphs, tables as tab/newline-separated cells), with
the blocks and tables placed in it by character span."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.models import Block, Table


@dataclass(kw_only=True)
class TextBuilder:
    """Accumulates the canonical text; `_emit` returns the span of each piece written."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def _emit(self, text: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)
