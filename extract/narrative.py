"""Running-text facts other than budget amounts: project self-evaluations, the total score, and
quantity / count / garbled-number mentions for the validators.
"""

from __future__ import annotations

import re

from extract.numbers import first_number, normalize_digits
from extract.paragraphs import NUMBERING, Paragraph, label_before
from extract.prov import span_prov
from pipeline.models import Document, Mention, Number, Project, TotalScore

_NUM = r"(\d[\d,]*(?:\.\d+)?)"
# "(1)乡村振兴项目绩效自评综述：" (name without the template suffix), or "2、土地整治项目：" (name as printed)
_PROJECT_HEAD_RES = (
    re.compile(NUMBERING + r"(?P<name>[^：:。]{2,40}?)(?:项目)?(?:支出)?绩效自评(?:综述|情况|结果)?[:：]"),
    re.compile(NUMBERING + r"(?P<name>[^：:。，]{2,40}?项目)[:：]"),
)
_PROJECT_FIELDS = {
    "budget": re.compile(r"(?:全年)?预算(?:数|金额)?(?:为)?\s*" + _NUM + r"\s*万元"),
    "executed": re.compile(r"执行(?:数|金额)?(?:为)?\s*" + _NUM + r"\s*万元"),
    "rate_pct": re.compile(r"(?:完成预算的|执行率(?:为)?)\s*" + _NUM + r"\s*%"),
    "score": re.compile(r"得分(?:为)?\s*" + _NUM + r"\s*分"),
}
_TOTAL_RE = re.compile(
    r"(?<!项目)(部门整体|整体绩效|整体支出|综合|总分|自评)[^。；，]{0,20}?(?:得分|结果|评分)(?:为|是|[:：])?\s*"
    + _NUM
    + r"\s*分"
)

_COUNT_UNITS = "个|项|件|宗|处|笔|份|家|户|本|篇|条|座|所|台|套|批"
_QUANTITY_UNITS = "万亩|亩|公顷|平方公里|万人次|人次|万件|万人|人|万吨|吨|公里|米|%"
# a number not inside a range ("2-3个", "1—2个": neither end is a quantity of its own)
_MENTION_RE = re.compile(
    r"(?<![\d.,A-Za-z\-—~～])-?" + _NUM + r"\s*(?P<unit>" + _QUANTITY_UNITS + "|" + _COUNT_UNITS + ")"
)
_GARBLED_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<tok>[A-Za-z0-9₀-₉⁰-⁹]*[₀-₉⁰-⁹A-Za-z][A-Za-z0-9₀-₉⁰-⁹]*)(?P<unit>万元|元|万亩|亩|%)"
)


def extract_projects(doc: Document, paras: list[Paragraph]) -> tuple[list[Project], set[int]]:
    """Project self-evaluation paragraphs; also the starts of the paragraphs they used."""
    projects, used = [], set()
    for para in paras:
        head = next((m for m in (r.match(para.text) for r in _PROJECT_HEAD_RES) if m), None)
        if head is None:
            continue
        norm = normalize_digits(para.text)
        values: dict[str, Number | None] = {}
        for name, pattern in _PROJECT_FIELDS.items():
            m = pattern.search(norm, head.end())
            values[name] = first_number(m.group(1)) if m else None
        if values["budget"] is None or (values["executed"] is None and values["score"] is None):
            continue
        used.add(para.start)
        projects.append(Project(name=head.group("name").strip(), prov=span_prov(doc, para.start, para.end), **values))
    return projects, used


def narrative_total(doc: Document, paras: list[Paragraph]) -> TotalScore | None:
    """The department's overall score stated in the text (…自评得分96分, 综合评分结果为94.92分)."""
    for para in paras:
        m = _TOTAL_RE.search(normalize_digits(para.text))
        if m:
            number = first_number(m.group(2))
            return TotalScore(number=number, prov=span_prov(doc, *para.span(m.start(), m.end())))
    return None


def extract_mentions(doc: Document, paras: list[Paragraph]) -> list[Mention]:
    """Quantities and counts with their units and labels, and garbled numbers."""
    mentions = []
    for para in paras:
        norm = normalize_digits(para.text)
        for m in _MENTION_RE.finditer(norm):
            unit = m.group("unit")
            label, start = label_before(para.text, m.start(), max_len=16)
            kind = "count" if re.fullmatch(_COUNT_UNITS, unit) else "quantity"
            mentions.append(
                Mention(
                    kind=kind,
                    label=label,
                    number=first_number(m.group()),
                    unit=unit,
                    prov=span_prov(doc, *para.span(start, m.end())),
                )
            )
        for m in _GARBLED_RE.finditer(para.text):
            token = m.group("tok")
            if re.search(r"[0-9₀-₉⁰-⁹]", token) and re.search(r"[A-Za-z₀-₉⁰-⁹]", token):
                label, start = label_before(para.text, m.start(), max_len=16)
                mentions.append(
                    Mention(
                        kind="garbled",
                        label=label,
                        unit=m.group("unit"),
                        prov=span_prov(doc, *para.span(start, m.end())),
                    )
                )
    return mentions
