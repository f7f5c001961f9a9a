"""Project-level forms (项目支出绩效自评表) → `Project` facts.

A project form names its project in a 项目名称 cell and is titled 项目支出绩效自评表; its funds row
(年度资金总额: 年初预算数 / 全年预算数 / 全年执行数 / 执行率) gives the project's budget and spending,
and its 总分 得分 the project's score. A form whose name or title says 部门整体 is the department's.
"""

from __future__ import annotations

import re

from extract.cells import clean
from extract.vocabulary import PROJECT_FORM_TITLE
from pipeline.models import Amount, Document, Project, Table, TotalScore


def project_name(doc: Document, table: Table) -> str | None:
    """The project a form table evaluates, or None for a department form or another table."""
    grid = table.grid()
    name = None
    for row in grid[:4]:
        for c, cell in enumerate(row[:-1]):
            if cell and re.sub(r"\s", "", cell.text) == "项目名称" and row[c + 1] not in (None, cell):
                name = clean(row[c + 1].text)
                break
        if name:
            break
    start = table.char_start or 0
    title = doc.text[max(0, start - 300) : start] + " ".join(clean(c.text) or "" for c in table.cells if c.row == 0)
    if not name or "部门整体" in name or "部门整体" in title or not PROJECT_FORM_TITLE.search(title):
        return None
    return name


def project_from_form(name: str, amounts: list[Amount], total: TotalScore | None) -> Project | None:
    """The project's numbers from its form's funds row and 总分."""
    by_key = {a.key: a for a in amounts}
    budget = by_key.get("full_year_budget") or by_key.get("initial_budget")
    if budget is None and total is None:
        return None
    sources = {
        "budget": budget,
        "executed": by_key.get("executed"),
        "rate_pct": by_key.get("execution_rate_pct"),
        "score": total,
    }
    cells = {field: fact.prov for field, fact in sources.items() if fact is not None}
    values = {field: _number(fact) for field, fact in sources.items()}
    return Project(name=name, prov=next(iter(cells.values())), cells=cells, **values)


def _number(fact: Amount | TotalScore | None):
    return fact.number if fact is not None else None
