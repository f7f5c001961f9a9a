"""Department, region and year of a report, from its form cells and title lines.

* department: the cell after 部门名称 / 单位名称 / 预算部门名称 when it reads as an agency name, else
  "单位名称：X" / "填报单位：X" in the text, else a title line that opens with the agency
  ("忠县民政局2024年度资金绩效自评报告", "深圳市福田区民政局关于“…”管理使用情况"), else the report
  speaking of itself ("现将2022年X财政衔接…", "X及其下属", "由X组织实施", "X对…进行了自评"), else the
  project's unit ("实施单位:X", "评价项目单位：X", "对X…专项经费进行了绩效评价", a name that opens with
  its place), else a line
  that is only an agency's name in the last third (the signature), else the title run over lines ("上海市普陀区财政局\n
  2024年度部门决算"). Text is matched in its matching form (extract.normalize) and the name is
  returned as printed; a name printed elsewhere with its county/city in front is taken in full
  ("城关镇社区卫生服务中心" → "舟曲县城关镇社区卫生服务中心", "大足区商务委员会" → "重庆市大足区商务委员会"
  where the gazetteer puts the one under the other);
* region: the full administrative chain of where the unit sits (河南省驻马店市西平县 for 西平县交通运输局,
  重庆市忠县 for 忠县民政局), from the places that open the department's name, else from a title line
  that opens with a place, the page's publisher field ("来源:天津市东丽区财政局") or "现将X…" (the
  deepest of these when they agree); the gazetteer and its disambiguation are extract/places.py;
* year: the first "2022年度" / "（2022 年度）" / "2023年" near the top;
* whether it is a department's report (部门整体支出, 部门决算 … anywhere in it), not one project's.
"""

from __future__ import annotations

import re

from extract import places
from extract import vocabulary as vocab
from extract.cells import clean
from extract.normalize import normalize, simplified_document
from pipeline.models import Document

_NAME_LABEL_RE = re.compile(r"^(?:\S{0,4}预算)?(?:部门|单位)(?:[（(](?:部门|单位)[)）])?名称$")
_SUFFIXES = vocab.AGENCY_SUFFIXES
_HEAD_CHARS = 20000
_TITLE_LINES = 30
_AGENCY = r"[\u4e00-\u9fff]{2,30}?(?:" + _SUFFIXES + ")"
# the name ends where Chinese text ends or, in run-together header blocks, where the next label starts
_NAME_END = r"(?:(?![\u4e00-\u9fff])|(?=" + vocab.HEADER_BLOCK_LABELS + "))"
_TEXT_NAME_RE = re.compile(
    r"(?:单位名称|填报单位|部门名称|预算单位|预算部门)\s*(?:[(（]盖章[)）])?\s*[:：]\s*(?:[(（]盖章[)）])?\s*("
    + _AGENCY
    + ")"
    + _NAME_END
    + r"|(?:发文单位|报送单位|填报单位)[:：\s]?\s*("
    + _AGENCY
    + ")"
    + _NAME_END
)
_IMPLEMENTER_RE = re.compile(vocab.DEPARTMENT_IMPLEMENTER_LABEL + "(" + _AGENCY + ")" + _NAME_END)
_TITLE_RE = re.compile(
    r"(?:\d{4}\s*年度?)?(" + _AGENCY + r")(?:部门)?\s*(?:\d{4}\s*年度?)?\s*(?:部门)?(?:整体|决算|预算|绩效)"
)
_AGENCY_NAME_RE = re.compile(r"[\u4e00-\u9fff（）()]{4,40}(?:" + _SUFFIXES + ")")
# a two-character district name is a common word as well (城区, 郊区, 矿区, 东区): in running text it
# names no place unless a unit's name carries it
_GENERIC_PLACE_RE = re.compile(r"^.区$")
_YEAR_RE = re.compile(r"(20\d{2})\s*年")


def department(doc: Document) -> str | None:
    """The reporting unit's name as printed (see the module docstring for the order of sources)."""
    from_cells = _department_cell(doc)
    text, index = normalize(doc.text[:_HEAD_CHARS])
    if from_cells:
        cell = normalize(from_cells)[0]
        where = text.find(cell)
        if where < 0:
            return from_cells
        start, end = _with_places_before(text, where, where + len(cell))
        return from_cells if start == where else doc.text[index[start] : index[end - 1] + 1]
    found = _department_in_text(text)
    if found is None:
        return _title_over_lines(doc.text[:3000])
    start, end = _in_full(text, *found)
    return doc.text[index[start] : index[end - 1] + 1]


def _title_over_lines(head: str) -> str | None:
    """The unit's name in a title that wraps over lines ("上海市普陀区财政局\n2024年度部门决算"): the
    lines joined, the name opening one of them (not "…机构设置\n上海市…部门预算是…" read across)."""
    lines = re.split(r"[ \t\u3000]*\n\s*", head)
    joined = "".join(lines)
    start = 0
    for line in lines:
        m = _TITLE_RE.match(joined, start)
        if m:
            return m.group(1).strip()
        start += len(line)
    return None


def _department_in_text(text: str) -> tuple[int, int] | None:
    """Span of the unit's name in the matching-form text, by the first source that names it."""
    m = _TEXT_NAME_RE.search(re.sub(r"\n", " ", text))
    if m:
        return m.span(1) if m.group(1) else m.span(2)
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    for start, line in lines[:_TITLE_LINES]:
        m = vocab.DEPARTMENT_TITLE_RE.match(line)
        if m and _is_agency(m.group("name")):
            return start + m.start("name"), start + m.end("name")
    for pattern in vocab.DEPARTMENT_SELF_RES:
        for m in pattern.finditer(text):
            if _is_agency(m.group("name")):
                return m.span("name")
    for m in _IMPLEMENTER_RE.finditer(text):
        if _is_agency(m.group(1)) and vocab.REGION_MARK.match(m.group(1)):
            return m.span(1)
    for m in vocab.DEPARTMENT_EVALUATED_RE.finditer(text):
        if _is_agency(m.group("name")) and vocab.REGION_MARK.match(m.group("name")):
            return m.span("name")
    for start, line in lines[len(lines) * 2 // 3 :]:  # the signature, not a site banner
        m = re.fullmatch(r"\s*(" + _AGENCY + r")\s*", line)
        if m and _is_agency(m.group(1)) and vocab.REGION_MARK.search(m.group(1)):
            return start + m.start(1), start + m.end(1)
    return None


def _is_agency(name: str) -> bool:
    return not vocab.NOT_AN_AGENCY.search(name)


def _in_full(text: str, start: int, end: int) -> tuple[int, int]:
    """The name with the county/city printed before it elsewhere ("舟曲县" + "城关镇…中心")."""
    name = text[start:end]
    if vocab.REGION_MARK.match(name) and not re.match(r"^(?:省|市|县|区|州|旗|自治区)", name):
        return _with_places_before(text, start, end)
    longer = [
        (m.start(), m.end())
        for m in re.finditer(r"[\u4e00-\u9fff]{1,8}" + re.escape(name), text)
        if vocab.REGION_MARK.match(m.group()) and _is_agency(m.group())
    ]
    if not longer:
        return start, end
    return min(longer, key=lambda span: span[1] - span[0])


def _with_places_before(text: str, start: int, end: int) -> tuple[int, int]:
    """The name as printed elsewhere with the places above its own in front ("大足区商务委员会" in a
    cell, "重庆市大足区商务委员会" in the title): the longest such printing, else the name's span."""
    name = text[start:end]
    own = places.leading_places(name)
    if not own:
        return start, end
    best = (start, end)
    for m in re.finditer(r"[\u4e00-\u9fff]{2,12}(?=" + re.escape(name) + ")", text):
        before = m.group()
        for i in range(len(before) - 1):  # the longest run of places that ends right before the name
            above = places.leading_places(before, i)
            if "".join(above) == before[i:]:
                if _is_above(above, own) and end - start + len(before) - i > best[1] - best[0]:
                    best = (m.start() + i, m.end() + len(name))
                break
    return best


def _is_above(above: list[str], own: list[str]) -> bool:
    """Whether the places `above` are the province / city of the place that opens a name."""
    divisions = places.resolve(above + own)  # ends above the name's own place when they disagree
    return bool(divisions) and places.named(divisions[-1], own[-1])


def _department_cell(doc: Document) -> str | None:
    for table in doc.tables:
        grid = table.grid()
        for row in grid[:3]:
            for c, cell in enumerate(row[:-1]):
                if cell and _NAME_LABEL_RE.match(re.sub(r"\s", "", cell.text)) and row[c + 1] not in (None, cell):
                    name = clean(row[c + 1].text)
                    if name and _AGENCY_NAME_RE.fullmatch(name):
                        return name
    return None


def region(doc: Document, dept: str | None) -> str | None:
    """The full administrative chain of where the reporting unit sits (河南省驻马店市西平县), see the
    module docstring; None when no place is named or the one named stays ambiguous."""
    head = normalize(doc.text[:_HEAD_CHARS])[0]
    if dept:
        name = vocab.REGION_NAME_PREFIX.sub("", normalize(dept)[0])
        names = _places_in_name(name)
        if names:
            return places.full_name(places.resolve(names, head), name)
    chains = [c for names in _places_in_head(head) if (c := places.resolve(names, head))]
    if not chains:
        return None
    deepest = max(chains, key=len)
    if any(c != deepest[: len(c)] for c in chains):  # places that disagree: what they share
        deepest = places.shared(chains)
    return places.full_name(deepest, head)


def _places_in_name(name: str) -> list[str]:
    """The division names that open the unit's name or, failing that, the first run of them
    inside it ("国家税务总局西平县税务局"; only names of three characters or more there)."""
    for start in range(len(name)):
        names = places.leading_places(name, start)
        if names and (start == 0 or len(names[0]) >= 3):
            return names
    return []


def _places_in_head(head: str) -> list[list[str]]:
    """Runs of division names where the report states its place: a title line that opens with
    them, the page's publisher field, "现将X…"."""
    found = []
    for line in head.split("\n")[:_TITLE_LINES]:
        lead = vocab.REGION_TITLE_LEAD.match(line)
        if lead and vocab.REGION_TITLE_WORDS.search(line):
            found.append(places.leading_places(line, lead.end()))
        for field in vocab.REGION_FIELD_RE.finditer(line):
            found.append(places.leading_places(line, field.end()))
    for m in vocab.REGION_SELF_RE.finditer(head):
        names = places.leading_places(head, m.end())
        if vocab.REGION_SELF_NEXT.match(head, m.end() + len("".join(names))):
            found.append(names)
    return [names for names in found if names and not _GENERIC_PLACE_RE.match(names[0])]


def year(doc: Document) -> int | None:
    m = _YEAR_RE.search(doc.text[:1000])
    return int(m.group(1)) if m else None


def is_department_report(doc: Document) -> bool:
    """A department's report (vocab.DEPARTMENT_REPORT_WORDS anywhere in its text), not one project's."""
    return bool(vocab.DEPARTMENT_REPORT_WORDS.search(simplified_document(doc.text)))
