"""Self-evaluation forms as scopes: which tables make one form, whose form it is, and the project
a project-level form (项目支出绩效自评表, 专项资金绩效自评表) evaluates.

A file may bind many forms (a 部门决算 with a 部门整体 form and dozens of project forms). Each form is
a scope of its own: a project form names its project in a 项目名称 cell under a title such as
…项目绩效自评表; a department form is titled with 部门整体 / 单位整体. A form continued over a page
break (the next table, with only page furniture between the two) is one form.

A project form's funds row (年度资金总额: 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分)
gives the project's budget and spending, and its 总分 row the project's score. A target form
(项目支出绩效目标申报表, …绩效目标表: one per sheet of a 申报 workbook, one per project in a 部门预算)
has the same header block and indicator table but targets only: its project has a name, the
year's funds where printed in 万元, and no spending or score. A narrative item
that restates a form's project (same name, give or take the implementing unit and a suffix word)
is linked to it (`Project.restates`) instead of being a project of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from extract.cells import cell_number, clean, words
from extract.indicators import find_header
from extract.numbers import to_number
from extract.prov import cell_prov
from extract.vocabulary import (
    DEPARTMENT_FORM_WORDS,
    FORM_PAGE_FURNITURE,
    HEADER_FIELDS,
    PROJECT_FORM_TITLE,
    PROJECT_NAME_SUFFIXES,
    TARGET_FORM_TITLE,
    TARGET_FUNDS_COST_RATIO,
    TARGET_FUNDS_LABELS,
    TOTAL_ROW,
)
from pipeline.models import Amount, Cell, Document, Number, Project, Provenance, SectionScore, Table, TotalScore

HEADING_CHARS = 300  # how far before a table its printed heading is looked for
HEADING_LINES = 4  # the heading's lines: title (maybe wrapped), 年度, an annex label
TITLE_CHARS = 80  # a title wrapped over lines is at most this long
# a line that ends a sentence, labels an annex, names a spreadsheet's sheet (工作表：…) or is the
# form's year alone ((2026年度))
TITLE_BREAK = re.compile(r"[。；;：:！!？?]$|^附[件表]|^工作表[:：]|^[(（]\d{4}年度?[)）]$")
_NAME_LABELS = tuple(word for word, meaning in HEADER_FIELDS if meaning == "project_name")
_ANY_PROJECT_TITLE = re.compile(f"{PROJECT_FORM_TITLE.pattern}|{TARGET_FORM_TITLE.pattern}")


@dataclass
class Form:
    """One self-evaluation form: its tables in order, its kind, its printed heading and (for a
    project form) the 项目名称 and where it is printed. A target form (绩效目标申报表) is a project
    form with `targets_only`: it states targets, no spending or scores."""

    kind: Literal["project", "department"]
    tables: list[int] = field(default_factory=list)
    title: str | None = None
    name: str | None = None
    name_prov: Provenance | None = None
    targets_only: bool = False


def find_forms(doc: Document) -> list[Form]:
    """Every self-evaluation form of the document, in order, with the tables it covers."""
    forms: list[Form] = []
    previous_end: int | None = 0
    for table in doc.tables:
        gap = _gap(doc, table, previous_end)
        heading = _heading(gap)
        title_text = heading + " ".join(clean(c.text) or "" for c in table.cells if c.row == 0)
        name_cell = _name_cell(table)
        name = clean(name_cell.text) if name_cell else None
        flat_title = words(title_text)  # matched in Simplified: 項目支出績效自評表 is the same form
        department = any(word in flat_title or word in words(name) for word in DEPARTMENT_FORM_WORDS)
        if name and not department and _ANY_PROJECT_TITLE.search(flat_title):
            title = _title(heading, table, _ANY_PROJECT_TITLE)
            targets_only = not PROJECT_FORM_TITLE.search(words(title or flat_title))
            prov = cell_prov(doc, table, name_cell) if name_cell else None
            forms.append(Form("project", [table.index], title, name, prov, targets_only))
        elif department and _titled_form(flat_title):
            forms.append(
                Form("department", [table.index], _title(heading, table, re.compile("|".join(DEPARTMENT_FORM_WORDS))))
            )
        elif forms and forms[-1].tables[-1] == table.index - 1 and _continues(forms[-1], gap):
            forms[-1].tables.append(table.index)
        previous_end = table.char_end
    return forms


def _heading(gap: str | None) -> str:
    """The lines printed right above a table (on its own page): where a form's title stands."""
    if not gap:
        return ""
    lines = [line for line in gap[-HEADING_CHARS:].split("\x0c")[-1].splitlines() if line.strip()]
    return "\n".join(lines[-HEADING_LINES:])


def _continues(form: Form, gap: str | None) -> bool:
    """The next table continues the form over a page break: nothing but page furniture between
    them, or the form's own title printed again (…自评表（续表）)."""
    if gap is None:
        return False
    rest = FORM_PAGE_FURNITURE.sub("", gap)
    return not rest or (form.title is not None and rest == FORM_PAGE_FURNITURE.sub("", form.title))


def _gap(doc: Document, table: Table, previous_end: int | None) -> str | None:
    """The text between the previous table and this one (None where the layout has no spans)."""
    if table.char_start is None or previous_end is None:
        return None
    return doc.text[previous_end : table.char_start]


def _titled_form(text: str) -> bool:
    """A heading that names a self-evaluation form (…绩效自评表, …绩效评价表)."""
    return bool(re.search(r"绩效(?:自评|自我评价|评价)", re.sub(r"\s", "", text)))


def _title(heading: str, table: Table, pattern: re.Pattern[str]) -> str | None:
    """The form's printed title (whitespace removed): the heading line naming it, with the lines
    it wraps from (a long title breaks over two lines), else a first-row cell naming it."""
    lines = [re.sub(r"\s", "", line) for line in heading.splitlines()]
    for i in range(len(lines) - 1, -1, -1):
        if not pattern.search(words(lines[i])):
            continue
        title = lines[i]
        for before in reversed(lines[:i]):
            complete = pattern.search(words(before))  # a title of its own (a section's over the form's)
            if not before or complete or TITLE_BREAK.search(before) or len(before) + len(title) > TITLE_CHARS:
                break
            title = before + title
        return title
    row0 = (re.sub(r"\s", "", c.text) for c in table.cells if c.row == 0)
    return next((text for text in row0 if pattern.search(words(text))), None)


def _name_cell(table: Table) -> Cell | None:
    """The cell beside a 项目名称 label (项目名称, 项目名称：) in the form's first rows, or None."""
    for row in table.grid()[:4]:
        for c, cell in enumerate(row[:-1]):
            label = words(cell.text).rstrip(":：") if cell else ""
            if label in _NAME_LABELS and row[c + 1] not in (None, cell):
                return row[c + 1]
    return None


def project_from_form(
    form: Form,
    funds: tuple[list[Amount], SectionScore | None] | None,
    total: TotalScore | None,
    full_year_column: bool,
) -> Project | None:
    """The project's numbers from its form's funds row (and its 分值/得分) and 总分. The budget is
    the 全年预算数; the 年初预算数 only on a form that prints no 全年预算数 column (never in place of
    a 全年预算数 cell that could not be read)."""
    amounts, section = funds or ([], None)
    by_key = {a.key: a for a in amounts}
    initial = by_key.get("initial_budget")
    budget = by_key.get("full_year_budget") or (None if full_year_column else initial)
    if form.name is None or (budget is None and initial is None and total is None and not form.targets_only):
        return None
    sources: dict[str, Amount | TotalScore | None] = {
        "initial_budget": initial,
        "budget": budget,
        "executed": by_key.get("executed"),
        "rate_pct": by_key.get("execution_rate_pct"),
        "score": total,
    }
    cells = {name: fact.prov for name, fact in sources.items() if fact is not None}
    values: dict[str, Number | None] = {name: _number(fact) for name, fact in sources.items()}
    if section is not None:
        for name, part in (("funds_weight", "weight"), ("funds_score", "score")):
            values[name] = getattr(section, part)
            if part in section.cells:
                cells[name] = section.cells[part]
    if total is not None and total.weight is not None:
        values["total_weight"] = total.weight
    prov = next(iter(cells.values()), form.name_prov)
    if prov is None:
        return None
    return Project(name=form.name, title=form.title, source="form", prov=prov, cells=cells, **values)


def target_funds(doc: Document, form: Form, costs: list[Amount]) -> Amount | None:
    """A target form's funds for the year (本年度项目金额（万元）, 年度资金总额 in a 项目资金（万元）
    block) as its `full_year_budget`: the number beside the label in the header block, where the
    label or the block it stands in says 万元. None where the form prints none, or its own 成本
    targets show the number is not in 万元 (far larger than the largest of them)."""
    table = doc.tables[form.tables[0]]
    header = find_header(table)
    for row in table.grid()[: header[0] if header else None]:
        cells = [cell for i, cell in enumerate(row) if cell is not None and all(cell is not d for d in row[:i])]
        for k, cell in enumerate(cells[:-1]):
            label = re.sub(r"\s", "", cell.text)
            in_wanyuan = any("万元" in re.sub(r"\s", "", c.text) for c in cells[: k + 1])
            if not label.startswith(TARGET_FUNDS_LABELS) or not in_wanyuan:
                continue
            number = cell_number(cells[k + 1].text)
            if number is None:
                return None
            amount = Amount(
                key="full_year_budget",
                number=to_number(number),
                label=re.sub(r"[:：]$", "", label),
                prov=cell_prov(doc, table, cells[k + 1]),
            )
            own = [a.number.value for a in costs if a.prov.table in form.tables]
            if own and amount.number.value > TARGET_FUNDS_COST_RATIO * max(own):
                return None
            return amount
    return None


def form_total(doc: Document, form: Form) -> TotalScore | None:
    """The 总分 row of a form's tables (分值 then 得分: its last two numbers), for a form whose
    indicator table was not read through to its end (a continuation table laid out differently).
    Only a form with an indicator table has one (a list of projects closed by 合计 has not)."""
    if not any(find_header(doc.tables[t]) for t in form.tables):
        return None
    for index in form.tables:
        table = doc.tables[index]
        for row in table.grid():
            cells = [c for i, c in enumerate(row) if c is not None and all(c is not d for d in row[:i])]
            if not cells or not TOTAL_ROW.match(clean(cells[0].text) or ""):
                continue
            numbers = [(c, n) for c in cells[1:] if (n := cell_number(c.text)) is not None]
            if len(numbers) < 2:
                return None
            (_, weight), (cell, score) = numbers[-2], numbers[-1]
            return TotalScore(number=to_number(score), weight=to_number(weight), prov=cell_prov(doc, table, cell))
    return None


def _number(fact: Amount | TotalScore | None) -> Number | None:
    return fact.number if fact is not None else None


# --------------------------------------------------------------------------- funds splits

#: Key prefix of the rows under a funds row (其中：当年财政拨款, 上年结转资金, 其他资金).
FUNDS_SPLIT = "funds_split_"
#: Project field whose cell locates a funds column → the key its split rows are stored under.
SPLIT_COLUMNS = (
    ("initial_budget", f"{FUNDS_SPLIT}initial_budget"),
    ("budget", f"{FUNDS_SPLIT}full_year_budget"),
    ("executed", f"{FUNDS_SPLIT}executed"),
    ("rate_pct", f"{FUNDS_SPLIT}execution_rate_pct"),
)


def funds_splits(doc: Document, project: Project) -> list[Amount]:
    """The rows under a project form's funds row (其中：当年财政拨款, 上年结转资金, 其他资金), read in
    the funds row's own columns, as amounts keyed `funds_split_<key>` labelled by the row."""
    located = [(key, project.cells[name]) for name, key in SPLIT_COLUMNS if name in project.cells]
    funds = located[0][1] if located else None
    if funds is None or funds.table is None or funds.row is None:
        return []
    table = doc.tables[funds.table]
    grid = table.grid()
    columns = {key: prov.col for key, prov in located if prov.col is not None and prov.row == funds.row}
    side = grid[funds.row][0]
    merged = side is not None and funds.row + 1 < len(grid) and grid[funds.row + 1][0] is side
    amounts: list[Amount] = []
    for r in range(funds.row + 1, len(grid)):
        cells = {key: grid[r][c] for key, c in columns.items() if grid[r][c] is not grid[r - 1][c]}
        numbers = {key: n for key, cell in cells.items() if cell is not None and (n := cell_number(cell.text))}
        if (merged and grid[r][0] is not side) or (not merged and not numbers):
            break
        label = _row_label(grid, r, min(columns.values(), default=0))
        for key, number in numbers.items():
            unit = "%" if key.endswith("rate_pct") else "万元"
            prov = cell_prov(doc, table, cells[key])
            amounts.append(Amount(key=key, number=to_number(number), unit=unit, label=label or "", prov=prov))
    return amounts


def _row_label(grid: list[list[Cell | None]], r: int, before: int) -> str | None:
    """The first text cell of a row left of `before` that is not merged from above or the left."""
    for c in range(before):
        cell = grid[r][c]
        if cell is None or (r > 0 and grid[r - 1][c] is cell) or (c > 0 and grid[r][c - 1] is cell):
            continue
        if text := clean(cell.text):
            return text
    return None


# --------------------------------------------------------------------------- narrative restatements


def link_restatements(items: list[Project], forms: list[Project]) -> None:
    """Link each narrative item to the form project it restates (`restates`), one item per form.

    An item restates a form when the form's 项目名称 (without a suffix word such as 项目) is most of
    a run of the item's name (which often carries the implementing unit in front); where several
    forms fit, the one whose 全年预算数 and 执行数 agree wins. Items that fit no form stay projects.
    """
    pairs = []
    for i, item in enumerate(items):
        for j, form in enumerate(forms):
            overlap = _name_overlap(item.name, form.name)
            agree = _agreeing_amounts(item, form)
            if overlap >= 0.8 or (overlap >= 0.5 and agree):
                pairs.append((agree > 0, overlap, agree, -abs(i - j), i, j))
    used_items: set[int] = set()
    used_forms: set[int] = set()
    for *_, i, j in sorted(pairs, reverse=True):
        if i in used_items or j in used_forms:
            continue
        used_items.add(i)
        used_forms.add(j)
        items[i].restates = forms[j].id


def _core(name: str) -> str:
    """A project name without whitespace, punctuation or a trailing suffix word."""
    text = re.sub(r"[\s\-—－·、]", "", name)
    for suffix in PROJECT_NAME_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
    return text


def _name_overlap(item_name: str, form_name: str) -> float:
    """The longest run the two names share, as a share of the form's (shorter) name."""
    a, b = _core(item_name), _core(form_name)
    if not a or not b:
        return 0.0
    longest = 0
    previous = [0] * (len(b) + 1)
    for ca in a:
        current = [0] * (len(b) + 1)
        for k, cb in enumerate(b, start=1):
            if ca == cb:
                current[k] = previous[k - 1] + 1
                longest = max(longest, current[k])
        previous = current
    return longest / min(len(a), len(b))


def _agreeing_amounts(item: Project, form: Project) -> int:
    """How many of 全年预算数 / 执行数 the item states as the form does."""
    return sum(
        1
        for name in ("budget", "executed")
        if getattr(item, name) is not None
        and getattr(form, name) is not None
        and getattr(item, name).value == getattr(form, name).value
    )
