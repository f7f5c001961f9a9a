"""Budget amounts stated in running text → `Amount` facts (source 'narrative').

The canonical sentences ("年初预算批复数X万元，全年预算数Y万元，年终决算数Z万元，预算总体执行率为R%。
其中，基本支出A万元，项目支出B万元") and their variants (调增/调减 adjustments, 收入 budgets,
人员经费/公用经费 splits) are read amount by amount. Each amount's label (the text back to the previous
delimiter) gives its category; its phase (年初 / 全年预算 / 执行 / 调整) comes from the label or, when
the label has none, from the last amount of the same paragraph that had one.

A change against the first budget ("比年初预算增加X万元") is an adjustment of the total (`adj_total`);
a budget line stated by its items with no total ("预算数:包含A资金X万元、B资金Y万元") gives each item
as a `fund_budget_part`.

Only amounts whose label carries budget vocabulary are kept: performance outcomes stated in money
("土地出让收入约25207.75万元", "协税1320.7004万元") are not budget amounts.

`fund_statements` reads the looser way narrative project reports state one fund ("共下达…资金725.63
万元", "已完成拨付2113.63万元，执行率97%", "资金拨付率96%"), by the words declared in
extract.vocabulary (narrative fund statements). It yields at most one amount per main key, to be
used where the canonical sentences gave none:

* a budget is the first statement with a total mark (共 / 合计 / 总投资 …), else the first one; one
  labelled 全年 / 调整后 wins, and the one stated before it, with a 调减/调增 between, is the
  initial budget;
* spending is the first statement in spending words (or an allocation "全部用于…": all of it spent); a masked amount ("点击查看>>万元") is a
  statement too, so a later clear one is not taken for it;
* in a department report (部门整体 …) only totals and phased statements count: it also states its
  projects' money;
* the parts stated right after a budget (其中：A，B; 具体为A、B) are kept when they add up to it and name
  its sources (中央资金 …), not only what it pays for (those are line items: extract.line_items);
* the rate is the first strong rate word (执行率, 拨付率 …) with no qualifier other than 预算 /
  资金 / 项目, else the first weak one (完成率, 完成预算的).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract import vocabulary as vocab
from extract.meta import is_department_report
from extract.numbers import MONEY_RE, NumMatch, close, find_numbers, money_of, normalize_digits, to_number
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
# "涉及一般公共预算支出X万元": the spending of one budget source, stated as the report's total
_SOURCE_SPENT_RE = re.compile(r"(?:一般公共预算|政府性基金预算?)支出$")
_SOURCE_IN_SENTENCE = (("政府性基金", "gov_fund"), ("一般公共预算", "general_public"))
# "一般公共预算财政拨款基本支出X万元": one funding source's part of 基本/项目支出, not the department's
_SOURCE_PART_RE = re.compile(r"(?P<source>一般公共预算|政府性基金|财政拨款)\S{0,6}?(?P<part>基本支出|项目支出)$")
_SOURCE_KEYS = {"一般公共预算": "general_public", "政府性基金": "gov_fund", "财政拨款": "appropriation"}

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
        amounts.extend(_listed_parts(doc, para, norm))
    return amounts


def _listed_parts(doc: Document, para: Paragraph, norm: str) -> list[Amount]:
    """The items a budget line lists with no total ("预算数:2021年,包含A资金774万元、B资金240万元、…"),
    each a `fund_budget_part`: the amounts joined by 、 after the head, two or more."""
    parts: list[Amount] = []
    for head in vocab.BUDGET_LIST_HEAD.finditer(norm):
        found, start = [], head.end()
        for m in MONEY_RE.finditer(norm, start):
            label = norm[start : m.start()].strip()
            if not label or any(stop in label for stop in _CLAUSE_STOPS):
                break
            found.append(
                Amount(
                    key="fund_budget_part",
                    number=money_of(m),
                    unit="万元",
                    source="narrative",
                    label=label,
                    prov=span_prov(doc, *para.span(start, m.end())),
                )
            )
            if not norm.startswith("、", m.end()):
                break
            start = m.end() + 1
        if len(found) >= 2:
            parts.extend(found)
    return parts


def _classify(doc: Document, para: Paragraph, m: re.Match, state: _State) -> Amount | None:
    end = m.start() - 1 if m.start() > 0 and para.text[m.start() - 1] in "：:" else m.start()
    label, label_start = label_before(para.text, end)
    if not label or not _ANCHORS.search(label) or "约" in label[-2:] or "余" in para.text[m.end() : m.end() + 1]:
        return None
    if vocab.FUNDS_HEADER_RUN.search(label):
        return None  # a form's funds header flattened into the text: its amounts are cells
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
    if _SOURCE_SPENT_RE.search(label) or vocab.ADJUSTMENT_VS_INITIAL.search(label):
        return "total"
    if (part := _SOURCE_PART_RE.search(label)) is not None:
        return f"{_SOURCE_KEYS[part.group('source')]}_{'basic' if part.group('part') == '基本支出' else 'project'}"
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
    if "预算" in label and re.search(r"(调整后|全年|批复|下达|安排)", label):
        return "full_year", 1
    if _SOURCE_SPENT_RE.search(label) or re.search(r"(决算|实际|执行数|年终|共涉及资金|金额共计|全年)", label):
        return "executed", 1
    if re.search(r"预算(?:数|金额|资金|总额)?(?:为|是)?$", label):
        return "full_year", 1  # "项目资金预算数为X万元": a budget, whatever phase came before
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


# --------------------------------------------------------------------------- fund statements

_CLAUSE_STOPS = "，,。；;：:！？!?\n"
#: A masked amount ("点击查看>>万元", "**万元", "(略)万元"): a statement whose number a mirror hid.
MASKED_MONEY_RE = re.compile(r"(?:点击查看>*|[*＊×]{2,}|[xX]{2,}|[(（]略[)）])\s*(?P<unit>万元|元)")
_RATE_RE = re.compile(
    r"(?P<word>"
    + "|".join(vocab.RATE_WORDS + vocab.WEAK_RATE_WORDS)
    + r")(?:均?(?:为|是|达到|达))?[:：]?\s*(?P<num>\d+(?:\.\d+)?)\s*%"
)
_LONGEST_RATE_PREFIX = max(map(len, vocab.RATE_PREFIXES))


def _rate_prefix(text: str, end: int) -> str | None:
    """The run of Chinese characters right before a rate word, or None when it is longer than any
    allowed prefix (looked at backwards a few characters only, so a long run costs nothing)."""
    start = end
    while start > 0 and end - start <= _LONGEST_RATE_PREFIX and "\u4e00" <= text[start - 1] <= "\u9fff":
        start -= 1
    return None if end - start > _LONGEST_RATE_PREFIX else text[start:end]


@dataclass
class _Statement:
    """One amount stated in a clause: its kind (budget / spent), key, and where it stands."""

    kind: str
    key: str
    clause: str
    amount: Amount | None  # None: the amount is masked in the source
    para: int
    pos: int
    end: int  # where the amount ends in the paragraph's text


def fund_statements(doc: Document, paras: list[Paragraph]) -> list[Amount]:
    """The fund's budget, spending and rate as narrative reports state them (at most one per main
    key), then the other statements (`fund_budget_stated` / `fund_spent_stated`, and
    `fund_received_stated` / `fund_evaluated_stated` where not zero)."""
    department = is_department_report(doc)
    statements = _report_statements(doc, paras, department)
    chosen: dict[str, Amount | None] = {}
    budgets = [s for s in statements if s.kind == "budget"]
    full_year = _fund_budget(budgets)
    plain = [s for s in budgets if s.key == "budget"]
    if full_year is not None and full_year.key == "full_year_budget":
        before = _adjusted_from(paras, plain, full_year)
        if before is not None:
            chosen["initial_budget"] = before.amount
    if full_year is not None:
        chosen["full_year_budget"] = full_year.amount
    parts = [part for s in budgets for part in _parts(doc, paras[s.para], s)]
    if (initial := _pick([s for s in budgets if s.key == "initial_budget"])) is not None:
        chosen.setdefault("initial_budget", initial.amount)
    if (spent := _pick([s for s in statements if s.kind == "spent"])) is not None:
        chosen["executed"] = spent.amount
    chosen["execution_rate_pct"] = _fund_rate(doc, paras, department)
    budget, executed = chosen.get("full_year_budget"), chosen.get("executed")
    if budget is not None and executed is not None and executed.number.value > budget.number.value + 0.005:
        del chosen["executed"]  # spending above the budget: one of the two is not the fund's
    picked = [a.model_copy(update={"key": key}) for key, a in chosen.items() if a is not None]
    ids = {id(a) for a in chosen.values()}
    own_keys = {key for _, key in vocab.OTHER_FUND_STATEMENTS}
    stated = [
        s.amount.model_copy(update={"key": f"fund_{s.key if s.key in own_keys else s.kind}_stated"})
        for s in statements
        if s.amount is not None and id(s.amount) not in ids and (s.key not in own_keys or s.amount.number.value > 0)
    ]
    return [*picked, *stated, *parts]


def _report_statements(doc: Document, paras: list[Paragraph], department: bool) -> list[_Statement]:
    """Every fund statement of the paragraphs; in a department report only its totals and phased
    ones (it also states its projects' money)."""
    statements = [s for n, para in enumerate(paras) for s in _statements(doc, para, n)]
    return [s for s in statements if _whole(s)] if department else statements


def _fund_budget(budgets: list[_Statement]) -> _Statement | None:
    """The statement of the fund's budget: one labelled 全年 / 调整后, else a plain one (_pick)."""
    labelled = _pick([s for s in budgets if s.key == "full_year_budget"])
    return labelled if labelled is not None else _pick([s for s in budgets if s.key == "budget"])


def fund_budget_statement(doc: Document, paras: list[Paragraph]) -> tuple[int, int, Amount] | None:
    """Where the fund's budget is stated: (paragraph index, end of the amount in its text, amount)."""
    department = is_department_report(doc)
    budgets = [s for s in _report_statements(doc, paras, department) if s.kind == "budget"]
    found = _fund_budget(budgets)
    return None if found is None or found.amount is None else (found.para, found.end, found.amount)


def _parts(doc: Document, para: Paragraph, total: _Statement) -> list[Amount]:
    """The parts stated right after the fund's budget ("…共X万元，其中：中央资金A万元，省级资金B万元"),
    kept (`fund_budget_part`) as far as they add up to it (what follows is another statement)."""
    norm = normalize_digits(para.text)
    lead = vocab.PARTS_LEAD.match(norm, total.end)
    if lead is None or total.amount is None:
        return []
    stop = norm.find("。", lead.end())
    parts = []
    for m in MONEY_RE.finditer(norm, lead.end(), stop if stop >= 0 else len(norm)):
        start = max(label_before(norm, m.start())[1], lead.end())
        parts.append(
            Amount(
                key="fund_budget_part",
                number=money_of(m),
                source="narrative",
                label=norm[start : m.start()].strip(),
                prov=span_prov(doc, *para.span(start, m.end())),
            )
        )
        whole = sum(a.number.value for a in parts)
        if len(parts) >= 2 and close(whole, total.amount.number.value, 0.005):
            # parts all named by what they pay for are line items (extract.line_items), not sources
            return parts if any(vocab.PART_NOT_AN_ITEM.search(a.label) for a in parts) else []
        if whole > total.amount.number.value:
            break
    return []


def _whole(statement: _Statement) -> bool:
    """Whether a statement says it is the whole budget / spending (a total, a phase, the year)."""
    if statement.kind == "spent":
        return bool(vocab.WHOLE_SPENDING_MARK.search(statement.clause))
    return statement.key != "budget" or bool(vocab.TOTAL_MARK.search(statement.clause))


def _pick(statements: list[_Statement]) -> _Statement | None:
    """The first statement with a total mark, else the first one — unless the statements give three
    or more values with no total: an enumeration of items, none of which is the fund's."""
    total = next((s for s in statements if vocab.TOTAL_MARK.search(s.clause)), None)
    if total is not None:
        return total
    values = {round(s.amount.number.value, 6) for s in statements if s.amount is not None}
    return statements[0] if statements and len(values) < 3 else None


def _statements(doc: Document, para: Paragraph, n: int) -> list[_Statement]:
    """The fund statements of one paragraph, in order (a bare total "共计X万元" closing a sentence
    of statements is one of their kind)."""
    norm = normalize_digits(para.text)
    found = []
    matches = [(m, True) for m in MONEY_RE.finditer(norm)] + [(m, False) for m in MASKED_MONEY_RE.finditer(norm)]
    for m, clear in sorted(matches, key=lambda pair: pair[0].start()):
        clause, start = _clause_before(norm, m.start())
        if not clause or (vocab.NOT_THE_FUND.search(clause) and not _own_statement(clause)):
            continue
        if vocab.FUNDS_HEADER_RUN.search(clause):  # a form's funds header flattened into the text
            continue
        kind, key = fund_kind(clause)
        if kind is None and found and vocab.TOTAL_MARK.match(clause) and "。" not in norm[found[-1].end : start]:
            kind, key = found[-1].kind, found[-1].key  # "第一批下达50万元，第二批30万元，共计80万元"
        if kind is None:
            continue
        amount = None
        if clear:
            amount = Amount(
                key=key,
                number=money_of(m),
                unit="万元",
                source="narrative",
                label=clause,
                prov=span_prov(doc, *para.span(start, m.end())),
            )
        found.append(_Statement(kind, key, clause, amount, n, m.start(), m.end()))
        if kind == "budget" and amount is not None and vocab.ALL_SPENT_AFTER.match(norm, m.end()):
            whole = vocab.ALL_SPENT_AFTER.match(norm, m.end())
            spent = amount.model_copy(update={"prov": span_prov(doc, *para.span(start, whole.end()))})
            found.append(_Statement("spent", "executed", clause, spent, n, m.start(), m.end()))
    return found


def _clause_before(text: str, end: int) -> tuple[str, int]:
    """The clause right before `end` (back to the previous clause delimiter or item marker),
    stripped; for an amount right after a colon, the label before the colon (a fund's name marked
    with a trailing "："."""
    start = end
    while start > 0 and text[start - 1] not in _CLAUSE_STOPS:
        start -= 1
    if not text[start:end].strip() and start > 0 and text[start - 1] in "：:":
        named, named_start = _clause_before(text, start - 1)
        return (named + "：" if vocab.FUND_NAME_END.search(named) else named), named_start
    marks = list(vocab.ITEM_MARK.finditer(text, start, end))
    if marks:
        start = marks[-1].end()
    return text[start:end].strip(), start


def _own_statement(clause: str) -> str | None:
    """The key of a statement of its own (vocab.OTHER_FUND_STATEMENTS: received, evaluated …) or None."""
    return next((key for pattern, key in vocab.OTHER_FUND_STATEMENTS if re.search(pattern, clause)), None)


def fund_kind(clause: str) -> tuple[str | None, str]:
    """('spent', 'executed'), ('budget', <phase key, 'budget', or a key of its own: received /
    evaluated>) or (None, '')."""
    if any(word in clause for word in vocab.SPENT_WORDS):
        return "spent", "executed"
    if (own := _own_statement(clause)) is not None:
        return "budget", own
    if clause.endswith("：") and vocab.FUND_NAME_END.search(clause[:-1]):
        return "budget", "budget"
    if clause.endswith("支出") or not any(word in clause for word in vocab.BUDGET_WORDS):
        return None, ""
    for pattern, key in vocab.BUDGET_PHASES:
        if re.search(pattern, clause):
            return "budget", key
    return "budget", "budget"


def _adjusted_from(paras: list[Paragraph], plain: list[_Statement], full_year: _Statement) -> _Statement | None:
    """The budget first stated in the paragraph of the 全年 one, when an adjustment stands between."""
    earlier = [s for s in plain if s.para == full_year.para and s.pos < full_year.pos]
    if not earlier or earlier[0].amount is None or full_year.amount is None:
        return None
    between = paras[full_year.para].text[earlier[0].pos : full_year.pos]
    same = close(earlier[0].amount.number.value, full_year.amount.number.value, 1e-9)
    return earlier[0] if vocab.ADJUSTMENT_WORDS.search(between) and not same else None


def _fund_rate(doc: Document, paras: list[Paragraph], department: bool) -> Amount | None:
    """The first strong rate of money (执行率, 拨付率 …), else the first weak one (完成率); in a
    department report only its 执行率, not a project's (拨付率, 项目执行率)."""
    strong = vocab.DEPARTMENT_RATE_WORDS if department else vocab.RATE_WORDS
    weak = None
    for para in paras:
        norm = normalize_digits(para.text)
        for m in _RATE_RE.finditer(norm):
            prefix = _rate_prefix(norm, m.start("word"))
            if prefix not in vocab.RATE_PREFIXES or (department and "项目" in prefix):
                continue
            amount = Amount(
                key="execution_rate_pct",
                number=to_number(find_numbers(m.group("num"))[0]),
                unit="%",
                source="narrative",
                label=prefix + m.group("word"),
                prov=span_prov(doc, *para.span(m.start("word"), m.end())),
            )
            if m.group("word") in strong:
                return amount
            if m.group("word") not in vocab.WEAK_RATE_WORDS:
                continue
            weak = weak or amount
    return weak
