"""Score summary tables (评分结果一览表: 评价准则 | 准则分值 | 评价得分) → section scores and the total.

A summary table has a header naming a weight column (分值 / 权重) and a score column (得分); each
following row is a section (预算执行, 产出指标, …) and a row labelled 综合评价得分 / 总分 / 合计 is the
total. Indicator tables (which have 三级指标) are not summary tables.
"""

from __future__ import annotations

import re

from extract.cells import cell_number, clean
from extract.indicators import find_header
from extract.numbers import to_number
from extract.prov import cell_prov
from pipeline.models import Document, SectionScore, TotalScore

_TOTAL_RE = re.compile(r"(综合评价得分|综合得分|总分|合计|总计)")


def extract_score_summary(doc: Document) -> tuple[list[SectionScore], TotalScore | None]:
    sections: list[SectionScore] = []
    total: TotalScore | None = None
    for table in doc.tables:
        if find_header(table) is not None or table.n_cols < 3:
            continue
        grid = table.grid()
        header = [re.sub(r"\s+", "", clean(c.text) or "") if c else "" for c in grid[0]]
        weight_col = next((i for i, t in enumerate(header) if "分值" in t or "权重" in t), None)
        score_col = next((i for i, t in enumerate(header) if "得分" in t), None)
        if weight_col is None or score_col is None or weight_col == score_col:
            continue
        for row in grid[1:]:
            label = clean(row[0].text) if row[0] else None
            weight_cell, score_cell = row[weight_col], row[score_col]
            weight = cell_number(weight_cell.text) if weight_cell else None
            score = cell_number(score_cell.text) if score_cell else None
            if not label or score is None or score_cell is None:
                continue
            if _TOTAL_RE.search(label):
                total = TotalScore(
                    number=to_number(score),
                    weight=to_number(weight) if weight else None,
                    prov=cell_prov(doc, table, score_cell),
                )
            else:
                prov = cell_prov(doc, table, score_cell)
                cells = {"score": prov}
                if weight and weight_cell is not None:
                    cells["weight"] = cell_prov(doc, table, weight_cell)
                section = SectionScore(
                    level1=label,
                    weight=to_number(weight) if weight else None,
                    score=to_number(score),
                    prov=prov,
                    cells=cells,
                )
                sections.append(section)
    return sections, total
