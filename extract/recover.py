"""Forms flattened into text without separators → recovered `Table` grids.

Mirror sites and OCR passes print the national forms (项目支出绩效自评表, 部门整体支出绩效自评表 and
their provincial variants) with every cell run together: "年度资金总额:310.2154.741050%5". This
module finds such forms in the text outside the document's tables by the template's words
(extract/vocabulary.py) and rebuilds their grids, so the ordinary grid parsers (extract/form.py,
extract/indicators.py, extract/project_form.py) read them like any other table. Every cell points at
its exact source substring, even a part of a glued digit run.

* Funds block: a run of funds-column words (年初预算数, 全年执行数, 执行率, 分值, 得分 …) in header
  order, then (after the row label 年度资金总额, where it follows the header) the value run, cut into
  those columns by the form's arithmetic (extract/glued.py). The project's 项目名称 above it becomes
  the grid's first row. Nothing is built when the arithmetic does not pin the cut.

The text is read as a "stream": whitespace and mirror chunk markers ("\\n\\n3、") left out, with the
document offset of every character kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.glued import split_funds
from extract.vocabulary import (
    CHUNK_MARKER,
    FUNDS_BLOCK_LABEL,
    FUNDS_COLUMNS,
    FUNDS_ROW_LABELS,
    HEADER_FIELDS,
    YUAN_UNIT,
)
from pipeline.models import Cell, Document, Table

_COLUMN_WORDS = dict(reversed(FUNDS_COLUMNS))  # the first meaning of a word wins
_COLUMN_RE = re.compile("|".join(sorted(map(re.escape, _COLUMN_WORDS), key=len, reverse=True)))
_ANNOTATION_RE = re.compile(r"[(（][^()（）]{0,12}[)）]")
_UNCLOSED_RE = re.compile(r"[(（][^()（）]{0,6}")  # an annotation whose ')' the OCR lost ("(B/A1得分")
_MAX_HEADER_GAP = 8  # characters between two column words of one header (outside annotations)
_ROW_LABEL_RE = re.compile(r"\D{0,10}?(?P<label>(?:" + "|".join(FUNDS_ROW_LABELS) + r")[:：]?)")
_VALUE_RUN_RE = re.compile(r"[\dOo.%]*\d[\d.%]*")
_WEIGHT_HINT_RE = re.compile(r"[(（](\d+(?:\.\d+)?)分")
_NAME_LABEL = "项目名称"
_OTHER_HEADER_LABELS = re.compile("|".join(label for label, _ in HEADER_FIELDS if label != _NAME_LABEL))
_MAX_NAME = 60
_NAME_WINDOW = 300


@dataclass(frozen=True)
class Stream:
    """The document text without whitespace and chunk markers; offsets[i] is the document
    position of text[i]."""

    text: str
    offsets: tuple[int, ...]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Document span of text[i:j]."""
        return self.offsets[i], self.offsets[j - 1] + 1


def stream(doc: Document) -> Stream:
    """The stream view of a document's text."""
    skipped = {i for m in CHUNK_MARKER.finditer(doc.text) for i in range(m.start(), m.end())}
    kept = [i for i, ch in enumerate(doc.text) if i not in skipped and not ch.isspace()]
    return Stream("".join(doc.text[i] for i in kept), tuple(kept))


def recover_tables(doc: Document) -> list[Table]:
    """Grids of the run-together forms in `doc`, indexed after its own tables; none overlaps a
    table the reader found."""
    flat = stream(doc)
    tables: list[Table] = []
    for block in _funds_blocks(flat):
        start, end = flat.span(block.start, block.end)
        if any(_overlaps(start, end, t) for t in [*doc.tables, *tables]):
            continue
        table = _funds_table(doc, flat, block, index=len(doc.tables) + len(tables))
        if table is not None:
            tables.append(table)
    return tables


def add_recovered_tables(doc: Document) -> None:
    """Append the recovered grids to `doc.tables` (once: a second call finds them there)."""
    doc.tables.extend(recover_tables(doc))


def _overlaps(start: int, end: int, table: Table) -> bool:
    if table.char_start is None or table.char_end is None:
        return False
    return start < table.char_end and table.char_start < end


# --------------------------------------------------------------------------- funds block


@dataclass(frozen=True)
class _Column:
    key: str
    start: int  # stream span of the column word with its annotations
    end: int


@dataclass(frozen=True)
class _FundsBlock:
    columns: list[_Column]
    label: tuple[int, int] | None  # the row label (年度资金总额), stream span
    run: tuple[int, int]  # the value run, stream span
    start: int  # stream span of the whole block
    end: int


def _funds_blocks(flat: Stream) -> list[_FundsBlock]:
    """Funds headers followed by their value run."""
    text = flat.text
    inside = _annotation_mask(text)
    words = [m for m in _COLUMN_RE.finditer(text) if not inside[m.start()]]
    blocks: list[_FundsBlock] = []
    group: list[re.Match] = []
    for word in [*words, None]:
        if word is not None and group and _joins(text, inside, group[-1], word):
            group.append(word)
            continue
        if len(group) >= 2:
            block = _block(text, group)
            if block is not None:
                blocks.append(block)
        group = [word] if word is not None else []
    return blocks


def _annotation_mask(text: str) -> list[bool]:
    """True for characters inside a parenthesised annotation ("(A)", "(20分*执行率)")."""
    mask = [False] * (len(text) + 1)
    for m in _ANNOTATION_RE.finditer(text):
        for i in range(m.start(), m.end()):
            mask[i] = True
    return mask


def _joins(text: str, inside: list[bool], previous: re.Match, word: re.Match) -> bool:
    """The next column word of the same header: a short gap without digits between them."""
    gap = "".join(ch for i, ch in enumerate(text[previous.end() : word.start()], start=previous.end()) if not inside[i])
    gap = _UNCLOSED_RE.sub("", gap)
    return len(gap) <= _MAX_HEADER_GAP and not any(ch.isdigit() for ch in gap)


def _block(text: str, group: list[re.Match]) -> _FundsBlock | None:
    """The header's columns (first meaning of each key) and the value run right after it."""
    columns: list[_Column] = []
    for i, word in enumerate(group):
        key = _COLUMN_WORDS[word.group()]
        end = group[i + 1].start() if i + 1 < len(group) else _after_annotations(text, word.end())
        if key not in (c.key for c in columns):
            columns.append(_Column(key, word.start(), end))
    if len(columns) < 2:
        return None
    pos = _after_annotations(text, group[-1].end())
    label = None
    m = _ROW_LABEL_RE.match(text, pos)
    if m:
        label = (m.start("label"), m.end())
        pos = m.end()
    run = _VALUE_RUN_RE.match(text, pos)
    if run is None:
        return None
    return _FundsBlock(columns, label, (run.start(), run.end()), group[0].start(), run.end())


def _after_annotations(text: str, pos: int) -> int:
    while m := _ANNOTATION_RE.match(text, pos):
        pos = m.end()
    return pos


def _funds_table(doc: Document, flat: Stream, block: _FundsBlock, index: int) -> Table | None:
    """Name row, header row and funds row of one block; None when the value run cannot be cut."""
    text = flat.text
    header_start = _block_label_start(text, block.start)
    header_text = text[header_start : block.run[0]]
    if YUAN_UNIT.search(text[max(0, header_start - 30) : block.run[0]]):
        return None  # 元 forms are not read here: the funds parser stores 万元
    hint = _WEIGHT_HINT_RE.search(header_text)
    run_text = text[block.run[0] : block.run[1]]
    keys = [c.key for c in block.columns]
    breaks = frozenset(
        i for i in range(1, len(run_text)) if flat.offsets[block.run[0] + i] > flat.offsets[block.run[0] + i - 1] + 1
    )
    cut = split_funds(run_text, keys, float(hint.group(1)) if hint else None, breaks=breaks)
    if cut is None or any(_crosses_marker(doc, flat, block.run[0] + s, block.run[0] + e) for s, e in cut.values()):
        return None
    cells: list[Cell] = []
    name = _project_name(text, header_start)
    row = 0
    if name is not None:
        cells.append(_cell(doc, flat, 0, 0, *name[0]))
        cells.append(_cell(doc, flat, 0, 1, *name[1]))
        row = 1
    if header_start < block.start:
        cells.append(_cell(doc, flat, row, 0, header_start, block.start))
    for c, column in enumerate(block.columns, start=1):
        cells.append(_cell(doc, flat, row, c, column.start, column.end))
    label = block.label or _label_before(text, header_start)
    if label is not None:
        cells.append(_cell(doc, flat, row + 1, 0, *label))
    for c, column in enumerate(block.columns, start=1):
        if column.key in cut:
            s, e = cut[column.key]
            cells.append(_cell(doc, flat, row + 1, c, block.run[0] + s, block.run[0] + e))
    first = name[0][0] if name else header_start
    start, end = flat.span(first, block.run[1])
    return Table(
        index=index, n_rows=row + 2, n_cols=len(block.columns) + 1, cells=cells, char_start=start, char_end=end
    )


def _block_label_start(text: str, header_start: int) -> int:
    """Start of the funds block's label ("预算执行情况 (万元) (20 分)") just before the header."""
    window = max(0, header_start - 20)
    found = [m.start() for m in FUNDS_BLOCK_LABEL.finditer(text, window, header_start)]
    return found[-1] if found else header_start


def _label_before(text: str, header_start: int) -> tuple[int, int] | None:
    """A row label printed before the header ("年度资金总额年初预算数…")."""
    window = max(0, header_start - 12)
    found = [m for label in FUNDS_ROW_LABELS for m in re.finditer(label, text[window:header_start])]
    if not found:
        return None
    m = max(found, key=lambda m: (m.end(), -m.start()))
    return window + m.start(), window + m.end()


def _project_name(text: str, before: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The 项目名称 label and the name after it (up to the next header label) above the block."""
    start = text.rfind(_NAME_LABEL, max(0, before - _NAME_WINDOW), before)
    if start < 0:
        return None
    name_start = start + len(_NAME_LABEL)
    nxt = _OTHER_HEADER_LABELS.search(text, name_start, before)
    if nxt is None or not 0 < nxt.start() - name_start <= _MAX_NAME:
        return None
    return (start, name_start), (name_start, nxt.start())


def _crosses_marker(doc: Document, flat: Stream, i: int, j: int) -> bool:
    """The stream span covers a chunk marker the stream left out."""
    start, end = flat.span(i, j)
    return bool(CHUNK_MARKER.search(doc.text[start:end]))


def _cell(doc: Document, flat: Stream, row: int, col: int, i: int, j: int) -> Cell:
    """A grid cell over stream span [i, j): its text is the exact source substring."""
    start, end = flat.span(i, j)
    return Cell(row=row, col=col, text=doc.text[start:end], char_start=start, char_end=end)
