"""Text-versus-list rules: counts the narrative states against the items listed, and values the
conversion garbled (OCR or Word-to-text debris such as 'C2₁万元')."""

from __future__ import annotations

import re

from pipeline.models import Facts, Finding, Indicator, Mention
from validate.findings import Message, fmt, like, make, minus, money, printed, say
from validate.lookup import close_runs, name, primary
from validate.registry import rule

_OF_WHICH = re.compile(r"其中")
_REST = re.compile(r"其余|剩余|另外|另有")
_LEVEL1 = ("产出", "效益", "满意度")


def _counts(facts: Facts) -> list[Mention]:
    return [m for m in facts.mentions if m.kind == "count" and m.number is not None]


@rule("count_mismatch", "warning")
def count_mismatch(facts: Facts) -> list[Finding]:
    return [*_project_counts(facts), *_completed_counts(facts)]


def _project_runs(facts: Facts) -> list[list[Mention]]:
    """Runs of enumerated project counts ('专项业务费项目17个、事业发展类项目5个、奖补类项目2个')."""
    runs = close_runs(m for m in _counts(facts) if m.label.endswith("项目"))
    return [run for run in runs if len(run) >= 2 or "自评" in run[0].label]


def _project_counts(facts: Facts) -> list[Finding]:
    listed = len(facts.projects)
    if listed < 2:
        return []
    findings: list[Finding] = []
    for run in _project_runs(facts):
        stated = sum(m.number.value for m in run)
        if stated == listed:
            continue
        parts = "、".join(f"{m.label}{printed(m.number)}{m.unit}" for m in run)
        findings.append(
            make(
                "count_mismatch",
                say("count_projects", parts=parts, stated=fmt(stated), listed=listed),
                fact_ids=[*(m.id for m in run), *(p.id for p in facts.projects)],
                values=[stated, listed, *(m.number.value for m in run)],
                reported=stated,
                computed=listed,
            )
        )
    return findings


def _completed_counts(facts: Facts) -> list[Finding]:
    """'14个产出明细指标，其中8个全部完成…其余6个' against the indicator tables."""
    findings: list[Finding] = []
    counts = _counts(facts)
    for total, done, rest in zip(counts, counts[1:], counts[2:], strict=False):
        if not (_OF_WHICH.search(done.prov.raw) and _REST.search(rest.prov.raw)):
            continue
        if total.number.value != done.number.value + rest.number.value:
            continue
        group = _group_of_size(facts, int(total.number.value))
        if group is None:
            continue
        level1, completed, not_completed = group
        if (completed, not_completed) == (done.number.value, rest.number.value):
            continue
        findings.append(
            make(
                "count_mismatch",
                say(
                    "count_completed",
                    done=printed(done.number),
                    total=printed(total.number),
                    level1=level1,
                    rest=printed(rest.number),
                    completed=completed,
                    not_completed=not_completed,
                ),
                fact_ids=[total.id, done.id, rest.id],
                values=[done.number.value, rest.number.value, completed, not_completed, total.number.value],
                reported=done.number.value,
                computed=completed,
            )
        )
    return findings


def _group_of_size(facts: Facts, size: int) -> tuple[str, int, int] | None:
    """The one level-1 group with `size` indicators: (name, completed, not completed)."""
    matches = []
    for level1 in _LEVEL1:
        status = _completion(facts, level1)
        if status is not None and sum(status) == size:
            matches.append((level1, *status))
    return matches[0] if len(matches) == 1 else None


def _completion(facts: Facts, level1: str) -> tuple[int, int] | None:
    """(completed, not completed) for a level-1 group: from the 完成/未完成 tables, else by full marks."""
    rows = [r for r in facts.indicators if level1 in name(r.level1) and r.table_kind != "narrative"]
    by_kind = [r for r in rows if r.table_kind in ("completed", "uncompleted")]
    if by_kind:
        return _count(by_kind, lambda r: r.table_kind == "completed")
    scored = [r for r in rows if r.weight is not None and r.score is not None]
    return _count(scored, lambda r: r.score.value >= r.weight.value) if scored else None


def _count(rows: list[Indicator], done) -> tuple[int, int]:
    completed = sum(1 for r in rows if done(r))
    return completed, len(rows) - completed


@rule("garbled_value", "warning")
def garbled_value(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []
    for m in facts.mentions:
        if m.kind != "garbled":
            continue
        message = say("garbled_value", text=m.prov.raw.strip())
        values: list[float] = []
        guess = _reconstruct_project_share(facts)
        if guess is not None and "资金" in m.prov.raw:
            message += guess[0]
            values = guess[1]
        findings.append(make("garbled_value", message, fact_ids=[m.id], values=values))
    return findings


def _reconstruct_project_share(facts: Facts) -> tuple[Message, list[float]] | None:
    """When 项目支出 is split by fund and only the 一般公共预算 share is unreadable: 项目支出 − the others."""
    project = primary(facts, "project_expenditure")
    others = [a for a in (primary(facts, k) for k in ("income_gov_fund", "income_other")) if a is not None]
    if project is None or not others or primary(facts, "income_general_public") is not None:
        return None
    value = project.number.value - sum(a.number.value for a in others)
    listed = minus(money(a.number) for a in others)
    numbers = [project.number, *(a.number for a in others)]
    return (
        say("garbled_guess", project=money(project.number), others=listed, value=like(value, numbers, "万元")),
        [value, project.number.value, *(a.number.value for a in others)],
    )
