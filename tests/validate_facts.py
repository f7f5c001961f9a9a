"""Small builders of hand-made Facts for the validation tests."""

from __future__ import annotations

from extract import assign_ids
from pipeline.models import (
    Amount,
    Facts,
    Indicator,
    LineItem,
    Mention,
    Number,
    Project,
    Provenance,
    SectionScore,
    TotalScore,
)

PROV = Provenance(doc_id="test", method="table", raw="")


def num(text: str | float | None) -> Number | None:
    """A number as printed: '2048.73' keeps 2 decimals, '2790' none."""
    if text is None:
        return None
    text = str(text)
    return Number(value=float(text), decimals=len(text.split(".")[1]) if "." in text else 0)


def amount(key: str, text: str, source: str = "form", primary: bool = True, label: str = "") -> Amount:
    unit = "%" if key.endswith("_pct") else "万元"
    return Amount(key=key, number=num(text), unit=unit, source=source, primary=primary, label=label, prov=PROV)


def row(
    level3: str,
    target: str | None,
    actual: str | None,
    weight: str | None = None,
    score: str | None = None,
    level1: str = "产出指标",
    level2: str = "数量指标",
    table_seq: int = 0,
    table_kind: str = "form",
) -> Indicator:
    return Indicator(
        table_seq=table_seq,
        table_kind=table_kind,
        row_seq=0,
        level1=level1,
        level2=level2,
        level3=level3,
        target=target,
        actual=actual,
        weight=num(weight),
        score=num(score),
        prov=PROV,
    )


def section(level1: str, weight: str | None, score: str | None = None, level2: str | None = None) -> SectionScore:
    return SectionScore(level1=level1, level2=level2, weight=num(weight), score=num(score), prov=PROV)


def project(name: str, budget: str, executed: str, rate: str | None = None, score: str | None = None) -> Project:
    return Project(
        name=name, budget=num(budget), executed=num(executed), rate_pct=num(rate), score=num(score), prov=PROV
    )


def item(parent: str, name: str, text: str) -> LineItem:
    return LineItem(parent=parent, name=name, number=num(text), prov=PROV)


def mention(kind: str, label: str, text: str | None, unit: str = "", raw: str = "") -> Mention:
    prov = PROV.model_copy(update={"raw": raw or f"{label}{text or ''}{unit}"})
    return Mention(kind=kind, label=label, number=num(text), unit=unit, prov=prov)


def total(text: str, weight: str | None = None) -> TotalScore:
    return TotalScore(number=num(text), weight=num(weight), prov=PROV)


def facts(**fields) -> Facts:
    """Facts with ids assigned, from keyword lists (amounts=[...], indicators=[...], total_score=...)."""
    built = Facts(doc_id="test", **fields)
    assign_ids(built)
    return built


def by_rule(findings, rule_id: str) -> list:
    return [f for f in findings if f.rule == rule_id]


def has_values(finding, *values: float) -> bool:
    return all(any(abs(v - x) <= 0.005 for x in finding.values) for v in values)
