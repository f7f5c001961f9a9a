"""部门预算/决算 disclosures on short inline snippets: a standard table read into cells with label,
code and column; the narrative's figures tied to their labels; and each disclosure rule on a
small document (what a reviewer sees: the numbers the report prints, and the finding)."""

from __future__ import annotations

from extract import extract_facts
from extract.disclosure import extract_disclosure_cells, standard_tables, table_kind
from extract.disclosure_text import extract_disclosure_figures
from pipeline.models import Cell, Document, Facts, Finding, Page, Table
from validate import validate


def grid(rows: list[list[str]], index: int = 0, page: int = 1) -> Table:
    """A ruled table from its rows of cell texts (no merged cells)."""
    cells = [Cell(row=r, col=c, text=t, page=page) for r, row in enumerate(rows) for c, t in enumerate(row)]
    return Table(index=index, n_rows=len(rows), n_cols=len(rows[0]), cells=cells, pages=[page])


def document(parts: list[str | Table]) -> Document:
    """A one-page document: text paragraphs and tables in order, each table placed after its text."""
    text, tables = "", []
    for part in parts:
        if isinstance(part, str):
            text += part
            continue
        start = len(text)
        text += "\t".join(c.text for c in part.cells) + "\n"
        tables.append(part.model_copy(update={"index": len(tables), "char_start": start, "char_end": len(text)}))
    return Document(
        doc_id="d",
        path="d.pdf",
        format="pdf",
        text=text,
        pages=[Page(number=1, char_start=0, char_end=len(text))],
        tables=tables,
    )


EXPENDITURE = grid(
    [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["", "合计", "110.00", "60.00", "50.00"],
        ["201", "一般公共服务支出", "110.00", "60.00", "50.00"],
        ["20106", "财政事务", "110.00", "60.00", "50.00"],
        ["2010601", "行政运行", "70.00", "60.00", "10.00"],
        ["2010602", "一般行政管理事务", "40.00", "", "40.00"],
    ]
)


def three_public_grid() -> Table:
    """A 三公经费 决算表: 合计 and 公务接待费, 预算数 2.85 and 决算数 0.39 each."""
    return grid(
        [
            ["财政拨款“三公”经费", "财政拨款“三公”经费", "财政拨款“三公”经费", "财政拨款“三公”经费"],
            ["合计", "合计", "公务接待费", "公务接待费"],
            ["预算数", "决算数", "预算数", "决算数"],
            ["2.85", "0.39", "2.85", "0.39"],
        ]
    )


def findings_of(doc: Document) -> tuple[Facts, list[Finding]]:
    facts = extract_facts(doc)
    return facts, [f for f in validate(facts) if f.rule.startswith("disclosure") or f.rule == "rounding"]


def test_title_variants_name_one_kind() -> None:
    assert table_kind("财政拨款收支总体情况表")[0] == "fiscal_summary"
    assert table_kind("表3 本年支出总体情况表")[0] == "expenditure"
    assert table_kind("一般公共预算支出表（按经济分类）") is None
    assert table_kind("基本支出总表") is None


def test_table_cells_carry_code_label_and_column() -> None:
    doc = document(["一般公共预算财政拨款支出决算表\n单位：万元\n", EXPENDITURE])
    [table] = standard_tables(doc)
    assert (table.kind, table.phase, table.scale) == ("gp_expenditure", "决算", 1.0)
    cells = extract_disclosure_cells(doc)
    run = next(c for c in cells if c.code == "2010601" and c.column_key == "project")
    assert (run.row_label, run.column, run.number.value, run.prov.raw) == ("行政运行", "项目支出", 10.0, "10.00")
    total = next(c for c in cells if c.row_key == "total" and c.column_key == "basic")
    assert total.number.value == 60.0


def test_yuan_tables_are_stored_in_wan_yuan() -> None:
    doc = document(
        [
            "一般公共预算支出功能分类预算表\n单位：元\n",
            grid([["科目编码", "科目名称", "合计"], ["201", "一般公共服务支出", "1,234,500.00"]]),
        ]
    )
    [cell] = extract_disclosure_cells(doc)
    assert (cell.number.value, cell.number.scale, cell.prov.raw) == (123.45, 1e-4, "1,234,500.00")


def test_a_table_split_over_pages_is_one_table() -> None:
    first = grid(
        [["科目编码", "科目名称", "合计"], ["201", "一般公共服务支出", "30.00"], ["20106", "财政事务", "30.00"]]
    )
    rest = grid([["2010601", "行政运行", "30.00"]], page=2)
    doc = document(["一般公共预算财政拨款支出决算表\n", first, rest])
    doc.pages = [Page(number=1, char_start=0, char_end=90), Page(number=2, char_start=90, char_end=len(doc.text))]
    [table] = standard_tables(doc)
    assert len(table.parts) == 2
    assert [c.code for c in extract_disclosure_cells(doc)] == ["201", "20106", "2010601"]


def test_narrative_figures_are_tied_to_their_labels() -> None:
    doc = document(
        [
            "二、收入决算情况说明\n本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；\n"
            "五、一般公共预算财政拨款支出决算情况说明\n一般公共预算财政拨款支出2940.05万元。与2023年度相比，"
            "一般公共预算财政拨款支出减少63.14万元，下降2.10%。\n"
        ]
    )
    figures = [(f.kind, f.label, f.number.value if f.number else None) for f in extract_disclosure_figures(doc)]
    assert ("amount", "财政拨款收入", 2940.05) in figures
    assert ("share_pct", "财政拨款收入", 99.79) in figures
    assert ("change", "一般公共预算财政拨款支出", -63.14) in figures
    assert ("change_pct", "一般公共预算财政拨款支出", -2.1) in figures


def test_narrative_figure_against_its_table_cell() -> None:
    doc = document(
        [
            "一般公共预算财政拨款支出决算表\n",
            EXPENDITURE,
            "六、一般公共预算财政拨款基本支出决算情况说明\n一般公共预算财政拨款基本支出62.50万元。\n",
        ]
    )
    _, findings = findings_of(doc)
    [finding] = [f for f in findings if f.rule == "disclosure_narrative_vs_table"]
    assert finding.severity == "error" and finding.values == [62.5, 60.0]


def test_rounding_in_a_table_is_info() -> None:
    rows = [r[:] for r in ([c.text for c in EXPENDITURE.cells if c.row == r] for r in range(EXPENDITURE.n_rows))]
    rows[3][2] = "110.01"  # 款 110.01 against its 项 70.00 + 40.00
    _, findings = findings_of(document(["一般公共预算财政拨款支出决算表\n", grid(rows)]))
    assert {f.rule: f.severity for f in findings}.get("rounding") == "info"
    assert not [f for f in findings if f.severity == "error"]


def test_item_under_a_wrong_kuan_and_a_purpose_of_another_subject() -> None:
    doc = document(
        [
            "一般公共预算财政拨款支出决算表\n",
            EXPENDITURE,
            "（三）具体情况\n1、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。主要用于：行政运行支出。"
            "年初预算为40.00万元，支出决算为40.00万元。\n2、一般公共服务支出（类）税收事务（款）行政运行（项）。"
            "年初预算为70.00万元，支出决算为70.00万元。\n",
        ]
    )
    _, findings = findings_of(doc)
    rules = {f.rule: f for f in findings}
    assert rules["disclosure_subject_name"].values[:2] == [70.0, 20106.0]
    assert rules["disclosure_subject_purpose"].values[:2] == [40.0, 2010602.0]


def test_share_change_flat_and_zero_base() -> None:
    doc = document(
        [
            "一般公共预算财政拨款支出决算表\n",
            EXPENDITURE,
            "四、财政拨款收入支出决算总体情况说明\n2024年度财政拨款收入支出总计110.00万元。与2023年度相比，"
            "财政拨款收入支出总计持平。\n"
            "五、一般公共预算财政拨款支出决算情况说明\n一般公共预算财政拨款支出110.00万元。与2023年度相比，"
            "一般公共预算财政拨款支出减少20.00万元，下降16.00%。\n"
            "一般公共预算财政拨款支出110.00万元，主要用于以下方面：一般公共服务支出（类）110.00万元，占99.00%。\n"
            "一般公共预算财政拨款支出年初预算为0万元，全年预算为120.00万元，支出决算为110.00万元，"
            "完成年初预算的91.67%。\n",
        ]
    )
    _, findings = findings_of(doc)
    rules = {f.rule: f for f in findings if f.severity == "error"}
    assert rules["disclosure_change"].values[:3] == [110.0, 20.0, 16.0]  # 20 / 130 = 15.38%
    assert rules["disclosure_flat"].values == [110.0, 20.0, 130.0]  # the whole, the change, last year's part
    assert rules["disclosure_share"].values == [110.0, 99.0, 100.0]  # part = whole 110, stated, computed
    assert rules["disclosure_zero_base"].values[:2] == [0.0, 91.67]


def test_procurement_won_by_smes_cannot_exceed_the_total() -> None:
    doc = document(
        [
            "一般公共预算财政拨款支出决算表\n",
            EXPENDITURE,
            "（二）政府采购支出情况\n2024年度政府采购金额为21.07万元。在面向中小企业预留的政府采购项目中，"
            "由中小企业供应商中标或成交的，采购金额21.07万元；在其他政府采购项目中，由中小企业供应商中标或成交的，"
            "采购金额21.07万元。\n",
        ]
    )
    _, findings = findings_of(doc)
    [finding] = [f for f in findings if f.rule == "disclosure_procurement"]
    assert finding.values == [21.07, 42.14]


def test_budget_change_against_last_years_execution() -> None:
    doc = document(
        [
            "一般公共预算支出功能分类预算表\n",
            EXPENDITURE,
            "1、公共安全支出（204类）司法（06款）其他司法支出（99项）3845.49万元。2025年当年预算执行数为43269.3万元，"
            "2026年预算安排3845.49万元，比2025年预算执行数增加17.62%。\n",
        ]
    )
    _, findings = findings_of(doc)
    [finding] = [f for f in findings if f.rule == "disclosure_change"]
    assert finding.values[:3] == [43269.3, 3845.49, 17.62]


def test_a_document_without_standard_tables_has_no_disclosure_facts() -> None:
    facts = extract_facts(document(["项目支出绩效自评表\n本年收入合计2946.25万元。\n"]))
    assert (facts.disclosure_cells, facts.disclosure_figures) == ([], [])


def test_listed_items_against_the_basic_expenditure_table() -> None:
    basic = grid(
        [
            ["科目编码", "科目名称", "决算数"],
            ["301", "工资福利支出", "30.00"],
            ["30101", "基本工资", "20.00"],
            ["30103", "奖金", "0.00"],
            ["30107", "绩效工资", "10.00"],
            ["", "人员经费合计", "30.00"],
        ]
    )
    doc = document(
        [
            "一般公共预算财政拨款基本支出决算表\n",
            basic,
            "六、一般公共预算财政拨款基本支出决算情况说明\n人员经费30.00万元，主要包括：基本工资、奖金。\n",
        ]
    )
    _, findings = findings_of(doc)
    listed = sorted(f.values for f in findings if f.rule == "disclosure_item_list")
    assert listed == [[10.0, 30107.0], [30103.0, 0.0]]  # 绩效工资 left out, 奖金 listed at 0


def test_item_budgets_add_up_and_a_basic_item_spent_as_project() -> None:
    doc = document(
        [
            "一般公共预算财政拨款支出决算表\n",
            EXPENDITURE,
            "五、一般公共预算财政拨款支出决算情况说明\n一般公共预算财政拨款支出年初预算为120.00万元，"
            "支出决算为110.00万元。其中：\n1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：基本支出。"
            "年初预算为70.00万元，支出决算为70.00万元。\n2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。"
            "主要用于：机关运转等基本支出。年初预算为55.00万元，支出决算为40.00万元。\n",
        ]
    )
    _, findings = findings_of(doc)
    rules = {f.rule: f for f in findings}
    assert rules["disclosure_items_sum"].values == [120.0, 125.0]
    assert rules["disclosure_purpose_split"].values == [40.0, 2010602.0]


def test_wording_of_final_against_budget() -> None:
    doc = document(
        [
            "一般公共预算财政拨款支出决算表\n",
            EXPENDITURE,
            "五、一般公共预算财政拨款支出决算情况说明\n1、一般公共服务支出（类）财政事务（款）行政运行（项）。"
            "年初预算为60.00万元，支出决算为70.00万元。决算数小于预算数的主要原因：人员减少。\n"
            "2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。年初预算为40.00万元，支出决算为40.00万元。"
            "决算数与预算数持平。\n",
        ]
    )
    _, findings = findings_of(doc)
    assert [f.values for f in findings if f.rule == "disclosure_vs_budget_wording"] == [[70.0, 60.0]]


def test_cells_and_figures_are_stored(tmp_path) -> None:
    from pipeline import store

    doc = document(
        [
            "一般公共预算财政拨款支出决算表\n",
            EXPENDITURE,
            "六、一般公共预算财政拨款基本支出决算情况说明\n一般公共预算财政拨款基本支出62.50万元。\n",
        ]
    )
    facts = extract_facts(doc)
    con = store.connect(tmp_path / "t.duckdb")
    store.save_document(con, doc, facts, validate(facts))
    cell = con.execute(
        "SELECT row_label, code, \"column\", value, raw FROM disclosure_cells WHERE code = '2010601' AND column_key = 'total'"
    ).fetchone()
    assert cell == ("行政运行", "2010601", "合计", 70.0, "70.00")
    figure = con.execute("SELECT kind, label, value FROM disclosure_figures WHERE kind = 'amount'").fetchone()
    assert figure == ("amount", "一般公共预算财政拨款基本支出", 62.5)


def test_three_public_figures_against_their_columns() -> None:
    three = three_public_grid()
    doc = document(
        [
            "财政拨款“三公”经费支出决算表\n",
            three,
            "七、财政拨款“三公”经费支出决算情况说明\n“三公”经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元，"
            "其中：公务接待费支出决算为0.93万元。\n",
        ]
    )
    _, findings = findings_of(doc)
    assert [f.values for f in findings if f.rule == "disclosure_narrative_vs_table"] == [[0.93, 0.39]]
