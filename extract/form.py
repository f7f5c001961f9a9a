"""The 年度预算申请 block of a self-evaluation form → budget amounts and the 预算执行 section.

Read from form tables:

* the funds row (年度资金总额 / 资金总额 / 部门整体支出总额) under a header of 年初预算数, 全年预算数,
  全年执行数 / 执行数, 执行率, 分值, 得分 — columns found by keyword; a value labelled inside its
  own cell ("资金总额：14623.09 万元") is read too;
* a generic total (合计) right under a funds header is the funds row too; a funds block printed in
  元 (单位：元, 项目资金(元)) is stored in 万元 (Number scale 1e-4); funding-source rows under the
  funds row (其中：财政拨款, 其他资金 …) restate it column by column and are not splits; a row
  naming a budget source (其中：一般公共预算拨款) gives that income (its budget column);
* labelled splits anywhere in a form table, in the label's cell ("其中：基本支出：1641.76",
  "政府性基金拨款：105.29") or in the next cell ("基本支出总额（万无） | 2698.55").
"""

from __future__ import annotations

import re

from extract.cells import cell_number, clean, split_weight, words
from extract.numbers import MONEY_SCALE, find_numbers, money, to_number
from extract.prov import cell_prov
from extract.vocabulary import (
    FORM_UNIT,
    FUNDS_COLUMNS,
    FUNDS_GENERIC_TOTAL,
    FUNDS_ROW_LABELS,
    FUNDS_SUBROW_LABELS,
    FUNDS_SUBROW_PREFIX,
    INDICATOR_OTHER_COLUMNS,
    SOURCE_INCOMES,
)
from pipeline.models import Amount, Cell, Document, SectionScore, Table

BUDGET_SECTION = "预算执行"

_FUNDS_ROW_RE = re.compile("|".join(FUNDS_ROW_LABELS))
_INLINE_TOTAL_RE = re.compile(r"^(?:年度)?资金总额[:：]")
_AMOUNT_KEYS = ("initial_budget", "full_year_budget", "executed")

# label -> amount key; a split is 'label：number' in one cell or a label cell followed by a number cell.
SPLIT_LABELS: tuple[tuple[str, str], ...] = (
    (r"一般公共预算(?:财政)?(?:拨款)?(?:收入)?", "income_general_public"),
    (r"政府性基金(?:预算)?(?:财政)?(?:拨款)?(?:收入)?", "income_gov_fund"),
    (r"纳入专户管理的非税收入(?:拨款)?", "income_special_account_nontax"),
    (r"上级(?:财政)?补助(?:收入)?", "income_superior_subsidy"),
    (r"其他资金|其他收入", "income_other_funds"),
    (r"基本支出(?:总额)?", "basic_expenditure"),
    (r"项目支出(?:总额)?", "project_expenditure"),
)
_PREFIX = r"^(?:其中[:：]\s*)?"
_UNIT_NOTE = r"(?:[（(][^）)]*[）)])?"


#: A form table's funds-row amounts and its 预算执行 section.
Funds = tuple[list[Amount], SectionScore | None]


def extract_form_amounts(doc: Document, skip: set[int]) -> tuple[list[Amount], list[SectionScore]]:
    """Budget amounts of every form table (but those in `skip`), and the 预算执行 section."""
    amounts: list[Amount] = []
    sections: list[SectionScore] = []
    for table in doc.tables:
        if table.index in skip:
            continue
        funds = funds_amounts(doc, table)
        if funds is None:
            continue
        found, section = funds
        amounts.extend(found)
        if section is not None:
            sections.append(section)
        amounts.extend(_splits(doc, table, skip_rows=_funds_block_rows(table)))
        amounts.extend(_source_incomes(doc, table))
    return amounts, sections


def _source_incomes(doc: Document, table: Table) -> list[Amount]:
    """The income of a funding source whose row under the funds row names a budget source
    (其中：一般公共预算拨款): its budget, in the 全年预算数 column, else the 年初预算数 one."""
    found = _funds_row(table)
    if found is None:
        return []
    _, _, header_row, columns = found
    by_key = {key: c for c, key in columns.items()}
    budget_col = by_key.get("full_year_budget", by_key.get("initial_budget"))
    if budget_col is None:
        return []
    grid = table.grid()
    scale = MONEY_SCALE["元"] if _in_yuan(doc, table, header_row) else 1.0
    amounts: list[Amount] = []
    for r in sorted(_funds_block_rows(table)):
        label_cell, cell = grid[r][0], grid[r][budget_col]
        label = FUNDS_SUBROW_PREFIX.sub("", words(label_cell.text)) if label_cell else ""
        key = next((k for word, k in SOURCE_INCOMES if word in label), None)
        number = cell_number(cell.text) if cell is not None and cell is not label_cell else None
        if key is not None and number is not None:
            amounts.append(_amount(doc, table, cell, key, to_number(number, scale), "万元", label=label))
    return amounts


def funds_amounts(doc: Document, table: Table) -> Funds | None:
    """The funds row of a form table (年度资金总额 under its header) and the 预算执行 section, or None."""
    found = _funds_row(table)
    if found is None:
        return None
    r, label_col, header_row, columns = found
    grid = table.grid()
    scale = MONEY_SCALE["元"] if _in_yuan(doc, table, header_row) else 1.0
    return _read_funds(doc, table, grid[r], label_col, columns, grid[header_row], scale)


def funds_columns(table: Table) -> set[str]:
    """The keys the header over the table's funds row names (年初预算数 → initial_budget …); empty
    where the table has no funds row."""
    found = _funds_row(table)
    return set(found[3].values()) if found is not None else set()


def _funds_row(table: Table) -> tuple[int, int, int, dict[int, str]] | None:
    """(row, label column, header row, header columns) of the table's funds row, or None. A
    generic total label (合计) is the funds row only right under a header naming amounts."""
    grid = table.grid()
    for r, row in enumerate(grid):
        if r == 0:
            continue
        texts = [words(cell.text) if cell else "" for cell in row]
        label_col = next((c for c, text in enumerate(texts) if _FUNDS_ROW_RE.search(text)), None)
        generic = label_col is None and bool(texts) and bool(FUNDS_GENERIC_TOTAL.match(texts[0]))
        if label_col is None and not generic:
            continue
        header = _funds_header(grid, r)
        if header is None:
            continue
        header_row, columns = header
        if generic and (header_row != r - 1 or not set(columns.values()) & set(_AMOUNT_KEYS)):
            continue
        return r, label_col or 0, header_row, columns
    return None


def _in_yuan(doc: Document, table: Table, header_row: int) -> bool:
    """Whether the funds block prints 元 (单位：元, 项目资金(元)), not 万元: the last unit statement
    above the table (within a few lines), in the text the table covers before its funds header, or
    in its rows down to the funds header decides."""
    start = table.char_start
    header = [c.char_start for c in table.cells if c.row == header_row and c.char_start is not None]
    upto = min(header) if header and start is not None and min(header) >= start else start
    above = doc.text[max(0, start - 200) : upto] if start is not None else ""
    rows = " ".join(c.text for c in sorted(table.cells, key=lambda c: (c.row, c.col)) if c.row <= header_row)
    units = [a or b for a, b in FORM_UNIT.findall(words(above + rows))]
    return bool(units) and units[-1] == "元"


def _funds_block_rows(table: Table) -> set[int]:
    """The funds row and the sub-rows under it (其中：财政拨款, 其他资金 …) whose values stand in
    the header's columns; their numbers are read by column, not as labelled splits."""
    found = _funds_row(table)
    if found is None:
        return set()
    r, _, _, _ = found
    rows: set[int] = set()
    for k, row in enumerate(table.grid()[r + 1 :], start=r + 1):
        distinct = [cell for c, cell in enumerate(row) if cell and (c == 0 or row[c - 1] is not cell)]
        first = FUNDS_SUBROW_PREFIX.sub("", words(distinct[0].text)) if distinct else ""
        if not any(first.startswith(w) for w in FUNDS_SUBROW_LABELS):
            break
        if len(distinct) < 3:
            break
        rows.add(k)
    return rows


def _funds_header(grid: list[list[Cell | None]], r: int) -> tuple[int, dict[int, str]] | None:
    """The closest row above `r` naming at least two funds columns."""
    for h in range(r - 1, -1, -1):
        columns: dict[int, str] = {}
        for c, cell in enumerate(grid[h]):
            text = words(cell.text) if cell else None
            if not text or (c > 0 and grid[h][c - 1] is cell) or any(w in text for w in INDICATOR_OTHER_COLUMNS):
                continue
            key = next((k for word, k in FUNDS_COLUMNS if word in text), None)
            if key and key not in columns.values():
                columns[c] = key
        if len(columns) >= 2:
            if h > 0:
                _spanning_header(grid, h, columns)
            return h, columns
    return None


def _spanning_header(grid: list[list[Cell | None]], h: int, columns: dict[int, str]) -> None:
    """A two-row header (全年预算数 over 总额 | 财政拨款 | 其他资金): a cell above spanning several
    sub-columns names the first of them, where the sub-header names none."""
    for c, cell in enumerate(grid[h - 1]):
        if cell is None or c in columns or (c > 0 and grid[h - 1][c - 1] is cell) or grid[h][c] is cell:
            continue
        text = re.sub(r"\s+", "", clean(cell.text) or "")
        key = next((k for word, k in FUNDS_COLUMNS if word in text), None)
        if key and key not in columns.values():
            columns[c] = key


def _read_funds(
    doc, table, row, label_col, columns, header_row, scale: float = 1.0
) -> tuple[list[Amount], SectionScore | None]:
    amounts: list[Amount] = []
    weight = score = None
    weight_cell = score_cell = None
    for c, cell in enumerate(row):
        if cell is None or (c > 0 and row[c - 1] is cell):
            continue
        text = clean(cell.text) or ""
        if c == label_col or _INLINE_TOTAL_RE.match(text):
            inline = _inline_total(doc, table, cell, text)
            if inline:
                amounts.append(inline)
            continue
        key = columns.get(c)
        number = cell_number(cell.text) or _single_number(text)
        if key is None or number is None:
            continue
        if key == "weight":
            weight, weight_cell = to_number(number), cell
        elif key == "score":
            score, score_cell = to_number(number), cell
        else:
            rate = key == "execution_rate_pct"
            value = to_number(number, 1.0 if rate else scale)
            amounts.append(_amount(doc, table, cell, key, value, "%" if rate else "万元", label=text))
    section = _budget_section(doc, table, header_row, weight, weight_cell)
    if section is None and score is not None and score_cell is not None:  # a 得分 under an empty 分值 cell
        section = SectionScore(level1=BUDGET_SECTION, prov=cell_prov(doc, table, score_cell))
    if section is not None and score is not None and score_cell is not None:
        section.score = score
        section.cells["score"] = cell_prov(doc, table, score_cell)
    return amounts, section


def _single_number(text: str):
    """'18651.39 万元' → its number (one number followed by a unit)."""
    found = find_numbers(text)
    if len(found) == 1 and re.fullmatch(r"\s*(万元|元|%)?\s*", text[found[0].end :]):
        return found[0]
    return None


def _inline_total(doc, table, cell: Cell, text: str) -> Amount | None:
    """'资金总额：14623.09 万元' in the label cell: the budget applied for (年初)."""
    if not _INLINE_TOTAL_RE.match(text):
        return None
    found = find_numbers(text)
    if not found:
        return None
    return _amount(doc, table, cell, "initial_budget", to_number(found[0]), "万元", label=text)


def _budget_section(doc, table, header_row, weight, weight_cell) -> SectionScore | None:
    """预算执行 weight: the funds row's 分值, or a '（20分）' annotation on the block's label."""
    if weight is None:
        for cell in header_row:
            text = clean(cell.text) if cell else None
            if text and "预算执行" in words(text):
                _, annotated = split_weight(text.replace("（万元）", "").replace("(万元)", ""))
                if annotated:
                    weight, weight_cell = to_number(annotated), cell
                    break
    if weight is None or weight_cell is None:
        return None
    prov = cell_prov(doc, table, weight_cell)
    return SectionScore(level1=BUDGET_SECTION, weight=weight, prov=prov, cells={"weight": prov})


def _splits(doc: Document, table: Table, skip_rows: set[int] | frozenset[int] = frozenset()) -> list[Amount]:
    """Labelled income/expenditure splits outside `skip_rows`; a cell spanning several rows is read once."""
    amounts: list[Amount] = []
    seen: set[int] = set()
    for r, cell_list in enumerate(_rows(table)):
        if r in skip_rows:
            continue
        for i, cell in enumerate(cell_list):
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            text = clean(cell.text) or ""
            for pattern, key in SPLIT_LABELS:
                inline = re.match(_PREFIX + f"(?:{pattern})" + _UNIT_NOTE + r"[:：]\s*(.*)$", text)
                alone = re.fullmatch(_PREFIX + f"(?:{pattern})" + _UNIT_NOTE + r"[:：]?", text)
                if inline:
                    number = _single_number(inline.group(1))
                    if number:
                        amounts.append(_amount(doc, table, cell, key, to_number(number), "万元", label=text))
                    break
                if alone and i + 1 < len(cell_list):
                    number = cell_number(cell_list[i + 1].text)
                    if number:
                        amounts.append(_amount(doc, table, cell_list[i + 1], key, money(number, "万元"), "万元", text))
                    break
    return amounts


def _rows(table: Table) -> list[list[Cell]]:
    """Each row's distinct cells, left to right."""
    rows: list[list[Cell]] = []
    for row in table.grid():
        cells: list[Cell] = []
        for cell in row:
            if cell is not None and (not cells or cells[-1] is not cell):
                cells.append(cell)
        rows.append(cells)
    return rows


def _amount(doc, table, cell: Cell, key: str, number, unit: str, label: str) -> Amount:
    return Amount(key=key, number=number, unit=unit, source="form", label=label, prov=cell_prov(doc, table, cell))
