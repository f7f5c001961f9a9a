"""Forms flattened into text with separators → table rows whose cells are character spans.

Web pages and converted files print the national forms (项目支出绩效自评表, 部门整体支出绩效自评表)
in three flattened layouts besides the tab layouts of `text.py`:

* pipe rows: one row per line, cells separated by pipes (`产出指标 | 产出数量 | … | 12500名 |`,
  an empty merged cell is `| |`);
* pipe cells: one cell per line, each line ending with a pipe (`序号 |`); the row width is the
  header's, a lone `|` line between rows is a separator;
* space rows: one row per line, cells separated by spaces, a header line followed by value
  lines, rows split by blank lines, vertical labels one fragment per line (`一级\\n指标`,
  `经济效益\\n指标`, `(50分)`).

Space rows are only read inside a form, found by the template's words (extract/vocabulary.py):
the funds header (年初预算数 全年执行数 …) and its rows, the indicator header (三级指标 指标值 …)
and its rows, the header block lines before them (项目名称 X 主管部门 Y). Indicator value lines are
fitted to the header's columns by the level-1/level-2 names they start with; a line whose cells
cannot be fitted without guessing is left out (a miss is better than a wrong value).

Every cell is a span of the unchanged text; an empty or missing cell is None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.normalize import to_simplified
from extract.vocabulary import (
    DETAIL_MONEY_COLUMN,
    FUNDS_COLUMNS,
    FUNDS_GENERIC_TOTAL,
    FUNDS_ROW_LABELS,
    FUNDS_SUBROW_LABELS,
    FUNDS_SUBROW_PREFIX,
    HEADER_LINE_LABELS,
    INDICATOR_COLUMNS,
    INDICATOR_OTHER_COLUMNS,
    INDICATOR_SIDE_LABEL,
    INDICATOR_UNIT_COLUMN,
    LEVEL1_NAME,
    LEVEL2_NAME,
    LEVEL3_NUMBERING,
    PLACEHOLDER_CELL,
    PROJECT_FORM_TITLE,
    PROJECT_LIST_COLUMNS,
    TABLE_START_CELL,
    TARGET_OPERATOR,
    TOTAL_ROW,
    WEIGHT_ANNOTATION,
)

Span = tuple[int, int]
Row = list[Span | None]

_AMOUNT_KEYS = ("initial_budget", "full_year_budget", "executed")
_SECTION_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_NUMBER_LIKE = re.compile(r"-?\d[\d.,]*%?")
_VALUE = re.compile(r"^[≥≤><=＞＜]?\d[\d.,]*(?:%|\S{0,3})$")  # a value cell, never a level-3 name
_MAX_GAP = 8  # non-row lines tolerated inside a form before it is taken to have ended
_MAX_LOOKBACK = 12  # lines searched above a form header for its header block


@dataclass
class FlatTable:
    """Rows of one flattened table; a cell is a span of the text or None (empty)."""

    rows: list[Row]

    @property
    def start(self) -> int:
        return min(span[0] for row in self.rows for span in row if span)

    @property
    def end(self) -> int:
        return max(span[1] for row in self.rows for span in row if span)


@dataclass
class _Line:
    start: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    def tokens(self) -> list[Span]:
        """Runs of non-blank characters (cells of a space row)."""
        return [(self.start + m.start(), self.start + m.end()) for m in re.finditer(r"\S+", self.text)]


def find_flat_tables(text: str, taken: list[Span]) -> list[FlatTable]:
    """Pipe and space tables of `text` outside the `taken` spans (tables already recovered).
    Words are matched in Simplified characters (a Traditional printing converts to the same length)."""
    text = to_simplified(text)
    lines, pos = [], 0
    for part in text.split("\n"):
        lines.append(_Line(pos, part))
        pos += len(part) + 1
    free = [not any(s <= line.start < e for s, e in taken) and "\t" not in line.text for line in lines]
    tables = _pipe_row_tables(text, lines, free) + _pipe_cell_tables(text, lines, free)
    for table in tables:
        for k, line in enumerate(lines):
            if table.start <= line.start + len(line.text) and line.start <= table.end:
                free[k] = False
    return sorted(tables + _space_forms(text, lines, free), key=lambda t: t.start)


def _strip(text: str, start: int, end: int) -> Span | None:
    """The span without surrounding blanks; None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _at(text: str, span: Span | None) -> str:
    """A cell's text with all whitespace removed ('' for an empty cell)."""
    return re.sub(r"\s+", "", text[span[0] : span[1]]) if span else ""


# --------------------------------------------------------------------------- header words


def _indicator_field(word: str) -> str | None:
    """The indicator field a header cell names (`other` for columns that are none of them)."""
    if INDICATOR_UNIT_COLUMN in word:
        return "unit"
    if any(w in word for w in INDICATOR_OTHER_COLUMNS):
        return "other"
    return next((name for name, words in INDICATOR_COLUMNS if any(w in word for w in words)), None)


def _funds_field(word: str) -> str | None:
    return next((key for w, key in FUNDS_COLUMNS if w in word), None)


def _is_indicator_header(words: list[str]) -> bool:
    fields = [_indicator_field(w) for w in words]
    return "level3" in fields and ("target" in fields or "actual" in fields)


def _is_funds_header(words: list[str]) -> bool:
    keys = {_funds_field(w) for w in words} - {None}
    return len(keys) >= 2 and bool(keys & set(_AMOUNT_KEYS)) and not _is_indicator_header(words)


def _is_project_list_header(words: list[str]) -> bool:
    fields = {next((f for f, ws in PROJECT_LIST_COLUMNS if any(w in word for w in ws)), None) for word in words}
    return "name" in fields and bool(fields & {"budget", "executed", "score"}) and len(words) >= 3


def _is_money_detail_header(words: list[str]) -> bool:
    """序号 | 培训机构 | … | 补助资金: a table itemising money (extract/money_table.py)."""
    return (
        len(words) >= 3 and bool(TABLE_START_CELL.match(words[0])) and any(DETAIL_MONEY_COLUMN.search(w) for w in words)
    )


def _is_header(words: list[str]) -> bool:
    """A row naming the columns of an indicator table, a funds block, a project list or a money detail table."""
    words = [w for w in words if w]
    return (
        _is_indicator_header(words)
        or _is_funds_header(words)
        or _is_project_list_header(words)
        or _is_money_detail_header(words)
    )


# --------------------------------------------------------------------------- pipe rows


def _pipe_parts(text: str, line: _Line) -> list[Span | None]:
    """The cells of a pipe line: the text between pipes; the last pipe closes the row."""
    body = line.text.rstrip()
    cells, pos = [], line.start
    for piece in body.split("|")[:-1]:
        cells.append(_strip(text, pos, pos + len(piece)))
        pos += len(piece) + 1
    return cells


def _is_pipe_row(line: _Line) -> bool:
    body = line.text.rstrip()
    return body.endswith("|") and body.count("|") >= 2


def _pipe_row_tables(text: str, lines: list[_Line], free: list[bool]) -> list[FlatTable]:
    """Runs of pipe-row lines, split where the row width changes; kept when a row is a header."""
    tables: list[FlatTable] = []
    k = 0
    while k < len(lines):
        if not (free[k] and _is_pipe_row(lines[k])):
            k += 1
            continue
        group: list[_Line] = []
        while k < len(lines) and free[k] and (_is_pipe_row(lines[k]) or lines[k].blank):
            if not lines[k].blank and not re.fullmatch(r"[\s|:\-]+", lines[k].text):
                group.append(lines[k])
            k += 1
        bordered = all(line.text.lstrip().startswith("|") for line in group)
        rows = [_pipe_parts(text, line)[1 if bordered else 0 :] for line in group]
        tables.extend(_split_by_width(text, rows))
    return tables


def _split_by_width(text: str, rows: list[Row]) -> list[FlatTable]:
    """Consecutive rows of one width form a table (a 序号 row starts a new one); a table without
    a header row is dropped. A form printed with its merged cells left out (rows of every width)
    is one table from its header block (项目名称 | X) on, when a funds or indicator header follows."""
    form = _form_start(text, rows)
    if form is not None:
        return [*_split_by_width(text, rows[:form]), FlatTable(rows[form:])]
    tables: list[FlatTable] = []
    start = 0
    for r in range(1, len(rows) + 1):
        if r == len(rows) or len(rows[r]) != len(rows[start]) or TABLE_START_CELL.match(_at(text, rows[r][0])):
            part = rows[start:r]
            if len(part) >= 2 and any(_is_header([_at(text, c) for c in row]) for row in part):
                tables.append(FlatTable(part))
            start = r
    return tables


def _form_start(text: str, rows: list[Row]) -> int | None:
    """The first row of a form's header block (its first cell a header label: 项目名称, 单位名称 …)
    followed by a funds or indicator header in rows of other widths; None when there is none."""
    for r, row in enumerate(rows):
        first = next((_at(text, c) for c in row if c), "")
        if first.rstrip(":：") not in HEADER_LINE_LABELS:
            continue
        ragged = len({len(other) for other in rows[r:]}) > 1
        if ragged and any(_is_header([_at(text, c) for c in other]) for other in rows[r + 1 :]):
            return r
    return None


# --------------------------------------------------------------------------- pipe cells


def _is_pipe_cell(line: _Line) -> bool:
    body = line.text.rstrip()
    return body.endswith("|") and body.count("|") == 1


def _pipe_cell_tables(text: str, lines: list[_Line], free: list[bool]) -> list[FlatTable]:
    """Runs of one-cell-per-line pipe lines, folded into rows of the header's width."""
    tables: list[FlatTable] = []
    k = 0
    while k < len(lines):
        if not (free[k] and _is_pipe_cell(lines[k])):
            k += 1
            continue
        cells: list[Span | None] = []
        while k < len(lines) and free[k] and (_is_pipe_cell(lines[k]) or lines[k].blank):
            if not lines[k].blank:
                cells.append(_pipe_parts(text, lines[k])[0])
            k += 1
        table = _fold_cells(text, cells)
        if table is not None:
            tables.append(table)
    return tables


def _fold_cells(text: str, cells: list[Span | None]) -> FlatTable | None:
    """The header is the leading run of label cells (up to an empty cell, a number or a level-1
    name); the other cells fill rows of its width, an empty cell at a row start is a separator."""
    width = 0
    while width < len(cells) and cells[width] and not _starts_data(_at(text, cells[width])):
        width += 1
    header = cells[:width]
    if width < 3 or not _is_header([_at(text, c) for c in header]):
        return _fold_form(text, cells)
    rows: list[Row] = [header]
    row: Row = []
    for cell in cells[width:]:
        if not row and cell is None:
            continue
        row.append(cell)
        if len(row) == width:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return FlatTable(rows) if len(rows) >= 2 else None


def _fold_form(text: str, cells: list[Span | None]) -> FlatTable | None:
    """A whole form printed one cell per line, its rows of several widths: the header block's
    labels each start a row with their value; each funds or indicator header starts a block whose
    rows are as wide as the header and the label columns before its first row's label (年度资金总额
    under 年初预算数 …, or the side label 绩效指标 before 一级指标). None without such a header."""
    rows: list[Row] = []
    i = used = 0  # the next cell; the first cell not in a row
    found = False
    while i < len(cells):
        header = _header_run(text, cells, i)
        if header is None:
            word = _at(text, cells[i])
            if _header_label(word) == word.rstrip(":：") and i + 1 < len(cells):
                rows.append([cells[i], cells[i + 1]])
                i = used = i + 2
            else:
                i += 1
            continue
        found = True
        start, end, kind = header
        i = used = _fold_block(text, cells, start, end, kind, rows, used)
    return FlatTable(rows) if found and len(rows) >= 2 else None


def _header_run(text: str, cells: list[Span | None], i: int) -> tuple[int, int, str] | None:
    """(start, end, kind) of a funds or indicator header whose cells begin at i: the run of cells
    naming columns (an indicator header's side label 绩效指标 included)."""
    end = i
    while end < len(cells) and cells[end]:
        word = _at(text, cells[end])
        side = end == i and bool(INDICATOR_SIDE_LABEL.match(word))
        if not (side or _indicator_field(word) or _funds_field(word)):
            break
        end += 1
    words = [_at(text, c) for c in cells[i:end]]
    if end - i < 3:
        return None
    if _is_indicator_header(words):
        return i, end, "indicators"
    if _is_funds_header(words):
        return i, end, "funds"
    return None


def _fold_block(
    text: str, cells: list[Span | None], start: int, end: int, kind: str, rows: list[Row], free: int
) -> int:
    """Rows of one block after its header cells[start:end]; returns the index after its last row.
    The header row's label cells (项目资金(元)) are the cells before it, from `free` on. A funds
    row must carry a funds label in its label column; an indicator row must hold numbers (or
    nothing) under 分值 / 得分, and the block ends with its 总分 row."""
    header = cells[start:end]
    offset = 0
    if kind == "funds":
        label = next((p for p in range(end, min(len(cells), end + 3)) if _is_funds_label(_at(text, cells[p]))), None)
        if label is None:
            return end
        offset = label - end + 1  # label columns before the first amount column
    width = offset + len(header)
    fields = [None] * offset + [_indicator_field(_at(text, c)) for c in header]
    before = cells[start - offset : start] if start - offset >= free else [None] * offset
    rows.append([*before, *header])
    k = end
    while k + width <= len(cells):
        row = cells[k : k + width]
        words = [_at(text, c) for c in row]
        first = next((w for w in words if w), "")
        if kind == "funds" and not _is_funds_label(words[offset - 1]):
            break
        if kind == "indicators" and not _fits_indicator_columns(words, fields):
            break
        rows.append(row)
        k += width
        if kind == "indicators" and TOTAL_ROW.match(first):
            break
    return k


def _fits_indicator_columns(words: list[str], fields: list[str | None]) -> bool:
    """An indicator row in the header's columns: not a header-block line or another header, and
    numbers (or nothing, or a placeholder) under 分值 / 得分."""
    first = next((w for w in words if w), "")
    if not first or _header_label(first) or _is_header(words):
        return False
    return all(
        not word or _NUMBER.fullmatch(word.removesuffix("分")) or PLACEHOLDER_CELL.match(word)
        for word, field in zip(words, fields, strict=True)
        if field in ("weight", "score")
    )


def _is_funds_label(word: str) -> bool:
    """A funds-block row label: 年度资金总额, 其中：财政拨款, 其他资金 …"""
    word = FUNDS_SUBROW_PREFIX.sub("", word)
    return any(w in word for w in FUNDS_ROW_LABELS) or any(word.startswith(w) for w in FUNDS_SUBROW_LABELS)


def _starts_data(word: str) -> bool:
    return bool(_NUMBER_LIKE.fullmatch(word)) or bool(LEVEL1_NAME.match(word))


# --------------------------------------------------------------------------- space rows


def _space_forms(text: str, lines: list[_Line], free: list[bool]) -> list[FlatTable]:
    """Forms printed as space-separated rows, found by their funds and indicator headers."""
    tables: list[FlatTable] = []
    k = 0
    while k < len(lines):
        if not (free[k] and _header_kind(text, lines[k])):
            k += 1
            continue
        first = _block_start(text, lines, free, k)
        rows: list[Row] = []
        between = [line for line in lines[first:k] if not line.blank]
        while True:
            kind = _header_kind(text, lines[k])
            if kind == "funds":
                rows.extend(_plain_row(text, line) for line in between)
                k = _read_funds(text, lines, free, k, rows)
            else:
                fragments = _header_fragments(text, between)
                rows.extend(_plain_row(text, line) for line in between[: len(between) - len(fragments)])
                k = _read_indicators(text, lines, free, k, fragments, rows)
            nxt = _next_header(text, lines, free, k)
            if nxt is None:
                break
            between = [line for line in lines[k:nxt] if not line.blank]
            k = nxt
        rows = [row for row in rows if any(row)]
        if rows:
            tables.append(FlatTable(rows))
    return tables


def _header_kind(text: str, line: _Line) -> str | None:
    """'funds' or 'indicators' for a space-separated header line of a form, else None."""
    if "|" in line.text:
        return None
    tokens = line.tokens()
    words = [_at(text, t) for t in tokens]
    if len(words) < 3 or max(len(w) for w in words) > 20 or any(_NUMBER_LIKE.fullmatch(w) for w in words):
        return None
    if any(re.search(r"[,，。;；]", w) for w in words):
        return None
    named = [w for w in words if _indicator_field(w) or _funds_field(w)]
    if 2 * len(named) < len(words):
        return None
    if _is_indicator_header(words):
        return "indicators"
    if _is_funds_header(words):
        return "funds"
    return None


def _block_start(text: str, lines: list[_Line], free: list[bool], k: int) -> int:
    """The first header-block line (项目名称 …, 单位名称 …) within a few lines above line k."""
    first, seen, j = k, 0, k - 1
    while j >= 0 and free[j] and seen < _MAX_LOOKBACK:
        if not lines[j].blank:
            seen += 1
            words = _at(text, (lines[j].start, lines[j].start + len(lines[j].text)))
            if PROJECT_FORM_TITLE.search(words) or "自评表" in words or _header_kind(text, lines[j]):
                break
            if _header_label(words):
                first = j
        j -= 1
    return first


def _header_label(word: str) -> str | None:
    return next((label for label in HEADER_LINE_LABELS if word.startswith(label)), None)


def _next_header(text: str, lines: list[_Line], free: list[bool], k: int) -> int | None:
    """The next header line of the same form within a few non-blank lines after line k."""
    seen = 0
    while k < len(lines) and free[k] and seen <= _MAX_GAP:
        if _header_kind(text, lines[k]):
            return k
        if not lines[k].blank:
            words = _at(text, (lines[k].start, lines[k].start + len(lines[k].text)))
            if _SECTION_HEADING.match(words) or PROJECT_FORM_TITLE.search(words):
                return None
            seen += 1
        k += 1
    return None


def _plain_row(text: str, line: _Line) -> Row:
    """A header-block line split at its labels (项目名称 | X | 主管部门 | Y); other lines by spaces."""
    tokens = line.tokens()
    words = [_at(text, t) for t in tokens]
    if not words or not _header_label(words[0]):
        return list(tokens)
    row: Row = []
    value: list[Span] = []
    tokens = _split_labelled(text, tokens)
    for token in tokens:
        word = _at(text, token)
        label = _header_label(word)
        if label and len(word) <= len(label) + 6:
            if row:
                row.append((value[0][0], value[-1][1]) if value else None)
            row.append(token)
            value = []
        else:
            value.append(token)
    row.append((value[0][0], value[-1][1]) if value else None)
    return row


def _split_labelled(text: str, tokens: list[Span]) -> list[Span]:
    """'项目名称：X' written as one token → the label and its value as two."""
    out: list[Span] = []
    for start, end in tokens:
        m = re.match(r"(\S+?[:：])(\S+)$", text[start:end])
        if m and _header_label(m.group(1)):
            out += [(start, start + m.end(1) - 1), (start + m.end(1), end)]
        else:
            out.append((start, end))
    return out


# --------------------------------------------------------------------------- funds block


def _read_funds(text: str, lines: list[_Line], free: list[bool], k: int, rows: list[Row]) -> int:
    """The funds header at line k and the funds rows under it; returns the line after them."""
    header = lines[k].tokens()
    offset = 1 if _funds_field(_at(text, header[0])) else 0  # the label column has no header word
    rows.append([None] * offset + list(header))
    last_value = max(
        (
            c + offset
            for c, t in enumerate(header)
            if _funds_field(_at(text, t)) in (*_AMOUNT_KEYS, "execution_rate_pct")
        ),
        default=offset,
    )
    k += 1
    while k < len(lines) and free[k]:
        if lines[k].blank:
            k += 1
            continue
        tokens = lines[k].tokens()
        words = [_at(text, t) for t in tokens]
        if len(words) >= 2 and FUNDS_SUBROW_PREFIX.fullmatch(words[0]):
            tokens = [(tokens[0][0], tokens[1][1]), *tokens[2:]]
            words = [words[0] + words[1], *words[2:]]
        label = words[0]
        if not (
            any(w in label for w in FUNDS_ROW_LABELS)
            or FUNDS_SUBROW_PREFIX.match(label)
            or any(label.startswith(w) for w in FUNDS_SUBROW_LABELS)  # 其中：财政拨款, 其他资金 …
            or FUNDS_GENERIC_TOTAL.match(label)
        ):
            break
        # a row short of the header's amount columns has lost cells: its numbers cannot be placed
        rows.append(list(tokens) if len(tokens) > last_value or len(tokens) == 1 else [tokens[0]])
        k += 1
    return k


# --------------------------------------------------------------------------- indicator block


def _header_fragments(text: str, before: list[_Line]) -> list[_Line]:
    """Single-fragment lines right above an indicator header that spell its first header words
    (一级\\n指标\\n二级\\n指标); [] when they do not."""
    tail: list[_Line] = []
    for line in reversed(before):
        if len(line.tokens()) != 1:
            break
        tail.insert(0, line)
    while tail:
        joined = "".join(_at(text, line.tokens()[0]) for line in tail)
        words = re.findall(r".+?指标", joined)
        if words and "".join(words) == joined and all(_indicator_field(w) in ("level1", "level2") for w in words):
            return tail
        tail = tail[1:]
    return []


def _join_header_fragments(text: str, fragments: list[_Line]) -> list[Span]:
    """One header cell per header word spelled by the fragments."""
    cells: list[Span] = []
    acc: list[Span] = []
    for line in fragments:
        acc.append(line.tokens()[0])
        word = "".join(_at(text, s) for s in acc)
        if word.endswith("指标"):
            cells.append((acc[0][0], acc[-1][1]))
            acc = []
    return cells


def _read_indicators(
    text: str, lines: list[_Line], free: list[bool], k: int, fragments: list[_Line], rows: list[Row]
) -> int:
    """The indicator header at line k and its value lines; returns the line after the last row."""
    header: Row = [*_join_header_fragments(text, fragments), *lines[k].tokens()]
    fields = [_indicator_field(_at(text, c)) for c in header]
    rows.append(header)
    pending: list[Span] = []  # single-fragment lines: vertical labels or notes
    last: tuple[list[tuple[str, Span]], list[Span]] | None = None  # the row above, while it has no values
    gap = 0
    k += 1
    while k < len(lines) and free[k] and gap <= _MAX_GAP:
        line = lines[k]
        k += 1
        if line.blank:
            continue
        tokens = line.tokens()
        words = [_at(text, t) for t in tokens]
        if (
            _header_kind(text, line)
            or _SECTION_HEADING.match(words[0])
            or PROJECT_FORM_TITLE.search(words[0])
            or _header_label(words[0])
        ):
            k -= 1
            break
        if total := _total_label(words):
            rows.append([(tokens[0][0], tokens[total - 1][1]), *tokens[total:]])
            break
        if all(PLACEHOLDER_CELL.match(w) for w in words):
            pending, gap = [], gap + 1
            continue
        if len(tokens) == 1:  # a vertical label fragment, a note, or a name cut by the excerpt's end
            pending.append(tokens[0])
            gap += 1
            continue
        if _VALUE.match(words[0]) and last is not None:
            # the values of the row above, printed on the next line ('培训人数' / '500人 520人 10 10')
            row = _fit_row(text, last[0], [*last[1], *tokens], fields)
            if row is not None:
                rows[-1], last, gap = row, None, 0
                continue
        labels = _labels(text, pending)[0]
        row = _fit_row(text, labels, tokens, fields)
        pending = []
        if row is None:
            gap += 1
            continue
        rows.append(row)
        valueless = not any(row[fields.index("level3") + 1 :])
        last, gap = ((labels, tokens) if valueless else None), 0
    if pending:  # the excerpt ends inside a row: labels and the level-3 name are kept
        labels, leftover = _labels(text, pending)
        if labels and len(leftover) == 1 and leftover[0][0] > labels[-1][1][1]:
            row = _fit_row(text, labels, [leftover[0]], fields)
            if row is not None:
                rows.append(row)
    return k


def _total_label(words: list[str]) -> int:
    """How many leading words spell the total row's label (总分, or 总 分 spaced apart); 0 if none."""
    for n in range(1, min(len(words), 3) + 1):
        joined = "".join(words[:n])
        if TOTAL_ROW.match(joined) and (n == 1 or len(joined) <= 4):
            return n
    return 0


def _label_kind(word: str) -> str | None:
    """level1 / level2 / weight for a level label ('产出指标(50分)', '数量指标', '(30分)'), else None."""
    if WEIGHT_ANNOTATION.match(word):
        return "weight"
    name = re.sub(r"[（(]\d+(?:\.\d+)?分?[)）]$", "", word)
    if LEVEL2_NAME.match(name):
        return "level2"
    if LEVEL1_NAME.fullmatch(name):
        return "level1"
    return None


def _labels(text: str, fragments: list[Span]) -> tuple[list[tuple[str, Span]], list[Span]]:
    """Join vertical label fragments (longest first) into labels; the fragments left over."""
    labels: list[tuple[str, Span]] = []
    leftover: list[Span] = []
    i = 0
    while i < len(fragments):
        for j in range(min(len(fragments), i + 4), i, -1):
            kind = _label_kind("".join(_at(text, f) for f in fragments[i:j]))
            if kind:
                labels.append((kind, (fragments[i][0], fragments[j - 1][1])))
                i = j
                break
        else:
            leftover.append(fragments[i])
            i += 1
    return labels, leftover


def _fit_row(text: str, labels: list[tuple[str, Span]], tokens: list[Span], fields: list[str | None]) -> Row | None:
    """One indicator row in the header's columns: level labels (pending and leading), the level-3
    name, then the values left to right; None when the values do not fit the columns."""
    tokens = _join_operators(text, [t for t in tokens if not INDICATOR_SIDE_LABEL.match(_at(text, t))])
    labels = list(labels)
    while tokens and len(labels) < 3 and _label_kind(_at(text, tokens[0])):
        labels.append((_label_kind(_at(text, tokens[0])) or "", tokens.pop(0)))
    labels = _attach_weights(labels)
    if not tokens or "level3" not in fields:
        return None
    row: Row = [None] * len(fields)
    if not _place_labels(labels, fields, row):
        return None
    name = _strip_numbering(text, tokens[0])
    values = tokens[1:]
    if (
        name is None
        or _VALUE.match(_at(text, name))
        or (PLACEHOLDER_CELL.match(_at(text, name)) and all(PLACEHOLDER_CELL.match(_at(text, v)) for v in values))
    ):
        return None
    row[fields.index("level3")] = name
    rest = list(range(fields.index("level3") + 1, len(fields)))
    fitted = _fit_values(text, values, [fields[c] for c in rest])
    if fitted is None:
        return None
    for c, span in zip(rest, fitted, strict=True):
        row[c] = span
    return row


def _join_operators(text: str, tokens: list[Span]) -> list[Span]:
    """A comparison printed apart from its number ('≥ 50个') is one cell with it."""
    out: list[Span] = []
    for token in tokens:
        if out and TARGET_OPERATOR.match(_at(text, out[-1])):
            out[-1] = (out[-1][0], token[1])
        else:
            out.append(token)
    return out


def _attach_weights(labels: list[tuple[str, Span]]) -> list[tuple[str, Span]]:
    """A weight printed apart after its level name ('产出指标 (50分)') belongs to that label."""
    out: list[tuple[str, Span]] = []
    for kind, span in labels:
        if kind == "weight" and out and out[-1][0] != "weight":
            out[-1] = (out[-1][0], (out[-1][1][0], span[1]))
        else:
            out.append((kind, span))
    return out


def _place_labels(labels: list[tuple[str, Span]], fields: list[str | None], row: Row) -> bool:
    """Put level labels in the level-1 / level-2 columns; False when they cannot be placed."""
    has1, has2 = "level1" in fields, "level2" in fields
    labels = labels[-2:] if has1 and has2 else labels[-1:]
    if len(labels) == 2:
        row[fields.index("level1")], row[fields.index("level2")] = labels[0][1], labels[1][1]
    elif labels:
        kind, span = labels[0]
        column = "level2" if (kind == "level2" and has2) or not has1 else "level1"
        if column not in fields:
            return False
        row[fields.index(column)] = span
    return True


def _strip_numbering(text: str, span: Span) -> Span | None:
    """The level-3 name without its printed numbering ('指标1:', '1.')."""
    m = LEVEL3_NUMBERING.match(text[span[0] : span[1]])
    return _strip(text, span[0] + (m.end() if m else 0), span[1])


def _fit_values(text: str, values: list[Span], fields: list[str | None]) -> list[Span | None] | None:
    """Values left to right over the columns after the level-3 name. A 计量单位 column takes no
    number; columns may stay empty only at the end; surplus words join a final text column;
    分值 / 得分 must be numbers. None when the values do not fit."""
    out: list[Span | None] = []
    i = 0
    for field in fields:
        word = _at(text, values[i]) if i < len(values) else ""
        if not word or (field == "unit" and _NUMBER_LIKE.fullmatch(word)):
            out.append(None)
            continue
        if field in ("weight", "score") and not (
            _NUMBER.fullmatch(word.removesuffix("分")) or PLACEHOLDER_CELL.match(word)
        ):
            return None
        out.append(values[i])
        i += 1
    if i < len(values):
        if not fields or fields[-1] not in ("deviation_reason", "other") or out[-1] is None:
            return None
        out[-1] = (out[-1][0], values[-1][1])
    last = max((c for c, span in enumerate(out) if span), default=-1)
    if any(span is None and fields[c] != "unit" for c, span in enumerate(out) if c < last):
        return None
    return out
