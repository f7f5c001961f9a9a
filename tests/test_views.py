"""The stable SQL views, and the example queries of docs/queries.md on the sample database."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from synthetic import make_db, sample_db

from pipeline.querydoc import refresh

QUERIES_DOC = Path(__file__).resolve().parent.parent / "docs" / "queries.md"


@pytest.fixture(scope="module")
def con(tmp_path_factory, samples_dir):
    con, _, _ = make_db(samples_dir, tmp_path_factory.mktemp("views") / "views.duckdb")
    yield con
    con.close()


def _dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def test_documents_view_has_one_row_with_main_amounts_and_score(con):
    [doc] = _dicts(con, "SELECT * FROM v_documents")
    assert doc["file"] == "002_c67ae4c09c7435a3.txt"
    assert (doc["department"], doc["year"]) == ("示例市自然资源局", 2021)
    assert (doc["full_year_budget"], doc["executed"], doc["execution_rate_pct"]) == (100.0, 120.5, 120.5)
    assert doc["initial_budget"] is None
    assert doc["total_score"] == 99.0
    assert (doc["n_findings"], doc["n_errors"]) == (3, 1)


def test_indicator_targets_are_parsed_and_compared_with_actuals(con):
    rows = {
        r["fact_id"]: r
        for r in _dicts(
            con,
            "SELECT fact_id, target_value, target_unit, direction, actual_value, actual_unit, met, full_marks "
            "FROM v_indicators",
        )
    }
    assert rows["i1"] == {
        "fact_id": "i1",
        "target_value": 20.0,
        "target_unit": "个",
        "direction": "at_least",
        "actual_value": 22.0,
        "actual_unit": "个",
        "met": True,
        "full_marks": True,
    }
    assert (rows["i2"]["met"], rows["i2"]["full_marks"]) == (False, True)  # 95.6% of 100%, full marks
    assert rows["i3"]["direction"] == "at_most"  # 不超过5个工作日, took 7
    assert (rows["i3"]["met"], rows["i3"]["full_marks"]) == (False, False)


@pytest.mark.parametrize(
    ("text", "number", "unit", "direction"),
    [
        ("≥95%", 95.0, "%", "at_least"),
        ("不超出4,229.37万元", 4229.37, "万元", "at_most"),
        ("控制在1285.63万元以内", 1285.63, "万元", "at_most"),
        ("1.5万以上", 1.5, "万", "at_least"),
        ("2024年度年初绩效目标任务已基本完成", None, None, None),
        ("全面落实", None, None, None),
    ],
)
def test_indicator_string_macros(con, text, number, unit, direction):
    assert con.execute("SELECT jx_num(?), jx_unit(?), jx_direction(?)", [text] * 3).fetchone() == (
        number,
        unit,
        direction,
    )


def test_projects_view_recomputes_the_execution_rate(con):
    [p] = _dicts(con, "SELECT name, budget, executed, rate_pct, computed_rate_pct FROM v_projects")
    assert p == {
        "name": "不动产登记项目",
        "budget": 80.0,
        "executed": 60.0,
        "rate_pct": 75.0,
        "computed_rate_pct": 75.0,
    }


def test_findings_are_joined_to_their_facts_and_source_text(con):
    findings = _dicts(con, "SELECT finding_idx, severity, fact_ids, sources FROM v_findings ORDER BY finding_idx")
    raw = dict(con.execute("SELECT fact_id, raw FROM v_facts").fetchall())
    assert findings[0]["severity"] == "error"
    assert findings[0]["sources"] == f"{raw['a1']} | {raw['a2']}"
    assert findings[2]["fact_ids"] == [] and findings[2]["sources"] is None

    links = _dicts(
        con, "SELECT fact_pos, fact_id, fact_type, raw, context FROM v_finding_facts WHERE finding_idx = 0 ORDER BY 1"
    )
    assert [(r["fact_pos"], r["fact_id"], r["fact_type"]) for r in links] == [(1, "a1", "amount"), (2, "a2", "amount")]
    for r in links:
        assert r["raw"] and r["raw"] in r["context"]


def test_facts_view_covers_every_fact_table(con):
    counts = dict(con.execute("SELECT fact_type, count(*) FROM v_facts GROUP BY ALL").fetchall())
    assert counts == {"amount": 3, "indicator": 3, "section": 2, "project": 1, "total_score": 1, "mention": 1}


def test_views_work_over_a_read_only_connection(tmp_path, samples_dir):
    make_db(samples_dir, tmp_path / "db.duckdb")[0].close()
    ro = duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True)
    assert ro.execute("SELECT count(*) FROM v_indicators WHERE met").fetchone() == (1,)


def test_readme_example_queries_give_the_output_shown(tmp_path_factory, samples_dir):
    db = sample_db(samples_dir, tmp_path_factory.getbasetemp())
    con = duckdb.connect(str(db), read_only=True)
    shown = QUERIES_DOC.read_text(encoding="utf-8")
    actual = refresh(shown, con)
    assert actual.count("```sql") >= 8
    assert actual == shown, (
        "docs/queries.md no longer matches the sample database; if the change is intended, "
        "regenerate it with `.venv/bin/python -m pipeline.querydoc docs/queries.md` and review the diff"
    )


def test_a_disclosure_finding_shows_its_table_cell_and_narrative_figure(tmp_path):
    from test_disclosure_rules import document, three_public_grid

    from extract import extract_facts
    from pipeline import store
    from validate import validate

    three = three_public_grid()
    doc = document(
        [
            "财政拨款“三公”经费支出决算表\n",
            three,
            "七、财政拨款“三公”经费支出决算情况说明\n公务接待费支出决算为0.93万元。\n",
        ]
    )
    facts = extract_facts(doc)
    con = store.connect(tmp_path / "d.duckdb")
    store.save_document(con, doc, facts, validate(facts))
    [finding] = _dicts(con, "SELECT finding_idx, sources FROM v_findings WHERE rule = 'disclosure_narrative_vs_table'")
    assert finding["sources"] == "0.93万元 | 0.39"
    links = _dicts(
        con,
        "SELECT fact_type, label, value, context FROM v_finding_facts "
        f"WHERE rule = 'disclosure_narrative_vs_table' AND finding_idx = {finding['finding_idx']} ORDER BY fact_pos",
    )
    assert [(r["fact_type"], r["value"]) for r in links] == [("disclosure_figure", 0.93), ("disclosure_cell", 0.39)]
    assert "公务接待费支出决算为0.93万元" in links[0]["context"]


@pytest.mark.parametrize(
    ("phase", "expected"),
    [
        ("决算", {"basis": "决算", "initial_budget": None, "executed": 110.0}),
        ("预算", {"basis": "预算", "initial_budget": 110.0, "executed": None}),
    ],
)
def test_department_years_puts_the_self_evaluation_beside_the_tables(con, tmp_path, phase, expected):
    from test_disclosure_rules import EXPENDITURE, document, grid

    from extract import extract_facts
    from pipeline import store
    from validate import validate

    [form] = _dicts(con, "SELECT basis, full_year_budget, executed FROM v_department_years")
    assert form == {"basis": "自评表", "full_year_budget": 100.0, "executed": 120.5}

    summary = grid(
        [
            ["收入", "收入", "支出", "支出"],
            ["项目", f"{phase}数", "项目", f"{phase}数"],
            ["一般公共预算财政拨款收入", "110.00", "一般公共服务支出", "110.00"],
            ["本年收入合计", "110.00", "本年支出合计", "110.00"],
        ]
    )
    doc = document([f"收入支出{phase}总表\n", summary, f"支出{phase}表\n", EXPENDITURE])
    facts = extract_facts(doc)
    disclosure = store.connect(tmp_path / "d.duckdb")
    store.save_document(disclosure, doc, facts, validate(facts))
    rows = _dicts(
        disclosure,
        "SELECT basis, initial_budget, executed, basic_expenditure, project_expenditure FROM v_department_years",
    )
    assert rows == [{**expected, "basic_expenditure": 60.0, "project_expenditure": 50.0}]
