"""Forms whose text prints the cells out of reading order → grids, pinned by the form's arithmetic.

A PDF text layer can give a form's cells in the order they were drawn rather than read: the funds
header, some of its values, the row labels, then the rest of the values; the indicator rows' values
as one run and their names after it, with the level names in between ("…分值 得分 =100% 100% 10 10
=100% 100% 20 20 … 产出指标 质量指标 … 合同结算条款完成率 …"). No cell stands beside its label, so
neither the separator-aware readers (pipeline/readers/flat_tables.py) nor the run-together recovery
(extract/recover.py) read it. This module reads such a form from its parts, inside one form's zone
(from its title to the next title), and only where the form's own arithmetic or counts pin a cell:

* funds row: the numbers printed right after the funds header are in header order, with columns
  missing; a missing 执行数, 执行率, 分值 or 得分 may stand anywhere in the funds block. A reading is
  kept when 执行率 = 执行数 / 预算数 and 得分 = 分值 × 执行率 hold at their printed precision, and
  only when exactly one set of values does (the longest reading of the header's run first).
* indicator rows: the run of (年度指标值, 实际完成值, 分值, 得分) quadruples, closed by the 总分 row's
  weight and score; the rows' 三级指标 names (the text between the template's words) and their
  二级指标 names come in row order. Values are kept only when the rows' weights and scores with the
  funds row's add up to the 总分 row (or the weights to 100); names only when there is one per row.

The zones the reader grids or the recovery already covers are left alone. Every cell points at its
exact source substring: the grid's cells are scattered over the zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations, product
from math import prod

from extract.glued import MAX_AMOUNT, MAX_WEIGHT, Piece, agrees, consistent
from extract.indicators import header_field
from extract.normalize import simplified_document
from extract.numbers import MONEY_SCALE, normalize_digits
from extract.vocabulary import (
    FLAT_FUNDS_ROW_LABELS,
    FLAT_PLACEHOLDER,
    FORM_UNIT,
    FUNDS_COLUMNS,
    HEADER_FIELDS,
    INDICATOR_SIDE_LABEL,
    LEVEL1_NAME,
    LEVEL2_NAME,
    LEVEL2_PARENTS,
    PROJECT_FORM_TITLE,
    SCATTERED_FOLIO,
    SCATTERED_HEADER,
    SCATTERED_VALUE,
    TOTAL_ROW,
)
from pipeline.models import Cell, Document, Table

Span = tuple[int, int]

_NAME_LABEL = "项目名称"
_HEADER_LABELS = {label for label, _ in HEADER_FIELDS}
_FUNDS_TITLE_EXTRA = 2  # characters a funds column's title prints beyond its word (年初预算 + 数)
_NUMBER_RE = re.compile(r"(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?(?:%|万元)?")  # 120.50万元 too
_SIGNS = ("%", "万元")  # what a number may print after its digits
_ANNOTATION_RE = re.compile(r"\s*[(（][^()（）]{0,12}[)）]")  # the title's "(2022 年度)"
_WEIGHT_TAIL = re.compile(r"[(（]\d+(?:\.\d+)?分?[)）]$")
_INDICATOR_START = ("一级指标", "三级指标")
_MAX_JOIN = 4  # tokens one template word may be printed over ("绩 效 指 标", "年度 指标值")
_MAX_VALUE_CHARS = 12  # a target or actual standing in a run of values
_MAX_RUN = 6  # numbers right after a funds header read in its order
_MAX_TRIES = 20_000  # assignments of a funds block's loose numbers tried for one reading of its run
_MAX_ZONE = 3000  # characters after a title searched for its form
_FIELDS = ("level1", "level2", "level3", "target", "actual", "weight", "score")
_VALUE_FIELDS = ("target", "actual", "weight", "score")
_AMOUNTS = ("initial_budget", "full_year_budget", "executed")
_FOUND_APART = ("full_year_budget", "executed", "execution_rate_pct", "weight", "score")  # a 年初预算数 only in its run


@dataclass(frozen=True)
class _Item:
    """One unit of a zone: a template word (possibly printed over several tokens), a number, a
    value or a piece of free text, with its document span and its text normalised for matching."""

    kind: str  # header | level1 | level2 | group | total | funds_label | placeholder | unit | folio | number | value | text
    start: int
    end: int
    text: str

    @property
    def span(self) -> Span:
        return self.start, self.end


@dataclass(frozen=True)
class _Funds:
    """The funds block read: its header words (key → item) and its values (key → item)."""

    header: list[tuple[str, _Item]]
    values: dict[str, _Item]
    label: _Item | None


@dataclass(frozen=True)
class _Rows:
    """The indicator rows read: values per row (target, actual, weight, score), names, levels, total."""

    values: list[tuple[_Item, _Item, _Item, _Item]]
    names: list[_Item]
    level2: list[_Item | None]
    level1: list[_Item | None]
    total: tuple[_Item, _Item, _Item] | None  # label, weight, score


def scattered_tables(doc: Document, taken: list[Table]) -> list[Table]:
    """Grids of the forms in `doc` printed out of reading order, outside the tables in `taken`."""
    text = normalize_digits(simplified_document(doc.text))
    titles = list(PROJECT_FORM_TITLE.finditer(text))
    tables: list[Table] = []
    for i, title in enumerate(titles):
        end = min(titles[i + 1].start() if i + 1 < len(titles) else len(text), title.end() + _MAX_ZONE)
        start = title.end()
        if m := _ANNOTATION_RE.match(doc.text, start):
            start = m.end()
        while end > start and not text[end - 1].isspace() and end < len(text):
            end -= 1  # the next title's token ("财政项目支出…") is the next form's
        if any(t.overlaps(start, end) for t in taken):
            continue
        table = _zone_table(doc, text, start, end)
        if table is not None:
            tables.append(table)
    return tables


def _zone_table(doc: Document, text: str, start: int, end: int) -> Table | None:
    """The grid of one form's zone, or None where neither its funds row nor its rows are pinned."""
    items = _items(text, start, end)
    head = _funds_header(items)
    first_indicator = next(
        (k for k, it in enumerate(items) if it.kind == "header" and it.text in _INDICATOR_START), None
    )
    if head is None or first_indicator is None or first_indicator < head[1]:
        return None
    unit = FORM_UNIT.search(text, start, end)
    scale = MONEY_SCALE["元"] if unit and (unit.group(1) or unit.group(2)) == "元" else 1.0
    funds = _funds(items[head[0] : first_indicator], head[1] - head[0], scale)
    header = _indicator_header(items[first_indicator:])
    rows = None  # the grid parser reads rows under a header naming their names and values
    if "level3" in header and {"target", "actual"} & set(header):
        rows = _rows(items[first_indicator:], funds, _value_layout(header))
    if funds is None and rows is None:
        return None
    name = _project_name(items[: head[0]])
    return _grid(doc, start, name, unit.span() if unit else None, funds, header, rows)


# --------------------------------------------------------------------------- items


def _items(text: str, start: int, end: int) -> list[_Item]:
    """The zone's tokens, template words printed over several tokens joined into one item."""
    tokens = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    items: list[_Item] = []
    i = 0
    while i < len(tokens):
        n, kind = _word_at(text, tokens, i)
        s, e = tokens[i][0], tokens[i + n - 1][1]
        items.append(_Item(kind, s, e, "".join(text[a:b] for a, b in tokens[i : i + n])))
        i += n
    return items


def _word_at(text: str, tokens: list[Span], i: int) -> tuple[int, str]:
    """(tokens taken, kind) of the item at token i: the token itself where it is a template word
    or a value, else the longest run of tokens that joins into a template word, else free text."""
    kind = _kind(text[slice(*tokens[i])], single=True)
    if kind is not None:
        return 1, kind
    for n in range(min(_MAX_JOIN, len(tokens) - i), 1, -1):
        kind = _kind("".join(text[s:e] for s, e in tokens[i : i + n]), single=False)
        if kind is not None:
            return n, kind
    return 1, "text"


def _kind(word: str, single: bool) -> str | None:
    """What a token (or several joined) is; None for free text. Only template words are joined."""
    title = _ANNOTATION_RE.sub("", word)  # 年度指标值（A）
    if SCATTERED_HEADER.fullmatch(title) or _funds_key(word) or word.rstrip(":：") in _HEADER_LABELS:
        return "header"
    name = _WEIGHT_TAIL.sub("", word)  # 产出指标(50分)
    if LEVEL2_NAME.match(name):
        return "level2"
    if (m := LEVEL1_NAME.match(name)) and m.end() == len(name):
        return "level1"
    if FLAT_PLACEHOLDER.fullmatch(word.rstrip(":：")):
        return "placeholder"
    if FORM_UNIT.fullmatch(word):
        return "unit"
    if INDICATOR_SIDE_LABEL.match(word):
        return "group"
    if (m := TOTAL_ROW.match(word)) and m.end() == len(word):
        return "total"
    if word in FLAT_FUNDS_ROW_LABELS:
        return "funds_label"
    if not single:
        return None
    if SCATTERED_FOLIO.fullmatch(word):
        return "folio"
    if _NUMBER_RE.fullmatch(word):
        return "number"
    if SCATTERED_VALUE.fullmatch(word):
        return "value"
    return None


# --------------------------------------------------------------------------- funds block


def _funds_key(word: str) -> str | None:
    """The funds column a title names (年初预算数, 执行率（C/B） → its key), the first meaning first."""
    word = _ANNOTATION_RE.sub("", word)
    return next((key for w, key in FUNDS_COLUMNS if w in word and len(word) - len(w) <= _FUNDS_TITLE_EXTRA), None)


def _funds_header(items: list[_Item]) -> tuple[int, int] | None:
    """[start, end) of the first run of at least three funds-column words."""
    k = 0
    while k < len(items):
        j = k
        while j < len(items) and items[j].kind == "header" and _funds_key(items[j].text):
            j += 1
        if j - k >= 3:
            return k, j
        k = j + 1
    return None


def _funds(items: list[_Item], header_len: int, scale: float) -> _Funds | None:
    """The funds row's values, when exactly one set of them obeys the form's arithmetic."""
    header: list[tuple[str, _Item]] = []
    for item in items[:header_len]:
        key = _funds_key(item.text)
        if key is not None and key not in (k for k, _ in header):
            header.append((key, item))
    keys = [k for k, _ in header]
    numbers = [it for it in items[header_len:] if it.kind == "number"]
    run: list[_Item] = []
    for it in items[header_len:]:
        if it.kind != "number" or len(run) == _MAX_RUN:
            break
        run.append(it)
    label = next((it for it in items if it.kind == "funds_label"), None)
    for length in range(min(len(run), len(keys)), 0, -1):
        readings = list(_readings(run[:length], keys, numbers, scale))
        values = {tuple(sorted((k, _value(v)) for k, v in r.items())) for r in readings}
        if len(values) == 1:
            best = min(readings, key=lambda r: sorted(v.start for v in r.values()))
            return _Funds(header, best, label)
        if values:
            return None  # two readings of the same run: not pinned
    return None


def _readings(run: list[_Item], keys: list[str], numbers: list[_Item], scale: float) -> Iterator[dict[str, _Item]]:
    """Every reading of the run in header order, the checked columns it leaves out taken from the
    block's other numbers, that the form's arithmetic confirms."""
    for columns in combinations(range(len(keys)), len(run)):
        read = {keys[c]: item for c, item in zip(columns, run, strict=True)}
        missing = [k for k in keys if k not in read and k in _FOUND_APART]
        others = [n for n in numbers if n not in run and _value(n) != 0]
        choices = [[None, *(n for n in others if n.text.endswith("%") == (k == "execution_rate_pct"))] for k in missing]
        if prod(len(c) for c in choices) > _MAX_TRIES:
            continue  # a block of many loose numbers is not read by trying them all
        for chosen in product(*choices):
            picked = [c for c in chosen if c is not None]
            if len(set(map(id, picked))) != len(picked):
                continue
            reading = {**read, **{k: c for k, c in zip(missing, chosen, strict=True) if c is not None}}
            if _confirmed(reading, scale):
                yield reading


def _confirmed(reading: dict[str, _Item], scale: float) -> bool:
    """The reading holds a budget, the spending, the rate that relates them, and a score that
    follows from the weight; only the rate prints a '%', only amounts a 万元."""
    budget = reading.get("full_year_budget") or reading.get("initial_budget")
    executed, rate = reading.get("executed"), reading.get("execution_rate_pct")
    if budget is None or executed is None or rate is None or _value(executed) <= 0:
        return False
    if ("weight" in reading) != ("score" in reading):
        return False
    if any(item.text.endswith("%") for k, item in reading.items() if k != "execution_rate_pct"):
        return False
    if any(item.text.endswith("万元") for k, item in reading.items() if k not in _AMOUNTS):
        return False
    pieces = {k: Piece((0, 0), _digits(v)) for k, v in reading.items()}
    return consistent(pieces, None, MAX_AMOUNT / scale)


def _digits(item: _Item) -> str:
    """A number's printed digits, without its % or 万元."""
    text = item.text
    for sign in _SIGNS:
        text = text.removesuffix(sign)
    return text


def _value(item: _Item) -> float:
    """A number's value as printed (1,234.5 → 1234.5; 97.68% → 97.68)."""
    return float(_digits(item).replace(",", ""))


# --------------------------------------------------------------------------- indicator rows


def _rows(items: list[_Item], funds: _Funds | None, layout: list[str]) -> _Rows | None:
    """The indicator rows of the zone from its first indicator-header word on, their values
    printed in `layout` order, or None."""
    found = _quadruples(items, layout)
    used: set[int] = set()
    values: list[tuple[_Item, _Item, _Item, _Item]] = []
    total: tuple[_Item, _Item, _Item] | None = None
    label = next((it for it in items if it.kind == "total"), None)
    if found is not None:
        start, count, closing = found
        order = [layout.index(field) for field in _VALUE_FIELDS]
        values = [tuple(items[start + 4 * r + i] for i in order) for r in range(count)]  # type: ignore[misc]
        used = set(range(start, start + 4 * count + (2 if closing else 0)))
        pair = (items[start + 4 * count], items[start + 4 * count + 1]) if closing else None
        if not _adds_up(values, pair, funds):
            return None
        if pair is not None and label is not None:
            total = (label, *pair)
    end = _zone_end(items, label)
    names = _names([it for k, it in enumerate(items[:end]) if k not in used])
    count = len(values) or len([it for it in items[:end] if it.kind == "level2"])
    if count < 2 or len(names) != count:
        return None
    level2 = _level2_of_rows(items[:end], names)
    level1 = [it for it in items[:end] if it.kind == "level1"]
    return _Rows(values, names, level2, [_parent(l2, level1) for l2 in level2], total)


def _level2_of_rows(items: list[_Item], names: list[_Item]) -> list[_Item | None]:
    """Each row's level-2 name: one printed per row, in row order; or, where a label is printed
    once for its group (a merged cell), each label over the names printed after it — when every
    label has a name of its own after it. Else no row gets one."""
    labels = [it for it in items if it.kind == "level2"]
    if len(labels) == len(names):
        return list(labels)
    rows: list[_Item | None] = []
    current: _Item | None = None
    named: set[int] = set()
    for item in sorted([*labels, *names], key=lambda it: it.start):
        if item.kind == "level2":
            current = item
        else:
            rows.append(current)
            if current is not None:
                named.add(current.start)
    if None in rows or len(named) != len(labels):
        return [None] * len(names)
    return rows


def _value_layout(header: dict[str, _Item]) -> list[str]:
    """The order the indicator header prints 年度指标值, 实际完成值, 分值 and 得分 in (the rows print
    their values in it); the national order where the header does not name all four."""
    printed = [field for field in sorted(header, key=lambda f: header[f].start) if field in _VALUE_FIELDS]
    return printed if len(printed) == len(_VALUE_FIELDS) else list(_VALUE_FIELDS)


def _quadruples(items: list[_Item], layout: list[str]) -> tuple[int, int, bool] | None:
    """(first item, row count, closed by a weight+score pair) of the first run of at least two rows
    of four values in `layout` order, or of one row closed by the total's pair."""
    for start in range(len(items)):
        count = 0
        while _is_row(items, start + 4 * count, layout):
            count += 1
        closing = _is_pair(items, start + 4 * count)
        if count >= 2 or (count == 1 and closing):
            return start, count, closing
    return None


def _is_row(items: list[_Item], k: int, layout: list[str]) -> bool:
    """items[k:k+4] read as a row's values in `layout` order: target and actual any short value,
    weight and score numbers with 0 ≤ score ≤ weight ≤ 100."""
    if k + 4 > len(items):
        return False
    cells = dict(zip(layout, items[k : k + 4], strict=True))
    if not (_is_cell_value(cells["target"]) and _is_cell_value(cells["actual"])):
        return False
    return _weighs(cells["weight"], cells["score"])


def _is_cell_value(item: _Item) -> bool:
    return item.kind in ("number", "value") or (item.kind == "text" and len(item.text) <= _MAX_VALUE_CHARS)


def _is_pair(items: list[_Item], k: int) -> bool:
    """items[k], items[k+1] read as the 总分 row's weight and score."""
    return k + 2 <= len(items) and _weighs(items[k], items[k + 1])


def _weighs(weight: _Item, score: _Item) -> bool:
    """A weight and its score: plain numbers with 0 ≤ score ≤ weight ≤ 100."""
    if (
        weight.kind != "number"
        or score.kind != "number"
        or weight.text != _digits(weight)
        or score.text != _digits(score)
    ):
        return False
    return 0 < _value(weight) <= MAX_WEIGHT and 0 <= _value(score) <= _value(weight)


def _adds_up(
    rows: list[tuple[_Item, _Item, _Item, _Item]], pair: tuple[_Item, _Item] | None, funds: _Funds | None
) -> bool:
    """The rows' weights and scores, with the funds row's, make the total row's at its printed
    precision (without a total row: the weights make 100)."""
    weight = sum(_value(row[2]) for row in rows)
    score = sum(_value(row[3]) for row in rows)
    if funds is not None and "weight" in funds.values:
        weight += _value(funds.values["weight"])
        score += _value(funds.values["score"])
    if pair is None:
        return abs(weight - 100) < 1e-6
    return abs(weight - _value(pair[0])) < 1e-6 and agrees(score, Piece((0, 0), pair[1].text))


def _zone_end(items: list[_Item], label: _Item | None) -> int:
    """Items up to the 总分 label belong to the form, and the template words right after it (a
    folio, a header title printed last); what follows is the text after the form."""
    if label is None:
        return len(items)
    k = items.index(label) + 1
    while k < len(items) and items[k].kind in ("header", "folio"):
        k += 1
    return k


def _names(items: list[_Item]) -> list[_Item]:
    """The 三级指标 names: free text between the template's words, a single character printed
    right after a name (its wrapped last character) joined to it, other single characters left out."""
    names: list[_Item] = []
    previous: _Item | None = None
    for item in items:
        if item.kind == "text" and len(item.text) == 1 and previous is not None and names and names[-1] is previous:
            names[-1] = _Item("text", previous.start, item.end, previous.text + item.text)
            previous = names[-1]
            continue
        if item.kind == "text" and len(item.text) >= 2 and any("\u4e00" <= ch <= "\u9fff" for ch in item.text):
            names.append(item)
        previous = item
    return names


def _parent(level2: _Item | None, level1: list[_Item]) -> _Item | None:
    """The level-1 name a level-2 name stands under, among the level-1 names printed in the form."""
    if level2 is None:
        return None
    for families, prefixes in LEVEL2_PARENTS:
        if any(level2.text.startswith(p) for p in prefixes):
            found = next((it for it in level1 if it.text.startswith(families)), None)
            if found is not None:
                return found
    return None


# --------------------------------------------------------------------------- header block and grid


def _project_name(items: list[_Item]) -> tuple[_Item, _Item] | None:
    """The 项目名称 label and the name. A header block that prints its values before their labels
    (free text first after the title) has the name before the label; else it follows the label."""
    k = next((k for k, it in enumerate(items) if it.kind == "header" and it.text.rstrip(":：") == _NAME_LABEL), None)
    if k is None:
        return None
    lead = next(j for j, it in enumerate(items) if it.kind != "unit")  # 单位：元 under the title
    if items[lead].kind == "text":
        run = _text_run(items, lead)
        return (items[k], run) if run is not None and run.end <= items[k].start and _next(items, run) == k else None
    after = _text_run(items, k + 1)
    return (items[k], after) if after is not None else None


def _next(items: list[_Item], run: _Item) -> int:
    """Index of the first item after `run`."""
    return next((j for j, it in enumerate(items) if it.start >= run.end), len(items))


def _text_run(items: list[_Item], k: int) -> _Item | None:
    """The free-text items from k on, as one item over their span; None when items[k] is not text."""
    j = k
    while j < len(items) and items[j].kind == "text":
        j += 1
    if j == k:
        return None
    return _Item("text", items[k].start, items[j - 1].end, "".join(it.text for it in items[k:j]))


def _grid(
    doc: Document,
    start: int,
    name: tuple[_Item, _Item] | None,
    unit: Span | None,
    funds: _Funds | None,
    header: dict[str, _Item],
    rows: _Rows | None,
) -> Table:
    """One form's grid: name row, funds header and row, indicator header, rows and total row."""
    cells: list[Cell] = []

    def put(r: int, c: int, span: Span) -> None:
        cells.append(Cell(row=r, col=c, text=doc.text[span[0] : span[1]], char_start=span[0], char_end=span[1]))

    if name is not None:
        put(0, 0, name[0].span)
        put(0, 1, name[1].span)
    if unit is not None:
        put(0, 2, unit)
    r = 1
    if funds is not None:
        for c, (key, item) in enumerate(funds.header, start=1):
            put(r, c, item.span)
            if key in funds.values:
                put(r + 1, c, funds.values[key].span)
        if funds.label is not None:
            put(r + 1, 0, funds.label.span)
        r += 2
    if rows is not None:
        columns = {field: c for c, field in enumerate(_FIELDS)}
        for field, item in header.items():
            put(r, columns[field], item.span)
        previous_level1: _Item | None = None
        for k, level3 in enumerate(rows.names):
            r += 1
            if rows.level1[k] is not None and rows.level1[k] is not previous_level1:
                put(r, columns["level1"], rows.level1[k].span)
            previous_level1 = rows.level1[k]
            if rows.level2[k] is not None:
                put(r, columns["level2"], rows.level2[k].span)
            put(r, columns["level3"], level3.span)
            if rows.values:
                for field, item in zip(("target", "actual", "weight", "score"), rows.values[k], strict=True):
                    put(r, columns[field], item.span)
        if rows.total is not None:
            r += 1
            label, weight, score = rows.total
            put(r, 0, label.span)
            put(r, columns["weight"], weight.span)
            put(r, columns["score"], score.span)
    end = max(c.char_end or 0 for c in cells)
    n_cols = max(len(_FIELDS), 1 + len(funds.header) if funds else 0, 3)
    return Table(index=0, n_rows=r + 1, n_cols=n_cols, cells=cells, char_start=start, char_end=end)


def _indicator_header(items: list[_Item]) -> dict[str, _Item]:
    """Each indicator field's first header word in the zone."""
    header: dict[str, _Item] = {}
    for item in items:
        if item.kind != "header":
            continue
        found = header_field(item.text)
        if found is not None and found[0] in _FIELDS:
            header.setdefault(found[0], item)
    return header
