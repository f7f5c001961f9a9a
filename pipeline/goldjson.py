"""The gold-schema JSON view of one document's facts (see tests/gold/README.md)."""

from __future__ import annotations

from typing import Any

from extract.amounts import MAIN_KEYS
from extract.project_form import FUNDS_SPLIT
from pipeline.models import Amount, Facts, Finding, Number, Project

PROJECT_NUMBERS = (
    "initial_budget",
    "budget",
    "executed",
    "rate_pct",
    "funds_weight",
    "funds_score",
    "total_weight",
    "score",
)


def _num(n: Number | None) -> float | None:
    return None if n is None else n.value


def _amount(a: Amount) -> dict[str, Any]:
    return {"value": a.number.value, "quote": a.prov.raw}


def _project(p: Project) -> dict[str, Any]:
    """A project row: the funds row and 总分 of its form (or the narrative item's numbers)."""
    row: dict[str, Any] = {"id": p.id, "name": p.name}
    if p.title:
        row["title"] = p.title
    row.update({name: _num(getattr(p, name)) for name in PROJECT_NUMBERS})
    row["rate"] = row.pop("rate_pct")
    return row


def to_gold_json(doc_name: str, facts: Facts | None, findings: list[Finding]) -> dict[str, Any]:
    """One JSON object in the gold schema, with `findings` in place of `inconsistencies`.

    The document's amounts and sections are its own: those read from a project form that is a
    scope of its own (a file binding many forms) are in that project's row, not here, and the rows
    under a form's funds row (funds_split_*) are the form's breakdown, not other mentions. Indicator
    rows name their project (`project_id`, `project`); a narrative item restating a form's project
    is listed under `restatements`, not as a project."""
    facts = facts or Facts(doc_id="")
    scopes = facts.project_scopes()
    names = {p.id: p.name for p in facts.projects}
    primary = {a.key: a for a in facts.amounts if a.primary}
    amounts: dict[str, Any] = {key: _amount(primary[key]) if key in primary else None for key in MAIN_KEYS}
    amounts["other_mentions"] = [
        {"key": a.key, "value": a.number.value, "quote": a.prov.raw}
        for a in facts.amounts
        if not a.primary and a.project_id not in scopes and not a.key.startswith(FUNDS_SPLIT)
    ]
    return {
        "doc": doc_name,
        "department": facts.department,
        "region": facts.region,
        "year": facts.year,
        "amounts": amounts,
        "indicators": [
            {
                "level1": i.level1,
                "level2": i.level2,
                "level3": i.level3,
                "target": i.target,
                "actual": i.actual,
                "weight": _num(i.weight),
                "score": _num(i.score),
                "deviation_reason": i.deviation_reason,
                "table": i.table_seq,
                "table_kind": i.table_kind,
                "project_id": i.project_id,
                "project": names.get(i.project_id),
            }
            for i in facts.indicators
        ],
        "section_weights": [
            {
                "level1": s.level1,
                **({"level2": s.level2} if s.level2 else {}),
                "weight": _num(s.weight),
                **({"score": s.score.value} if s.score else {}),
            }
            for s in facts.sections
            if s.project_id not in scopes
        ],
        "projects": [_project(p) for p in facts.projects if p.restates is None],
        "restatements": [{**_project(p), "restates": p.restates} for p in facts.projects if p.restates is not None],
        "line_items": [{"parent": li.parent, "name": li.name, "value": li.number.value} for li in facts.line_items],
        "total_score": (
            {"value": facts.total_score.number.value, "quote": facts.total_score.prov.raw}
            if facts.total_score
            else None
        ),
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "message": f.message,
                "message_en": f.message_en or f.message,
                "values": f.values,
            }
            for f in findings
        ],
    }
