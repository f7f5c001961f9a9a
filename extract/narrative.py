"""Running-text facts other than budget amounts: project self-evaluations, the total score, and
quantity / count / garbled-number mentions for the validators.

Projects in running text come as numbered self-evaluation paragraphs ("(1)X项目绩效自评综述：…"),
as itemised lists of allocations ("具体是:A项目3005万元;B项目1235万元;…", three or more items, most
named …项目; an allocation naming its one project after it, "…下达预算资金5009万元,项目是C项目", continues
the list), or as names only ("其中包括A项目、B项目和C项目等,共计16个项目"; quoted “A”、“B”等).
Names are the printed text (extract.vocabulary, narrative project lists).

A report on one project (`single_project_report`: no project found otherwise, not a department
report, main amounts read from the narrative) lists that project: its name from 项目名称, else the
title line, else the fund a "X经费：Y万元" budget names, else the budget sentence's "…项目", else the sentences that name it (现将X绩效自评报告如下,
“X”, 对X开展绩效评价, 用于X项目); budget = full_year_budget, executed, rate and its own score.
"""

from __future__ import annotations

import re

from extract import vocabulary as vocab
from extract.budget_text import fund_kind
from extract.line_items import is_itemised
from extract.meta import is_department_report
from extract.normalize import normalize
from extract.numbers import MONEY_RE, find_numbers, first_number, money, money_of, normalize_digits, to_number
from extract.paragraphs import NUMBERING, Paragraph, label_before, starts_heading
from extract.prov import span_prov
from pipeline.models import Amount, Document, Facts, Mention, Number, Project, TotalScore

_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_MONEY = r"(\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|元)"
# "(1)乡村振兴项目绩效自评综述：" (name without the template suffix), or "2、土地整治项目：" /
# "1.慈善会项目，下达资金40万元…" (name as printed)
_PROJECT_HEAD_RES = (
    re.compile(NUMBERING + r"(?P<name>[^：:。]{2,40}?)(?:项目)?(?:支出)?绩效自评(?:综述|情况|结果)?[:：]"),
    re.compile(
        r"(?:" + NUMBERING + r"|^\s*(?:[（(]?[一二三四五六七八九十]{1,3}[)）、]|[一二三四五六七八九十]{1,3}是)\s*)"
        r"(?P<name>[^：:。，,]{2,40}?项目)[:：，,]"
    ),
)
_PROJECT_FIELDS = {
    "budget": re.compile(
        r"(?:全年)?(?:预算|下达资金|下达|安排资金|安排|批复资金|批复|到位资金|计划投资|总投资)(?:数|金额|资金)?(?:为|是|共)?\s*"
        + _MONEY
    ),
    "executed": re.compile(r"(?:执行|实际支出|已支出|已拨付|已支付|完成投资)(?:数|金额|资金)?(?:为|是)?\s*" + _MONEY),
    "rate_pct": re.compile(r"(?:完成预算的|(?:执行|支付|拨付)率(?:为)?)\s*" + _NUM + r"\s*%"),
    "score": re.compile(r"得分(?:为)?\s*" + _NUM + r"\s*分"),
}
_TOTAL_RE = re.compile(
    r"(?<!项目)(部门整体|整体绩效|整体支出|综合|总分|自评)[^。；，]{0,20}?(?:得分|结果|评分)(?:为|是|[:：])?\s*"
    + _NUM
    + r"\s*分"
)

# after an allocation, the one project it funds: ",项目是X项目" (up to the clause's end)
_NAMED_AFTER_RE = re.compile(r"\s*[，,]\s*项目(?:是|为|名称为?)[:：]?\s*(?P<name>[^，,：:]{4,60}?项目)\s*$")
_TITLE_LINES = 25  # a title stands among the first lines
_MIN_NAME = 6  # shorter "names" are generic (衔接资金, 专项资金)
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
            values[name] = None if m is None else _field_number(m)
        if values["budget"] is None or (values["executed"] is None and values["score"] is None):
            continue
        used.add(para.start)
        name = _printed(doc, para, head.start("name"), head.end("name"))
        projects.append(Project(name=name, prov=span_prov(doc, para.start, para.end), **values))
    if not projects:
        projects = _listed_projects(doc, paras) or _counted_projects(doc, paras) or _named_projects(doc, paras)
    return projects, used


def _field_number(m: re.Match) -> Number:
    """A project field's number: money in 万元 (from 元 / 亿元 too), else as printed (%, 分)."""
    found = find_numbers(m.group(1))[0]
    return money(found, m.group(2)) if m.lastindex and m.lastindex >= 2 else to_number(found)


def _listed_projects(doc: Document, paras: list[Paragraph]) -> list[Project]:
    """Itemised allocations "A项目3005万元；B项目1235万元；…": runs of three or more items, most of
    them named …项目; each item a project with its amount as budget."""
    runs: list[list[Project]] = [[]]
    for para in paras:
        if is_itemised(para):
            runs.append([])
            continue
        norm = normalize_digits(para.text)
        pos = 0
        for segment in re.split(r"[；;。]", norm):
            item = _list_item(doc, para, segment, pos) or (
                _named_allocation(doc, para, segment, pos) if runs[-1] else None
            )
            if item is not None:
                runs[-1].append(item)
            elif runs[-1]:
                runs.append([])
            pos += len(segment) + 1
    return [
        p
        for run in runs
        if len(run) >= 3 and 2 * sum(bool(vocab.PROJECT_NAME_END.search(p.name)) for p in run) >= len(run)
        for p in run
    ]


def _list_item(doc: Document, para: Paragraph, segment: str, pos: int) -> Project | None:
    """'名称Y万元' (the segment ends with the amount; the name has no budget or spending words)."""
    m = MONEY_RE.search(segment)
    if m is None or segment[m.end() :].strip():
        return None
    start = max(segment.rfind(c, 0, m.start()) for c in "，,：:") + 1
    lead = vocab.LIST_LEAD_IN.match(segment[start : m.start()])
    start += lead.end() if lead else 0
    name = segment[start : m.start()].strip()
    if re.search(r"其中|合计|共计|总计", name):
        return None
    cut = vocab.NAME_CUT.match(name)  # the first item run into its lead-in ("…下达转移支付X项目")
    if cut and len(name) - cut.end() >= 2:
        start += segment[start:].index(name) + cut.end()
        name = name[cut.end() :]
    if not 2 <= len(name) <= 40 or fund_kind(name)[0] is not None:
        return None
    begin = pos + start + (len(segment[start:]) - len(segment[start:].lstrip()))
    name_span = para.span(begin, pos + start + len(segment[start : m.start()].rstrip()))
    return Project(
        name=doc.text[name_span[0] : name_span[1]],
        budget=money_of(m),
        prov=span_prov(doc, *para.span(begin, pos + m.end())),
    )


def _named_allocation(doc: Document, para: Paragraph, segment: str, pos: int) -> Project | None:
    """'…下达预算资金5009万元,项目是X项目' continuing a list: the allocation's one project, named after it."""
    m = MONEY_RE.search(segment)
    if m is None or fund_kind(segment[: m.start()])[0] != "budget":
        return None
    named = _NAMED_AFTER_RE.match(segment, m.end())
    if named is None:
        return None
    start, end = para.span(pos + named.start("name"), pos + named.end("name"))
    return Project(
        name=doc.text[start:end],
        budget=money_of(m),
        prov=span_prov(doc, *para.span(pos + m.start(), pos + named.end("name"))),
    )


def _counted_projects(doc: Document, paras: list[Paragraph]) -> list[Project]:
    """ "共有N个项目…。其中:A Y万元；B Z万元" with exactly N items: the unit's projects."""
    for para in paras:
        norm = normalize_digits(para.text)
        m = vocab.COUNTED_ITEMS_RE.search(norm)
        if m is None:
            continue
        pos, items = m.start("items"), []
        for segment in re.split(r"[；;，,]", m.group("items")):
            item = _list_item(doc, para, segment, pos)
            pos += len(segment) + 1
            if item is None:
                return []
            items.append(item)
        return items if len(items) == int(m.group("count")) else []
    return []


def _named_projects(doc: Document, paras: list[Paragraph]) -> list[Project]:
    """Projects listed by name only: "包括A、B和C等,共计N个项目", or quoted “A”、“B”等."""
    for para in paras:
        m = vocab.NAMED_PROJECTS_RE.search(para.text)
        if m is not None:
            names = _split_names(m.group("list"), m.start("list"))
            if 2 <= len(names) <= int(m.group("count")):
                return [_named(doc, para, i, j) for i, j in names]
        m = vocab.QUOTED_PROJECTS_RE.search(para.text)
        if m is not None:
            spans = [(q.start(1), q.end(1)) for q in re.finditer(r"“([^”]+)”", m.group("list"))]
            return [_named(doc, para, m.start("list") + i, m.start("list") + j) for i, j in spans]
    return []


def _split_names(text: str, offset: int) -> list[tuple[int, int]]:
    """Spans of the names in "A、B、C和D" (the last two may be joined by 和)."""
    spans, start = [], 0
    for m in re.finditer(r"、", text):
        spans.append((start, m.start()))
        start = m.end()
    last = text[start:]
    cut = last.rfind("和")
    if cut > 1:
        spans += [(start, start + cut), (start + cut + 1, len(text))]
    else:
        spans.append((start, len(text)))
    return [(offset + i, offset + j) for i, j in spans if j - i >= 2]


def _named(doc: Document, para: Paragraph, i: int, j: int) -> Project:
    start, end = para.span(i, j)
    return Project(name=doc.text[start:end], prov=span_prov(doc, start, end))


def single_project_report(doc: Document, paras: list[Paragraph], facts: Facts) -> None:
    """Where the report is one project's, list that project (and take its own score as the total
    score when none was found)."""
    if facts.projects or is_department_report(doc):
        return
    primary = {a.key: a for a in facts.amounts if a.primary}
    budget = primary.get("full_year_budget")
    if budget is None or any(a.source != "narrative" for a in primary.values()):
        return
    name = _project_name(doc, paras, budget)
    if name is None:
        return
    if facts.total_score is None:
        facts.total_score = _project_score(doc, paras)
    fields: dict[str, Amount | TotalScore | None] = {
        "budget": budget,
        "executed": primary.get("executed"),
        "rate_pct": primary.get("execution_rate_pct"),
        "score": facts.total_score,
    }
    found = {key: value for key, value in fields.items() if value is not None}
    facts.projects = [
        Project(
            name=name,
            prov=budget.prov,
            cells={key: value.prov for key, value in found.items()},
            **{key: value.number for key, value in found.items()},
        )
    ]


def _project_name(doc: Document, paras: list[Paragraph], budget: Amount) -> str | None:
    """The project's name as printed (see the module docstring for the order of the sources)."""
    for para in paras:
        m = vocab.PROJECT_NAME_FIELD.search(para.text)
        if m:
            return _printed(doc, para, m.start("name"), m.end("name"))
    for block in [b for b in doc.blocks if b.kind == "paragraph"][:_TITLE_LINES]:
        name = _title_name(doc, _paragraph_of(doc, block.char_start, block.char_end))
        if name:
            return name
    if budget.label.endswith("："):  # "2018年财政绿化包干经费:1080万元": the fund named by its amount
        named = re.sub(r"^\d{4}\s*年度?", "", budget.label[:-1])
        found = _find_printed(doc, paras, named) if len(named) >= _MIN_NAME else None
        if found:
            return found
    for pattern in vocab.PROJECT_NAME_SENTENCES:
        for para in paras:
            m = pattern.search(para.text)
            cut = vocab.NAME_CUT.match(m.group("name")) if m else None
            start = m.start("name") + (cut.end() if cut else 0) if m else 0
            prefix = vocab.NAME_PREFIX.match(para.text, start, m.end("name")) if m else None
            start = prefix.end() if prefix else start
            if m and m.end("name") - start >= _MIN_NAME:
                return _printed(doc, para, start, m.end("name"))
    return None


def _find_printed(doc: Document, paras: list[Paragraph], name: str) -> str | None:
    """`name` (matching form) as printed, from the first paragraph holding it."""
    for para in paras:
        i = para.text.find(name)
        if i >= 0:
            return _printed(doc, para, i, i + len(name))
    return None


def _paragraph_of(doc: Document, start: int, end: int) -> Paragraph:
    """One source line as a paragraph (matching form, offsets into the document)."""
    text, index = normalize(doc.text[start:end])
    return Paragraph(start=start, end=end, text=text, offsets=tuple(start + i for i in index))


def _title_name(doc: Document, para: Paragraph) -> str | None:
    """The name in a title line "X项目绩效自评报告" (without a fiscal-year prefix or a bracketed tag;
    "X专项资金" is the 专项 X专项)."""
    line = para.text.strip()
    if len(line) > 100 or vocab.FILE_NAME.search(line) or starts_heading(line):
        return None
    suffix = vocab.TITLE_SUFFIX.search(line)
    if suffix is None:
        return None
    start = len(para.text) - len(para.text.lstrip())
    end = start + suffix.start()
    prefix = vocab.NAME_PREFIX.match(para.text, start, end)
    start = prefix.end() if prefix else start
    if para.text[start:end].endswith("专项资金"):
        end -= 2
    return _printed(doc, para, start, end) if end - start >= _MIN_NAME else None


def _printed(doc: Document, para: Paragraph, i: int, j: int) -> str:
    start, end = para.span(i, j)
    return doc.text[start:end].strip()


def _project_score(doc: Document, paras: list[Paragraph]) -> TotalScore | None:
    """A project report's own score (项目自评分:100分)."""
    for para in paras:
        m = vocab.PROJECT_SCORE_RE.search(normalize_digits(para.text))
        if m:
            number = first_number(m.group("num"))
            return TotalScore(number=number, prov=span_prov(doc, *para.span(m.start(), m.end())))
    return None


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
