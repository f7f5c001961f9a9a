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
  - cost indicators (成本指标 rows): `cost_indicator_<n>` for 万元 amounts in target/actual;
  - 元 tables: `table_yuan_<column>_<row label>` (Number.scale = 1e-4).
  A narrative restatement of a primary value under the same key is not emitted.
* `Indicator` rows of every indicator table (`table_seq`, `table_kind` form / completed /
  uncompleted / other), with per-field cell provenance in `cells`; then the narrative's indicator
  paragraphs (数量指标“…”（3分）：年初目标值为…), `table_kind` narrative, sharing one table_seq.
* `SectionScore`: level-1 weights (and level-2 where annotated), 预算执行 from the funds row, scores
  from a 评分结果一览表.
* `TotalScore`: 总分 得分 of the department form, else the summary table, else the narrative
  (…得分96分).
* `Project`: project-level forms (项目支出绩效自评表: 项目名称, funds row, 总分 → score; per-field
  provenance in `Project.cells`) and project self-evaluations in the narrative (name, budget,
  executed, rate, score). A project form's funds row is the document's main amounts only when the
  document is that one project's self-evaluation (one project form, no other funds table).
* `LineItem`: itemised amounts (其中：A X万元；B Y万元) under their parent; rows of an 按经济分类 元 table.
* `Mention`: quantities with units in the narrative (kind quantity), counts of things (kind count:
  "专项业务费项目17个", "综上14个产出明细指标"), and garbled numbers (kind garbled: "C2₁万元").
"""

from __future__ import annotations

from extract import meta
from extract.amounts import choose_primary
from extract.budget_text import budget_amounts, fund_statements
from extract.disclosure import extract_disclosure
from extract.form import extract_form_amounts, funds_amounts
from extract.indicator_text import narrative_indicators
from extract.indicators import cost_indicator_amounts, extract_indicators
from extract.line_items import extract_line_items
from extract.narrative import extract_mentions, extract_projects, narrative_total, single_project_report
from extract.paragraphs import paragraphs
from extract.project_form import project_from_form, project_name
from extract.project_list import list_projects
from extract.recover import add_recovered_tables
from extract.scores import extract_score_summary
from extract.yuan_table import extract_yuan_tables
from pipeline.models import Document, Facts, Project, SectionScore, TotalScore


def extract_facts(doc: Document) -> Facts:
    """All deterministic facts of a document, with ids assigned."""
    add_recovered_tables(doc)  # forms run together in the text, as grids the parsers below read
    facts = Facts(doc_id=doc.doc_id, year=meta.year(doc))
    facts.department = meta.department(doc)
    facts.region = meta.region(facts.department)

    indicators = extract_indicators(doc)
    project_tables = {t.index: name for t in doc.tables if (name := project_name(doc, t))}
    form_projects = _form_projects(doc, project_tables, indicators.totals)
    form_amounts, budget_sections = extract_form_amounts(doc, skip=_not_the_documents(doc, project_tables))
    summary_sections, summary_total = extract_score_summary(doc)
    yuan_amounts, yuan_items = extract_yuan_tables(doc)

    paras = paragraphs(doc)
    projects, project_paras = extract_projects(doc, paras)
    line_items = extract_line_items(doc, paras)
    budget_paras = [p for p in paras if p.start not in project_paras | line_items.used]
    narrative = [*budget_amounts(doc, budget_paras), *line_items.amounts, *yuan_amounts]

    next_seq = 1 + max((i.table_seq for i in indicators.indicators), default=-1)
    facts.indicators = [*indicators.indicators, *narrative_indicators(doc, budget_paras, next_seq)]
    facts.amounts = choose_primary(
        form_amounts, narrative, cost_indicator_amounts(indicators.indicators), fund_statements(doc, budget_paras)
    )
    facts.sections = merge_sections([*budget_sections, *indicators.sections, *summary_sections])
    form_total = next((t for i, t in indicators.totals.items() if i not in project_tables), None)
    facts.total_score = form_total or summary_total or narrative_total(doc, budget_paras)
    facts.projects = [*form_projects, *list_projects(doc, skip=set(project_tables)), *projects]
    single_project_report(doc, paras, facts)
    facts.line_items = [*line_items.items, *yuan_items]
    facts.mentions = extract_mentions(doc, paras)
    facts.disclosure_cells, facts.disclosure_figures = extract_disclosure(doc)
    assign_ids(facts)
    return facts


def _not_the_documents(doc: Document, project_tables: dict[int, str]) -> set[int]:
    """Project forms whose funds are not the document's main amounts: all of them, unless the
    document is one project's self-evaluation (a single project form and no other funds table)."""
    if len(project_tables) != 1:
        return set(project_tables)
    others = [t for t in doc.tables if t.index not in project_tables and funds_amounts(doc, t)]
    return set(project_tables) if others else set()


def _form_projects(doc: Document, tables: dict[int, str], totals: dict[int, TotalScore]) -> list[Project]:
    """One project per project-level form table: its funds row and its 总分."""
    projects = []
    for index, name in tables.items():
        funds = funds_amounts(doc, doc.tables[index])
        project = project_from_form(name, funds[0] if funds else [], totals.get(index))
        if project is not None:
            projects.append(project)
    return projects


def merge_sections(sections: list[SectionScore]) -> list[SectionScore]:
    """One section per (level1, level2): the first weight, and a score from any source."""
    merged: dict[tuple[str, str | None], SectionScore] = {}
    for section in sections:
        key = (section.level1, section.level2)
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
