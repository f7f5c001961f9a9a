"""Form extraction on small synthetic forms: the funds block, the indicator tree and its repairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import extract_facts
from extract.form import funds_amounts
from pipeline.models import Cell, Document, Facts, Table
from pipeline.readers import read_document

FORM = (
    "部门整体支出绩效自评表\n（2023年度）\n"
    "部门名称\t某某县自然资源局\t执行数\t资金执行率\t分值\t得分\n"
    "年度预算申请(万元)\t资金总额：1000.00 万元\t950.00 万元\t95.00%\t10\t9\n"
    "\t按收入性质分：\t按支出性质分：\t\t\t\n"
    "\t其中：一般公共预算收入：800 万元\t其中：基本支出：600 万元\t\t\t\n"
    "\t政府性基金拨款：200 万元\t项目支出：400 万元\t\t\t\n"
    "\t上级财政补助收入：\t\t\t\t\n"
    "\t其他资金：0\t\t\t\t\n"
    "\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
    "绩效指标\t产出指标 (50分)\t数量指标\t完成测绘（个）\t10\t10\t30\t30\t\n"
    "\t\t\t报批（项）\t5\t完成4项，\t20\t16\t进度滞后\n"
    "\t\t\t\t\t1项跨年\t\t\t\n"  # the rest of the cell above, after a page break
    "效益指标 (40分)\t社会效益指标\t群众满意度\t95%\t96%\t30\t30\t\n"  # shifted one cell left
    "\t\t可持续影响指标\t<p>耕地保护</p>\t<p>目标A</p> <p>完成B</p>\t10\t9\t\n"  # target+actual in one cell
    "总分\t\t\t\t\t100\t95\t\n"
)


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    path: Path = tmp_path_factory.mktemp("form") / "form.txt"
    path.write_text(FORM, encoding="utf-8")
    return extract_facts(read_document(path))


def _primary(facts: Facts) -> dict[str, float]:
    return {a.key: a.number.value for a in facts.amounts if a.primary}


def test_funds_block_and_splits(facts: Facts) -> None:
    assert _primary(facts) == {
        "initial_budget": 1000,
        "executed": 950,
        "execution_rate_pct": 95,
        "income_general_public": 800,
        "income_gov_fund": 200,
        "income_other": 0,
        "basic_expenditure": 600,
        "project_expenditure": 400,
    }


def test_every_amount_points_at_its_cell(facts: Facts) -> None:
    executed = next(a for a in facts.amounts if a.key == "executed")
    assert executed.prov.method == "table"
    assert executed.prov.raw == "950.00 万元"
    assert FORM[executed.prov.char_start : executed.prov.char_end] == "950.00 万元"
    assert executed.number.decimals == 2


def test_indicator_rows_are_repaired(facts: Facts) -> None:
    rows = [(i.level1, i.level2, i.level3, i.target, i.actual, i.weight.value, i.score.value) for i in facts.indicators]
    assert rows == [
        ("产出指标", "数量指标", "完成测绘（个）", "10", "10", 30, 30),
        ("产出指标", "数量指标", "报批（项）", "5", "完成4项，1项跨年", 20, 16),
        ("效益指标", "社会效益指标", "群众满意度", "95%", "96%", 30, 30),
        ("效益指标", "可持续影响指标", "耕地保护", "目标A", "完成B", 10, 9),
    ]
    assert facts.indicators[1].deviation_reason == "进度滞后"
    assert {i.table_kind for i in facts.indicators} == {"form"}


def test_indicator_cells_keep_their_provenance(facts: Facts) -> None:
    row = facts.indicators[0]
    assert row.cells["score"].raw == "30"
    assert row.cells["level1"].raw == "产出指标 (50分)"


def test_sections_and_total(facts: Facts) -> None:
    sections = {s.level1: (s.weight.value, s.score.value if s.score else None) for s in facts.sections}
    assert sections == {"预算执行": (10, 9), "产出指标": (50, None), "效益指标": (40, None)}
    assert facts.total_score is not None
    assert (facts.total_score.number.value, facts.total_score.weight.value) == (95, 100)


def test_department_region_year(facts: Facts) -> None:
    assert (facts.department, facts.region, facts.year) == ("某某县自然资源局", None, 2023)


def _cell(row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(row=row, col=col, text=text, rowspan=rowspan, colspan=colspan)


def test_merged_cells_of_a_docx_grid_are_carried_down_and_header_variants_read() -> None:
    header = ["一级指标", "二级指标", "三级指标", "年度目标值", "全年实际值", "权重", "得分"]
    cells = [_cell(0, c, t) for c, t in enumerate(header)]
    cells += [_cell(1, 0, "产出指标（60分）", rowspan=3), _cell(1, 1, "数量指标", rowspan=2)]
    cells += [_cell(1, c, t) for c, t in enumerate(["A", "1", "1", "30", "30"], start=2)]
    cells += [_cell(2, c, t) for c, t in enumerate(["B", "2", "1", "20", "10"], start=2)]
    cells += [_cell(3, 1, "质量指标")] + [_cell(3, c, t) for c, t in enumerate(["C", "好", "好", "10", "10"], start=2)]
    cells += [_cell(4, 0, "偏差原因分析"), _cell(4, 1, "部分任务延期", colspan=6)]
    cells += [_cell(5, 0, "总分", colspan=5), _cell(5, 5, "60"), _cell(5, 6, "50")]
    doc = Document(doc_id="x", path="x.docx", format="docx", tables=[Table(index=0, n_rows=6, n_cols=7, cells=cells)])
    facts = extract_facts(doc)
    assert [(i.level1, i.level2, i.level3, i.score.value) for i in facts.indicators] == [
        ("产出指标", "数量指标", "A", 30),
        ("产出指标", "数量指标", "B", 10),
        ("产出指标", "质量指标", "C", 10),
    ]
    assert facts.total_score is not None and facts.total_score.number.value == 50
    assert [(s.level1, s.weight.value) for s in facts.sections] == [("产出指标", 60)]


PROJECT_FORM = (
    "附件3\n项目支出绩效自评表\n（2023年度）\n"
    "项目名称\t农村土地整治项目\t\t\t\t\t\t\n"
    "主管部门\t某某县自然资源局\t实施单位\t某某县土地整理中心\t\t\t\t\n"
    "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
    "\t年度资金总额\t100\t120\t114\t10\t95%\t9.5\n"
    "\t其中：当年财政拨款\t100\t120\t114\t\t\t\n"
    "\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
    "绩效指标\t产出指标（50分）\t数量指标\t整治面积（亩）\t500\t480\t50\t48\t\n"
    "\t效益指标（30分）\t社会效益指标\t新增耕地（亩）\t100\t100\t30\t30\t\n"
    "\t满意度指标（10分）\t服务对象满意度指标\t群众满意度\t≥90%\t95%\t10\t7.5\t\n"
    "总分\t\t\t\t\t\t100\t95\t\n"
)


def test_a_single_project_form_is_the_documents_own(tmp_path: Path) -> None:
    path = tmp_path / "project.txt"
    path.write_text(PROJECT_FORM, encoding="utf-8")
    facts = extract_facts(read_document(path))
    assert [(p.name, p.budget.value, p.executed.value, p.rate_pct.value, p.score.value) for p in facts.projects] == [
        ("农村土地整治项目", 120, 114, 95, 95)
    ]
    project = facts.projects[0]
    assert project.cells["executed"].raw == "114"
    assert (project.initial_budget.value, project.funds_weight.value, project.funds_score.value) == (100, 10, 9.5)
    assert project.total_weight.value == 100 and project.document_form
    assert {a.key: a.number.value for a in facts.amounts if a.primary} == {
        "initial_budget": 100,
        "full_year_budget": 120,
        "executed": 114,
        "execution_rate_pct": 95,
    }
    assert facts.total_score is not None and facts.total_score.number.value == 95
    assert [(i.level3, i.project_id) for i in facts.indicators] == [
        ("整治面积（亩）", "p1"),
        ("新增耕地（亩）", "p1"),
        ("群众满意度", "p1"),
    ]
    assert facts.project_scopes() == set()


def test_a_unit_printed_inside_the_table_but_in_no_cell_still_counts() -> None:
    text = "项目名称 某项目\n项目资金（元）\n年初预算数 全年执行数\n年度资金总额 800000.00 764000.00\n"
    spans = {w: (text.index(w), text.index(w) + len(w)) for w in ("项目名称", "年初预算数", "全年执行数")}
    spans |= {w: (text.index(w), text.index(w) + len(w)) for w in ("年度资金总额", "800000.00", "764000.00")}
    layout = [("项目名称", 0, 0), ("年初预算数", 1, 1), ("全年执行数", 1, 2)]
    layout += [("年度资金总额", 2, 0), ("800000.00", 2, 1), ("764000.00", 2, 2)]
    cells = [Cell(row=r, col=c, text=w, char_start=spans[w][0], char_end=spans[w][1]) for w, r, c in layout]
    table = Table(index=0, n_rows=3, n_cols=3, cells=cells, char_start=0, char_end=len(text))
    doc = Document(doc_id="x", path="x.txt", format="txt", text=text, tables=[table])
    found = funds_amounts(doc, table)
    assert found is not None
    assert {a.key: a.number.value for a in found[0]} == {"initial_budget": 80.0, "executed": 76.4}
