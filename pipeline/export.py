"""Export the stable views to files people open elsewhere: parquet, CSV (Excel-friendly) or xlsx.

One file per view for parquet and CSV (English column names, as in SQL); one workbook with one
sheet per view for xlsx, with Chinese sheet names and headers.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import duckdb

FORMATS = ("parquet", "csv", "xlsx")

EXPORTED_VIEWS = {
    "v_documents": "文档汇总",
    "v_indicators": "绩效指标",
    "v_projects": "项目",
    "v_findings": "问题",
    "v_finding_facts": "问题涉及的数据",
    "v_facts": "全部数据",
}

HEADERS_ZH = {
    "doc_id": "文档编号",
    "file": "文件",
    "path": "路径",
    "format": "格式",
    "status": "状态",
    "error": "错误信息",
    "department": "部门",
    "region": "地区",
    "year": "年度",
    "initial_budget": "年初预算数（万元）",
    "full_year_budget": "全年预算数（万元）",
    "executed": "全年执行数（万元）",
    "execution_rate_pct": "执行率（%）",
    "basic_expenditure": "基本支出（万元）",
    "project_expenditure": "项目支出（万元）",
    "income_general_public": "一般公共预算（万元）",
    "income_gov_fund": "政府性基金（万元）",
    "income_other": "其他资金（万元）",
    "total_score": "总分",
    "n_findings": "问题数",
    "n_errors": "错误数",
    "fact_id": "数据编号",
    "table_seq": "指标表序号",
    "table_kind": "指标表类型",
    "row_seq": "行序号",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "target": "年度指标值",
    "target_value": "指标值（数值）",
    "target_unit": "指标值单位",
    "direction": "方向",
    "actual": "实际完成值",
    "actual_value": "完成值（数值）",
    "actual_unit": "完成值单位",
    "met": "是否完成",
    "weight": "分值",
    "score": "得分",
    "full_marks": "是否满分",
    "deviation_reason": "偏差原因",
    "name": "名称",
    "budget": "预算数（万元）",
    "rate_pct": "执行率（%）",
    "computed_rate_pct": "计算执行率（%）",
    "project_id": "项目编号",
    "project": "项目",
    "title": "表名",
    "source": "来源",
    "funds_weight": "资金分值",
    "funds_score": "资金得分",
    "total_weight": "总分分值",
    "restates": "复述的项目编号",
    "fact_type": "数据类型",
    "label": "标签",
    "value": "数值",
    "detail": "说明",
    "finding_idx": "问题序号",
    "severity": "严重程度",
    "rule": "规则",
    "message": "说明",
    "reported": "报告值",
    "computed": "计算值",
    "difference": "差额",
    "values": "涉及数值",
    "fact_ids": "涉及数据编号",
    "sources": "原文",
    "fact_pos": "数据序号",
    "context": "上下文",
    "method": "提取方式",
    "page": "页码",
    "table_idx": "表格序号",
    "row_idx": "行",
    "col_idx": "列",
    "char_start": "起始字符",
    "char_end": "结束字符",
    "raw": "原文",
}


def export(con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str) -> list[Path]:
    """Write every exported view to `out_dir` in `fmt`; returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        return [_write_xlsx(con, out / "jixiao.xlsx")]
    writer = _write_parquet if fmt == "parquet" else _write_csv
    return [writer(con, view, out / f"{view}.{fmt}") for view in EXPORTED_VIEWS]


def _rows(con: duckdb.DuckDBPyConnection, view: str) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(f"SELECT * FROM {view} ORDER BY ALL")
    return [d[0] for d in cursor.description], cursor.fetchall()


def _write_parquet(con: duckdb.DuckDBPyConnection, view: str, path: Path) -> Path:
    con.execute(f"COPY (SELECT * FROM {view} ORDER BY ALL) TO '{_sql_path(path)}' (FORMAT parquet)")
    return path


def _write_csv(con: duckdb.DuckDBPyConnection, view: str, path: Path) -> Path:
    columns, rows = _rows(con, view)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM makes Excel read UTF-8
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows([[_flat(v) for v in row] for row in rows])
    return path


def _write_xlsx(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    for view, title in EXPORTED_VIEWS.items():
        sheet = book.create_sheet(title)
        columns, rows = _rows(con, view)
        sheet.append([HEADERS_ZH.get(c, c) for c in columns])
        for row in rows:
            cells = [_flat(v) for v in row]
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in cells])
    book.save(path)
    return path


def _flat(value: Any) -> Any:
    """Lists become `a; b` text (CSV and xlsx cells hold scalars); anything else is unchanged."""
    if isinstance(value, list):
        return "; ".join("" if v is None else str(v) for v in value)
    return value


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
