"""The words that make a printed number a given field, shared by the chunker (which sends only
numbers that could be grounded) and the grounding of the model's answers (which keeps only those).

A label must stand in the number's own clause, in the few characters before it (see
`grounding.clause_before`)."""

from __future__ import annotations

# Words that must stand just before a number for it to count as that field (the label check).
AMOUNT_LABELS: dict[str, tuple[str, ...]] = {
    "initial_budget": ("年初",),
    "full_year_budget": ("全年预算", "调整后", "全年调整"),
    "executed": ("执行数", "决算", "实际支出", "全年支出"),
    "execution_rate_pct": ("执行率",),
    "basic_expenditure": ("基本支出",),
    "project_expenditure": ("项目支出",),
    "income_general_public": ("一般公共预算",),
    "income_gov_fund": ("政府性基金",),
    "income_other": ("上级补助", "上级财政补助", "其他收入", "其他资金", "专户"),
    "other": ("预算", "支出", "拨款", "经费"),
}
RATE_KEY = "execution_rate_pct"
MONEY_LABELS = tuple(sorted({w for key, words in AMOUNT_LABELS.items() if key != RATE_KEY for w in words}))
# Words that, in the number's own clause, make it a part's figure rather than the department's.
NOT_DEPARTMENT_WIDE = ("基本支出", "项目支出", "项目")
AMOUNT_UNLESS: dict[str, tuple[str, ...]] = {RATE_KEY: NOT_DEPARTMENT_WIDE}
PROJECT_LABELS: dict[str, tuple[str, ...]] = {
    "budget": ("预算",),
    "executed": ("执行", "支出", "决算"),
    "score": ("得分", "评分", "自评"),
}


def money_could_ground(clause: str) -> bool:
    """Whether a money amount after `clause` carries a label of some amount field."""
    return any(word in clause for word in MONEY_LABELS)


def rate_could_ground(clause: str) -> bool:
    """Whether a percentage after `clause` is the department's execution rate."""
    return any(w in clause for w in AMOUNT_LABELS[RATE_KEY]) and not any(w in clause for w in AMOUNT_UNLESS[RATE_KEY])


def fields_named(clause: str) -> set[str]:
    """The main fields whose labels stand in a number's clause."""
    return {key for key, words in AMOUNT_LABELS.items() if key != "other" and any(w in clause for w in words)}
