"""Scoring rules: no score above its weight, row weights add up to their section, sections to
100, and the scores (with the budget-execution score) add up to the stated total."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.models import Facts, Finding, Indicator, Number, SectionScore
from validate.findings import Message, for_outcome, like, make, plus, printed, say
from validate.intervals import compare_sum, of
from validate.lookup import budget_section, level1_sections, name, scored_tables
from validate.registry import rule

FULL_MARKS = Number(value=100, decimals=2)


def _shown(n: Number) -> str:
    """A score or weight as printed; the full marks assumed when none is printed read 100."""
    return "100" if n is FULL_MARKS else printed(n)


def _points(n: Number) -> Number:
    """Scores and weights are assigned, not measured: an integer 9 means 9.00, not 8.5–9.5."""
    return n.model_copy(update={"decimals": max(n.decimals, 2)})


def _rows_under(rows: list[Indicator], section: SectionScore) -> list[Indicator]:
    return [
        r
        for r in rows
        if name(r.level1) == name(section.level1) and (not section.level2 or name(r.level2) == name(section.level2))
    ]


def _section_rows(facts: Facts) -> Iterator[tuple[SectionScore, list[Indicator]]]:
    """Each section with the scored rows under it. With several scored tables (project forms
    beside the department form) a section only covers rows of the table it was read from."""
    tables = list(scored_tables(facts).values())
    for section in facts.sections:
        if len(tables) > 1:
            source = section.prov.table
            candidates = [rows for rows in tables if source is not None and rows[0].prov.table == source]
        else:
            candidates = tables
        for rows in candidates:
            under = _rows_under(rows, section)
            if under:
                yield section, under


@rule("score_exceeds_weight", "error")
def score_exceeds_weight(facts: Facts) -> list[Finding]:
    items: list[tuple[str, Message, Number | None, Number | None]] = [
        (i.id, say("of_indicator", name=i.level3 or i.level2 or ""), i.score, i.weight) for i in facts.indicators
    ]
    items += [(s.id, say("of_section", name=s.level2 or s.level1), s.score, s.weight) for s in facts.sections]
    # a total is compared with its printed 分值 only: without one, bonus points (加分项) can lift it past 100
    if facts.total_score is not None:
        t = facts.total_score
        items.append((t.id, say("of_total"), t.number, t.weight))
    items += [(p.id, say("of_project", name=p.name), p.score, p.total_weight) for p in facts.projects]
    return [
        make(
            "score_exceeds_weight",
            label + say("score_exceeds_weight", score=printed(score), weight=_shown(weight)),
            fact_ids=[fact_id],
            values=[score.value, weight.value],
            reported=score.value,
            computed=weight.value,
        )
        for fact_id, label, score, weight in items
        if score is not None and weight is not None and of(_points(score)).lo > of(_points(weight)).hi
    ]


@rule("weights_sum_vs_section", "error")
def weights_sum_vs_section(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for section, under in _section_rows(facts):
        if section.weight is not None and all(r.weight is not None for r in under):
            if _groups_without_rows(facts, section, under):
                continue
            findings += _sum_check(
                "weights_sum_vs_section",
                say("rows_weights", count=len(under), section=section.level2 or section.level1),
                section.weight,
                [r.weight for r in under],
                [section.id, *(r.id for r in under)],
            )
    for section in level1_sections(facts):
        subs = [s for s in facts.sections if s.level2 and name(s.level1) == name(section.level1)]
        if section.weight is not None and subs and all(s.weight is not None for s in subs):
            if not _covers_its_rows(facts, section, subs):
                continue
            findings += _sum_check(
                "weights_sum_vs_section",
                say("subsection_weights", section=section.level1),
                section.weight,
                [s.weight for s in subs],
                [section.id, *(s.id for s in subs)],
            )
    return findings


def _groups_without_rows(facts: Facts, section: SectionScore, under: list[Indicator]) -> bool:
    """A level-1 section announces a level-2 group by its weight (服务对象满意度指标(10分)) whose
    rows were not read (the excerpt ends, a row was left out): its rows are not all there."""
    if section.level2:
        return False
    groups = {name(r.level2) for r in under}
    return any(
        s.level2 and name(s.level1) == name(section.level1) and name(s.level2) not in groups for s in facts.sections
    )


def _covers_its_rows(facts: Facts, section: SectionScore, subs: list[SectionScore]) -> bool:
    """The level-2 sections printing a weight are all of the section's groups: every scored row
    under it stands in one of them. A group without a weight annotation (社会效益指标 beside
    服务对象满意度指标(10分)), or a row whose level-2 name was not read, leaves the sum incomplete."""
    names = {name(s.level2) for s in subs}
    rows = [r for rows in scored_tables(facts).values() for r in rows if name(r.level1) == name(section.level1)]
    return all(name(r.level2) in names for r in rows)


@rule("sections_sum_vs_100", "error")
def sections_sum_vs_100(facts: Facts) -> list[Finding]:
    sections = [s for s in level1_sections(facts) if s.weight is not None]
    expected = facts.total_score.weight if facts.total_score and facts.total_score.weight else FULL_MARKS
    weights = [s.weight for s in sections]
    if len(sections) < 2:
        return []
    computed = sum(w.value for w in weights)
    if computed < expected.value and (budget_section(facts) is None or facts.total_score is None):
        # short of the total: the budget-execution points are stated elsewhere, or, with no 总分
        # printed, the form may be cut (an excerpt, a page missing) — not a contradiction to report
        return []
    return _sum_check(
        "sections_sum_vs_100",
        say("section_weights", parts=plus(f"{s.level1}{printed(s.weight)}" for s in sections)),
        expected,
        weights,
        [s.id for s in sections] + ([facts.total_score.id] if facts.total_score else []),
    )


@rule(
    "scores_sum_vs_total",
    "error",
)
def scores_sum_vs_total(facts: Facts) -> list[Finding]:
    total = facts.total_score
    if total is None:
        return []
    sections = level1_sections(facts)
    if len(sections) >= 2 and all(s.score is not None for s in sections):
        return _sum_check(
            "scores_sum_vs_total",
            say("section_scores", parts=plus(f"{s.level1}{printed(s.score)}" for s in sections)),
            total.number,
            [s.score for s in sections],
            [total.id, *(s.id for s in sections)],
        )
    tables = scored_tables(facts)
    if len(tables) != 1:
        return []
    rows = next(iter(tables.values()))
    if any(r.score is None for r in rows):
        return []
    parts = [r.score for r in rows]
    label = say("indicator_scores", count=len(rows), sum=like(sum(p.value for p in parts), parts))
    ids = [total.id, *(r.id for r in rows)]
    extra: list[float] = []
    budget = budget_section(facts)
    if budget is not None and budget.score is not None:
        parts.append(budget.score)
        label += say("plus_budget_score", score=printed(budget.score))
        ids.append(budget.id)
        extra = [sum(r.score.value for r in rows), budget.score.value]
    unscored = _unscored_points(facts, rows, budget)
    known = sum(p.value for p in parts)
    if unscored is None or (unscored > 0 and known <= total.number.value <= known + unscored):
        return []  # the total may hold points whose score the form does not state
    return _sum_check("scores_sum_vs_total", label, total.number, parts, ids, extra)


def _unscored_points(facts: Facts, rows: list[Indicator], budget: SectionScore | None) -> float | None:
    """Points of the form (out of 总分's 分值, else 100) with no stated score; None if unknown."""
    if any(r.weight is None for r in rows):
        return None
    full = facts.total_score.weight.value if facts.total_score and facts.total_score.weight else 100.0
    scored = sum(r.weight.value for r in rows)
    if budget is not None and budget.score is not None and budget.weight is not None:
        scored += budget.weight.value
    return max(0.0, full - scored)


@rule("section_score_vs_rows", "error")
def section_score_vs_rows(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for section, under in _section_rows(facts):
        if section.score is not None and all(r.score is not None for r in under):
            findings += _sum_check(
                "section_score_vs_rows",
                say("rows_scores", count=len(under), section=section.level2 or section.level1),
                section.score,
                [r.score for r in under],
                [section.id, *(r.id for r in under)],
            )
    return findings


def _sum_check(
    rule_id: str,
    label: Message,
    reported: Number,
    parts: list[Number],
    fact_ids: list[str],
    extra_values: list[float] | None = None,
) -> list[Finding]:
    computed = sum(p.value for p in parts)
    return for_outcome(
        compare_sum(_points(reported), [_points(p) for p in parts]),
        rule_id,
        label + say("sum_vs_stated", sum=like(computed, parts), stated=_shown(reported)),
        fact_ids=fact_ids,
        values=[computed, reported.value, *(extra_values or [])],
        reported=reported.value,
        computed=computed,
        printed_as=[*parts, reported],
    )
