"""Itemised breakdowns in running text → `LineItem`s under their parent.

A numbered paragraph "1、城乡社区支出15265.33万元。其中：完成…7200万元；土地收储专项资金2000万；…"
gives one line item per "其中" part (parent 城乡社区支出) and makes 城乡社区支出 itself a line item of
the section it stands in (the closest heading naming 项目支出 / 基本支出), also recorded as an
`Amount` `project_category_<name>`.

An allocation followed by what it pays for ("下达我区111万元，其中低保资金100万元，孤儿基本生活保障金
11万元，调减40万元，全年实际下达71万元") gives one line item per part, an adjustment signed
(`allocation_items`); parts named by their source or recipient (中央资金, 下达地市) are the budget's
sources, read in extract.budget_text.

A total (共…, 合计, 涉及资金) followed in its paragraph by amounts that add up to it exactly gives
one line item per amount (`total_breakdown`). Where nothing above is found, the amounts that follow a
narrative fund's budget and add up to it exactly are its line items (`_fund_breakdown`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract import vocabulary as vocab
from extract.budget_text import MASKED_MONEY_RE, fund_budget_statement, fund_kind
from extract.numbers import MONEY_RE, close, find_numbers, money, money_of, normalize_digits
from extract.paragraphs import BOOKMARK, Paragraph, label_before, starts_section
from extract.prov import span_prov
from pipeline.models import Amount, Document, LineItem

_HEAD_RE = re.compile(
    r"^\s*(?:" + BOOKMARK + r")?\s*(?:\d+|[一二三四五六七八九十]+)\s*[、.．]\s*"
    r"(?P<name>[^，。；：:\d]{2,30}?)\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|万|元)[。，；]?\s*其中[:：]"
)
_SECTION_RE = re.compile(r"(项目支出|基本支出)")
_BREAKDOWN_PARAGRAPHS = 12  # a breakdown follows its total closely
_ITEM_STOPS = "，,。；;：:\n"
_PART_STOPS = "，,。；;：:\n"  # a part's label runs back to the previous clause (、 lists one part's purposes)


@dataclass
class LineItemResult:
    items: list[LineItem] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # paragraph starts consumed here


def is_itemised(para: Paragraph) -> bool:
    """Whether the paragraph is a numbered category with its 其中 parts (read here as line items)."""
    return _HEAD_RE.match(para.text) is not None


def extract_line_items(doc: Document, paras: list[Paragraph]) -> LineItemResult:
    result = LineItemResult()
    section: str | None = None
    for para in paras:
        head = _HEAD_RE.match(para.text)
        if head is None:
            if len(para.text) < 40 and _SECTION_RE.search(para.text):
                section = _SECTION_RE.search(para.text).group(1)
            continue
        result.used.add(para.start)
        name = head.group("name").strip()
        number = money(find_numbers(head.group("num"))[0], head.group("unit"))
        prov = span_prov(doc, *para.span(head.start("name"), head.end("unit")))
        result.amounts.append(
            Amount(key=f"project_category_{name}", number=number, source="narrative", label=name, prov=prov)
        )
        if section:
            result.items.append(LineItem(parent=section, name=name, number=number, prov=prov))
        result.items.extend(_parts(doc, para, head.end(), name))
    for para in paras:
        if para.start not in result.used:
            result.items.extend(allocation_items(doc, para))
            result.items.extend(total_breakdown(doc, para))
    if not result.items:
        result.items = _fund_breakdown(doc, paras)
    return result


def allocation_items(doc: Document, para: Paragraph) -> list[LineItem]:
    """The parts an allocation lists after 其中 ("下达…资金X万元，其中：A a万元，B b万元，C调减c万元"),
    each a line item of it (an adjustment negative), up to the sentence end, a restated total
    (全年实际下达…, 共…) or spending. Kept when every part is named by what it pays for (not by a
    source, a recipient or a budget category: vocab.PART_NOT_AN_ITEM) and, where no amount is
    masked, the parts other than adjustments add up to the allocation."""
    norm = normalize_digits(para.text)
    amounts = sorted(
        [(m, True) for m in MONEY_RE.finditer(norm)] + [(m, False) for m in MASKED_MONEY_RE.finditer(norm)],
        key=lambda pair: pair[0].start(),
    )
    items: list[LineItem] = []
    consumed = -1
    for n, (total, clear) in enumerate(amounts):
        if total.start() < consumed:
            continue
        clause_start = _clause_start(norm, total.start(), 0)
        clause = norm[clause_start : total.start()].strip()
        lead = vocab.PARTS_LEAD.match(norm, total.end())
        if lead is None or fund_kind(clause)[0] != "budget" or vocab.NOT_THE_FUND.search(clause):
            continue
        parts = _allocation_parts(norm, amounts[n + 1 :], lead.end())
        if parts:
            consumed = parts[-1][2].end()
        if not _is_itemised_allocation(parts, money_of(total).value if clear else None):
            continue
        start, end = para.span(clause_start, total.end())
        parent = doc.text[start:end].strip()  # as printed; a masked total is named with its mask
        for label, label_start, m, part_clear in parts:
            number = money_of(m) if part_clear else None
            if number is None or number.value == 0:
                continue  # masked, or a zero part (公务用车购置费0万元): nothing itemised
            if vocab.PART_DECREASE.search(label):
                number = number.model_copy(update={"value": -number.value})
            prov = span_prov(doc, *para.span(label_start, m.end()))
            items.append(LineItem(parent=parent, name=label, number=number, prov=prov))
    return items


def total_breakdown(doc: Document, para: Paragraph) -> list[LineItem]:
    """The amounts that follow a total in its paragraph ("共计11个,涉及资金X万元。…为“优”的有1项,
    涉及金额为A万元;…B万元") and add up to it exactly, two or more, each a line item of it. Parts
    after 其中 are read by `allocation_items`; parts named by a source or a budget category, spending
    or an amount that is not positive end the search."""
    norm = normalize_digits(para.text)
    matches = list(MONEY_RE.finditer(norm))
    for n, total in enumerate(matches):
        clause_start = _clause_start(norm, total.start(), 0)
        if not vocab.BREAKDOWN_TOTAL.search(norm[clause_start : total.start()]):
            continue
        if vocab.PARTS_LEAD.match(norm, total.end()):
            continue
        items = _adding_up(doc, para, norm, matches[n + 1 :], total)
        if items:
            return items
    return []


def _adding_up(doc: Document, para: Paragraph, norm: str, following: list[re.Match], total: re.Match) -> list[LineItem]:
    """The amounts after `total` whose running sum reaches it exactly (none when it passes it)."""
    whole, target = 0.0, money_of(total).value
    if target <= 0:
        return []
    parent_start, parent_end = para.span(_clause_start(norm, total.start(), 0), total.end())
    parent = doc.text[parent_start:parent_end].strip()
    items: list[LineItem] = []
    if following and vocab.PARTS_WORD.search(norm, total.end(), following[0].start()):
        return []  # parts after 其中 are read by allocation_items and extract.budget_text
    previous_end = total.end()
    for m in following:
        start = max(_sentence_start(norm, m.start()), previous_end)  # not back over the last amount
        previous_end = m.end()
        label = norm[start : m.start()].strip(" ，,。；;：:、")
        if not label or money_of(m).value <= 0 or fund_kind(label)[0] == "spent":
            return []
        if vocab.PART_NOT_AN_ITEM.search(label):
            return []
        number = money_of(m)
        items.append(
            LineItem(parent=parent, name=label, number=number, prov=span_prov(doc, *para.span(start, m.end())))
        )
        whole += number.value
        if len(items) >= 2 and close(whole, target, 0.005):
            return items
        if whole > target + 0.005:
            return []
    return []


def _sentence_start(text: str, end: int, longest: int = 40) -> int:
    """Where the sentence or list item that ends at `end` starts (after 。/；), at most `longest` back."""
    start = end
    while start > 0 and end - start < longest and text[start - 1] not in "。；;\n":
        start -= 1
    return start


def _clause_start(text: str, end: int, floor: int) -> int:
    """Where the clause that ends at `end` starts (after the previous clause delimiter, not before `floor`)."""
    start = end
    while start > floor and text[start - 1] not in _PART_STOPS:
        start -= 1
    return start


def _allocation_parts(
    norm: str, following: list[tuple[re.Match, bool]], start: int
) -> list[tuple[str, int, re.Match, bool]]:
    """(label, where it starts, amount, printed?) of each part from `start` to the end of the sentence; a clause
    that restates the whole (共…, 全年…) or states spending ends the parts."""
    sentence_end = norm.find("。", start)
    end = sentence_end if sentence_end >= 0 else len(norm)
    parts: list[tuple[str, int, re.Match, bool]] = []
    for m, clear in following:
        if m.start() < start:
            continue
        if m.start() >= end:
            break
        floor = parts[-1][2].end() if parts else start  # "A 1万元、B 2万元": B's label starts after A's amount
        label_start = _clause_start(norm, m.start(), floor)
        lead = re.match(r"[\s、]*(?:(?:其中|包括)[:：]?)?\s*", norm[label_start : m.start()])
        label_start += lead.end()
        label = norm[label_start : m.start()].strip()
        kind, key = fund_kind(label)
        if kind == "spent" or key != "budget" and kind is not None or vocab.TOTAL_MARK.search(label):
            break
        parts.append((label, label_start, m, clear))
    return parts


def _is_itemised_allocation(parts: list[tuple[str, int, re.Match, bool]], total: float | None) -> bool:
    """Two or more parts, each named by its purpose, adding up to the total where all are printed."""
    if len(parts) < 2 or any(not label or vocab.PART_NOT_AN_ITEM.search(label) for label, *_ in parts):
        return False
    if total is None or not all(clear for *_, clear in parts):
        return True
    whole = sum(money_of(m).value for label, _, m, _ in parts if not vocab.PART_DECREASE.search(label))
    return close(whole, total, 0.005)


def _fund_breakdown(doc: Document, paras: list[Paragraph]) -> list[LineItem]:
    """The amounts that follow the fund's budget and add up to it ("实际到位资金613万元，补助情况：
    (1)…3万元…(6)…64万元"), each a line item of it. Parts in the same clause after 其中 are not
    (they are the budget's sources: extract.budget_text), nor are spending or a new section."""
    stated = fund_budget_statement(doc, paras)
    if stated is None:
        return []
    index, end, total = stated
    if vocab.PARTS_LEAD.match(normalize_digits(paras[index].text), end):
        return []
    items: list[LineItem] = []
    for n, para in enumerate(paras[index : index + _BREAKDOWN_PARAGRAPHS]):
        norm = normalize_digits(para.text)
        if n and starts_section(norm):
            break
        for m in MONEY_RE.finditer(norm, end if n == 0 else 0):
            label, start = label_before(norm, m.start(), stops=_ITEM_STOPS)
            if fund_kind(label)[0] == "spent" or m.group("num").startswith("-"):
                return []
            items.append(
                LineItem(
                    parent=total.label,
                    name=label,
                    number=money_of(m),
                    prov=span_prov(doc, *para.span(start, m.end())),
                )
            )
            whole = sum(item.number.value for item in items)
            if len(items) >= 2 and close(whole, total.number.value, 0.005):
                return items
            if whole > total.number.value:
                return []
    return []


def _parts(doc: Document, para: Paragraph, start: int, parent: str) -> list[LineItem]:
    """'A X万元；B Y万' after 其中：, each part one line item."""
    items = []
    pos = start
    for part in re.split(r"[；;]", para.text[start:]):
        m = MONEY_RE.search(part)
        if m:
            name = re.sub(r"^(其中|包括)[:：]?", "", part[: m.start()]).strip(" ，,、：:")
            number = money_of(m)
            if name:
                items.append(
                    LineItem(
                        parent=parent,
                        name=name,
                        number=number,
                        prov=span_prov(doc, *para.span(pos, pos + m.end())),
                    )
                )
        pos += len(part) + 1
    return items
