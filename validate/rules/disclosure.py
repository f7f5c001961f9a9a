"""部门预算 / 部门决算 disclosures: the standard tables against their own arithmetic and each other,
and the 情况说明 against the tables and against itself.

Table rules read `Facts.disclosure_cells`: a 类 equals the sum of its 款, a 款 the sum of its 项,
the 合计 row the sum of the 类 rows (per column), a 收支总表 side the sum of its rows; 合计 =
基本支出 + 项目支出 per row; 人员经费合计 and 公用经费合计 equal their economic classes and together
the 基本支出; the 总计 of both sides agree; the same figure in two 决算 tables agrees.
Narrative rules read `Facts.disclosure_figures`: a stated amount equals the table cell its label
names; an item's 类/款/项 path, its 主要用于 and its 基本/项目 split match the table; a 主要包括 list
names the items spent; a stated change and change % agree; 持平 leaves no room for a part that
changed more than its whole; a share is part / whole; a completion rate is 决算 / 预算 and a rate
against a zero base is a finding, not a number; items add up to their stated budget; 政府采购
adds up; the department's name is printed one way.
All comparisons use the interval arithmetic of validate/intervals.py: rounding is `info`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from difflib import SequenceMatcher

from extract import disclosure_vocabulary as vocab
from pipeline.models import DisclosureCell, DisclosureFigure, Facts, Finding, Number
from validate.findings import Message, fmt, for_outcome, like, make, money, plus, printed, say
from validate.findings import pct as pct_text
from validate.intervals import compare_rate, compare_same, compare_sum, partial_list, ratio_pct
from validate.registry import derived, rule

derived(
    "disclosure_zero_base_growth",
    "info",
)
derived(
    "disclosure_zero_base",
    "error",
)

SPLIT_LABELS = {"basic": "基本支出", "project": "项目支出"}

# --------------------------------------------------------------------------- lookups


def _cells(facts: Facts, kind: str) -> list[DisclosureCell]:
    return [c for c in facts.disclosure_cells if c.table_kind == kind]


def table_cell(facts: Facts, kind: str, row_key: str, column_key: str | None) -> DisclosureCell | None:
    """The first cell of a kind's table in a canonical total row (and column, when given)."""
    for c in _cells(facts, kind):
        if c.row_key == row_key and (column_key is None or c.column_key == column_key):
            return c
    return None


def _target(facts: Facts, figure: DisclosureFigure) -> DisclosureCell | None:
    """The table cell a narrative amount's label names: a declared label, a 类 row, or a 项 path."""
    label = plain(figure.label)
    for word, kind, row_key, column_key in vocab.NARRATIVE_CELLS:
        if label == word:
            return table_cell(facts, kind or figure.section, row_key, column_key)
    if label.endswith("（类）") and "（款）" not in label:
        name = label.removesuffix("（类）")
        return next(
            (
                c
                for c in _cells(facts, "gp_expenditure")
                if len(c.code) == 3 and c.row_label == name and c.column_key == "total"
            ),
            None,
        )
    return None


def plain(label: str) -> str:
    """A label without a leading ordinal (1. 2． （三） 四、), quotes, or 本部门/本单位."""
    label = re.sub(r"^(?:\d+[.．、]|（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+、)", "", label)
    label = label.replace("“", "").replace("”", "")
    return re.sub(r"^(?:本部门|本单位)", "", label)


def _same_name(a: str, b: str) -> bool:
    """Two 科目 names alike but for an ordinal, quotes or a trailing 支出 (一般公共服务 = 一般公共服务支出)."""
    return plain(a).removesuffix("支出") == plain(b).removesuffix("支出")


def _three_public_cell(facts: Facts, figure: DisclosureFigure) -> DisclosureCell | None:
    """The “三公”经费 table's cell for a narrative item (合计, 因公出国, 公务用车…, 公务接待) in the
    column of its kind: 预算数 for a budget, 决算数 for spending (a 预算's table has one value)."""
    label = plain(figure.label)
    if re.search(r"\d|（含|其中", label):
        return None
    item = next((key for word, key in vocab.THREE_PUBLIC_ITEMS if word in label), None)
    if item is None:
        return None
    for c in _cells(facts, "three_public"):
        levels = [level.replace("(", "（").replace(")", "）") for level in c.column.split("/")[1:]]
        years = re.findall(r"(\d{4})年", c.column)
        if not levels or not _three_public_column(item, levels) or (years and str(facts.year) not in years):
            continue  # another item's column, or another year's (2025年预算数 beside 2026年预算数)
        if c.phase == "预算" or c.column_key == ("budget" if figure.kind == "budget" else "final"):
            return c
    return None


def _three_public_column(item: str, levels: list[str]) -> bool:
    """Whether a “三公” column (its header levels under the title) is the item's."""
    car = next((i for i, level in enumerate(levels) if "购置及运行" in level), None)
    if item == "total":
        return levels[0] == "合计"
    if item == "car":
        return car is not None and (car + 1 == len(levels) or levels[car + 1] in ("小计", "合计", "预算数", "决算数"))
    if item in ("car_purchase", "car_running"):
        word, other = ("购置", "运行") if item == "car_purchase" else ("运行", "购置")
        return car is not None and any(word in level and other not in level for level in levels[car + 1 :])
    return any(vocab.THREE_PUBLIC_COLUMNS[item] in level for level in levels)


def _path(label: str) -> tuple[str, str, str] | None:
    """(类, 款, 项) names of a narrative item path '甲（类）乙（款）丙（项）'."""
    parts = label.replace("（款）", "（类）").replace("（项）", "（类）").split("（类）")
    names = [p for p in parts if p]
    return (names[0], names[1], names[2]) if len(names) == 3 and label.endswith("（项）") else None


# --------------------------------------------------------------------------- table arithmetic


@rule(
    "disclosure_table_sum",
    "error",
)
def disclosure_table_sum(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    by_column: dict[tuple[int, str], list[DisclosureCell]] = defaultdict(list)
    for c in facts.disclosure_cells:
        by_column[(c.table_seq, c.column)].append(c)
    for cells in by_column.values():
        coded = _unique_codes(cells)
        for code, parent in coded.items():
            width = 2 if len(code) in (3, 5) else 0
            children = [c for k, c in coded.items() if width and len(k) == len(code) + width and k.startswith(code)]
            if children:
                findings += _sum_finding(parent, children, f"{code} {parent.row_label}")
        total = next((c for c in cells if c.row_key == "total" and not c.code), None)
        classes = [c for c in cells if len(c.code) == 3 and c.table_kind != "gp_basic"]
        if total is not None and classes:
            findings += _sum_finding(total, classes, "合计")
        findings += _side_sum(cells)
    return findings


def _side_sum(cells: list[DisclosureCell]) -> list[Finding]:
    """A 收入支出总表 side: the rows printed above 本年收入合计 / 本年支出合计 add up to it."""
    for row_key in ("income_total", "expenditure_total"):
        total = next((c for c in cells if c.row_key == row_key), None)
        if total is None or total.table_kind not in ("summary", "fiscal_summary"):
            continue
        where = (total.prov.page or 0, total.prov.table or 0, total.prov.row or 0)
        parts = [
            c
            for c in cells
            if not c.row_key and not c.code and (c.prov.page or 0, c.prov.table or 0, c.prov.row or 0) < where
        ]
        computed = sum(p.number.value for p in parts)
        if parts and abs(computed - total.number.value) <= SIDE_TOLERANCE * abs(total.number.value):
            return _sum_finding(total, parts, total.row_label)
    return []


#: A side whose rows miss its total by more than this share nests sub-rows (其中) or lists only
#: some rows: it is not read as a breakdown.
SIDE_TOLERANCE = 0.01


def _unique_codes(cells: list[DisclosureCell]) -> dict[str, DisclosureCell]:
    """Code → cell for the codes that occur once in a column (a code printed twice is ambiguous)."""
    counts: dict[str, int] = defaultdict(int)
    for c in cells:
        counts[c.code] += 1
    return {c.code: c for c in cells if c.code and counts[c.code] == 1}


def _sum_finding(parent: DisclosureCell, parts: list[DisclosureCell], what: str) -> list[Finding]:
    computed = sum(p.number.value for p in parts)
    numbers = [p.number for p in parts]
    return for_outcome(
        compare_sum(parent.number, numbers),
        "disclosure_table_sum",
        say(
            "disclosure_table_sum",
            table=vocab.TABLE_NAMES[parent.table_kind],
            page=parent.prov.page,
            row=what,
            column=parent.column,
            total=money(parent.number),
            count=len(parts),
            sum=like(computed, numbers, "万元"),
        ),
        fact_ids=[parent.id, *(p.id for p in parts)],
        values=[parent.number.value, computed],
        reported=parent.number.value,
        computed=computed,
        printed_as=[*numbers, parent.number],
        unit="万元",
    )


@rule("disclosure_row_split", "error")
def disclosure_row_split(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    rows: dict[tuple[int, int | None, int | None], dict[str, DisclosureCell]] = defaultdict(dict)
    split_tables = {
        seq
        for seq in {c.table_seq for c in facts.disclosure_cells}
        if {"basic", "project"} <= {c.column_key for c in facts.disclosure_cells if c.table_seq == seq}
    }
    for c in facts.disclosure_cells:
        if c.column_key in ("total", "basic", "project") and c.table_seq in split_tables:
            rows[(c.table_seq, c.prov.table, c.prov.row)].setdefault(c.column_key, c)
    for row in rows.values():
        if "total" not in row or not ({"basic", "project"} & set(row)):
            continue
        parts = [row[k] for k in ("basic", "project") if k in row]
        total = row["total"]
        computed = sum(p.number.value for p in parts)
        findings += for_outcome(
            compare_sum(total.number, [p.number for p in parts]),
            "disclosure_row_split",
            say(
                "disclosure_row_split",
                table=vocab.TABLE_NAMES[total.table_kind],
                page=total.prov.page,
                row=f"{total.code} {total.row_label}".strip(),
                total=money(total.number),
                parts=plus(f"{SPLIT_LABELS[p.column_key]}{money(p.number)}" for p in parts),
                sum=like(computed, [p.number for p in parts], "万元"),
            ),
            fact_ids=[total.id, *(p.id for p in parts)],
            values=[total.number.value, computed],
            reported=total.number.value,
            computed=computed,
            printed_as=[total.number, *(p.number for p in parts)],
            unit="万元",
        )
    return findings


@rule(
    "disclosure_basic_split",
    "error",
)
def disclosure_basic_split(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    basic = _cells(facts, "gp_basic")
    sides = {}
    for row_key, classes in (
        ("personnel_total", vocab.PERSONNEL_CLASSES),
        ("public_funds_total", vocab.PUBLIC_FUNDS_CLASSES),
    ):
        total = next((c for c in basic if c.row_key == row_key), None)
        parts = [c for c in basic if c.code in classes]
        if total is None:
            continue
        sides[row_key] = total
        if parts:
            findings += _sum_finding(total, parts, total.row_label)
    stated = table_cell(facts, "gp_expenditure", "total", "basic")
    if stated is not None and len(sides) == 2:
        parts = list(sides.values())
        computed = sum(p.number.value for p in parts)
        findings += for_outcome(
            compare_sum(stated.number, [p.number for p in parts]),
            "disclosure_basic_split",
            say(
                "disclosure_basic_split",
                basic=money(stated.number),
                page=stated.prov.page,
                sum=like(computed, [p.number for p in parts], "万元"),
                parts_page=parts[0].prov.page,
            ),
            fact_ids=[stated.id, *(p.id for p in parts)],
            values=[stated.number.value, computed],
            reported=stated.number.value,
            computed=computed,
            printed_as=[stated.number, *(p.number for p in parts)],
            unit="万元",
        )
    return findings


@rule("disclosure_totals_balance", "error")
def disclosure_totals_balance(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for kind in ("summary", "fiscal_summary"):
        totals = [c for c in _cells(facts, kind) if c.row_key == "grand_total"]
        if len(totals) >= 2 and compare_same(totals[0].number, totals[1].number) == "mismatch":
            a, b = totals[0], totals[1]
            findings.append(
                make(
                    "disclosure_totals_balance",
                    say(
                        "disclosure_totals_balance",
                        table=vocab.TABLE_NAMES[kind],
                        page=a.prov.page,
                        income=money(a.number),
                        expenditure=money(b.number),
                    ),
                    fact_ids=[a.id, b.id],
                    values=[a.number.value, b.number.value],
                )
            )
    return findings


@rule("disclosure_cross_table", "error")
def disclosure_cross_table(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    if not any(c.phase == "决算" for c in facts.disclosure_cells):
        return []  # a budget's 收支总表 counts 上年结转 that its 收入表 / 支出表 may not
    for (kind_a, row_a, col_a), (kind_b, row_b, col_b) in vocab.SAME_FIGURES:
        a, b = table_cell(facts, kind_a, row_a, col_a), table_cell(facts, kind_b, row_b, col_b)
        if a is not None and b is not None:
            findings += _same_figure(a, b)
    for summary_kind, coded_kind in vocab.SAME_CLASS_ROWS:
        classes: dict[str, DisclosureCell] = {}
        for c in _cells(facts, coded_kind):
            if len(c.code) == 3 and c.column_key == "total":
                classes.setdefault(c.row_label, c)
        seen: set[str] = set()
        for c in _cells(facts, summary_kind):
            name = c.row_label
            if c.code or name in seen or name not in classes or "支出" not in c.column:
                continue
            seen.add(name)
            findings += _same_figure(c, classes[name])
    return findings


def _same_figure(a: DisclosureCell, b: DisclosureCell) -> list[Finding]:
    return for_outcome(
        compare_same(a.number, b.number),
        "disclosure_cross_table",
        say(
            "disclosure_cross_table",
            table=vocab.TABLE_NAMES[a.table_kind],
            page=a.prov.page,
            row=a.row_label,
            value=money(a.number),
            other_table=vocab.TABLE_NAMES[b.table_kind],
            other_page=b.prov.page,
            other_row=f"{b.code} {b.row_label}".strip(),
            other_value=money(b.number),
        ),
        fact_ids=[a.id, b.id],
        values=[a.number.value, b.number.value],
        reported=a.number.value,
        computed=b.number.value,
        printed_as=[a.number, b.number],
        unit="万元",
    )


# --------------------------------------------------------------------------- narrative vs tables


@rule("disclosure_narrative_vs_table", "error")
def disclosure_narrative_vs_table(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for f in facts.disclosure_figures:
        if f.kind not in ("amount", "budget") or f.number is None:
            continue
        cell = _target(facts, f) if f.kind == "amount" else None
        if cell is None and f.section == "three_public":
            cell = _three_public_cell(facts, f)
        if cell is None:
            continue
        outcome = compare_same(f.number, cell.number)
        findings += for_outcome(
            outcome,
            "disclosure_narrative_vs_table",
            say(
                "disclosure_narrative_vs_table",
                page=f.prov.page,
                label=f.label,
                value=money(f.number),
                table=vocab.TABLE_NAMES[cell.table_kind],
                table_page=cell.prov.page,
                row=cell.row_label,
                column=cell.column,
                cell=money(cell.number),
            ),
            fact_ids=[f.id, cell.id],
            values=[f.number.value, cell.number.value],
            reported=f.number.value,
            computed=cell.number.value,
            printed_as=[f.number, cell.number],
            unit="万元",
        )
    return findings


@rule(
    "disclosure_subject_name",
    "warning",
)
def disclosure_subject_name(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    rows = [c for c in _cells(facts, "gp_expenditure") if c.column_key == "total" and c.code]
    by_code = {c.code: c for c in rows}
    for f in facts.disclosure_figures:
        path = _path(f.label) if f.kind == "amount" and f.number is not None else None
        if path is None or not rows:
            continue
        cls, kuan, xiang = path
        named = [c for c in rows if len(c.code) == 7 and c.row_label == xiang]
        for level, name in ((3, cls), (5, kuan)):
            if len(named) > 1:
                named = [c for c in named if _same_name(by_code.get(c.code[:level], c).row_label, name)] or named
        if len(named) > 1:
            continue  # several 项 of that name and none under the 类/款 named: which one is meant is unknown
        if not named:
            findings += _unknown_subject(f, cls, xiang, rows, by_code)
            continue
        cell = named[0]
        for level, name, parent in (("类", cls, by_code.get(cell.code[:3])), ("款", kuan, by_code.get(cell.code[:5]))):
            if parent is None or _same_name(parent.row_label, name):
                continue
            findings.append(
                make(
                    "disclosure_subject_name",
                    say(
                        "disclosure_subject_name",
                        page=f.prov.page,
                        xiang=xiang,
                        name=name,
                        level=level,
                        parent=f"{parent.code} {parent.row_label}",
                    ),
                    fact_ids=[f.id, cell.id, parent.id],
                    values=[f.number.value, float(parent.code), parent.number.value],
                )
            )
    return findings


@rule(
    "disclosure_purpose_split",
    "warning",
)
def disclosure_purpose_split(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    rows: dict[str, dict[str, DisclosureCell]] = defaultdict(dict)
    for c in _cells(facts, "gp_expenditure"):
        if len(c.code) == 7 and c.column_key in ("total", "basic", "project"):
            rows[c.code].setdefault(c.column_key, c)
    for f in facts.disclosure_figures:
        path = _path(f.label) if f.kind == "purpose" else None
        said = [kind for kind, word in (("basic", "基本支出"), ("project", "项目支出")) if word in f.base]
        if path is None or len(said) != 1:
            continue
        row = next((r for r in rows.values() if "total" in r and r["total"].row_label == path[2]), None)
        other = "project" if said[0] == "basic" else "basic"
        if row is None or abs(row["total"].number.value) < 1e-9:
            continue
        in_said = row.get(said[0])
        if (in_said is None or abs(in_said.number.value) < 1e-9) and other in row:
            total = row["total"]
            findings.append(
                make(
                    "disclosure_purpose_split",
                    say(
                        "disclosure_purpose_split",
                        page=f.prov.page,
                        xiang=path[2],
                        said=SPLIT_LABELS[said[0]],
                        table_page=total.prov.page,
                        amount=money(total.number),
                        other=SPLIT_LABELS[other],
                    ),
                    fact_ids=[f.id, total.id, row[other].id],
                    values=[total.number.value, float(total.code)],
                )
            )
    return findings


def _unknown_subject(
    f: DisclosureFigure, cls: str, xiang: str, rows: list[DisclosureCell], by_code: dict[str, DisclosureCell]
) -> list[Finding]:
    """A 项 the table does not name: reported when exactly one row of its 类 holds its amount."""
    if f.number is None:
        return []
    same = [
        c
        for c in rows
        if len(c.code) == 7 and f.number.agrees(c.number) and _same_name(by_code.get(c.code[:3], c).row_label, cls)
    ]
    if len(same) != 1:
        return []
    return [
        make(
            "disclosure_subject_name",
            say(
                "disclosure_unknown_subject",
                page=f.prov.page,
                xiang=xiang,
                cls=cls,
                amount=money(f.number),
                row=f"{same[0].code} {same[0].row_label}",
            ),
            fact_ids=[f.id, same[0].id],
            values=[f.number.value, float(same[0].code)],
        )
    ]


@rule(
    "disclosure_subject_purpose",
    "warning",
)
def disclosure_subject_purpose(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    rows = [c for c in _cells(facts, "gp_expenditure") if c.column_key == "total" and len(c.code) == 7]
    for f in facts.disclosure_figures:
        path = _path(f.label) if f.kind == "purpose" else None
        if path is None or path[2] in f.base:
            continue
        own = next((c for c in rows if c.row_label == path[2]), None)
        others = [c for c in rows if len(c.row_label) >= 4 and c.row_label in f.base and c.row_label != path[2]]
        if own is None or not others:
            continue
        findings.append(
            make(
                "disclosure_subject_purpose",
                say(
                    "disclosure_subject_purpose",
                    page=f.prov.page,
                    xiang=path[2],
                    purpose=f.base.removeprefix("主要用于："),
                    other=f"{others[0].code} {others[0].row_label}",
                    own=f"{own.code} {own.row_label}",
                ),
                fact_ids=[f.id, own.id, others[0].id],
                values=[own.number.value, float(own.code), float(others[0].code)],
            )
        )
    return findings


@rule(
    "disclosure_item_list",
    "warning",
)
def disclosure_item_list(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    basic = [c for c in _cells(facts, "gp_basic") if len(c.code) == 5]
    for f in facts.disclosure_figures:
        classes = vocab.ITEM_LIST_CLASSES.get(plain(f.label)) if f.kind == "items" else None
        rows = [c for c in basic if c.code[:3] in (classes or ())]
        if not rows:
            continue
        names = [n for n in re.split(r"[、，,]", f.base.removesuffix("等")) if n]
        matched = sum(any(_same_item(c.row_label, n) for c in rows) for n in names)
        itemised = not f.base.endswith("等") and matched >= ITEMISED_SHARE * len(names)
        listed: set[str] = set()
        for name in names:
            cells = [c for c in rows if _same_item(c.row_label, name)]
            listed.update(c.code for c in cells)
            if cells and all(abs(c.number.value) < 1e-9 for c in cells):
                findings.append(
                    make(
                        "disclosure_item_list",
                        say(
                            "disclosure_item_at_zero",
                            page=f.prov.page,
                            name=name,
                            label=plain(f.label),
                            table_page=cells[0].prov.page,
                            row=f"{cells[0].code} {cells[0].row_label}",
                        ),
                        fact_ids=[f.id, cells[0].id],
                        values=[float(cells[0].code), 0.0],
                    )
                )
        for c in rows if itemised else []:  # a list of the table's own items, not of categories, names them all
            if (
                c.code not in listed
                and abs(c.number.value) > 1e-9
                and not any(_same_item(c.row_label, n) for n in names)
            ):
                findings.append(
                    make(
                        "disclosure_item_list",
                        say(
                            "disclosure_item_left_out",
                            table_page=c.prov.page,
                            row=f"{c.code} {c.row_label}",
                            amount=money(c.number),
                            page=f.prov.page,
                            label=plain(f.label),
                        ),
                        fact_ids=[f.id, c.id],
                        values=[c.number.value, float(c.code)],
                    )
                )
    return findings


#: A 主要包括 list is the table's own items (so it must name every one spent) when at least this
#: share of its names are rows of the table (the rest may be rows left blank).
ITEMISED_SHARE = 0.8


def _same_item(row_label: str, name: str) -> bool:
    """A listed item names a row: alike but for spaces, a trailing 支出/费用, or a shortened ending."""
    a, b = _same_key(row_label), _same_key(name)
    return a == b or (len(b) >= 3 and (a.startswith(b) or b.startswith(a)))


def _same_key(name: str) -> str:
    name = name.replace(" ", "").replace("(", "（").replace(")", "）")
    return re.sub(r"(?:支出|费用)$", "", name)


# --------------------------------------------------------------------------- narrative arithmetic


def _amount_before(figures: list[DisclosureFigure], i: int, label: str) -> DisclosureFigure | None:
    """The latest amount stated for `label` before figure i."""
    for f in reversed(figures[:i]):
        if f.kind == "amount" and f.label == label and f.number is not None:
            return f
    return None


@rule("disclosure_change", "error")
def disclosure_change(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    figures = facts.disclosure_figures
    for i, pct in enumerate(figures):
        if pct.kind != "change_pct" or pct.number is None or i == 0:
            continue
        change = figures[i - 1]
        if change.kind != "change" or change.number is None:
            findings += _pct_between_amounts(figures, i)
            continue
        amount = _amount_before(figures, i - 1, change.label)
        if amount is None or amount.number is None or (change.inherited and amount.sentence != change.sentence):
            continue  # a change whose own amount was not read is not checked against an earlier one
        last = amount.number.value - change.number.value
        values = [amount.number.value, abs(change.number.value), abs(pct.number.value), last]
        if abs(last) < 1e-9:
            findings.append(
                make(
                    "disclosure_zero_base_growth",
                    say(
                        "disclosure_zero_base_growth",
                        page=pct.prov.page,
                        rate=f"{fmt(abs(pct.number.value))}%",
                        label=change.label,
                        amount=money(amount.number),
                        change=money(change.number),
                    ),
                    fact_ids=[amount.id, change.id, pct.id],
                    values=values,
                )
            )
            continue
        last_number = Number(value=last, decimals=max(amount.number.decimals, change.number.decimals))
        iv = ratio_pct(Number(value=abs(change.number.value), decimals=change.number.decimals), last_number)
        if iv is None or compare_rate(Number(value=abs(pct.number.value), decimals=pct.number.decimals), iv):
            continue
        computed = 100 * abs(change.number.value) / last
        findings += _rate_finding(
            "disclosure_change",
            abs(pct.number.value),
            computed,
            pct,
            say(
                "disclosure_change",
                page=pct.prov.page,
                label=change.label,
                change=money(change.number),
                rate=f"{printed(pct.number)}%",
                abs_change=money(change.number.model_copy(update={"value": abs(change.number.value)})),
                last=money(last_number),
                computed=pct_text(computed),
            ),
            [amount.id, change.id, pct.id],
            values,
        )
    return findings


def _pct_between_amounts(figures: list[DisclosureFigure], i: int) -> list[Finding]:
    """'上年执行数为A万元，本年安排B万元，比上年执行数增加Y%': Y must equal (B − A) / A. The
    comparison base (比…) names A; B is the amount stated just before the rate."""
    pct = figures[i]
    base = re.sub(r"^.*?\d{4}年度?", "", pct.base)
    if i < 2 or not base or pct.number is None:
        return []
    this, last = figures[i - 1], figures[i - 2]
    if this.kind != "amount" or last.kind != "amount" or this.number is None or last.number is None:
        return []
    if not (last.label.endswith(base) or base.endswith(last.label)) or last.number.value <= 0:
        return []
    decimals = max(this.number.decimals, last.number.decimals)
    change = Number(value=abs(this.number.value - last.number.value), decimals=decimals)
    iv = ratio_pct(change, last.number)
    stated = Number(value=abs(pct.number.value), decimals=pct.number.decimals)
    direction_ok = (this.number.value >= last.number.value) == (pct.number.value >= 0) or change.value < 1e-9
    if iv is None or (direction_ok and compare_rate(stated, iv)):
        return []
    computed = 100 * (this.number.value - last.number.value) / last.number.value
    return _rate_finding(
        "disclosure_change",
        pct.number.value,
        computed,
        pct,
        say(
            "disclosure_change_between",
            page=pct.prov.page,
            this_label=this.label,
            this=money(this.number),
            last_label=last.label,
            last=money(last.number),
            rate=f"{printed(pct.number)}%",
            computed=pct_text(computed),
        ),
        [last.id, this.id, pct.id],
        [last.number.value, this.number.value],
    )


@rule(
    "disclosure_compare_year",
    "warning",
)
def disclosure_compare_year(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    if facts.year is None or not facts.disclosure_cells:
        return []
    for f in facts.disclosure_figures:
        if f.kind in ("change", "change_pct") and f.number is not None and f.base.startswith(f"{facts.year}年"):
            findings.append(
                make(
                    "disclosure_compare_year",
                    say(
                        "disclosure_compare_year",
                        page=f.prov.page,
                        label=f.label,
                        base=f.base,
                        year=facts.year,
                        value=f"{'+' if f.number.value >= 0 else ''}{printed(f.number)}",
                    ),
                    fact_ids=[f.id],
                    values=[abs(f.number.value), float(facts.year)],
                )
            )
    return findings


def _rate_finding(
    rule_id: str, stated: float, computed: float, figure: DisclosureFigure, message: Message, ids: list[str], values
) -> list[Finding]:
    """A stated rate that a truncated (not rounded) last digit explains is rounding, else `rule_id`."""
    decimals = figure.number.decimals if figure.number else 2
    truncated = math.floor(computed * 10**decimals + 1e-9) / 10**decimals
    if abs(truncated - stated) < 1e-9:
        return [make("rounding", message + say("truncated_note"), fact_ids=ids, values=[*values, stated, computed])]
    return [
        make(rule_id, message, fact_ids=ids, values=[*values, stated, computed], reported=stated, computed=computed)
    ]


@rule("disclosure_flat", "error")
def disclosure_flat(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    figures = facts.disclosure_figures
    for f in figures:
        if f.kind != "flat":
            continue
        whole_label = next((w for w in vocab.PART_OF if f.label.endswith(w)), None)
        if whole_label is None:
            continue
        whole = next((a for a in figures if a.kind == "amount" and a.label == f.label and a.number), None)
        cell = _target(facts, whole) if whole is not None else None
        now = cell.number.value if cell else (whole.number.value if whole and whole.number else None)
        if now is None:
            continue
        for part_label in vocab.PART_OF[whole_label]:
            for i, change in enumerate(figures):
                if change.kind != "change" or change.label != part_label or change.number is None:
                    continue
                amount = _amount_before(figures, i, part_label)
                if amount is None or amount.number is None:
                    continue
                last_part = amount.number.value - change.number.value
                if last_part > now + 0.01:
                    findings.append(
                        make(
                            "disclosure_flat",
                            say(
                                "disclosure_flat",
                                page=f.prov.page,
                                label=f.label,
                                now=f"{fmt(now)}万元",
                                part=part_label,
                                amount=money(amount.number),
                                change=money(change.number),
                                last=like(last_part, [amount.number, change.number], "万元"),
                            ),
                            fact_ids=[f.id, amount.id, change.id, *([cell.id] if cell else [])],
                            values=[now, amount.number.value, abs(change.number.value), last_part],
                        )
                    )
    return findings


@rule("disclosure_share", "error")
def disclosure_share(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    figures = facts.disclosure_figures
    for i, share in enumerate(figures):
        if share.kind != "share_pct" or share.number is None:
            continue
        part = _amount_before(figures, i, share.label)
        if part is None or part.number is None:
            continue
        whole = _whole(facts, figures, figures.index(part), share)
        if whole is None:
            continue
        iv = ratio_pct(part.number, whole)
        if iv is None or compare_rate(share.number, iv):
            continue
        computed = 100 * part.number.value / whole.value
        findings += _rate_finding(
            "disclosure_share",
            share.number.value,
            computed,
            share,
            say(
                "disclosure_share",
                page=share.prov.page,
                label=share.label,
                part=money(part.number),
                share=f"{printed(share.number)}%",
                whole=money(whole),
                computed=pct_text(computed),
            ),
            [part.id, share.id],
            [part.number.value, whole.value],
        )
    return findings


def _whole(facts: Facts, figures: list[DisclosureFigure], j: int, share: DisclosureFigure) -> Number | None:
    """What a share is of: the label it names (占本年支出合计的), else the amount stated just
    before the breakdown's first part in the same sentence (本年收入合计X万元，其中：财政拨款收入Y万元，
    占Z%)."""
    if share.base:
        probe = share.model_copy(update={"label": share.base, "kind": "amount"})
        cell = _target(facts, probe)
        return cell.number if cell else None
    k = j - 1
    while k >= 1 and figures[k].kind == "share_pct" and figures[k - 1].kind == "amount":
        k -= 2  # an earlier part of the breakdown and its share
    if k < 0 or figures[k].kind != "amount" or figures[k].number is None:
        return None
    whole, part, first = figures[k], figures[j], figures[min(k + 1, j)]
    if whole.sentence != first.sentence or part.number is None or whole.number.value < part.number.value:
        return None
    return whole.number


@rule(
    "disclosure_rate",
    "error",
)
def disclosure_rate(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    figures = facts.disclosure_figures
    for i, rate in enumerate(figures):
        if rate.kind != "rate_pct" or rate.number is None:
            continue
        budgets = {f.base: f for f in figures[:i] if f.kind == "budget" and f.label == rate.label and f.number}
        spent = _amount_before(figures, i, rate.label)
        budget = budgets.get(rate.base) or budgets.get("initial") or budgets.get("full_year")
        if budget is None or spent is None or budget.number is None or spent.number is None:
            continue
        values = [budget.number.value, rate.number.value, spent.number.value]
        if abs(budget.number.value) < 1e-9:
            if abs(rate.number.value) < 1e-9 and abs(spent.number.value) < 1e-9:
                continue
            others = [f.number.value for b, f in budgets.items() if b != budget.base and f.number]
            findings.append(
                make(
                    "disclosure_zero_base",
                    say("disclosure_zero_base", page=rate.prov.page, label=rate.label, rate=f"{printed(rate.number)}%"),
                    fact_ids=[budget.id, spent.id, rate.id],
                    values=[*values, *others],
                )
            )
            continue
        iv = ratio_pct(spent.number, budget.number)
        if iv is None or compare_rate(rate.number, iv):
            continue
        computed = 100 * spent.number.value / budget.number.value
        findings += _rate_finding(
            "disclosure_rate",
            rate.number.value,
            computed,
            rate,
            say(
                "disclosure_rate",
                page=rate.prov.page,
                label=rate.label,
                rate=f"{printed(rate.number)}%",
                spent=money(spent.number),
                budget=money(budget.number),
                computed=pct_text(computed),
            ),
            [budget.id, spent.id, rate.id],
            values[:1] + values[2:],
        )
    return findings


@rule(
    "disclosure_procurement",
    "error",
)
def disclosure_procurement(facts: Facts) -> list[Finding]:
    total = next(
        (f for f in facts.disclosure_figures if f.kind == "amount" and f.label.startswith("政府采购金额")), None
    )
    if total is None or total.number is None:
        return []
    findings = _procurement_parts(facts, total)
    won = [f for f in facts.disclosure_figures if f.section == "procurement" and f.number is not None]
    computed = sum(f.number.value for f in won if f.number)
    if len(won) < 2 or computed <= total.number.value + 0.01:
        return findings
    return findings + [
        make(
            "disclosure_procurement",
            say(
                "disclosure_procurement_smes",
                page=total.prov.page,
                parts=plus(money(f.number) for f in won if f.number),
                sum=like(computed, [f.number for f in won if f.number], "万元"),
                total=money(total.number),
            ),
            fact_ids=[total.id, *(f.id for f in won)],
            values=[total.number.value, computed],
        )
    ]


@rule(
    "disclosure_vs_budget_wording",
    "error",
)
def disclosure_vs_budget_wording(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    figures = facts.disclosure_figures
    for i, said in enumerate(figures):
        if said.kind != "vs_budget":
            continue
        spent = _amount_before(figures, i, said.label)
        budgets = [f for f in figures[:i] if f.kind == "budget" and f.label == said.label and f.number is not None]
        if spent is None or spent.number is None or not budgets:
            continue
        budget = budgets[-1].number
        outcome = compare_same(spent.number, budget)
        wrong = {
            "less": spent.number.value >= budget.value or outcome == "equal",
            "more": spent.number.value <= budget.value or outcome == "equal",
            "flat": outcome == "mismatch",
            "about": abs(spent.number.value - budget.value) > ABOUT_FLAT * abs(budget.value),
        }[said.base]
        if not wrong:
            continue
        words = {"less": "小于", "more": "大于", "flat": "持平", "about": "基本持平"}[said.base]  # as printed
        findings.append(
            make(
                "disclosure_vs_budget_wording",
                say(
                    "disclosure_vs_budget_wording",
                    page=said.prov.page,
                    label=said.label,
                    words=words,
                    spent=money(spent.number),
                    budget=money(budget),
                ),
                fact_ids=[said.id, spent.id, budgets[-1].id],
                values=[spent.number.value, budget.value],
            )
        )
    return findings


#: 基本持平 (about flat) allows this share of the budget.
ABOUT_FLAT = 0.05


def _procurement_parts(facts: Facts, total: DisclosureFigure) -> list[Finding]:
    """货物 + 工程 + 服务采购金额 = 政府采购金额."""
    parts = [
        f
        for f in facts.disclosure_figures
        if f.kind == "amount"
        and f.number is not None
        and f.sentence == total.sentence
        and plain(f.label) in vocab.PROCUREMENT_KINDS
    ]
    if len(parts) < 2 or total.number is None:
        return []
    computed = sum(f.number.value for f in parts if f.number)
    return for_outcome(
        compare_sum(total.number, [f.number for f in parts if f.number]),
        "disclosure_procurement",
        say(
            "disclosure_procurement",
            page=total.prov.page,
            total=money(total.number),
            sum=like(computed, [f.number for f in parts if f.number], "万元"),
        ),
        fact_ids=[total.id, *(f.id for f in parts)],
        values=[total.number.value, computed],
        reported=total.number.value,
        computed=computed,
        printed_as=[total.number, *(f.number for f in parts if f.number)],
        unit="万元",
    )


@rule(
    "disclosure_items_sum",
    "error",
)
def disclosure_items_sum(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    figures = facts.disclosure_figures
    for i, total in enumerate(figures):
        if total.kind != "budget" or total.number is None or re.search(r"（[类款项]）", total.label):
            continue
        items: list[DisclosureFigure] = []
        for f in figures[i + 1 :]:
            if f.kind in ("purpose", "items", "name"):
                continue  # words, not figures of the section
            if f.section != total.section or (f.kind == "budget" and not f.label.endswith("（项）")):
                break
            if f.kind == "budget" and f.base == total.base and f.number is not None:
                items.append(f)
        parts = [f.number for f in items if f.number is not None]
        if len(parts) < 2 or partial_list(total.number, parts):
            continue
        computed = sum(p.value for p in parts)
        findings += for_outcome(
            compare_sum(total.number, parts),
            "disclosure_items_sum",
            say(
                "disclosure_items_sum",
                page=total.prov.page,
                label=total.label,
                total=money(total.number),
                count=len(parts),
                sum=like(computed, parts, "万元"),
            ),
            fact_ids=[total.id, *(f.id for f in items)],
            values=[total.number.value, computed],
            reported=total.number.value,
            computed=computed,
            printed_as=[total.number, *parts],
            unit="万元",
        )
    return findings


#: How alike a printed name must be to the department's to count as a variant of it.
NAME_SIMILARITY = 0.75


@rule("disclosure_department_name", "warning")
def disclosure_department_name(facts: Facts) -> list[Finding]:
    if not facts.department or not facts.disclosure_cells:
        return []
    name = facts.department
    findings: list[Finding] = []
    seen: set[tuple[str, int | None]] = set()
    first = next((f.prov.page for f in facts.disclosure_figures if f.kind == "name" and f.label.endswith(name)), None)
    for f in facts.disclosure_figures:
        if f.kind != "name" or f.label.endswith(name) or name.endswith(f.label):
            continue
        if SequenceMatcher(None, f.label, name).ratio() < NAME_SIMILARITY:
            continue  # another body's name (a subordinate unit, a hospital), not a misprint of this one
        if (f.label, f.prov.page) in seen:
            continue
        seen.add((f.label, f.prov.page))
        findings.append(
            make(
                "disclosure_department_name",
                say("disclosure_department_name", page=f.prov.page, printed=f.label, first=first, name=name),
                fact_ids=[f.id],
                values=[float(p) for p in (f.prov.page, first) if p is not None],
            )
        )
    return findings
