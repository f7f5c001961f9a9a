"""Itemised breakdowns in running text → `LineItem`s under their parent.

A numbered paragraph "1、城乡社区支出15265.33万元。其中：完成…7200万元；土地收储专项资金2000万；…"
gives one line item per "其中" part (parent 城乡社区支出) and makes 城乡社区支出 itself a line item of
the section it stands in (the closest heading naming 项目支出 / 基本支出), also recorded as an
`Amount` `project_category_<name>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.numbers import MONEY_RE, find_numbers, money, money_of
from extract.paragraphs import BOOKMARK, Paragraph
from extract.prov import span_prov
from pipeline.models import Amount, Document, LineItem

_HEAD_RE = re.compile(
    r"^\s*(?:" + BOOKMARK + r")?\s*(?:\d+|[一二三四五六七八九十]+)\s*[、.．]\s*"
    r"(?P<name>[^，。；：:\d]{2,30}?)\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|万|元)[。，；]?\s*其中[:：]"
)
_SECTION_RE = re.compile(r"(项目支出|基本支出)")


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
    return result


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
