"""Extraction: Document → Facts. Deterministic parsers first (form tables, budget sentences),
then, optionally, the LLM over narrative chunks.

What the deterministic stage emits (stable keys; validators rely on them):

* `Amount` (万元 or %). Main keys, `primary=True` for the one chosen per key (form beats narrative):
  initial_budget, full_year_budget, executed, execution_rate_pct, basic_expenditure,
  project_expenditure, income_general_public, income_gov_fund, income_other. Other keys are
  `primary=False`:
  - form splits: income_special_account_nontax, income_superior_subsidy, income_other_funds (the
    one chosen as income_other is re-keyed), and any main key restated with a different value;
  - narrative: `<phase>_<category>` with phase in initial / full_year / executed / adj (signed:
    调减 negative) and category in total, income, basic, project, personnel, public_funds,
    basic_support, general_public, gov_fund, other_income, carryover (e.g. initial_income,
    adj_personnel, full_year_basic); `midyear_adjustment` (年中/中期调整, 核减); a narrative
    restatement of a main key with a different value is `narrative_<main key>`; project
    categories `project_category_<name>`;
  - cost indicators (成本指标 rows of a department form or table; a project form's are parts of its
    own funds row): `cost_indicator_<n>` for 万元 amounts in target/actual;
  - 元 tables: `table_yuan_<column>_<row label>` (Number.scale = 1e-4).
  A narrative restatement of a primary value under the same key is not emitted.
* `Indicator` rows of every indicator table (`table_seq`, `table_kind` form / completed /
  uncompleted / other), with per-field cell provenance in `cells`; then the narrative's indicator
  paragraphs (数量指标“…”（3分）：年初目标值为…), `table_kind` narrative, sharing one table_seq.
* `SectionScore`: level-1 weights (and level-2 where annotated), 预算执行 from the funds row, scores
  from a 评分结果一览表.
* `TotalScore`: 总分 得分 of the department form (or of the one project form that is the
  document), else the summary table, else the narrative (…得分96分).
* `Project`: project-level forms (项目支出绩效自评表, 专项资金绩效自评表: 项目名称, funds row with
  年初/全年预算数, 执行数, 执行率, 分值, 得分, and 总分 → score; per-field provenance in
  `Project.cells`) and project self-evaluations in the narrative (name, budget, executed, rate,
  score); a narrative item restating a form's project names it in `restates`. A target form
  (项目支出绩效目标申报表, 绩效目标表: targets only) is a project with its name and, where printed,
  its funds for the year (本年度项目金额) as `budget`; no spending, no score.
* Scopes: each form is a scope (extract/project_form.py). Indicator rows, sections and cost
  amounts read from a project form carry the project's id (`project_id`). A project form's funds
  row is the document's main amounts only when the form is the document (`Project.document_form`):
  the one project form of a single project's self-evaluation, or the first of a file holding
  project forms only; in a department's report or 决算 binding many forms the main amounts are the
  department form's (or the narrative's).
* `LineItem`: itemised amounts (其中：A X万元；B Y万元) under their parent; rows of an 按经济分类 元 table;
  the task rows a department form's funds total itemises (under 全年预算数, extract/department_form.py);
  the rows of a money detail table (序号 | 培训机构 | … | 补助资金, extract/money_table.py).
* `Mention`: quantities with units in the narrative (kind quantity), counts of things (kind count:
  "专项业务费项目17个", "综上14个产出明细指标"), and garbled numbers (kind garbled: "C2₁万元").
"""

from __future__ import annotations

from extract import meta
from extract.amounts import choose_primary
from extract.budget_text import budget_amounts, fund_statements
from extract.department_form import department_money
from extract.disclosure import extract_disclosure, standard_tables
from extract.form import Funds, extract_form_amounts, funds_amounts, funds_columns
from extract.indicator_text import narrative_indicators
from extract.indicators import cost_indicator_amounts, extract_indicators, find_header
from extract.line_items import extract_line_items
from extract.money_table import money_table_items
from extract.narrative import extract_mentions, extract_projects, narrative_total, single_project_report
from extract.paragraphs import paragraphs
from extract.project_form import (
    Form,
    find_forms,
    form_total,
    funds_splits,
    link_restatements,
    project_from_form,
    target_funds,
)
from extract.project_list import list_projects
from extract.recover import add_recovered_tables
from extract.scores import extract_score_summary
from extract.yuan_table import extract_yuan_tables
from pipeline.models import Amount, Document, Facts, Indicator, Project, SectionScore, TotalScore


def extract_facts(doc: Document) -> Facts:
    """All deterministic facts of a document, with ids assigned and each form's facts linked to
    its project (`project_id`)."""
    add_recovered_tables(doc)  # forms run together in the text, as grids the parsers below read
    facts = Facts(doc_id=doc.doc_id, year=meta.year(doc))
    facts.department = meta.department(doc)
    facts.region = meta.region(doc, facts.department)

    forms = find_forms(doc)
    indicators = extract_indicators(doc, frozenset(t for f in forms for t in f.tables[1:]))
    funds = {t.index: funds_amounts(doc, t) for t in doc.tables}  # each table's funds row, read once
    project_forms = [f for f in forms if f.kind == "project" and _is_scored(doc, f, indicators.totals, funds)]
    own_form = _the_documents_form(doc, forms, project_forms, funds)
    skip = {t for f in project_forms if f is not own_form for t in f.tables}
    form_amounts, budget_sections = extract_form_amounts(doc, skip=skip)
    costs = cost_indicator_amounts(indicators.indicators)
    form_projects, form_sections, table_project = _form_projects(
        doc, project_forms, own_form, indicators.totals, costs, funds
    )
    summary_sections, summary_total = extract_score_summary(doc)
    yuan_amounts, yuan_items = extract_yuan_tables(doc)

    paras = paragraphs(doc)
    projects, project_paras = extract_projects(doc, paras)
    line_items = extract_line_items(doc, paras)
    budget_paras = [p for p in paras if p.start not in project_paras | line_items.used]
    narrative = [*budget_amounts(doc, budget_paras), *line_items.amounts, *yuan_amounts]

    next_seq = 1 + max((i.table_seq for i in indicators.indicators), default=-1)
    facts.indicators = [*indicators.indicators, *narrative_indicators(doc, budget_paras, next_seq)]
    splits = [a for p in form_projects for a in funds_splits(doc, p)]
    department_tables = [t for f in forms if f.kind == "department" for t in f.tables]
    task_items, column_splits = department_money(doc, department_tables)
    form_tables = {t for f in project_forms for t in f.tables}
    # a project form's cost rows are parts of its own funds row, read in its indicator rows
    department_costs = [a for a in costs if a.prov.table not in form_tables]
    facts.amounts = [
        *choose_primary(form_amounts, narrative, department_costs, fund_statements(doc, budget_paras)),
        *column_splits,
        *splits,
    ]
    sections = [*budget_sections, *form_sections, *indicators.sections, *summary_sections]
    facts.sections = merge_sections(sections, {t: id(p) for t, p in table_project.items()})
    form_total = next(
        (t for i, t in indicators.totals.items() if i not in table_project or table_project[i].document_form), None
    )
    facts.total_score = form_total or summary_total or narrative_total(doc, budget_paras)
    listed = list_projects(doc, skip=form_tables)
    facts.projects = [*form_projects, *listed, *projects]
    single_project_report(doc, paras, facts)
    money_items = money_table_items(doc, skip={t for f in forms for t in f.tables})
    facts.line_items = [*line_items.items, *yuan_items, *task_items, *money_items]
    facts.mentions = extract_mentions(doc, paras)
    facts.disclosure_cells, facts.disclosure_figures = extract_disclosure(doc)
    assign_ids(facts)
    link_restatements([*listed, *projects], form_projects)
    _link_to_projects(facts, table_project)
    return facts


def _is_scored(doc: Document, form: Form, totals: dict[int, TotalScore], funds: dict[int, Funds | None]) -> bool:
    """A project form that evaluates: it has a funds row or a 总分 (a table that merely lists
    项目名称 under such a heading is not one), or a target form (绩效目标申报表) with its targets."""
    if form.targets_only:
        return any(find_header(doc.tables[t]) for t in form.tables)
    return any(t in totals or funds[t] is not None for t in form.tables) or (form_total(doc, form) is not None)


def _the_documents_form(
    doc: Document, forms: list[Form], project_forms: list[Form], funds: dict[int, Funds | None]
) -> Form | None:
    """The project form that is the document itself, whose funds row gives the main amounts:
    the one project form of a single project's self-evaluation, or the first form of a file that
    holds project self-evaluations only (no 部门整体 form, nothing that makes it a department's
    report or a budget disclosure). Else None: a file binding forms into a department's report or
    决算 keeps its own main amounts. In either case no funds table may lie outside the forms."""
    if not project_forms:
        return None
    own = {t for f in project_forms for t in f.tables}
    if any(found for t, found in funds.items() if t not in own):
        return None
    if len(project_forms) == 1 or _project_forms_only(doc, forms):
        return project_forms[0]
    return None


def _project_forms_only(doc: Document, forms: list[Form]) -> bool:
    """No department form, no department-report words, no standard disclosure table."""
    if any(f.kind == "department" for f in forms):
        return False
    if meta.is_department_report(doc):
        return False
    return not standard_tables(doc)


def _form_projects(
    doc: Document,
    forms: list[Form],
    own_form: Form | None,
    totals: dict[int, TotalScore],
    costs: list[Amount],
    table_funds: dict[int, Funds | None],
) -> tuple[list[Project], list[SectionScore], dict[int, Project]]:
    """One project per project form (its funds row, 分值/得分 and 总分; a target form's funds for
    the year, checked against its 成本 targets `costs`), the 预算执行 sections of the forms that are
    scopes of their own, and the project of every table of a form."""
    projects: list[Project] = []
    sections: list[SectionScore] = []
    table_project: dict[int, Project] = {}
    for form in forms:
        funds = next((f for t in form.tables if (f := table_funds[t]) is not None), None)
        if form.targets_only:
            budget = target_funds(doc, form, costs)
            funds = ([budget], None) if budget is not None else None
        total = next((totals[t] for t in form.tables if t in totals), None) or form_total(doc, form)
        full_year = any("full_year_budget" in funds_columns(doc.tables[t]) for t in form.tables if table_funds[t])
        project = project_from_form(form, funds, total, full_year)
        if project is None:
            continue
        project.document_form = form is own_form
        projects.append(project)
        table_project.update({t: project for t in form.tables})
        if funds is not None and funds[1] is not None and form is not own_form:
            sections.append(funds[1])
    return projects, sections, table_project


def _link_to_projects(facts: Facts, table_project: dict[int, Project]) -> None:
    """Each fact read from a project form's table carries that project's id."""
    scoped: list[Amount | Indicator | SectionScore] = [*facts.amounts, *facts.indicators, *facts.sections]
    for fact in scoped:
        project = table_project.get(fact.prov.table) if fact.prov.table is not None else None
        if project is not None:
            fact.project_id = project.id


def merge_sections(sections: list[SectionScore], table_scope: dict[int, int] | None = None) -> list[SectionScore]:
    """One section per (form scope, level1, level2): the first weight, and a score from any source.
    `table_scope` maps a table to its form's scope; sections of other tables share the document's."""
    table_scope = table_scope or {}
    merged: dict[tuple[int | None, str, str | None], SectionScore] = {}
    for section in sections:
        scope = table_scope.get(section.prov.table) if section.prov.table is not None else None
        key = (scope, section.level1, section.level2)
        if key not in merged:
            merged[key] = section.model_copy(deep=True)
            continue
        kept = merged[key]
        for name in ("weight", "score"):
            if getattr(kept, name) is None and getattr(section, name) is not None:
                setattr(kept, name, getattr(section, name))
                if name in section.cells:
                    kept.cells[name] = section.cells[name]
    return list(merged.values())


def assign_ids(facts: Facts) -> None:
    """Give every fact a short id unique within its document (a1, i3, p2 …)."""
    groups = {
        "a": facts.amounts,
        "i": facts.indicators,
        "s": facts.sections,
        "p": facts.projects,
        "l": facts.line_items,
        "m": facts.mentions,
    }
    for prefix, items in groups.items():
        for n, item in enumerate(items, start=1):
            item.id = f"{prefix}{n}"
    if facts.total_score is not None:
        facts.total_score.id = "t1"
