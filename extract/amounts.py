"""Choosing the primary amount per main key: form first, then narrative; restatements dropped.

* A form amount under a main key is primary; the first income split among 上级补助 / 其他资金 /
  专户 with a value becomes `income_other`.
* A narrative amount under a main key is primary when the form has none; with the same value as
  the primary it is a restatement and dropped; with a different value it is kept as
  `narrative_<key>` (primary=False) for the validators. A key stated with three or more values
  is an enumeration of sub-items, and none of them is primary.
* With no spent 基本支出 / 项目支出, the year's (else the initial) budget part is promoted.
* Narrative fund statements (`fallback`) fill the main keys still empty; where they do, or where
  no budget is stated otherwise (a masked one, say) and none is enumerated, the other fund statements
  (`fund_budget_stated`, `fund_spent_stated`) are kept like other amounts.
* Other amounts are kept once per (key, value); an indicator or narrative amount restating a
  primary value under a non-specific key (cost indicators, 共涉及资金) is dropped.
"""

from __future__ import annotations

from extract.numbers import close
from pipeline.models import Amount

MAIN_KEYS = (
    "initial_budget",
    "full_year_budget",
    "executed",
    "execution_rate_pct",
    "basic_expenditure",
    "project_expenditure",
    "income_general_public",
    "income_gov_fund",
    "income_other",
)
PHASED_PARTS = {
    "basic_expenditure": ("full_year_basic", "initial_basic"),
    "project_expenditure": ("full_year_project", "initial_project"),
}
BUDGET_KEYS = ("initial_budget", "full_year_budget")
INCOME_OTHER_SOURCES = ("income_superior_subsidy", "income_other_funds", "income_special_account_nontax")


def choose_primary(
    form: list[Amount], narrative: list[Amount], others: list[Amount], fallback: list[Amount] = ()
) -> list[Amount]:
    """Primary amounts first, then the other amounts kept (see the module docstring); `fallback`
    amounts (narrative fund statements) fill main keys nothing else gave; their other statements
    are kept only where one of them became primary (the report is read by its fund statements)."""
    primary: dict[str, Amount] = {}
    kept: list[Amount] = []
    for amount in form:
        if amount.key in MAIN_KEYS and amount.key not in primary:
            primary[amount.key] = amount.model_copy(update={"primary": True})
        else:
            kept.append(amount)
    _choose_income_other(primary, kept)
    enumerated = _enumerated_keys(narrative)
    for amount in narrative:
        chosen = primary.get(amount.key)
        if amount.key in MAIN_KEYS and chosen is None and amount.key not in enumerated:
            primary[amount.key] = amount.model_copy(update={"primary": True})
        elif chosen is not None and close(chosen.number.value, amount.number.value, 1e-9):
            continue
        elif amount.key in MAIN_KEYS:
            kept.append(amount.model_copy(update={"key": f"narrative_{amount.key}"}))
        else:
            kept.append(amount)
    _promote_phased(primary, kept)
    filled = False
    for amount in fallback:
        if amount.key in MAIN_KEYS and amount.key not in primary and amount.key not in enumerated:
            primary[amount.key] = amount.model_copy(update={"primary": True})
            filled = True
    if filled or not (enumerated or any(key in primary for key in BUDGET_KEYS)):
        printed = {_printed(a) for a in kept}  # an amount read already under another key is not repeated
        others = [*others, *(a for a in fallback if a.key not in MAIN_KEYS and _printed(a) not in printed)]
    values = [a.number.value for a in primary.values()]
    kept.extend(a for a in others if not any(close(a.number.value, v, 1e-9) for v in values))
    return [*primary.values(), *_dedupe(kept)]


def _printed(amount: Amount) -> tuple[int | None, float]:
    """Where an amount is printed and its value: the same printed amount read by two parsers."""
    return amount.prov.char_end, round(amount.number.value, 6)


def _enumerated_keys(narrative: list[Amount]) -> set[str]:
    """Main keys the text states with three or more different values: per-item amounts (各科目
    "年初预算为X万元"), none of which is the department's."""
    values: dict[str, set[float]] = {}
    for amount in narrative:
        values.setdefault(amount.key, set()).add(round(amount.number.value, 6))
    return {key for key, found in values.items() if key in MAIN_KEYS and len(found) >= 3}


def _promote_phased(primary: dict[str, Amount], kept: list[Amount]) -> None:
    """基本支出 / 项目支出 stated only as parts of the year's budget (全年预算数X，其中基本支出Y) are
    the report's basic / project expenditure when no spent figure is stated."""
    for key, candidates in PHASED_PARTS.items():
        if key in primary:
            continue
        found = next((a for name in candidates for a in kept if a.key == name), None)
        if found is not None:
            kept.remove(found)
            primary[key] = found.model_copy(update={"key": key, "primary": True})


def _choose_income_other(primary: dict[str, Amount], kept: list[Amount]) -> None:
    if "income_other" in primary:
        return
    for key in INCOME_OTHER_SOURCES:
        source = next((a for a in kept if a.key == key), None)
        if source is not None:
            kept.remove(source)
            primary["income_other"] = source.model_copy(update={"key": "income_other", "primary": True})
            return


def _dedupe(amounts: list[Amount]) -> list[Amount]:
    seen: set[tuple[str, float]] = set()
    unique = []
    for amount in amounts:
        mark = (amount.key, round(amount.number.value, 6))
        if mark not in seen:
            seen.add(mark)
            unique.append(amount)
    return unique
