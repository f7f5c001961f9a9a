"""Target forms (项目支出绩效目标申报表): each sheet's form is a project of its own, its indicator
rows (targets only) linked to it, and the rules never compare two projects' indicators.

The workbooks are made in the tests with openpyxl: one 申报表 per sheet, merged cells as merges.
"""

from __future__ import annotations

import io

import openpyxl

from extract import extract_facts
from pipeline.models import Facts
from pipeline.readers.spreadsheet import read_spreadsheet
from validate import validate


def target_sheet(book: openpyxl.Workbook, title: str, name: str, funds: str, rows: list[tuple[str, ...]]) -> None:
    """A 申报表 sheet: a merged title row, the header block (项目名称：, 本年度项目金额（万元）：) and
    the indicator table with its 一级指标 cells merged down."""
    sheet = book.create_sheet(title)
    sheet.append(["项目支出绩效目标申报表"])
    sheet.merge_cells("A1:E1")
    sheet.append(["项目编码：", "001", None, "项目名称：", name])
    sheet.merge_cells("B2:C2")
    sheet.append(["申请单位：", "某街道办事处", None, "本年度项目金额（万元）：", funds])
    sheet.merge_cells("B3:C3")
    sheet.append(["一级指标", "二级指标", "三级指标", "目标值", "指标解释"])
    start = sheet.max_row + 1
    for row in rows:
        sheet.append(list(row))
    sheet.merge_cells(f"A{start}:A{start + len(rows) - 1}")


def facts_of(book: openpyxl.Workbook) -> Facts:
    """The facts of the workbook as the pipeline reads it."""
    del book["Sheet"]
    buffer = io.BytesIO()
    book.save(buffer)
    doc = read_spreadsheet(buffer.getvalue(), "wb", "申报表.xlsx", "xlsx")
    return extract_facts(doc)


def two_sheet_facts() -> Facts:
    book = openpyxl.Workbook()
    target_sheet(
        book,
        "1",
        "社区食堂运营经费",
        "50.00",
        [
            ("产出", "数量", "保障用餐人数", "119人", "按人数"),
            ("产出", "成本", "食堂总成本", "不超过48.14万元", "按合同"),
        ],
    )
    target_sheet(
        book,
        "2",
        "社区工作站管理经费",
        "80.00",
        [
            ("产出", "数量", "保障用餐人数", "93人", "按人数"),
            ("产出", "时效", "出餐及时性", "3个小时内", "按记录"),
        ],
    )
    return facts_of(book)


def test_each_sheet_form_is_a_project_with_its_name_and_funds() -> None:
    facts = two_sheet_facts()
    projects = [p for p in facts.projects if p.source == "form"]
    assert [p.name for p in projects] == ["社区食堂运营经费", "社区工作站管理经费"]
    assert [p.title for p in projects] == ["项目支出绩效目标申报表"] * 2
    assert [p.budget.value if p.budget else None for p in projects] == [50.0, 80.0]
    assert all(p.score is None and p.executed is None for p in projects)
    assert projects[0].cells["budget"].raw == "50.00"


def test_indicator_rows_carry_their_forms_project() -> None:
    facts = two_sheet_facts()
    first, second = (p.id for p in facts.projects if p.source == "form")
    rows = [(i.level1, i.level2, i.level3, i.target, i.actual, i.project_id) for i in facts.indicators]
    assert rows == [
        ("产出", "数量", "保障用餐人数", "119人", None, first),
        ("产出", "成本", "食堂总成本", "不超过48.14万元", None, first),
        ("产出", "数量", "保障用餐人数", "93人", None, second),
        ("产出", "时效", "出餐及时性", "3个小时内", None, second),
    ]


def test_no_finding_compares_two_projects_or_asks_for_actuals() -> None:
    findings = validate(two_sheet_facts())
    assert [f.rule for f in findings if f.severity == "error"] == []
    assert not [f for f in findings if "保障用餐人数" in f.message]


def test_funds_in_yuan_under_a_wanyuan_label_are_not_read() -> None:
    """本年度项目金额（万元） printing 481,400.00 beside a cost target of 48.14万元 is in 元: a miss,
    not a project of 48 亿元."""
    book = openpyxl.Workbook()
    target_sheet(book, "1", "社区食堂运营经费", "481,400.00", [("产出", "成本", "食堂总成本", "不超过48.14万元", "")])
    (project,) = [p for p in facts_of(book).projects if p.source == "form"]
    assert project.name == "社区食堂运营经费"
    assert project.budget is None


def test_a_single_target_form_asks_for_no_actuals() -> None:
    """A workbook of one 申报表 is that project's document: no finding for its missing 实际完成值."""
    book = openpyxl.Workbook()
    target_sheet(book, "1", "社区食堂运营经费", "50.00", [("产出", "数量", "保障用餐人数", "119人", "按人数")])
    facts = facts_of(book)
    assert [p.name for p in facts.projects] == ["社区食堂运营经费"]
    assert [(i.target, i.actual) for i in facts.indicators] == [("119人", None)]
    assert [f.rule for f in validate(facts) if f.severity == "error"] == []


def test_a_form_titled_by_its_project_reads_its_funds_block() -> None:
    """<项目名>绩效目标表 with 项目名称 unpunctuated and the year's funds as 年度资金总额： in a merged
    项目资金（万元） block: the project with that budget, not the 其中 rows under it."""
    book = openpyxl.Workbook()
    sheet = book.create_sheet("1")
    sheet.append(["信息化运行维护绩效目标表"])
    sheet.merge_cells("A1:E1")
    sheet.append(["项目名称", "信息化运行维护"])
    sheet.merge_cells("B2:E2")
    sheet.append(["项目资金\n（万元）", "年度资金总额：", None, "2,134.87"])
    sheet.append([None, "其中：财政拨款", None, "1,384.87"])
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:C3")
    sheet.merge_cells("B4:C4")
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值", "分值"])
    sheet.append(["产出指标", "成本指标", "项目成本控制", "≤2134.87万元", "10"])
    (project,) = [p for p in facts_of(book).projects if p.source == "form"]
    assert (project.name, project.title) == ("信息化运行维护", "信息化运行维护绩效目标表")
    assert project.budget is not None and project.budget.value == 2134.87
    assert project.cells["budget"].raw == "2,134.87"
