"""Department, region and year of a report, from its form cells and title lines.

* department: the cell after 部门名称 / 单位名称 / 预算部门名称 when it reads as an agency name, else
  "单位名称：X" / "填报单位：X" in the text, else the title ("龙山县自然资源局部门2023年部门整体支出绩效自评
  报告", "上海市普陀区财政局\n2024年度部门决算");
* region: the administrative prefix of the department (株洲市渌口区 from 株洲市渌口区自然资源局);
* year: the first "2022年度" / "（2022 年度）" / "2023年" near the top.
"""

from __future__ import annotations

import re

from extract.cells import clean
from pipeline.models import Document

_NAME_LABEL_RE = re.compile(r"^(?:\S{0,4}预算)?(?:部门|单位)(?:[（(](?:部门|单位)[)）])?名称$")
_SUFFIXES = "局|委员会|厅|委|办公室|中心|院|所|站|队|处|馆|署|部"
_AGENCY = r"[\u4e00-\u9fff]{2,30}?(?:" + _SUFFIXES + ")"
_TEXT_NAME_RE = re.compile(
    r"(?:单位名称|填报单位|部门名称)[:：]\s*(?:[(（]盖章[)）])?\s*(" + _AGENCY + r")(?![\u4e00-\u9fff])"
)
_TITLE_RE = re.compile(
    r"(?:\d{4}\s*年度?)?(" + _AGENCY + r")(?:部门)?\s*(?:\d{4}\s*年度?)?\s*(?:部门)?(?:整体|决算|预算|绩效)"
)
_AGENCY_NAME_RE = re.compile(r"[\u4e00-\u9fff（）()]{4,40}(?:" + _SUFFIXES + ")")
_REGION_RE = re.compile(r"^((?:[\u4e00-\u9fff]{1,8}?(?:自治区|自治州|自治县|省|市|州|盟|地区|县|区|旗))+)")
_YEAR_RE = re.compile(r"(20\d{2})\s*年")


def department(doc: Document) -> str | None:
    for table in doc.tables:
        grid = table.grid()
        for row in grid[:3]:
            for c, cell in enumerate(row[:-1]):
                if cell and _NAME_LABEL_RE.match(re.sub(r"\s", "", cell.text)) and row[c + 1] not in (None, cell):
                    name = clean(row[c + 1].text)
                    if name and _AGENCY_NAME_RE.fullmatch(name):
                        return name
    head = re.sub(r"[ \t\u3000]*\n\s*", "", doc.text[:3000])  # a title may wrap over lines
    m = _TEXT_NAME_RE.search(head) or _TITLE_RE.search(head)
    return m.group(1).strip() if m else None


def region(dept: str | None) -> str | None:
    if not dept:
        return None
    name = re.sub(r"^(中共|中国共产党)", "", dept)
    m = _REGION_RE.match(name)
    return m.group(1) if m and m.group(1) != name else None


def year(doc: Document) -> int | None:
    m = _YEAR_RE.search(doc.text[:1000])
    return int(m.group(1)) if m else None
