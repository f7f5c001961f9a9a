"""Indicator tables (一级/二级/三级指标 …) → `Indicator` rows, section weights and the 总分 row.

Columns are found by header keywords, never by position. Rows are repaired the way real
conversions break them:

* merged 一级/二级 cells (empty in text conversions) are carried down;
* a row shifted left after a page break is realigned on its level-1 label ("效益指标 (40分)");
* a row one cell short whose 指标值 cell holds two `<p>` paragraphs is split into target + actual;
* a continuation row (only 指标值/完成值/偏差 text, no names, no numbers) is joined to the row
  above without separator;
* weight annotations ("产出指标（50分）", "（21）", "（3分）") become section weights and weights;
* template placeholder rows ('指标2', '……', '-' without values) are not rows, printed numbering
  ('指标1:', '1.') is not part of a level-3 name, and a 计量单位 cell is printed after the target;
* columns that are neither target nor actual (指标值设置依据, 上年完成值, 完成率 …) are ignored.

A document may hold several indicator tables (completed / uncompleted / the scored form); every
row records its table (`table_seq`) and the table's kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.cells import cell_number, clean, split_weight, words
from extract.numbers import MONEY_RE, money_of, normalize_digits, to_number
from extract.prov import cell_prov
from extract.vocabulary import (
    FORM_PAGE_FURNITURE,
    INDICATOR_COLUMNS,
    INDICATOR_OTHER_COLUMNS,
    INDICATOR_UNIT_COLUMN,
    LEVEL1_NAME,
    LEVEL3_NUMBERING,
    NOT_AN_INDICATOR_ROW,
    PLACEHOLDER_CELL,
    TOTAL_ROW,
    scrambled_titles,
)
from pipeline.models import Amount, Cell, Document, Indicator, SectionScore, Table, TotalScore

FIELDS = ("level1", "level2", "level3", "target", "actual", "weight", "score", "deviation_reason")
TEXT_FIELDS = ("target", "actual", "deviation_reason")

_P_SPLIT_RE = re.compile(r"</p>\s*<p>", re.IGNORECASE)


@dataclass
class IndicatorResult:
    indicators: list[Indicator] = field(default_factory=list)
    sections: list[SectionScore] = field(default_factory=list)
    totals: dict[int, TotalScore] = field(default_factory=dict)  # first table of the indicator table -> 总分


def find_header(table: Table) -> tuple[int, dict[str, int]] | None:
    """The header row of an indicator table and its field → column map."""
    grid = table.grid()
    for r, row in enumerate(grid):
        columns: dict[str, int] = {}
        ranks: dict[str, int] = {}  # which of the field's words matched: a more specific one wins the field
        for c, cell in enumerate(row):
            text = words(cell.text) if cell else None
            if not text or (c > 0 and row[c - 1] is cell):
                continue
            if INDICATOR_UNIT_COLUMN in text:
                columns.setdefault("unit", c)
                continue
            if any(word in text for word in INDICATOR_OTHER_COLUMNS):
                continue
            found = header_field(text)
            if found is not None and (found[0] not in columns or found[1] < ranks[found[0]]):
                columns[found[0]], ranks[found[0]] = c, found[1]
        if "level3" in columns and ("target" in columns or "actual" in columns):
            return r, columns
    return None


def header_field(text: str) -> tuple[str, int] | None:
    """The field a header cell names and how specific the word was (its rank among the field's
    words, a more specific one wins the field): the first field with a matching word, else a title
    printed with its characters out of order by OCR (the whole cell, least specific)."""
    for name, keywords in INDICATOR_COLUMNS:
        rank = next((i for i, k in enumerate(keywords) if k in text), None)
        if rank is not None:
            return name, rank
    scrambled = scrambled_titles(text)
    if len(scrambled) == 1 and scrambled[0][:2] == (0, len(text)):
        return scrambled[0][2], len(text)
    return None


def extract_indicators(doc: Document, continued: frozenset[int] = frozenset()) -> IndicatorResult:
    """All indicator tables of the document, in order; a header-less table right after one with the
    same width continues it (a table split across PDF pages, or a table in `continued`: the next
    table of the same form, extract/project_form.py)."""
    result = IndicatorResult()
    state: _TableState | None = None
    for table in doc.tables:
        header = find_header(table)
        if header is not None:
            seq = 0 if state is None else state.seq + 1
            kind = _table_kind(doc, table, header[1])
            state = _TableState(header[1], seq, kind, table.n_cols, first_table=table.index, table_index=table.index)
            state.unmerged_width, state.unmerged_columns = _unmerged_columns(table, *header)
            _read_table(doc, table, header[0] + 1, state, result)
        elif (
            state
            and not state.closed
            and table.index == state.table_index + 1
            and (table.index in continued or _only_page_break_between(doc, doc.tables[state.table_index], table))
        ):
            columns = state.columns
            if table.n_cols != state.n_cols and table.index in continued and table.n_cols == state.unmerged_width:
                columns = state.unmerged_columns  # the continuation lays out each merged header cell as one column
            elif table.n_cols != state.n_cols:
                continue
            state.table_index = table.index
            state.columns, kept = columns, state.columns
            _read_table(doc, table, 0, state, result)
            state.columns = kept
    return result


def _unmerged_columns(table: Table, header_row: int, columns: dict[str, int]) -> tuple[int, dict[str, int]]:
    """The header's distinct cells (a cell merged over two columns counted once) and each field's
    position among them: the columns of a continuation table laid out without the merges."""
    row = table.grid()[header_row]
    starts = [c for c, cell in enumerate(row) if c == 0 or cell is None or row[c - 1] is not cell]
    return len(starts), {name: starts.index(c) for name, c in columns.items() if c in starts}


def _only_page_break_between(doc: Document, before: Table, after: Table) -> bool:
    """Nothing but page furniture (folio, form feed) between two tables: one table split by a page."""
    if before.char_end is None or after.char_start is None:
        return True
    return bool(FORM_PAGE_FURNITURE.fullmatch(doc.text[before.char_end : after.char_start]))


@dataclass
class _TableState:
    """One indicator table being read, possibly over several page-split tables."""

    columns: dict[str, int]
    seq: int
    kind: str
    n_cols: int
    first_table: int
    table_index: int
    level1: tuple[str | None, Cell | None] = (None, None)
    level2: tuple[str | None, Cell | None] = (None, None)
    rows: list[Indicator] = field(default_factory=list)
    closed: bool = False
    unmerged_width: int = 0  # the header's distinct cells, a merged one counted once
    unmerged_columns: dict[str, int] = field(default_factory=dict)  # each field's place among them


def _table_kind(doc: Document, table: Table, columns: dict[str, int]) -> str:
    """form (has weights/scores), completed / uncompleted (by the caption before it), or other."""
    if "weight" in columns or "score" in columns:
        return "form"
    blocks = [b for b in doc.blocks if b.kind == "table" and b.table == table.index]
    if not blocks:
        return "other"
    before = [b for b in doc.blocks if b.kind == "paragraph" and blocks[0].index - 3 < b.index < blocks[0].index]
    caption = "".join(doc.text[b.char_start : b.char_end] for b in before)
    if "未完成" in caption or "未全部完成" in caption:
        return "uncompleted"
    if "完成" in caption:
        return "completed"
    return "other"


def _read_table(doc: Document, table: Table, first_row: int, state: _TableState, result: IndicatorResult) -> None:
    columns = state.columns
    grid = table.grid()
    width = max(columns.values()) + 1
    for r in range(first_row, len(grid)):
        slots = _align(_row_slots(grid, r), columns, width)
        texts = {name: clean(slots[c].text) if slots[c] else None for name, c in columns.items()}
        first = next((clean(s.text) for s in slots if s and clean(s.text)), None)
        if first is None:
            continue
        if NOT_AN_INDICATOR_ROW.match(words(first)):
            continue
        if TOTAL_ROW.match(words(first)):
            total = _total(doc, table, slots, state.rows)
            if total is not None:
                result.totals[state.first_table] = total
            state.closed = True
            return
        if _is_continuation(texts) and state.rows:
            _continue_row(state.rows[-1], texts)
            continue
        if not (texts.get("level1") or texts.get("level2") or texts.get("level3")):
            continue
        if _is_placeholder(texts):
            continue
        if texts.get("level1"):
            state.level1 = (texts["level1"], slots[columns["level1"]])
            state.level2 = (None, None)
        if texts.get("level2"):
            state.level2 = (texts["level2"], slots[columns["level2"]])
        row = _indicator(doc, table, slots, texts, state)
        state.rows.append(row)
        result.indicators.append(row)
        _add_sections(doc, table, state.level1, state.level2, result)


def _row_slots(grid: list[list[Cell | None]], r: int) -> list[Cell | None]:
    """The row's cells; a cell merged down from the row above, or across from the left, is empty here."""
    row = []
    for c, cell in enumerate(grid[r]):
        merged_from_above = r > 0 and cell is not None and grid[r - 1][c] is cell
        merged_from_left = c > 0 and cell is not None and grid[r][c - 1] is cell
        row.append(None if merged_from_above or merged_from_left else cell)
    return row


def _align(slots: list[Cell | None], columns: dict[str, int], width: int) -> list[Cell | None]:
    """Realign a row shifted left (level-1 label left of its column) and split a doubled 指标值 cell."""
    level1_col = columns.get("level1")
    if level1_col is not None:
        for c in range(level1_col):
            text = words(slots[c].text) if slots[c] else None
            if text and LEVEL1_NAME.match(text):
                slots = [None] * (level1_col - c) + slots
                break
    slots = slots + [None] * max(0, width - len(slots))
    target_col, actual_col = columns.get("target"), columns.get("actual")
    if target_col is not None and actual_col == target_col + 1:
        cell = slots[target_col]
        if cell and _P_SPLIT_RE.search(cell.text) and _is_short(slots, columns):
            slots = slots[:target_col] + list(_split_paragraphs(cell)) + slots[target_col + 1 :]
    return slots


def _is_short(slots: list[Cell | None], columns: dict[str, int]) -> bool:
    """The row misses a cell: its 实际完成值 column already holds a number (the weight)."""
    actual = slots[columns["actual"]]
    return actual is not None and cell_number(actual.text) is not None


def _split_paragraphs(cell: Cell) -> tuple[Cell, Cell]:
    """Two cells from '<p>target</p> <p>actual</p>', with their own character spans."""
    m = _P_SPLIT_RE.search(cell.text)
    assert m is not None
    cut = m.start() + len("</p>")
    start = cell.char_start
    first = cell.model_copy(update={"text": cell.text[:cut], "char_end": None if start is None else start + cut})
    second = cell.model_copy(
        update={"text": cell.text[cut:], "char_start": None if start is None else start + cut, "col": cell.col + 1}
    )
    return first, second


def _is_continuation(texts: dict[str, str | None]) -> bool:
    """Only free-text columns are filled: the rest of a cell broken across a page."""
    names_or_numbers = ("level1", "level2", "level3", "weight", "score")
    return not any(texts.get(n) for n in names_or_numbers) and any(texts.get(n) for n in TEXT_FIELDS)


def _continue_row(row: Indicator, texts: dict[str, str | None]) -> None:
    for name in TEXT_FIELDS:
        extra = texts.get(name)
        if extra:
            setattr(row, name, (getattr(row, name) or "") + extra)


def _indicator(doc: Document, table: Table, slots: list[Cell | None], texts, state: _TableState) -> Indicator:
    columns, level1, level2 = state.columns, state.level1, state.level2
    cells = {name: cell_prov(doc, table, slots[c]) for name, c in columns.items() if slots[c] is not None}
    if level1[1] is not None:
        cells["level1"] = cell_prov(doc, table, level1[1])
    if level2[1] is not None:
        cells["level2"] = cell_prov(doc, table, level2[1])
    level3, level3_weight = split_weight(texts.get("level3"))
    if level3:
        level3 = LEVEL3_NUMBERING.sub("", level3, count=1) or level3
    weight = _number(texts.get("weight")) or (to_number(level3_weight) if level3_weight else None)
    first_cell = next(s for s in slots if s is not None)
    return Indicator(
        table_seq=state.seq,
        table_kind=state.kind,
        row_seq=len(state.rows),
        level1=split_weight(level1[0])[0],
        level2=split_weight(level2[0])[0],
        level3=level3,
        target=_target(texts),
        actual=texts.get("actual"),
        weight=weight,
        score=_number(texts.get("score")),
        deviation_reason=texts.get("deviation_reason"),
        prov=cell_prov(doc, table, first_cell).model_copy(update={"col": None}),
        cells=cells,
    )


def _is_placeholder(texts: dict[str, str | None]) -> bool:
    """A template row left unfilled: a placeholder name ('指标2', '……', '-') and no values."""
    name = re.sub(r"\s+", "", texts.get("level3") or "")
    values = [texts.get(f) for f in ("target", "actual", "weight", "score")]
    return bool(name) and bool(PLACEHOLDER_CELL.match(name)) and all(not v or PLACEHOLDER_CELL.match(v) for v in values)


def _target(texts: dict[str, str | None]) -> str | None:
    """The target as printed, with the 计量单位 cell after it when the form has one (9.5 + %)."""
    target, unit = texts.get("target"), texts.get("unit")
    if target and unit and not target.endswith(unit):
        return target + unit
    return target


def _number(text: str | None):
    match = cell_number(text)
    return to_number(match) if match else None


def _add_sections(doc, table, level1, level2, result: IndicatorResult) -> None:
    """Section weights from level-1 / level-2 annotations, once per section."""
    name1, weight1 = split_weight(level1[0])
    if name1 and weight1 and level1[1] is not None:
        _add_section(result, _weight_section(name1, None, to_number(weight1), cell_prov(doc, table, level1[1])))
    name2, weight2 = split_weight(level2[0])
    if name1 and name2 and weight2 and level2[1] is not None:
        _add_section(result, _weight_section(name1, name2, to_number(weight2), cell_prov(doc, table, level2[1])))


def _weight_section(level1: str, level2: str | None, weight, prov) -> SectionScore:
    return SectionScore(level1=level1, level2=level2, weight=weight, prov=prov, cells={"weight": prov})


def _add_section(result: IndicatorResult, section: SectionScore) -> None:
    """Once per table: forms bound in one file each state their own sections."""
    if not any(
        s.level1 == section.level1 and s.level2 == section.level2 and s.prov.table == section.prov.table
        for s in result.sections
    ):
        result.sections.append(section)


def _total(doc: Document, table: Table, slots: list[Cell | None], rows: list[Indicator]) -> TotalScore | None:
    """总分 row: two numbers are 分值 then 得分; a single one is the score only if rows are scored."""
    distinct = [cell for i, cell in enumerate(slots) if cell is not None and all(cell is not s for s in slots[:i])]
    numbers = [(cell, cell_number(cell.text)) for cell in distinct]
    numbers = [(cell, n) for cell, n in numbers if n is not None]
    if not numbers:
        return None
    scored = any(r.score is not None for r in rows)
    if len(numbers) == 1 and not scored:
        return None
    cell, score = numbers[-1]
    weight = to_number(numbers[-2][1]) if len(numbers) >= 2 else None
    return TotalScore(number=to_number(score), weight=weight, prov=cell_prov(doc, table, cell))


def cost_indicator_amounts(indicators: list[Indicator]) -> list[Amount]:
    """万元 amounts in the target / actual cells of 成本指标 rows (budget caps and spending)."""
    amounts: list[Amount] = []
    for row in indicators:
        if not row.level2 or "成本" not in row.level2:
            continue
        for name in ("target", "actual"):
            prov = row.cells.get(name)
            if prov is None:
                continue
            for m in MONEY_RE.finditer(normalize_digits(prov.raw)):
                if m.group("unit") in ("万元", "万"):
                    number = money_of(m)
                    key = f"cost_indicator_{len(amounts) + 1}"
                    amounts.append(
                        Amount(key=key, number=number, source="indicator", label=row.level3 or "", prov=prov)
                    )
    return amounts
