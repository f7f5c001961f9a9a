"""Read-only views over `Facts` that several rules share: the chosen amounts, the budget the
execution is measured against, the scored indicator rows and the section names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.models import Amount, Facts, Indicator, Mention, SectionScore

NEAR = 40  # characters between two mentions of one enumeration ("项目17个、事业发展类项目5个")
BUDGET_SECTION = re.compile(r"预算执行|资金执行|年度资金")
_WEIGHT_SUFFIX = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分?\s*[)）]")
_SPACE = re.compile(r"[\s\u3000]+")
_QUOTES = re.compile(r"[“”\"‘’'「」]")
_TRAILING_UNIT = re.compile(r"[（(][^（()）]{1,6}[)）]$")


def primary(facts: Facts, key: str) -> Amount | None:
    """The amount chosen for a main field; the first one stated when none is marked primary."""
    candidates = [a for a in facts.amounts if a.key == key]
    return next((a for a in candidates if a.primary), candidates[0] if candidates else None)


def restatements(facts: Facts, key: str) -> list[Amount]:
    """Every other statement of a main field (under the same key or `narrative_<key>`) besides the
    primary one. None when the key holds more than two values: those are sub-category amounts
    (各科目年初预算 …) the extraction could not tell apart, not one quantity stated twice."""
    chosen = primary(facts, key)
    others = [a for a in facts.amounts if a.key in (key, f"narrative_{key}") and a is not chosen]
    values = {a.number.value for a in others} | ({chosen.number.value} if chosen else set())
    return others if len(values) <= 2 else []


def budget(facts: Facts) -> tuple[Amount, str] | None:
    """The budget execution is measured against: 全年预算数, else 年初预算数, with its name."""
    full_year = primary(facts, "full_year_budget")
    if full_year is not None:
        return full_year, "全年预算数"
    initial = primary(facts, "initial_budget")
    return (initial, "年初预算数") if initial is not None else None


def name(text: str | None) -> str:
    """A label without whitespace or a weight annotation: '产出指标\\n(50分)' → '产出指标'."""
    return _WEIGHT_SUFFIX.sub("", _SPACE.sub("", text or ""))


def indicator_key(level3: str | None) -> str:
    """An indicator name for matching its restatements: no whitespace, weight, quotes or trailing unit
    ('“多规合一”村庄规划编制数量' and '多规合一村庄规划编制数量（个）（3分）' are one indicator)."""
    return _TRAILING_UNIT.sub("", _QUOTES.sub("", name(level3)))


def scored_tables(facts: Facts) -> dict[int, list[Indicator]]:
    """Indicator tables that carry weights (分值), by table_seq: the self-evaluation forms, else any
    table with weights (indicator rows restated from the narrative are not a form)."""
    tables: dict[int, list[Indicator]] = {}
    for ind in facts.indicators:
        if ind.table_kind != "narrative":
            tables.setdefault(ind.table_seq, []).append(ind)
    weighted = {seq: rows for seq, rows in tables.items() if any(r.weight is not None for r in rows)}
    forms = {seq: rows for seq, rows in weighted.items() if rows[0].table_kind == "form"}
    return forms or weighted


def level1_sections(facts: Facts) -> list[SectionScore]:
    return [s for s in facts.sections if not s.level2]


def budget_section(facts: Facts) -> SectionScore | None:
    """The budget-execution section (预算执行 分值/得分), where the form states one."""
    return next((s for s in level1_sections(facts) if BUDGET_SECTION.search(name(s.level1))), None)


# The narrative's budget sentences, keyed `<phase>_<category>` (extract/budget_text.py); a
# (phase, category) pair with a main key is stored under that key instead.
PHASE_KEYS = {
    ("initial", "total"): "initial_budget",
    ("full_year", "total"): "full_year_budget",
    ("executed", "total"): "executed",
    ("executed", "basic"): "basic_expenditure",
    ("executed", "project"): "project_expenditure",
}
PHASES = {"initial": ("initial",), "full_year": ("full_year",), "executed": ("executed",), "adj": ("adj", "midyear")}
TOTAL_CATEGORIES = ("total", "adjustment")  # 年中调整293万: the adjustment is the adj phase's total


def phase_amount(facts: Facts, phase: str, category: str) -> Amount | None:
    """One phase's amount of a category: under `<phase>_<category>` or the main key it maps to."""
    for cat in TOTAL_CATEGORIES if category == "total" else (category,):
        for alias in PHASES[phase]:
            found = next((a for a in facts.amounts if a.key == f"{alias}_{cat}"), None)
            key = PHASE_KEYS.get((alias, cat))
            found = found or (primary(facts, key) if key else None)
            if found is not None:
                return found
    return None


def close_runs(mentions: Iterable[Mention], gap: int = NEAR) -> list[list[Mention]]:
    """Mentions that follow one another closely in the text (one sentence's enumeration)."""
    runs: list[list[Mention]] = []
    for m in mentions:
        if m.number is None or m.prov.char_start is None:
            continue
        last = runs[-1][-1] if runs else None
        if last is not None and 0 <= m.prov.char_start - (last.prov.char_end or 0) <= gap:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs
