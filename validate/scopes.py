"""One scope per form: the rules compare "the same quantity" within a scope only.

A file binding many forms (a 部门决算 with a 部门整体 form and dozens of 项目支出绩效自评表) holds
one scope per project form besides the document's own. A project's scope is a small `Facts` of
its own: its funds row as the main amounts (全年预算数, 执行数, 执行率 from the form; the narrative
item restating the project as a second statement), its indicator rows, sections and cost amounts,
and its 总分. Everything else is the document's scope. Indicators of different projects that share
a name are different quantities, and never meet in one scope.
"""

from __future__ import annotations

from pipeline.i18n import t
from pipeline.models import Amount, Facts, Finding, Number, Project, Provenance, TotalScore

# A budget is assigned, not measured: 840 in a funds row means 840.00, not 839.5–840.5.
ASSIGNED = ("initial_budget", "budget")
BUDGET_DECIMALS = 2

# Project field → the main amount key it is in the project's scope.
FUNDS_KEYS = (
    ("initial_budget", "initial_budget", "万元"),
    ("budget", "full_year_budget", "万元"),
    ("executed", "executed", "万元"),
    ("rate_pct", "execution_rate_pct", "%"),
)


def scopes(facts: Facts) -> list[tuple[Project | None, Facts]]:
    """The document's scope and one scope per project form that is a scope of its own. The
    document's scope is named by its form's project when it has one and other forms sit beside it
    (a file of project forms only), else None."""
    separate = facts.project_scopes()
    if not separate:
        return [(None, facts)]
    own = next((p for p in facts.projects if p.document_form), None)
    document = facts.model_copy(
        update={
            "amounts": [a for a in facts.amounts if a.project_id not in separate],
            "indicators": [i for i in facts.indicators if i.project_id not in separate],
            "sections": [s for s in facts.sections if s.project_id not in separate],
            "projects": [p for p in facts.projects if p.id not in separate and p.restates not in separate],
        }
    )
    projects = [p for p in facts.projects if p.id in separate]
    return [(own, document), *((p, project_facts(facts, p)) for p in projects)]


def project_facts(facts: Facts, project: Project) -> Facts:
    """A project form's scope: its funds row as primary amounts, the narrative's restatements of
    it as second statements, its indicator rows, sections and cost amounts, and its 总分."""
    items = [p for p in facts.projects if p.restates == project.id]
    amounts = [*_funds_amounts(project, "form"), *(a for item in items for a in _funds_amounts(item, "narrative"))]
    amounts += [a for a in facts.amounts if a.project_id == project.id]
    return Facts(
        doc_id=facts.doc_id,
        department=facts.department,
        region=facts.region,
        year=facts.year,
        amounts=amounts,
        indicators=[i for i in facts.indicators if i.project_id == project.id],
        sections=[s for s in facts.sections if s.project_id == project.id],
        projects=items,
        total_score=_total(project),
    )


def _funds_amounts(project: Project, source: str) -> list[Amount]:
    """The project's funds numbers as amounts under the main keys (primary when read from its form)."""
    amounts = []
    for name, key, unit in FUNDS_KEYS:
        number: Number | None = getattr(project, name)
        if number is None or (name == "initial_budget" and source == "narrative"):
            continue
        if name in ASSIGNED:
            number = number.model_copy(update={"decimals": max(number.decimals, BUDGET_DECIMALS)})
        amounts.append(
            Amount(
                id=project.id,
                key=key,
                number=number,
                unit=unit,
                source=source,
                primary=source == "form",
                label=project.name,
                prov=_prov(project, name),
                project_id=project.id,
            )
        )
    return amounts


def _total(project: Project) -> TotalScore | None:
    if project.score is None:
        return None
    return TotalScore(id=project.id, number=project.score, weight=project.total_weight, prov=_prov(project, "score"))


def _prov(project: Project, name: str) -> Provenance:
    return project.cells.get(name, project.prov)


def in_scope(project: Project | None, findings: list[Finding]) -> list[Finding]:
    """A project scope's findings name the project first, so a reader knows which form they are about."""
    if project is None:
        return findings
    return [
        f.model_copy(
            update={
                "message": t("finding.in_project", "zh", project=project.name, message=f.message),
                "message_en": t("finding.in_project", "en", project=project.name, message=f.message_en),
            }
        )
        for f in findings
    ]
