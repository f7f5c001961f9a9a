"""A file binding several forms: each form is its own scope (extract/project_form.py, validate/scopes.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extract import extract_facts
from extract.indicators import extract_indicators
from pipeline import store
from pipeline.goldjson import to_gold_json
from pipeline.models import Cell, Document, Facts, Finding, Table
from pipeline.readers import read_document
from validate import validate


def _project_form(name: str, funds: str, target: str, actual: str, cost: str = "") -> str:
    return (
        f"{name}项目支出绩效自评表\n（2023年度）\n"
        f"项目名称\t{name}\t\t\t\t\t\t\n"
        "主管部门\t某某县自然资源局\t实施单位\t某某县土地整理中心\t\t\t\t\n"
        "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
        f"\t年度资金总额\t{funds}\n"
        "\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
        f"绩效指标\t产出指标（90分）\t数量指标\t整治面积（亩）\t{target}\t{actual}\t90\t90\t\n"
        f"{cost}"
        "总分\t\t\t\t\t\t100\t99\t\n"
    )


COST_ROW = "\t\t成本指标\t项目成本\t120万元\t118万元\t0\t0\t\n"
BOUND = (
    "部门整体支出绩效自评表\n（2023年度）\n"
    "部门名称\t某某县自然资源局\t执行数\t资金执行率\t分值\t得分\n"
    "年度预算申请(万元)\t资金总额：1000.00 万元\t950.00 万元\t95.00%\t10\t9\n"
    "\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
    "绩效指标\t产出指标（90分）\t数量指标\t完成测绘（个）\t10\t10\t90\t90\t\n"
    "总分\t\t\t\t\t\t100\t99\t\n"
    "项目自评情况如下。\n"
    "1、甲地整治项目：全年预算数120万元，执行数110万元，完成预算的91.67%，得分95分。\n"
    "附件\n"
    + _project_form("甲地整治", "100\t120\t114\t10\t95%\t9", "500", "480", COST_ROW)
    + "附件\n"
    + _project_form("乙地整治", "50\t60\t60\t10\t100%\t10", "300", "300")
)


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    path: Path = tmp_path_factory.mktemp("bound") / "bound.txt"
    path.write_text(BOUND, encoding="utf-8")
    return extract_facts(read_document(path))


@pytest.fixture(scope="module")
def findings(facts: Facts) -> list[Finding]:
    return validate(facts)


def test_one_project_per_form_and_the_narrative_item_restates_it(facts: Facts) -> None:
    forms = [p for p in facts.projects if p.source == "form"]
    assert [(p.name, p.budget.value, p.executed.value, p.rate_pct.value, p.score.value) for p in forms] == [
        ("甲地整治", 120, 114, 95, 99),
        ("乙地整治", 60, 60, 100, 99),
    ]
    assert [(p.funds_weight.value, p.funds_score.value, p.total_weight.value) for p in forms] == [
        (10, 9, 100),
        (10, 10, 100),
    ]
    item = next(p for p in facts.projects if p.source == "narrative")
    assert item.restates == forms[0].id
    assert facts.project_scopes() == {p.id for p in forms}


def test_the_main_amounts_are_the_department_forms(facts: Facts) -> None:
    assert {a.key: a.number.value for a in facts.amounts if a.primary and a.source == "form"} == {
        "initial_budget": 1000,
        "executed": 950,
        "execution_rate_pct": 95,
    }


def test_each_indicator_row_names_its_project(facts: Facts) -> None:
    forms = {p.name: p.id for p in facts.projects if p.source == "form"}
    rows = [(i.level3, i.target, i.project_id) for i in facts.indicators if i.table_kind == "form"]
    assert rows == [
        ("完成测绘（个）", "10", None),
        ("整治面积（亩）", "500", forms["甲地整治"]),
        ("项目成本", "120万元", forms["甲地整治"]),
        ("整治面积（亩）", "300", forms["乙地整治"]),
    ]


def test_rules_compare_within_one_form(findings: list[Finding]) -> None:
    messages = [f.message for f in findings if f.severity == "error"]
    # the two projects' 整治面积 are different quantities; the narrative restating 甲地整治 is not
    assert not [m for m in messages if "整治面积" in m]
    assert [m for m in messages if m == "甲地整治：全年执行数在自评表中为114万元，在报告正文中为110万元"]
    assert [m for m in messages if m == "甲地整治：总分得分在自评表中为99，在报告正文中为95"]


def test_a_project_cost_other_than_its_spending_is_a_warning(findings: list[Finding]) -> None:
    costs = [f for f in findings if f.rule == "cost_indicator_vs_executed"]
    assert [(f.severity, f.values) for f in costs] == [("warning", [118, 114, 120])]
    assert costs[0].message.startswith("甲地整治：成本指标「项目成本」实际完成值为118万元，但全年执行数为114万元")


def test_extract_json_lists_forms_once_and_links_rows(facts: Facts, findings: list[Finding]) -> None:
    out = to_gold_json("bound.txt", facts, findings)
    assert [p["name"] for p in out["projects"]] == ["甲地整治", "乙地整治"]
    assert [p["restates"] for p in out["restatements"]] == [out["projects"][0]["id"]]
    assert [i["project"] for i in out["indicators"] if i["table_kind"] == "form"] == [
        None,
        "甲地整治",
        "甲地整治",
        "乙地整治",
    ]
    assert [s["level1"] for s in out["section_weights"]] == ["预算执行", "产出指标"]


def test_the_database_keeps_each_rows_project(tmp_path: Path) -> None:
    path = tmp_path / "bound.txt"
    path.write_text(BOUND, encoding="utf-8")
    doc = read_document(path)
    facts = extract_facts(doc)
    con = store.connect(tmp_path / "db.duckdb")
    store.save_document(con, doc, facts, validate(facts))
    rows = con.execute(
        "SELECT level3, project FROM v_indicators WHERE table_kind = 'form' ORDER BY row_idx, project"
    ).fetchall()
    assert sorted(rows, key=str) == sorted(
        [
            ("完成测绘（个）", None),
            ("整治面积（亩）", "甲地整治"),
            ("整治面积（亩）", "乙地整治"),
            ("项目成本", "甲地整治"),
        ],
        key=str,
    )
    projects = con.execute(
        "SELECT name, funds_score, total_weight, restates IS NOT NULL FROM v_projects ORDER BY fact_id"
    ).fetchall()
    assert projects == [
        ("甲地整治", 9.0, 100.0, False),
        ("乙地整治", 10.0, 100.0, False),
        ("甲地整治项目", None, None, True),
    ]


def test_an_older_database_gains_the_project_columns(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    old = duckdb.connect(str(db))
    added = ("ADD COLUMN IF NOT EXISTS project_id", "ALTER TABLE projects")
    old.execute("\n".join(line for line in store.SCHEMA.splitlines() if not any(a in line for a in added)))
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.close()
    con = store.connect(db)
    columns = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'indicators'"
        ).fetchall()
    ]
    assert "project_id" in columns


def test_a_table_listing_project_names_is_not_a_form(tmp_path: Path) -> None:
    listing = "附表：项目支出绩效自评表汇总\n项目名称\t金额（万元）\n甲地整治\t120\n乙地整治\t60\n"
    path = tmp_path / "one.txt"
    path.write_text(listing + "附件\n" + _project_form("甲地整治", "100\t120\t114\t10\t95%\t9", "500", "480"), "utf-8")
    facts = extract_facts(read_document(path))
    # the listing's row restates the form's project: one project, the form
    assert [(p.name, p.document_form) for p in facts.projects if p.restates is None] == [("甲地整治", True)]
    assert {a.key: a.number.value for a in facts.amounts if a.primary}["executed"] == 114


def test_a_wrapped_title_and_a_score_under_an_empty_weight(tmp_path: Path) -> None:
    form = _project_form("丙地整治", "100\t120\t114\t\t95%\t9", "500", "480")
    form = form.replace("丙地整治项目支出绩效自评表\n", "某某县丙地\n整治项目支出绩效自评表\n")
    path = tmp_path / "wrapped.txt"
    path.write_text("附件\n" + form, "utf-8")
    [project] = extract_facts(read_document(path)).projects
    assert project.title == "某某县丙地整治项目支出绩效自评表"
    assert project.funds_weight is None and project.funds_score.value == 9


def test_the_rows_under_a_funds_row_add_up_and_their_rates_hold(tmp_path: Path) -> None:
    splits = "\t其中：当年财政拨款\t100\t120\t110\t\t0.0%\t\n\t其他资金\t0\t10\t4\t\t\t\n"
    first = _project_form("甲地整治", "100\t120\t114\t10\t95%\t9", "500", "480")
    first = first.replace("\t一级指标", splits + "\t一级指标", 1)
    path = tmp_path / "splits.txt"
    # a 部门决算 binding the forms: each keeps its own scope (a file of forms only would make the first the document's)
    path.write_text(
        "某某县自然资源局2023年度部门决算\n附件\n"
        + first
        + "附件\n"
        + _project_form("乙地整治", "50\t60\t60\t10\t100%\t10", "3", "3"),
        "utf-8",
    )
    facts = extract_facts(read_document(path))
    splits_read = [(a.label, a.key, a.number.value) for a in facts.amounts if a.key.startswith("funds_split_")]
    assert ("其他资金", "funds_split_full_year_budget", 10) in splits_read
    found = {f.rule: f for f in validate(facts)}
    assert found["funds_split_vs_total"].message == (
        "甲地整治：全年预算数：其中：当年财政拨款120万元＋其他资金10万元＝130万元，但年度资金总额为120.00万元"
    )
    assert found["funds_split_rate_vs_computed"].values == [0, 91.67, 110, 120]


def test_the_split_rows_of_the_documents_own_form_are_checked_once(tmp_path: Path) -> None:
    splits = "\t其中：一般公共预算拨款\t100\t110\t110\t\t\t\n\t其他资金\t10\t20\t8\t\t\t\n"
    form = _project_form("甲地整治", "100\t120\t114\t10\t95%\t9", "500", "480")
    path = tmp_path / "one.txt"
    path.write_text("附件\n" + form.replace("\t一级指标", splits + "\t一级指标", 1), "utf-8")
    facts = extract_facts(read_document(path))
    found = validate(facts)
    sums = [(f.rule, f.values[:2]) for f in found if f.rule in ("funds_split_vs_total", "income_parts_vs_total")]
    # one finding per column (年初, 全年, 执行), none again as income by source
    assert sums == [
        ("funds_split_vs_total", [110, 100]),
        ("funds_split_vs_total", [130, 120]),
        ("funds_split_vs_total", [118, 114]),
    ]
    assert "其中：一般公共预算拨款110万元＋其他资金20万元＝130万元，但年度资金总额为120万元" in found[1].message
    # the rows are the form's breakdown: in the amounts table, not among the other mentions
    mentions = to_gold_json("one.txt", facts, found)["amounts"]["other_mentions"]
    assert not [m for m in mentions if m["key"].startswith("funds_split_")]


def test_a_form_continued_under_its_repeated_title_is_one_form(tmp_path: Path) -> None:
    form = _project_form("甲地整治", "100\t120\t114\t10\t95%\t9", "500", "480")
    head, tail = form.split("总分", 1)
    continued = head + "\f甲地整治项目支出绩效自评表（续表）\n\t\t\t加分项\t1\t1\t0\t0\t\n总分" + tail
    path = tmp_path / "continued.txt"
    path.write_text(
        "附件\n" + continued + "附件\n" + _project_form("乙地整治", "50\t60\t60\t10\t100%\t10", "3", "3"), "utf-8"
    )
    facts = extract_facts(read_document(path))
    first = facts.projects[0]
    assert (first.name, first.score.value) == ("甲地整治", 99)
    assert [i.project_id for i in facts.indicators if i.level3 == "加分项"] == [first.id]


def test_a_continuation_laid_out_without_the_header_merges_is_read() -> None:
    def cell(row: int, col: int, text: str, colspan: int = 1) -> Cell:
        return Cell(row=row, col=col, text=text, colspan=colspan)

    header = [cell(0, 0, "一级指标"), cell(0, 1, "三级指标", colspan=2), cell(0, 3, "年度指标值")]
    header += [cell(0, 4, "实际完成值"), cell(0, 5, "分值"), cell(0, 6, "得分")]
    first = header + [cell(1, 0, "产出指标"), cell(1, 1, "A", colspan=2)]
    first += [cell(1, c, t) for c, t in zip(range(3, 7), ["1", "1", "50", "50"], strict=True)]
    second = [cell(0, c, t) for c, t in enumerate(["", "B", "2", "2", "40", "30"])]
    tables = [Table(index=0, n_rows=2, n_cols=7, cells=first), Table(index=1, n_rows=1, n_cols=6, cells=second)]
    doc = Document(doc_id="x", path="x.pdf", format="pdf", tables=tables)
    rows = extract_indicators(doc, continued=frozenset({1})).indicators
    assert [(r.level1, r.level3, r.target, r.weight.value, r.score.value) for r in rows] == [
        ("产出指标", "A", "1", 50, 50),
        ("产出指标", "B", "2", 40, 30),
    ]
    assert len(extract_indicators(doc).indicators) == 1  # not known to be one form: not joined


def test_a_project_list_closed_by_a_total_is_not_a_form(tmp_path: Path) -> None:
    listing = "项目支出绩效自评表目录\n项目名称\t预算\t得分\n甲地整治\t120\t99\n合计\t120\t99\n"
    path = tmp_path / "list.txt"
    path.write_text(listing + "附件\n" + _project_form("甲地整治", "100\t120\t114\t10\t95%\t9", "500", "480"), "utf-8")
    facts = extract_facts(read_document(path))
    # the listing's row restates the form's project: one project, the form
    assert [(p.name, p.document_form) for p in facts.projects if p.restates is None] == [("甲地整治", True)]


def test_alike_slips_of_two_forms_stay_two_findings(tmp_path: Path) -> None:
    forms = [
        _project_form(name, "100\t120\t120\t10\t100%\t10", "5", "5").replace("\t90\t90\t\n", "\t80\t80\t\n")
        for name in ("甲地整治", "乙地整治")
    ]
    path = tmp_path / "alike.txt"
    path.write_text("附件\n" + forms[0] + "附件\n" + forms[1], "utf-8")
    found = [f for f in validate(extract_facts(read_document(path))) if f.rule == "weights_sum_vs_section"]
    assert [(f.message.split("：")[0], f.values) for f in found] == [("甲地整治", [80, 90]), ("乙地整治", [80, 90])]


def test_a_file_of_project_forms_only_takes_its_main_amounts_from_the_first(tmp_path: Path) -> None:
    forms = "附件\n" + _project_form("甲地整治", "100\t120\t114\t10\t95%\t9", "500", "480")
    forms += "附件\n" + _project_form("乙地整治", "50\t60\t60\t10\t100%\t10", "300", "300")
    path = tmp_path / "forms.txt"
    path.write_text(forms, "utf-8")
    facts = extract_facts(read_document(path))
    assert [(p.name, p.document_form) for p in facts.projects] == [("甲地整治", True), ("乙地整治", False)]
    main = {a.key: a.number.value for a in facts.amounts if a.primary and a.source == "form"}
    assert (main["full_year_budget"], main["executed"], main["execution_rate_pct"]) == (120, 114, 95)
    assert facts.total_score is not None and facts.total_score.number.value == 99
    # the same forms bound into a department's 决算 are the department's parts, not its own amounts
    path.write_text("某某县自然资源局2023年度部门决算\n" + forms, "utf-8")
    bound = extract_facts(read_document(path))
    assert [p.document_form for p in bound.projects] == [False, False]
    assert not [a for a in bound.amounts if a.primary and a.source == "form"] and bound.total_score is None


def test_a_project_form_after_text_about_the_department_is_a_project_form(tmp_path: Path) -> None:
    before = "二、部门整体支出绩效自评情况\n部门整体支出绩效自评得分99分。\n三、项目支出绩效自评情况\n详见附表。\n"
    path = tmp_path / "after.txt"
    path.write_text(before + _project_form("甲地整治", "100\t120\t114\t10\t95%\t9", "500", "480"), "utf-8")
    [project] = [p for p in extract_facts(read_document(path)).projects if p.source == "form"]
    assert (project.name, project.title) == ("甲地整治", "甲地整治项目支出绩效自评表")
