"""Budget amounts stated in running text → `Amount` facts (source 'narrative').

The canonical sentences ("年初预算批复数X万元，全年预算数Y万元，年终决算数Z万元，预算总体执行率为R%。
其中，基本支出A万元，项目支出B万元") and their variants (调增/调减 adjustments, 收入 budgets,
人员经费/公用经费 splits) are read amount by amount. Each amount's label (the text back to the previous
delimiter) gives its category; its phase (年初 / 全年预算 / 执行 / 调整) comes from the label or, when
the label has none, from the last amount of the same paragraph that had one.

Only amounts whose label carries budget vocabulary are kept: performance outcomes stated in money
("土地出让收入约25207.75万元", "协税1320.7004万元") are not budget amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.numbers import MONEY_RE, NumMatch, find_numbers, money_of, normalize_digits, to_number
from extract.paragraphs import Paragraph, label_before
from extract.prov import span_prov
from pipeline.models import Amount, Document

RATE_RE = re.compile(r"(?:预算)?(?:总体)?执行率(?:为|是|达到|达)?\s*(?P<num>\d+(?:\.\d+)?)\s*%")

_ANCHORS = re.compile(
    r"预算|决算|拨款|经费|基本保障|调增|调减|调整|核减|追加|结转|结余|基本支出|项目支出|实际支出|执行数|共涉及资金|金额共计|资金总额"
)
_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("基本保障", "basic_support"),
    ("人员经费", "personnel"),
    ("公用经费", "public_funds"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("一般公共预算", "general_public"),
    ("政府性基金", "gov_fund"),
    ("其他收入", "other_income"),
    ("结转", "carryover"),
    ("结余", "carryover"),
)
_TOTAL_RE = re.compile(
    r"(预算批复数|预算支出数|预算收入数|支出预算|收入预算|预算数|决算数|实际支出|执行数|预算支出|预算收入|"
    r"共涉及资金|金额共计|资金总额|年初预算|调整后的?预算|(?:中期|年中)\S{0,4}(?:调整|核减|追加)(?:支出|收入)?)(?:总计|合计)?(?:为|是)?$"
)
_SOURCE_IN_SENTENCE = (("政府性基金", "gov_fund"), ("一般公共预算", "general_public"))

# (phase, category) -> main key; every other pair becomes the descriptive key f"{phase}_{category}".
MAIN: dict[tuple[str, str], str] = {
    ("initial", "total"): "initial_budget",
    ("full_year", "total"): "full_year_budget",
    ("executed", "total"): "executed",
    ("executed", "basic"): "basic_expenditure",
    ("executed", "project"): "project_expenditure",
}


@dataclass
class _State:
    phase: str | None = None


def budget_amounts(doc: Document, paras: list[Paragraph]) -> list[Amount]:
    """Budget amounts and the overall execution rate stated in the given paragraphs."""
    amounts: list[Amount] = []
    for para in paras:
        state = _State()
        norm = normalize_digits(para.text)
        for m in MONEY_RE.finditer(norm):
            amount = _classify(doc, para, m, state)
            if amount:
                amounts.append(amount)
        amounts.extend(_rates(doc, para, norm))
    return amounts


def _classify(doc: Document, para: Paragraph, m: re.Match, state: _State) -> Amount | None:
    end = m.start() - 1 if m.start() > 0 and para.text[m.start() - 1] in "：:" else m.start()
    label, label_start = label_before(para.text, end)
    if not label or not _ANCHORS.search(label) or "约" in label[-2:] or "余" in para.text[m.end() : m.end() + 1]:
        return None
    category = _category(label, para.text[: m.start()])
    if category is None:
        return None
    phase, sign = _phase(label)
    if phase is None:
        phase = state.phase or "executed"
    elif phase in ("initial", "full_year", "executed"):
        state.phase = phase
    number = money_of(m)
    if sign < 0:
        number = number.model_copy(update={"value": -number.value})
    key = _key(phase, category)
    return Amount(
        key=key,
        number=number,
        unit="万元",
        source="narrative",
        label=label,
        prov=span_prov(doc, *para.span(label_start, m.end())),
    )


def _category(label: str, before: str) -> str | None:
    for word, category in _CATEGORIES:
        if word in label:
            return category
    if _TOTAL_RE.search(label):
        if re.search(r"(中期|年中)", label):
            return "midyear"
        if "共涉及资金" in label or "金额共计" in label:
            sentence = before[before.rfind("。") + 1 :]
            for word, category in _SOURCE_IN_SENTENCE:
                if word in sentence:
                    return category
        return "income" if "收入" in label else "total"
    return None


def _phase(label: str) -> tuple[str | None, int]:
    """The phase a label names, and the sign (调减/核减 are negative adjustments)."""
    if re.search(r"(中期|年中)", label) and re.search(r"(调整|核减|追加)", label):
        return "midyear", 1
    if re.search(r"(调增|增加|增长)$", label) or "调增" in label:
        return "adj", 1
    if re.search(r"(调减|减少|下降)$", label) or "调减" in label:
        return "adj", -1
    if "年初" in label:
        return "initial", 1
    if "预算" in label and re.search(r"(调整后|全年)", label):
        return "full_year", 1
    if re.search(r"(决算|实际|执行数|年终|共涉及资金|金额共计|全年)", label):
        return "executed", 1
    return None, 1


def _key(phase: str, category: str) -> str:
    if category in ("general_public", "gov_fund") and phase in ("initial", "full_year", "executed"):
        return f"income_{category}"
    if category == "midyear":
        return "midyear_adjustment"
    return MAIN.get((phase, category), f"{phase}_{category}")


def _rates(doc: Document, para: Paragraph, norm: str) -> list[Amount]:
    """The overall 执行率 (not 基本支出/项目支出 rates)."""
    found = []
    for m in RATE_RE.finditer(norm):
        label, label_start = label_before(para.text, m.start(), stops="，。；;,、（）()\n")
        if re.search(r"(基本支出|项目支出|项目|调整率)", label):
            continue
        number: NumMatch = find_numbers(m.group("num"))[0]
        found.append(
            Amount(
                key="execution_rate_pct",
                number=to_number(number),
                unit="%",
                source="narrative",
                label=label + m.group()[: m.start("num") - m.start()],
                prov=span_prov(doc, *para.span(label_start, m.end())),
            )
        )
    return found
