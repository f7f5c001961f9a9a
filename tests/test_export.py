"""`jixiao export`: the views as parquet, CSV and xlsx files that open elsewhere with the same values."""

from __future__ import annotations

import csv

import duckdb
import pytest
from openpyxl import load_workbook
from synthetic import make_db
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.export import EXPORTED_VIEWS, export, sheet_name
from pipeline.export import header as header_of


@pytest.fixture(scope="module")
def db(tmp_path_factory, samples_dir):
    path = tmp_path_factory.mktemp("export") / "export.duckdb"
    make_db(samples_dir, path)[0].close()
    return path


def _view(db, view: str) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    cursor = con.execute(f"SELECT * FROM {view} ORDER BY ALL")
    columns, rows = [d[0] for d in cursor.description], cursor.fetchall()
    con.close()
    return columns, rows


def test_parquet_files_read_back_equal_to_the_views(db, tmp_path):
    con = duckdb.connect(str(db), read_only=True)
    written = export(con, tmp_path, "parquet")
    con.close()
    assert sorted(p.name for p in written) == sorted(f"{v}.parquet" for v in EXPORTED_VIEWS)
    reader = duckdb.connect()
    for view in EXPORTED_VIEWS:
        cursor = reader.execute("SELECT * FROM read_parquet(?)", [str(tmp_path / f"{view}.parquet")])
        assert ([d[0] for d in cursor.description], cursor.fetchall()) == _view(db, view)
    [(values, fact_ids)] = reader.execute(
        "SELECT \"values\", fact_ids FROM read_parquet(?) WHERE severity = 'error'",
        [str(tmp_path / "v_findings.parquet")],
    ).fetchall()
    assert (values, fact_ids) == ([120.5, 100.0], ["a1", "a2"])


def test_csv_has_a_bom_for_excel_and_the_view_values(db, tmp_path):
    con = duckdb.connect(str(db), read_only=True)
    export(con, tmp_path, "csv")
    con.close()
    raw = (tmp_path / "v_documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (tmp_path / "v_documents.csv").open(encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert (row["department"], row["executed"], row["total_score"]) == ("示例市自然资源局", "120.5", "99.0")
    with (tmp_path / "v_findings.csv").open(encoding="utf-8-sig", newline="") as fh:
        errors = [r for r in csv.DictReader(fh) if r["severity"] == "error"]
    assert errors[0]["fact_ids"] == "a1; a2"


def test_xlsx_has_one_sheet_per_view_with_chinese_headers(db, tmp_path):
    result = CliRunner().invoke(app, ["export", "--format", "xlsx", "--out", str(tmp_path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "jixiao.xlsx", read_only=True)
    assert book.sheetnames == ["问题清单", *(sheet_name(v) for v in EXPORTED_VIEWS)]
    sheet = book["文档汇总"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    columns, expected = _view(db, "v_documents")
    assert list(header) == [header_of(c) for c in columns]
    assert "部门" in header and "全年执行数（万元）" in header
    assert len(rows) == len(expected) == 1
    values = dict(zip(header, rows[0], strict=True))
    assert (values["部门"], values["全年执行数（万元）"], values["总分"]) == ("示例市自然资源局", 120.5, 99)
    indicators = list(book["绩效指标"].iter_rows(values_only=True))
    assert len(indicators) == 1 + len(_view(db, "v_indicators")[1])
    met = dict(zip(indicators[0], zip(*indicators[1:], strict=True), strict=True))["是否完成"]
    assert sorted(met, key=str) == [False, False, True]


def test_every_exported_column_has_a_chinese_header(db):
    for view in EXPORTED_VIEWS:
        columns, _ = _view(db, view)
        assert [c for c in columns if header_of(c) == c] == [], view


def test_unknown_format_is_a_usage_error(db, tmp_path):
    result = CliRunner().invoke(app, ["export", "--format", "json", "--out", str(tmp_path), "--db", str(db)])
    assert result.exit_code == 2


def test_xlsx_findings_list_is_the_sheet_a_reviewer_forwards(db, tmp_path):
    """问题清单: one row per finding with severity, rule, message, document, pages and the facts' text."""
    export(duckdb.connect(str(db), read_only=True), tmp_path, "xlsx")
    book = load_workbook(tmp_path / "jixiao.xlsx", read_only=True)
    header, *rows = list(book["问题清单"].iter_rows(values_only=True))
    assert list(header) == ["文档", "严重程度", "规则", "说明", "页码", "涉及数据原文"]
    first = dict(zip(header, rows[0], strict=True))
    assert first["严重程度"] == "错误" and first["规则"] == "executed_vs_full_year_budget"
    assert first["说明"] == "全年执行数120.5万元超出全年预算数100万元 <b>"
    assert first["涉及数据原文"]  # the raw text of each fact (pages where the source has them)


def test_xlsx_in_english(db, tmp_path):
    result = CliRunner().invoke(
        app, ["export", "--format", "xlsx", "--out", str(tmp_path), "--db", str(db), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "jixiao.xlsx", read_only=True)
    assert book.sheetnames[0] == "findings list"
    header, first, *_ = list(book["findings list"].iter_rows(values_only=True))
    assert first[1:4] == (
        "error",
        "executed_vs_full_year_budget",
        "executed 120.5 exceeds the full-year budget 100 <b>",
    )
