"""Databases for the views, export and review tests.

`make_db`: hand-made facts and findings placed on a real sample's text. The document (text,
blocks, table grids) comes from the real reader; the facts point at real places in it (a table
cell, a number early in the text, a number near the end), so these tests do not depend on how far
extraction and validation have got.

`sample_db`: the real pipeline over every bundled sample, built once per test session.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb

from pipeline import store
from pipeline.models import (
    Amount,
    Document,
    Facts,
    Finding,
    Indicator,
    Mention,
    Number,
    Project,
    Provenance,
    SectionScore,
    TotalScore,
)
from pipeline.querydoc import build_sample_db
from pipeline.readers import read_document

SAMPLE = "002_c67ae4c09c7435a3.txt"  # a long report with several tables


def _prov(doc: Document, method: str, start: int, end: int, **where) -> Provenance:
    return Provenance(
        doc_id=doc.doc_id, method=method, raw=doc.text[start:end], char_start=start, char_end=end, **where
    )


def build(doc: Document) -> tuple[Facts, list[Finding]]:
    """Facts at real places of `doc`: a table cell, the first and the last decimal number of the text."""
    numbers = [m for m in re.finditer(r"\d+\.\d+", doc.text)]
    first, last = numbers[0], numbers[-1]
    table = doc.tables[-1]
    cell = next(
        c for c in reversed(table.cells) if re.fullmatch(r"[\d.%]+", c.text.strip()) and c.char_start is not None
    )
    row_cells = [c for c in table.cells if c.row == cell.row]
    row_start, row_end = min(c.char_start for c in row_cells), max(c.char_end for c in row_cells)
    facts = Facts(
        doc_id=doc.doc_id,
        department="示例市自然资源局",
        region="示例市",
        year=2021,
        amounts=[
            Amount(
                id="a1",
                key="executed",
                number=Number(value=120.5, decimals=1),
                primary=True,
                prov=_prov(doc, "table", cell.char_start, cell.char_end, table=table.index, row=cell.row, col=cell.col),
            ),
            Amount(
                id="a2",
                key="full_year_budget",
                number=Number(value=100.0, decimals=2),
                primary=True,
                prov=_prov(doc, "rule", first.start(), first.end()),
            ),
            Amount(
                id="a3",
                key="execution_rate_pct",
                unit="%",
                number=Number(value=120.5, decimals=1),
                primary=True,
                prov=_prov(doc, "rule", first.start(), first.end()),
            ),
        ],
        indicators=[
            Indicator(
                id="i1",
                table_seq=0,
                row_seq=0,
                level1="产出指标",
                level2="数量指标",
                level3="完成项目数",
                target="≥20个",
                actual="22个",
                weight=Number(value=10),
                score=Number(value=10),
                prov=Provenance(doc_id=doc.doc_id, method="table", raw="", table=table.index, row=cell.row),
            ),
            Indicator(
                id="i2",
                table_seq=0,
                row_seq=1,
                level1="效益指标",
                level2="满意度指标",
                level3="群众满意度",
                target="100%",
                actual="95.6%",
                weight=Number(value=10),
                score=Number(value=10),
                prov=_prov(doc, "llm", row_start, row_end, table=table.index, row=cell.row),
            ),
            Indicator(
                id="i3",
                table_seq=0,
                row_seq=2,
                level1="产出指标",
                level2="时效指标",
                level3="办结时限",
                target="不超过5个工作日",
                actual="7个工作日",
                weight=Number(value=5),
                score=Number(value=3),
                prov=Provenance(doc_id=doc.doc_id, method="table", raw=""),
            ),
        ],
        sections=[
            SectionScore(
                id="s1",
                level1="产出指标",
                weight=Number(value=50),
                score=Number(value=45),
                prov=Provenance(doc_id=doc.doc_id, method="table", raw=""),
            ),
            SectionScore(
                id="s2",
                level1="效益指标",
                weight=Number(value=30),
                score=Number(value=30),
                prov=Provenance(doc_id=doc.doc_id, method="table", raw=""),
            ),
        ],
        projects=[
            Project(
                id="p1",
                name="不动产登记项目",
                budget=Number(value=80.0, decimals=2),
                executed=Number(value=60.0, decimals=2),
                rate_pct=Number(value=75.0),
                score=Number(value=90),
                prov=Provenance(doc_id=doc.doc_id, method="rule", raw="不动产登记项目"),
            )
        ],
        total_score=TotalScore(
            id="t1",
            number=Number(value=99),
            weight=Number(value=100),
            prov=_prov(doc, "ocr", first.start(), first.end()),
        ),
        mentions=[
            Mention(
                id="m1",
                label="last number",
                number=Number(value=float(last.group()), decimals=len(last.group().split(".")[1])),
                unit="万元",
                prov=_prov(doc, "llm", last.start(), last.end()),
            )
        ],
    )
    findings = [
        Finding(
            rule="executed_vs_full_year_budget",
            severity="error",
            message="全年执行数120.5万元超出全年预算数100万元 <b>",
            message_en="executed 120.5 exceeds the full-year budget 100 <b>",
            reported=120.5,
            computed=100.0,
            difference=20.5,
            values=[120.5, 100.0],
            fact_ids=["a1", "a2"],
        ),
        Finding(
            rule="same_quantity_differs",
            severity="warning",
            message="报告的最后一个数字",
            message_en="the last number of the report",
            values=[float(last.group())],
            fact_ids=["m1", "i3"],
        ),
        Finding(rule="rounding", severity="info", message="未关联数据", message_en="no facts attached", values=[]),
    ]
    return facts, findings


def make_db(samples_dir: Path, db_path: Path) -> tuple[duckdb.DuckDBPyConnection, Document, Facts]:
    """A database holding the sample document with the hand-made facts and findings."""
    doc = read_document(samples_dir / SAMPLE)
    doc.tables[0].cells[0].confidence = 0.42  # as if read by OCR, with little confidence
    facts, findings = build(doc)
    con = store.connect(db_path)
    store.save_document(con, doc, facts, findings)
    return con, doc, facts


@functools.cache
def sample_db(samples_dir: Path, base: Path) -> Path:
    """The sample database under `base` (the session's temporary folder), built on first use."""
    path = base / "samples.duckdb"
    build_sample_db(samples_dir, path).close()
    return path
