"""The gold-schema JSON view of one document's facts (see tests/gold/README.md)."""

from __future__ import annotations

from typing import Any

from extract.amounts import MAIN_KEYS
from pipeline.models import Amount, Facts, Finding, Number


def _num(n: Number | None) -> float | None:
    return None if n is None else n.value


def _amount(a: Amount) -> dict[str, Any]:
    return {"value": a.number.value, "quote": a.prov.raw}


def to_gold_json(doc_name: str, facts: Facts | None, findings: list[Finding]) -> dict[str, Any]:
    """One JSON object in the gold schema, with `findings` in place of `inconsistencies`."""
    facts = facts or Facts(doc_id="")
    primary = {a.key: a for a in facts.amounts if a.primary}
    amounts: dict[str, Any] = {key: _amount(primary[key]) if key in primary else None for key in MAIN_KEYS}
    amounts["other_mentions"] = [
        {"key": a.key, "value": a.number.value, "quote": a.prov.raw} for a in facts.amounts if not a.primary
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
        ],
        "projects": [
            {"name": p.name, "budget": _num(p.budget), "executed": _num(p.executed), "score": _num(p.score)}
            for p in facts.projects
        ],
        "line_items": [{"parent": li.parent, "name": li.name, "value": li.number.value} for li in facts.line_items],
        "total_score": (
            {"value": facts.total_score.number.value, "quote": facts.total_score.prov.raw}
            if facts.total_score
            else None
        ),
        "findings": [
            {"rule": f.rule, "severity": f.severity, "message": f.message, "values": f.values} for f in findings
        ],
    }
