"""Project-list tables (a table of projects with their funds and scores) → `Project` facts.

Reports on several projects (重点绩效评价 of a finance bureau, a department's project summary)
list them in one table: 序号 | 项目名称 | 主管部门 | 资金规模(万元) | 评分 | 评级. Columns are found by
the header words of `PROJECT_LIST_COLUMNS`; a project's name is its cell with the line-break
spaces of the flattening removed, amounts are in the unit the header prints (万元, or 元 → 万元).
A row cut off by the end of the excerpt keeps its name; its missing numbers stay empty.
"""

from __future__ import annotations

import re

from extract.cells import cell_number, clean
from extract.numbers import to_number
from extract.prov import cell_prov
from extract.vocabulary import (
    EXPENDITURE_ROW_LABELS,
    FORM_UNIT,
    FUNDS_ROW_LABELS,
    FUNDS_SUBROW_LABELS,
    FUNDS_SUBROW_PREFIX,
    PROJECT_LIST_COLUMNS,
    TOTAL_ROW,
)
from pipeline.models import Cell, Document, Project, Table

_NUMBER_FIELDS = ("budget", "executed", "score")


def list_projects(doc: Document, skip: set[int]) -> list[Project]:
    """Projects of every project-list table but those in `skip` (project forms)."""
    projects: list[Project] = []
    for table in doc.tables:
        if table.index not in skip:
            projects.extend(_table_projects(doc, table))
    return projects


def _header(table: Table) -> tuple[int, dict[str, int]] | None:
    """The header row (a name column and a budget, executed or score column) and its columns."""
    for r, row in enumerate(table.grid()[:3]):
        columns: dict[str, int] = {}
        for c, cell in enumerate(row):
            text = re.sub(r"\s+", "", clean(cell.text) or "") if cell else ""
            if not text or (c > 0 and row[c - 1] is cell):
                continue
            field = next((f for f, words in PROJECT_LIST_COLUMNS if any(w in text for w in words)), None)
            if field and field not in columns:
                columns[field] = c
        filled = {id(cell) for cell in row if cell is not None and (clean(cell.text) or "")}
        if "name" in columns and set(columns) & set(_NUMBER_FIELDS) and len(filled) >= 3:
            return r, columns
    return None


def _table_projects(doc: Document, table: Table) -> list[Project]:
    header = _header(table)
    if header is None:
        return []
    header_row, columns = header
    grid = table.grid()
    scales = {f: _scale(grid[header_row][c]) for f, c in columns.items()}
    projects: list[Project] = []
    for row in grid[header_row + 1 :]:
        name_cell = row[columns["name"]]
        name = re.sub(r"\s+", "", clean(name_cell.text) or "") if name_cell else ""
        if not name or cell_number(name) is not None or _is_funds_label(name):
            continue
        values: dict[str, object] = {}
        cells = {"name": cell_prov(doc, table, name_cell)}
        for field in _NUMBER_FIELDS:
            cell = row[columns[field]] if field in columns and columns[field] < len(row) else None
            number = cell_number(cell.text) if cell else None
            if cell is not None and number is not None:
                values[field] = to_number(number, 1.0 if field == "score" else scales[field])
                cells[field] = cell_prov(doc, table, cell)
        projects.append(Project(name=name, prov=cells["name"], cells=cells, **values))
    return projects


def _is_funds_label(name: str) -> bool:
    """A total or funding-source row (合计, 年度资金总额, 其中：财政拨款, 基本支出 …), not a project."""
    name = FUNDS_SUBROW_PREFIX.sub("", name)
    return bool(
        TOTAL_ROW.match(name)
        or any(w in name for w in FUNDS_ROW_LABELS)
        or any(name.startswith(w) for w in (*FUNDS_SUBROW_LABELS, *EXPENDITURE_ROW_LABELS))
    )


def _scale(cell: Cell | None) -> float:
    """1e-4 for a column printed in 元 ('资金(元)'), else 1 (万元, or no unit)."""
    found = FORM_UNIT.search(re.sub(r"\s+", "", cell.text)) if cell else None
    return 1e-4 if found and (found.group(1) or found.group(2)) == "元" else 1.0
