"""The words that make a printed number a given field, for the grounding of the model's answers
(which keeps a value only when its label stands before it). The chunker does not use them: what is
sent is decided by coverage (`chunking`), what is kept by these labels.

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
# Words that, in the number's own clause, make it a part's figure rather than the department's.
NOT_DEPARTMENT_WIDE = ("基本支出", "项目支出", "项目")
AMOUNT_UNLESS: dict[str, tuple[str, ...]] = {RATE_KEY: NOT_DEPARTMENT_WIDE}
PROJECT_LABELS: dict[str, tuple[str, ...]] = {
    "budget": ("预算",),
    "executed": ("执行", "支出", "决算"),
    "score": ("得分", "评分", "自评"),
}
