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
* Indicator table: a run of indicator-column words naming 三级指标 gives the column order. Project
  forms: level-1/level-2 names (vocabulary) open groups, a weight and a score close rows (a glued
  weight+score pair is cut by score ≤ weight), target and actual are read only when printed twice
  (target = actual) or after a dash placeholder, else left empty; placeholder rows (指标1:) are
  skipped. Department forms: rows close with 得分系数, weight+score and 是/否, values carry the row's
  unit of measure. The 总分 row, or the form's 自评得分 in its header block, closes the grid.
* A funds block and the indicator table after it are one form and one grid, so the project form's
  parser gets the project's name, funds and score together.

Tables whose cells the source separates (pipes, tabs, spaces) are left to the separator-aware
readers. The text is read as a "stream": whitespace and mirror chunk markers ("\\n\\n3、") left out, with the
document offset of every character kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.glued import MAX_WEIGHT, split_funds, split_pair
from extract.normalize import to_simplified
from extract.numbers import MONEY_SCALE, normalize_digits
from extract.scattered import scattered_tables
from extract.vocabulary import (
    CHUNK_MARKER,
    FLAT_DASH,
    FLAT_FUNDS_ROW_LABELS,
    FLAT_GROUP_LABEL,
    FLAT_HEADER_TAIL,
    FLAT_INDICATOR_EXTRA_COLUMNS,
    FLAT_LEVEL1,
    FLAT_LEVEL2,
    FLAT_NATURES,
    FLAT_OPERATOR,
    FLAT_PLACEHOLDER,
    FLAT_QUANTITY_UNIT,
    FLAT_TOTAL,
    FLAT_UNITS,
    FLAT_VALUE,
    FORM_UNIT,
    FUNDS_BLOCK_LABEL,
    FUNDS_COLUMNS,
    FUNDS_SUBROW_LABELS,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    TOTAL_ROW,
    scrambled_titles,
)
from pipeline.models import Block, Cell, Document, Table

_COLUMN_WORDS = dict(reversed(FUNDS_COLUMNS))  # the first meaning of a word wins
_COLUMN_RE = re.compile("|".join(sorted(map(re.escape, _COLUMN_WORDS), key=len, reverse=True)))
_ANNOTATION_RE = re.compile(r"[(（][^()（）]{0,12}[)）]")
_UNCLOSED_RE = re.compile(r"[(（][^()（）]{0,6}")  # an annotation whose ')' the OCR lost ("(B/A1得分")
_MAX_HEADER_GAP = 8  # characters between two column words of one header (outside annotations)
_ROW_LABEL_RE = re.compile(r"\D{0,10}?(?P<label>(?:" + "|".join(FLAT_FUNDS_ROW_LABELS) + r")[:：]?)")
_VALUE_RUN_RE = re.compile(r"[\dOo.,%]*\d(?:(?:[\d.,%]|万元)*[\d%])?")  # 万元 may follow each amount
_AMOUNT_UNIT = "万元"
_WEIGHT_HINT_RE = re.compile(r"[(（](\d+(?:\.\d+)?)分")
_NAME_LABELS = sorted((label for label, meaning in HEADER_FIELDS if meaning == "project_name"), key=len, reverse=True)
_NAME_LABEL_RE = re.compile("|".join(map(re.escape, _NAME_LABELS)))
_OTHER_HEADER_LABELS = re.compile(
    "|".join(
        sorted(
            (re.escape(label) for label, meaning in HEADER_FIELDS if meaning != "project_name"), key=len, reverse=True
        )
    )
)
_MAX_NAME = 60
_NAME_WINDOW = 300
_UNIT_WINDOW = 200  # stream characters above a funds header searched for its unit statement
_SUBROW_WINDOW = 80  # stream characters after a funds row (its 得分计算方法 text) to its first sub-row
_SUBROW_RE = re.compile(r"其中[:：]?(?P<label>(?:" + "|".join(FUNDS_SUBROW_LABELS) + r")[^\d:：]{0,6}?)(?=\d)")


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
    """The stream view of a document's text, in Simplified characters where it is printed in
    Traditional ones and with ASCII digits and % for full-width ones (the same length: cells still
    point at the text as printed)."""
    skipped = {i for m in CHUNK_MARKER.finditer(doc.text) for i in range(m.start(), m.end())}
    kept = [i for i, ch in enumerate(doc.text) if i not in skipped and not ch.isspace()]
    return Stream(normalize_digits(to_simplified("".join(doc.text[i] for i in kept))), tuple(kept))


def recover_tables(doc: Document) -> list[Table]:
    """Grids of the run-together forms in `doc`, indexed after its own tables; none overlaps a
    table the reader found. A funds block and the indicator table after it are one form: one grid."""
    flat = stream(doc)
    found: list[tuple[int, str, Table]] = []  # stream position, kind, grid
    for block in _funds_blocks(flat):
        table = _funds_table(doc, flat, block)
        if table is not None and not _overlaps_any(table, [*doc.tables, *(t for _, _, t in found)]):
            found.append((block.start, "funds", table))
    headers = _indicator_headers(flat)
    for i, header in enumerate(headers):
        end = min(headers[i + 1].start if i + 1 < len(headers) else len(flat.text), _line_end(doc, flat, header.end))
        since = headers[i - 1].end if i else 0
        table = _indicator_table(doc, flat, header, end, _total(flat.text, since, header.start))
        if table is not None and not _overlaps_any(table, doc.tables):
            found.append((header.start, "indicators", table))
    found.sort(key=lambda item: item[0])
    tables: list[Table] = []
    for n, (_, kind, table) in enumerate(found):
        if kind == "indicators" and n and found[n - 1][1] == "funds" and tables and tables[-1] is found[n - 1][2]:
            tables[-1] = _stacked(found[n - 1][2], table)
        else:
            tables.append(table)
    return [t.model_copy(update={"index": len(doc.tables) + i}) for i, t in enumerate(tables)]


def _line_end(doc: Document, flat: Stream, start: int) -> int:
    """The first stream position after `start` that the source puts on a new line (a chunk
    marker aside): a run-together form is one line."""
    for i in range(start + 1, len(flat.text)):
        gap = doc.text[flat.offsets[i - 1] + 1 : flat.offsets[i]]
        if "\n" in CHUNK_MARKER.sub("", gap):
            return i
    return len(flat.text)


def _overlaps_any(table: Table, others: list[Table]) -> bool:
    return any(t.overlaps(table.char_start or 0, table.char_end or 0) for t in others)


def _stacked(upper: Table, lower: Table) -> Table:
    """One form's grid: the funds block's rows, then the indicator table's."""
    shifted = [c.model_copy(update={"row": c.row + upper.n_rows}) for c in lower.cells]
    return upper.model_copy(
        update={
            "n_rows": upper.n_rows + lower.n_rows,
            "n_cols": max(upper.n_cols, lower.n_cols),
            "cells": [*upper.cells, *shifted],
            "char_end": max(upper.char_end or 0, lower.char_end or 0),
        }
    )


def add_recovered_tables(doc: Document) -> None:
    """Append the recovered grids to `doc.tables` (once: a second call finds them there) and make
    the text they cover a table block, so running-text readers do not read a form's cells as prose.
    Forms printed out of reading order (extract/scattered.py) are recovered here too; where one is
    read, its zone is its own."""
    scattered = scattered_tables(doc, doc.tables)  # pinned by arithmetic: they win their zone
    tables = [t for t in recover_tables(doc) if not _overlaps_any(t, scattered)]
    tables = sorted([*tables, *scattered], key=lambda t: t.char_start or 0)
    tables = [t.model_copy(update={"index": len(doc.tables) + i}) for i, t in enumerate(tables)]
    if tables:
        doc.tables.extend(tables)
        doc.blocks = _blocks_around(doc, tables)


def _blocks_around(doc: Document, tables: list[Table]) -> list[Block]:
    """The document's blocks with the recovered tables' spans cut out of its paragraphs and a table
    block for each, in reading order."""
    spans = sorted((t.char_start or 0, t.char_end or 0, t.index) for t in tables)
    pieces: list[Block] = []
    for block in doc.blocks:
        if block.kind != "paragraph":
            pieces.append(block)
            continue
        start = block.char_start
        for s, e, _ in spans:
            if s < block.char_end and start < e:
                if doc.text[start:s].strip():
                    pieces.append(block.model_copy(update={"char_start": start, "char_end": s}))
                start = max(start, e)
        if start < block.char_end and doc.text[start : block.char_end].strip():
            pieces.append(block.model_copy(update={"char_start": start, "char_end": block.char_end}))
    for s, e, index in spans:
        pieces.append(Block(index=0, kind="table", page=doc.page_of(s), char_start=s, char_end=e, table=index))
    pieces.sort(key=lambda b: (b.char_start, b.kind != "table"))
    return [b.model_copy(update={"index": i}) for i, b in enumerate(pieces)]


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


def _joins(text: str, inside: list[bool], previous: re.Match | _Word, word: re.Match | _Word) -> bool:
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


def _funds_table(doc: Document, flat: Stream, block: _FundsBlock) -> Table | None:
    """Name row, header row and funds row of one block; None when the value run cannot be cut."""
    text = flat.text
    header_start = _block_label_start(text, block.start)
    header_text = text[header_start : block.run[0]]
    unit = _money_unit(text, header_start, block.run[0])
    scale = MONEY_SCALE["元"] if unit and unit[0] == "元" else 1.0
    hint = _WEIGHT_HINT_RE.search(header_text)
    keys = [c.key for c in block.columns]
    # the run without the 万元 printed after its amounts: kept[i] is the stream position of run[i]
    kept = _without_units(text, *block.run)
    run_text = "".join(text[i] for i in kept)
    # a space in the source separates two values, and so does a unit; a mirror's chunk marker falls
    # anywhere, even inside one
    breaks = frozenset(
        i
        for i in range(1, len(kept))
        if kept[i] > kept[i - 1] + 1
        or (
            flat.offsets[kept[i]] > flat.offsets[kept[i - 1]] + 1
            and not _crosses_marker(doc, flat, kept[i - 1], kept[i] + 1)
        )
    )
    cut = split_funds(run_text, keys, float(hint.group(1)) if hint else None, scale=scale, breaks=breaks)
    if cut is None:
        return None
    cut = {k: (kept[s] - block.run[0], kept[e - 1] + 1 - block.run[0]) for k, (s, e) in cut.items()}
    # a value cut by a chunk marker is no verbatim cell: it stays empty, the others are read
    cut = {k: (s, e) for k, (s, e) in cut.items() if not _crosses_marker(doc, flat, block.run[0] + s, block.run[0] + e)}
    cells: list[Cell] = []
    name = _project_name(text, header_start)
    row = 1  # row 0 is the form's header block: its 项目名称 where one is printed, else left empty
    if name is not None:
        cells.append(_cell(doc, flat, 0, 0, *name[0]))
        cells.append(_cell(doc, flat, 0, 1, *name[1]))
    label = block.label or _label_before(text, header_start)
    if header_start < block.start:
        # without a row label of its own the values row sits beside the block's label (部门预算执行情况)
        block_label = _cell(doc, flat, row, 0, header_start, block.start)
        cells.append(block_label if label else block_label.model_copy(update={"rowspan": 2}))
    if unit and not header_start <= unit[1][0] < block.start:
        # the unit statement the cut was made in (单位：元, 项目资金(元)) is the grid's, for the funds parser
        cells.append(_cell(doc, flat, 0, 2 if name else 0, *unit[1]))
    for c, column in enumerate(block.columns, start=1):
        cells.append(_cell(doc, flat, row, c, column.start, column.end))
    if label is not None:
        cells.append(_cell(doc, flat, row + 1, 0, *label))
    for c, column in enumerate(block.columns, start=1):
        if column.key in cut:
            s, e = cut[column.key]
            cells.append(_cell(doc, flat, row + 1, c, block.run[0] + s, block.run[0] + e))
    sub = _restating_subrow(doc, flat, block, cut)
    if sub is not None:
        cells.extend(c.model_copy(update={"row": row + 2}) for c in sub[0])
    first = min(name[0][0] if name else header_start, unit[1][0] if unit else len(text))
    start, end = flat.span(first, sub[1] if sub else block.run[1])
    n_rows = row + (3 if sub else 2)
    return Table(index=0, n_rows=n_rows, n_cols=len(block.columns) + 1, cells=cells, char_start=start, char_end=end)


def _restating_subrow(
    doc: Document, flat: Stream, block: _FundsBlock, cut: dict[str, tuple[int, int]]
) -> tuple[list[Cell], int] | None:
    """The funding-source row under a funds row that restates it ("其中:本年一般公共预算拨款
    310.2154.74" under "310.2154.74…": the only source, its values the funds row's budget and
    spending run together): its cells (row 0, in the funds row's columns) and its stream end, or
    None. Its run is cut where the funds row's is, so only a run equal to theirs is read."""
    text = flat.text
    m = _SUBROW_RE.search(text, block.run[1], block.run[1] + _SUBROW_WINDOW)
    if m is None:
        return None
    amounts = [
        (c, cut[column.key])
        for c, column in enumerate(block.columns, start=1)
        if column.key in ("initial_budget", "full_year_budget", "executed") and column.key in cut
    ]
    if len(amounts) < 2 or [c for c, _ in amounts] != list(range(amounts[0][0], amounts[0][0] + len(amounts))):
        return None  # the amount columns are not the first ones side by side
    printed = "".join(text[block.run[0] + s : block.run[0] + e] for _, (s, e) in amounts)
    pos = m.end()
    if text[pos : pos + len(printed)] != printed or text[pos + len(printed) : pos + len(printed) + 1].isdigit():
        return None
    cells = [_cell(doc, flat, 0, 0, m.start("label"), m.end("label"))]
    for c, (s, e) in amounts:
        cells.append(_cell(doc, flat, 0, c, pos, pos + e - s))
        pos += e - s
    if any(CHUNK_MARKER.search(cell.text) for cell in cells):
        return None  # a value cut by a mirror's chunk marker is no verbatim cell
    return cells, pos


def _without_units(text: str, start: int, end: int) -> list[int]:
    """Stream positions of the run text[start:end] outside the 万元 printed after its amounts."""
    kept: list[int] = []
    i = start
    while i < end:
        if text.startswith(_AMOUNT_UNIT, i):
            i += len(_AMOUNT_UNIT)
            continue
        kept.append(i)
        i += 1
    return kept


def _money_unit(text: str, header_start: int, run_start: int) -> tuple[str, tuple[int, int]] | None:
    """The money unit (元 / 万元) of the last unit statement printed shortly above the funds header
    or in it, and its stream span; None when none is printed."""
    found = list(FORM_UNIT.finditer(text, max(0, header_start - _UNIT_WINDOW), run_start))
    if not found:
        return None
    m = found[-1]
    return m.group(1) or m.group(2), m.span()


def _block_label_start(text: str, header_start: int) -> int:
    """Start of the funds block's label ("预算执行情况 (万元) (20 分)") just before the header."""
    window = max(0, header_start - 20)
    found = [m.start() for m in FUNDS_BLOCK_LABEL.finditer(text, window, header_start)]
    return found[-1] if found else header_start


def _label_before(text: str, header_start: int) -> tuple[int, int] | None:
    """A row label printed before the header ("年度资金总额年初预算数…")."""
    window = max(0, header_start - 12)
    found = [m for label in FLAT_FUNDS_ROW_LABELS for m in re.finditer(label, text[window:header_start])]
    if not found:
        return None
    m = max(found, key=lambda m: (m.end(), -m.start()))
    return window + m.start(), window + m.end()


def _project_name(text: str, before: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The 项目名称 label and the name after it (up to the next header label) above the block."""
    labels = list(_NAME_LABEL_RE.finditer(text, max(0, before - _NAME_WINDOW), before))
    if not labels:
        return None
    start, name_start = labels[-1].span()
    if text[name_start : name_start + 1] in (":", "："):
        name_start += 1
    nxt = _OTHER_HEADER_LABELS.search(text, name_start, before)
    if nxt is None or not 0 < nxt.start() - name_start <= _MAX_NAME:
        return None
    return (start, labels[-1].end()), (name_start, nxt.start())  # the label without its colon


def _crosses_marker(doc: Document, flat: Stream, i: int, j: int) -> bool:
    """The stream span covers a chunk marker the stream left out."""
    start, end = flat.span(i, j)
    return bool(CHUNK_MARKER.search(doc.text[start:end]))


def _text_of(flat: Stream, span: tuple[int, int] | None) -> str:
    """The stream text of a span ('' for None)."""
    return "" if span is None else flat.text[span[0] : span[1]]


def _cell(doc: Document, flat: Stream, row: int, col: int, i: int, j: int) -> Cell:
    """A grid cell over stream span [i, j): its text is the exact source substring."""
    start, end = flat.span(i, j)
    return Cell(row=row, col=col, text=doc.text[start:end], char_start=start, char_end=end)


# --------------------------------------------------------------------------- indicator table

#: Fields the grid parser reads (extract/indicators.py); other header columns stay out of the grid.
_GRID_FIELDS = ("level1", "level2", "level3", "weight", "target", "actual", "score", "deviation_reason")
_HEADER_WORDS = {word: name for name, words in [*FLAT_INDICATOR_EXTRA_COLUMNS, *INDICATOR_COLUMNS] for word in words}
_HEADER_RE = re.compile("|".join(sorted(map(re.escape, _HEADER_WORDS), key=len, reverse=True)))
_HEADER_TAIL = 14  # the rest of the last header cell ("未完成原因" + "分析及改进措施") before the first row
_NUMBER = r"(?<!\d)(?<!\d\.)(?:0|[1-9]\d*)(?:\.\d+)?(?![\d.])"
_BARE_NUMBER_RE = re.compile(_NUMBER)
#: A run of digits and decimal points: one number, or a weight and score glued ("12.512.5").
_NUMBER_RUN_RE = re.compile(r"(?<!\d)(?<!\d\.)\d+(?:\.\d+)*(?![\d.])")
_ENDS_WITH_OPERATOR = re.compile(FLAT_OPERATOR + "$")
_MAX_OPERATOR = 4  # characters of the longest comparison (大于等于)
_PLACEHOLDER_TEXT = re.compile(r"[-—–…./／一]+")
_MAX_VALUES_BODY = 80  # characters of a name and two values cut apart
_GARBLED_SCORE_RE = re.compile(r"[IlOo|]{1,2}$")  # an OCR'd score (IO for 10): unreadable
_MAX_TOTAL = 100.0
_MAX_ROW_BODY = 80  # characters of a department-form row before its coefficient
_TABLE_TOTAL_RE = re.compile(r"(?P<label>总分|合计|总计)(?P<number>(?:0|[1-9]\d*)(?:\.\d+)?)(?![\d.])")
_SENTENCE_MARKS = re.compile(r"[,，。;；:：、]")
_MIN_REPEATED = 3  # characters of a target's start that an actual cut off by the excerpt repeats
#: Marks that end a clause: a long 三级指标 name may hold commas (完成X建设,收入达到5亿元), not these.
_CLAUSE_ENDS = re.compile(r"[。;；:：]")


@dataclass
class _Row:
    """One recovered indicator row: field → stream span; `lone` is the one text printed between
    its weight and score that is neither a target and actual pair nor a dash and an actual."""

    fields: dict[str, tuple[int, int]]
    lone: tuple[int, int] | None = None


@dataclass(frozen=True)
class _Header:
    columns: list[tuple[str, int, int]]  # field, stream span of its header word
    start: int
    end: int  # where the rows begin

    @property
    def layout(self) -> list[str]:
        names = [name for name, _, _ in self.columns]
        return names[names.index("level3") + 1 :]


@dataclass(frozen=True)
class _Word:
    """A column word of an indicator header: its stream span and the field it names."""

    begin: int
    finish: int
    name: str

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish


def _indicator_headers(flat: Stream) -> list[_Header]:
    """Indicator headers: runs of column words naming 三级指标 and 指标值 or 完成值."""
    text = flat.text
    inside = _annotation_mask(text)
    known = [_Word(m.start(), m.end(), _HEADER_WORDS[m.group()]) for m in _HEADER_RE.finditer(text)]
    masked = list(text)
    for w in known:
        masked[w.start() : w.end()] = "\0" * (w.end() - w.start())
    scrambled = [_Word(*found) for found in scrambled_titles("".join(masked))]
    words = sorted([*known, *scrambled], key=lambda w: w.start())
    words = [w for w in words if not inside[w.start()]]
    headers: list[_Header] = []
    group: list[_Word] = []
    for word in [*words, None]:
        if word is not None and group and _joins(text, inside, group[-1], word):
            group.append(word)
            continue
        columns: list[tuple[str, int, int]] = []
        for w in group:
            if w.name not in (c[0] for c in columns):
                columns.append((w.name, w.start(), _after_annotations(text, w.end())))
        names = {c[0] for c in columns}
        if "level3" in names and names & {"target", "actual"}:
            headers.append(_Header(columns, group[0].start(), _rows_start(text, group[-1].end())))
        group = [word] if word is not None else []
    return headers


def _rows_start(text: str, end: int) -> int:
    """The first row after a header: past the annotations and the rest of the last header cell
    (its known wording, or whatever stands before an anchor — a level-1/level-2 name — shortly after)."""
    end = _after_annotations(text, end)
    if m := FLAT_HEADER_TAIL.match(text, end):
        end = m.end()
    for pos in range(end, min(len(text), end + _HEADER_TAIL)):
        if FLAT_LEVEL1.match(text, pos) or FLAT_LEVEL2.match(text, pos):
            return pos
    return end


def _total(text: str, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The form's 自评得分 / 自评总分 in its header block: label and number spans (the last one
    printed between `start` and `end`)."""
    found = list(FLAT_TOTAL.finditer(text, start, end))
    if not found or float(found[-1].group("number")) > _MAX_TOTAL:
        return None
    m = found[-1]
    return m.span("label"), m.span("number")


def _indicator_table(
    doc: Document, flat: Stream, header: _Header, end: int, total: tuple[tuple[int, int], tuple[int, int]] | None
) -> Table | None:
    """The grid of one indicator table: its header row, the rows read after it and the form's
    total (printed in its header block) as the closing 总分 row."""
    if "core" in header.layout:
        rows = _department_rows(flat.text, header.end, end, "coefficient" in header.layout)
    else:
        rows = _project_rows(flat.text, header.end, end, header.layout)
    parsed = max((e for row in rows for _, e in row.fields.values()), default=header.end)
    rows = _whole_rows(doc, flat, rows)
    if not any("level3" in r.fields for r in rows):
        return None
    grid_fields = [name for name, _, _ in header.columns if name in _GRID_FIELDS]
    if any(set(r.fields) - {"level1", "level2"} - set(grid_fields) for r in rows):
        return None  # the rows read do not fit the header's columns
    for row in rows:
        row.fields = {name: span for name, span in row.fields.items() if name in grid_fields}
    cells = [
        _cell(doc, flat, 0, c, s, e) for c, (name, s, e) in enumerate(c for c in header.columns if c[0] in _GRID_FIELDS)
    ]
    for r, row in enumerate(rows, start=1):
        for name, span in row.fields.items():
            cells.append(_cell(doc, flat, r, grid_fields.index(name), *span))
    last = max(e for row in rows for _, e in row.fields.values())
    start, stop = flat.span(header.start, max(last, parsed))  # rows left out are the table's text all the same
    if _separated(doc.text[start:stop], len(cells)):
        return None
    closed = any(TOTAL_ROW.match(_text_of(flat, r.fields.get("level3"))) for r in rows)
    if total is not None and "score" in grid_fields and not closed:
        rows.append(_Row({}))
        cells.append(_cell(doc, flat, len(rows), 0, *total[0]))
        cells.append(_cell(doc, flat, len(rows), grid_fields.index("score"), *total[1]))
    return Table(index=0, n_rows=len(rows) + 1, n_cols=len(grid_fields), cells=cells, char_start=start, char_end=stop)


def _separated(source: str, cells: int) -> bool:
    """The table's cells are separated in the source (pipes, tabs, a space between most cells):
    a separator-aware reader reads it, not this recogniser."""
    source = CHUNK_MARKER.sub("", source)
    return "|" in source or "\t" in source or len(re.findall(r"\s+", source)) * 2 > cells


def _whole_rows(doc: Document, flat: Stream, rows: list[_Row]) -> list[_Row]:
    """The rows with the cells that do not run across a chunk marker (a cell must be a verbatim
    slice), so that no row is read under another group's names. A value cut by a marker drops its
    row (its sound level names pass to the next row); a level-2 name cut is left out where the row's
    level-1 name restarts the group, else it drops the rows of its group, as a cut level-1 name drops
    the rows of its. The 总分 row closes the table all the same, unless a marker cuts it too."""
    kept: list[_Row] = []
    lost: str | None = None  # the level whose name was cut, until a name of that level or above follows
    carried: dict[str, tuple[int, int]] = {}  # sound level names of a dropped row
    for row in rows:
        broken = {name for name, span in row.fields.items() if _crosses_marker(doc, flat, *span)}
        if TOTAL_ROW.match(_text_of(flat, row.fields.get("level3"))):
            if not broken:  # a total cut by a marker is left out: its weight alone would read as the score
                kept.append(row)
            continue
        if "level1" in row.fields or ("level2" in row.fields and lost == "level2"):
            lost = None
        if "level1" in broken or ("level2" in broken and "level1" not in row.fields):
            lost = "level1" if "level1" in broken else "level2"
        if lost is not None:
            carried = {}
            continue
        fields = {name: span for name, span in row.fields.items() if name not in broken}
        if "level1" in fields:
            carried = {}
        elif "level2" in fields:
            carried = {name: span for name, span in carried.items() if name == "level1"}
        if broken - {"level1", "level2"}:
            carried = {**carried, **{name: fields[name] for name in ("level1", "level2") if name in fields}}
            continue
        kept.append(_Row({**carried, **fields}))
        carried = {}
    return kept


def _project_rows(text: str, start: int, end: int, layout: list[str]) -> list[_Row]:
    """Rows of a project form: level-1/level-2 names open groups, a weight and a score close rows."""
    rows: list[_Row] = []
    pending: dict[str, tuple[int, int]] = {}
    pos, after_level2 = start, False
    weight_first = "weight" in layout and layout.index("weight") < min(
        layout.index(n) for n in ("target", "actual") if n in layout
    )
    while pos < end:
        if not after_level2 and (m := FLAT_LEVEL1.match(text, pos)):
            pending = {"level1": (pos, m.end())}
            pos = m.end()
            continue
        if not after_level2 and (m := FLAT_LEVEL2.match(text, pos)):
            pending["level2"] = (pos, m.end())
            pos, after_level2 = m.end(), True
            continue
        if m := FLAT_PLACEHOLDER.match(text, pos):
            pos, after_level2 = m.end(), False
            continue
        if m := _TABLE_TOTAL_RE.match(text, pos):
            total = _total_row(m, "weight" in layout)
            if total is not None:
                rows.append(total)
            break
        bound = _next_anchor(text, pos, end)
        row, pos = _project_row(text, pos, bound, weight_first, pair="weight" in layout and not weight_first)
        after_level2 = False
        if row is None:
            if pos >= end:
                break
            continue
        row.fields = {**pending, **row.fields}
        pending = {}
        rows.append(row)
    _lone_actuals(text, rows)
    return rows


def _lone_actuals(text: str, rows: list[_Row]) -> None:
    """A lone text between weight and score is the row's actual where the row before it in its
    level-1 group printed a dash in the 指标值 column (项目决策 rows: "一" then the actual): the
    group leaves that column empty, and the dash was lost, not the actual."""
    dashed = False
    for row in rows:
        if "level1" in row.fields:
            dashed = False
        if row.lone is not None and dashed and not FLAT_DASH.fullmatch(text, *row.lone):
            row.fields["actual"] = row.lone
        elif "target" in row.fields:
            dashed = bool(FLAT_DASH.fullmatch(text, *row.fields["target"]))


def _total_row(m: re.Match, weighted: bool) -> _Row | None:
    """The 总分 row closing the table: its 分值 and 得分 run together ("10095.5"), or the 得分 alone."""
    run, offset = m.group("number"), m.start("number")
    fields = {"level3": m.span("label")}
    pair = split_pair(run) if weighted else None
    if pair is not None:
        fields["weight"] = (offset + pair[0][0], offset + pair[0][1])
        fields["score"] = (offset + pair[1][0], offset + pair[1][1])
    elif float(run) <= _MAX_TOTAL:
        fields["score"] = m.span("number")
    else:
        return None
    return _Row(fields)


def _next_anchor(text: str, pos: int, end: int) -> int:
    """Where the next level-1 name or placeholder begins (rows do not run across them)."""
    for i in range(pos + 1, end):
        if FLAT_LEVEL1.match(text, i) or FLAT_PLACEHOLDER.match(text, i):
            return i
        if (m := FLAT_LEVEL2.match(text, i)) and m.group().endswith(("指标", "分)", "分）")):
            return i
    return end


def _project_row(text: str, pos: int, bound: int, weight_first: bool, pair: bool) -> tuple[_Row | None, int]:
    """One row from `pos`: (row or None, where the next row starts). With `weight_first` a weight
    follows the 三级指标; with `pair` the weight and score close the row, run together ("1010")."""
    numbers = [m for m in _NUMBER_RUN_RE.finditer(text, pos, bound) if not _is_quantity(text, m)]
    if not numbers:
        body_end = bound
        garbled = _GARBLED_SCORE_RE.search(text, pos, bound)
        if garbled:
            body_end = garbled.start()
        row = _glued_row(text, pos, body_end, weight_first)
        if row is None and bound == len(text):
            row = _cut_off_row(text, pos, bound, weight_first)  # the excerpt's cut-off last row
        return row, bound
    first = numbers[0]
    row = _glued_row(text, pos, first.start(), weight_first)
    if row is not None and pair:
        cut = split_pair(first.group())
        if cut is None:
            return None, first.end()
        row.fields["weight"] = (first.start() + cut[0][0], first.start() + cut[0][1])
        row.fields["score"] = (first.start() + cut[1][0], first.start() + cut[1][1])
        return row, first.end()
    if row is not None and _BARE_NUMBER_RE.fullmatch(first.group()):
        row.fields["score"] = first.span()
        return (row if _score_fits(text, row) else None), first.end()
    if not weight_first or len(numbers) < 2 or first.start() == pos:
        return None, first.end()
    second = numbers[1]
    if not (_BARE_NUMBER_RE.fullmatch(first.group()) and _BARE_NUMBER_RE.fullmatch(second.group())):
        return None, second.end()
    if float(second.group()) > float(first.group()):
        return None, second.end()
    fields = {"level3": (pos, first.start()), "weight": first.span(), "score": second.span()}
    # target and actual that cannot be told apart stay empty: the row's name, weight and score are certain
    middle = _target_actual(text, first.end(), second.start())
    fields.update(middle)
    lone = (first.end(), second.start()) if not middle and second.start() > first.end() else None
    return _Row(fields, lone), second.end()


def _cut_off_row(text: str, start: int, end: int, weight_first: bool) -> _Row | None:
    """The excerpt's last row, cut off inside it: its 三级指标 alone, or (no weight column, the name
    holding no clause end) name and target where the cut falls in the actual repeating the target
    ("…医疗服务" + "服务范围扩大" + "服务范"): the longest tail printed earlier as the start of the
    text before it, the name no shorter than the target."""
    if end <= start or _CLAUSE_ENDS.search(text, start, end):
        return None
    body = text[start:end]
    for size in range(len(body) // 2 if not weight_first else 0, _MIN_REPEATED - 1, -1):
        tail = body[-size:]
        starts = [k for k in range(1, len(body) - 2 * size + 1) if body.startswith(tail, k)]
        if starts:
            k = starts[0]
            if len(starts) > 1 or k < len(body) - size - k:
                break  # two readings, or a "name" shorter than its target: a name repeating itself
            return _Row({"level3": (start, start + k), "target": (start + k, end - size)})
    if _SENTENCE_MARKS.search(text, start, end):
        return None
    return _Row({"level3": (start, end)})


def _score_fits(text: str, row: _Row) -> bool:
    """A row's weight is a plausible 分值 and its score does not exceed it."""
    weight = row.fields.get("weight")
    if weight is None:
        return True
    w, s = float(text[slice(*weight)]), float(text[slice(*row.fields["score"])])
    return 0 < w <= MAX_WEIGHT and s <= w


def _is_quantity(text: str, number: re.Match) -> bool:
    """A number followed by a unit (2370人, 100%) or after a comparison (≥15项) belongs to a text
    cell: a target, never a weight or a score."""
    return bool(FLAT_QUANTITY_UNIT.match(text, number.end())) or bool(
        _ENDS_WITH_OPERATOR.search(text, max(0, number.start() - _MAX_OPERATOR), number.start())
    )


def _glued_row(text: str, start: int, end: int, weight_first: bool) -> _Row | None:
    """level3 [weight] target actual run together, with target == actual printed twice
    ("成本控制不超过预算不超过预算", "公用经费完成时间52021年12月完成2021年12月完成"), or two
    values with their units ("培训人数≥500人526人"). A comparison before a value is the value's;
    a bare number or a placeholder printed twice is no target (it is a weight, or nothing)."""
    body = text[start:end]
    found = [
        n
        for n in range(1, len(body) // 2 + 1)
        if body[-2 * n : -n] == body[-n:]
        and not _ENDS_WITH_OPERATOR.search(body[: -2 * n])
        and not _BARE_NUMBER_RE.fullmatch(body[-n:])
        and not _PLACEHOLDER_TEXT.fullmatch(body[-n:])
    ]
    values = [(end - 2 * n, end - n) for n in found] if len(found) == 1 else _two_values(text, start, end)
    if len(values) != 1:
        return None
    head_end, middle = values[0]
    fields = {"target": (head_end, middle), "actual": (middle, end)}
    if weight_first:
        weight = re.search(_NUMBER + r"$", text[start:head_end])
        if weight is None:
            return None
        fields["weight"] = (start + weight.start(), head_end)
        head_end = start + weight.start()
    if head_end <= start or text[head_end - 1].isdigit():
        return None
    fields["level3"] = (start, head_end)
    return _Row(fields)


def _two_values(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(target start, actual start) of every way text[start:end] reads as a name (not ending in a
    digit or a comparison) followed by two values with units; the caller takes a single one."""
    if end - start > _MAX_VALUES_BODY or _CLAUSE_ENDS.search(text, start, end):
        return []
    cuts = []
    for i in range(start + 1, end):
        head = text[start:i]
        if head[-1].isdigit() or head[-1] == "." or _ENDS_WITH_OPERATOR.search(head):
            continue
        for j in range(i + 1, end):
            if FLAT_VALUE.fullmatch(text, i, j) and FLAT_VALUE.fullmatch(text, j, end):
                cuts.append((i, j))
    return cuts


def _target_actual(text: str, start: int, end: int) -> dict[str, tuple[int, int]]:
    """target and actual printed together: twice the same text, a dash then the actual, or two
    values of one unit (the target's number may be garbled by OCR: "M.8万元14.8万元")."""
    body = text[start:end]
    if body and len(body) % 2 == 0 and body[: len(body) // 2] == body[len(body) // 2 :]:
        return {"target": (start, start + len(body) // 2), "actual": (start + len(body) // 2, end)}
    if len(body) > 1 and FLAT_DASH.fullmatch(body[0]):
        return {"target": (start, start + 1), "actual": (start + 1, end)}
    cuts = [j for j in range(start + 1, end) if _same_unit_values(text, start, j, end)]
    if len(cuts) == 1:
        return {"target": (start, cuts[0]), "actual": (cuts[0], end)}
    return {}


def _same_unit_values(text: str, start: int, cut: int, end: int) -> bool:
    """text[cut:end] is a value with its unit (14.8万元) and text[start:cut] ends with a digit and
    the same unit: the target of that value's row."""
    actual = FLAT_VALUE.fullmatch(text, cut, end)
    if actual is None:
        return False
    unit = re.sub(r"^.*\d", "", actual.group())
    target = text[start:cut]
    return len(target) > len(unit) and target.endswith(unit) and target[-len(unit) - 1].isdigit()


_COEFFICIENT = r"(?P<coefficient>(?:[1-9]\d*|0)(?:\.\d+)?%)"
_PAIR_AND_CORE = r"(?P<pair>[1-9]\d{0,2}(?:\.\d+)?(?:0|[1-9]\d{0,2})(?:\.\d+)?)(?P<core>是|否)"
_DEPARTMENT_ROW_END = {True: re.compile(_COEFFICIENT + _PAIR_AND_CORE), False: re.compile(_PAIR_AND_CORE)}


def _department_rows(text: str, start: int, end: int, with_coefficient: bool) -> list[_Row]:
    """Rows of a department form (指标名称 | 计量单位 | 指标性质 | 指标值 … | [得分系数 |] 指标权重 |
    指标得分 | 是否核心指标): each row ends with its coefficient where the form has one, its weight
    and score run together, and 是/否."""
    rows: list[_Row] = []
    pos = start
    for m in _DEPARTMENT_ROW_END[with_coefficient].finditer(text, start, end):
        body_start = pos
        if label := FLAT_GROUP_LABEL.match(text, body_start):
            body_start = label.end()
        pos = m.end()
        fields = _department_body(text, body_start, m.start())
        ratio = float(m.group("coefficient")[:-1]) / 100 if with_coefficient else None
        pair = split_pair(m.group("pair"), ratio=ratio)
        if fields is None or pair is None:
            continue
        offset = m.start("pair")
        fields["weight"] = (offset + pair[0][0], offset + pair[0][1])
        fields["score"] = (offset + pair[1][0], offset + pair[1][1])
        rows.append(_Row(fields))
    return rows


def _department_body(text: str, start: int, end: int) -> dict[str, tuple[int, int]] | None:
    """level3, unit, nature and the values of one department-form row; the single reading or None."""
    body = text[start:end]
    if len(body) > _MAX_ROW_BODY:
        return None
    readings = []
    units = [*FLAT_UNITS] if any(ch.isdigit() for ch in body) else [*FLAT_UNITS, ""]
    for unit in units:
        for cut in _unit_positions(body, unit):
            level3, rest = body[:cut], body[cut + len(unit) :]
            if not level3 or level3[-1].isdigit() or (not unit and not rest):
                continue
            nature = _nature_length(rest)
            values = _values(rest[nature:], unit)
            if values is not None:
                offset = start + cut + len(unit) + nature
                fields = {"level3": (start, start + cut)}
                fields.update({k: (offset + s, offset + e) for k, (s, e) in values.items()})
                readings.append((nature > 0, fields))
        if readings and unit:
            break  # a reading with a unit of measure: rows without one are qualitative
    if any(has_nature for has_nature, _ in readings):  # a 指标性质 word explains the text before the values
        readings = [r for r in readings if r[0]]
    distinct = {tuple(sorted(fields.items())) for _, fields in readings}
    return readings[0][1] if len(distinct) == 1 else None


def _unit_positions(body: str, unit: str) -> list[int]:
    """Where the 计量单位 may begin: every occurrence of the unit, or (no unit) every position."""
    if not unit:
        return list(range(1, len(body) + 1))
    return [m.start() for m in re.finditer(re.escape(unit), body)]


def _nature_length(rest: str) -> int:
    """Length of a 指标性质 (定量指标, or its characters out of order) opening `rest`."""
    for nature in FLAT_NATURES:
        if sorted(rest[: len(nature)]) == sorted(nature):
            return len(nature)
    return 0


def _values(rest: str, unit: str) -> dict[str, tuple[int, int]] | None:
    """No value, the same value twice (target = actual), or two values each ending in the unit
    (the last may be a bare 0): target then actual."""
    if not rest:
        return {}
    half = len(rest) // 2
    if len(rest) % 2 == 0 and rest[:half] == rest[half:] and _is_value(rest[:half], unit):
        return {"target": (0, half), "actual": (half, len(rest))}
    if not unit:
        return None
    found = []
    for m in re.finditer(re.escape(unit), rest):
        first, second = rest[: m.end()], rest[m.end() :]
        if second and _is_value(first, unit) and (_is_value(second, unit) or second == "0"):
            found.append({"target": (0, m.end()), "actual": (m.end(), len(rest))})
    return found[0] if len(found) == 1 else None


def _is_value(value: str, unit: str) -> bool:
    """A printed value: a number (or an OCR'd 'O', after at most one stray character) with the
    unit, or a short word (高, 好) in a row without unit."""
    if not unit:
        return 0 < len(value) <= 4 and not any(ch.isdigit() for ch in value)
    return bool(re.fullmatch(r"[^\d]?(?:\d+(?:\.\d+)?|[Oo])" + re.escape(unit), value))
