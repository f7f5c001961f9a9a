"""Department, region and year of a report, from its form cells and title lines.

* department: the cell after 部门名称 / 单位名称 / 预算部门名称, else "单位名称：X" / "填报单位：X" in the
  text, else the title ("龙山县自然资源局部门2023年部门整体支出绩效自评报告");
* region: the administrative prefix of the department (株洲市渌口区 from 株洲市渌口区自然资源局);
* year: the first "2022年度" / "（2022 年度）" / "2023年" near the top.
"""

from __future__ import annotations

import re

from extract.cells import clean
from pipeline.models import Document

_NAME_LABEL_RE = re.compile(r"^(?:\S{0,4}预算)?(?:部门|单位)(?:[（(](?:部门|单位)[)）])?名称$")
_AGENCY = r"[\u4e00-\u9fff]{2,30}?(?:局|委员会|厅|委|办公室|中心|院|所|站|队|处|馆|署)"
_TEXT_NAME_RE = re.compile(
    r"(?:单位名称|填报单位|部门名称)[:：]\s*(?:[(（]盖章[)）])?\s*(" + _AGENCY + r")(?![\u4e00-\u9fff])"
)
_TITLE_RE = re.compile(r"(?:\d{4}\s*年度?)?(" + _AGENCY + r")(?:部门)?(?:\d{4}\s*年度?)?(?:部门)?整体")
_REGION_RE = re.compile(r"^((?:[\u4e00-\u9fff]{1,8}?(?:自治区|自治州|自治县|省|市|州|盟|地区|县|区|旗))+)")
_YEAR_RE = re.compile(r"(20\d{2})\s*年")


def department(doc: Document) -> str | None:
    for table in doc.tables:
        grid = table.grid()
        for row in grid[:3]:
            for c, cell in enumerate(row[:-1]):
                if cell and _NAME_LABEL_RE.match(re.sub(r"\s", "", cell.text)) and row[c + 1] not in (None, cell):
                    name = clean(row[c + 1].text)
                    if name:
                        return name
    head = doc.text[:3000]
    m = _TEXT_NAME_RE.search(head) or _TITLE_RE.search(head)
    return m.group(1).strip() if m else None


def region(dept: str | None) -> str | None:
    if not dept:
        return None
    m = _REGION_RE.match(dept)
    return m.group(1) if m and m.group(1) != dept else None


def year(doc: Document) -> int | None:
    m = _YEAR_RE.search(doc.text[:1000])
    return int(m.group(1)) if m else None
