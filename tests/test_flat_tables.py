"""Forms flattened with separators (pipes, spaces) read as grids, then as facts equal to the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import extract_facts
from pipeline.models import Facts
from pipeline.readers import read_document
from pipeline.readers.flat_tables import find_flat_tables

SPACE_FORM = (
    "项目支出绩效自评表\n（2022年度）\n"
    "项目名称 社区文化活动 补助经费 主管部门 某某县文化局\n"
    "实施单位 某某县文化站 项目负责人 张三 联系电话 12345678\n"
    "项目资金\n\n（万元）\n\n"
    "资金来源 年初预算数 全年预算数 全年执行数 分值权重 执行率 得分\n"
    "年度资金总额 30.00 28.00 27.00 10 96.43% 9.6\n"
    "其中:当年财政拨款 30.00 28.00 27.00 - - -\n"
    "其他资金 0.00 0.00 0.00 - - -\n\n\n"
    "一级\n指标\n二级\n指标\n"
    "三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 指标赋分规则\n\n"
    "(50分)\n"
    "数量指标 指标1:开展活动场次 ≥20场 22场 25 25  \n"
    "完成值达到指标值记满分\n"
    "-          \n"
    "质量指标 活动合格率 100% 98% 25 24 个别活动延期\n"
    "指标2 - - -\n\n"
    "(40分)\n"
    "社会效益\n指标\n"
    "群众参与度 明显提高 明显提高 20 20\n"
    "满意度指标 服务对象满意度 ≥90% 95% 20 20\n"
    "总分 100 98.6\n"
)

UNIT_FORM = (
    "2022年部门整体绩效目标自评表\n\n"
    "单位名称 某某区商务委员会\n\n"
    "资金情况(万元)\n"
    "年初预算资金总额(万元) 实际投入资金额(万元) 产生差异的原因\n\n"
    "合计 500.5 620.25 项目增加\n\n"
    "其中:财政拨款 500.5 620.25\n\n"
    "三级指标 指标权重 计量单位 指标值 全年实际完成值 产生差异的原因及改进措施\n\n"
    "零售额增速 30 % 8 9.1\n\n"
    "新增企业 20 12 15\n"
)

PIPE_ROWS = (
    "一级指标 | 二级指标 | 指标名称 | 目标值 | 完成值 |\n"
    "产出指标 | 产出数量 | 培训人数 | 300名 | 310名 |\n"
    "| | 结业人数 | 280名 | 275名 |\n"
    "效益指标 | 社会效益 | 就业率 | 60%及以上 | 58% |\n"
    "序号 | 机构 | 补助标准(元/人) | 人数 | 补助资金 |\n"
    "1 | 甲学校 | 2000 | 100 | 20 |\n"
)

PIPE_CELLS = (
    "具体评价结果如下表:\n"
    "序号 |\n评价项目资金名称 |\n主管部门 |\n资金规模(万元) |\n评分情况 |\n"
    "1 |\n甲区道路 维修项目 |\n区交通局 |\n120.5 |\n88 |\n"
    "2 |\n乙区学校改造项目 |\n区教委 |\n"
)

PIPE_CELLS_SEPARATED = (
    "一级指标 |\n二级指标 |\n指标名称 |\n目标值 |\n实际完成值 |\n|\n"
    "产出指标 |\n数量指标 |\n资助人数 |\n500 |\n520 |\n|\n"
    "效益指标 |\n满意度指标 |\n学生满意度 |\n90% |\n93% |\n"
)


def _facts(tmp_path: Path, text: str) -> Facts:
    path = tmp_path / "form.txt"
    path.write_text(text, encoding="utf-8")
    return extract_facts(read_document(path))


def _rows(facts: Facts) -> list[tuple]:
    return [
        (
            i.level1,
            i.level2,
            i.level3,
            i.target,
            i.actual,
            i.weight.value if i.weight else None,
            i.score.value if i.score else None,
        )
        for i in facts.indicators
    ]


@pytest.fixture()
def space_form(tmp_path: Path) -> Facts:
    return _facts(tmp_path, SPACE_FORM)


def test_space_separated_funds_row_and_project(space_form: Facts) -> None:
    primary = {a.key: a.number.value for a in space_form.amounts if a.primary}
    assert primary == {"initial_budget": 30.0, "full_year_budget": 28.0, "executed": 27.0, "execution_rate_pct": 96.43}
    # the rows under the funds row are its breakdown, read in its columns (其他资金 0.00 is no income)
    assert [(a.key, a.label, a.number.value) for a in space_form.amounts if not a.primary] == [
        ("funds_split_initial_budget", "其中:当年财政拨款", 30),
        ("funds_split_full_year_budget", "其中:当年财政拨款", 28),
        ("funds_split_executed", "其中:当年财政拨款", 27),
        ("funds_split_initial_budget", "其他资金", 0),
        ("funds_split_full_year_budget", "其他资金", 0),
        ("funds_split_executed", "其他资金", 0),
    ]
    project = space_form.projects[0]
    assert project.name == "社区文化活动补助经费"  # the space a wrap left between Chinese characters is dropped
    assert (project.budget.value, project.executed.value, project.score.value) == (28.0, 27.0, 98.6)
    budget = next(s for s in space_form.sections if s.level1 == "预算执行")
    assert (budget.weight.value, budget.score.value) == (10, 9.6)


def test_space_separated_indicator_rows(space_form: Facts) -> None:
    assert _rows(space_form) == [
        (None, "数量指标", "开展活动场次", "≥20场", "22场", 25, 25),
        (None, "质量指标", "活动合格率", "100%", "98%", 25, 24),
        (None, "社会效益指标", "群众参与度", "明显提高", "明显提高", 20, 20),
        ("满意度指标", None, "服务对象满意度", "≥90%", "95%", 20, 20),
    ]
    assert space_form.indicators[1].deviation_reason == "个别活动延期"
    assert space_form.total_score is None or space_form.total_score.number.value == 98.6


def test_space_separated_cells_point_into_the_text(space_form: Facts) -> None:
    for row in space_form.indicators:
        for prov in row.cells.values():
            assert SPACE_FORM[prov.char_start : prov.char_end] == prov.raw


def test_generic_total_row_and_unit_column(tmp_path: Path) -> None:
    facts = _facts(tmp_path, UNIT_FORM)
    primary = {a.key: a.number.value for a in facts.amounts if a.primary}
    assert primary == {"initial_budget": 500.5, "executed": 620.25}
    assert _rows(facts) == [
        (None, None, "零售额增速", "8%", "9.1", 30, None),
        (None, None, "新增企业", "12", "15", 20, None),
    ]


def test_amounts_in_yuan_are_stored_in_wanyuan(tmp_path: Path) -> None:
    text = SPACE_FORM.replace("（万元）", "（元）").replace("30.00 28.00 27.00 10", "300000 280000 270000 10")
    primary = {a.key: a.number for a in _facts(tmp_path, text).amounts if a.primary}
    assert primary["initial_budget"].value == 30.0 and primary["initial_budget"].scale == 1e-4
    assert primary["executed"].value == 27.0


def test_pipe_rows_split_into_tables_by_width(tmp_path: Path) -> None:
    facts = _facts(tmp_path, PIPE_ROWS)
    assert _rows(facts) == [
        ("产出指标", "产出数量", "培训人数", "300名", "310名", None, None),
        ("产出指标", "产出数量", "结业人数", "280名", "275名", None, None),
        ("效益指标", "社会效益", "就业率", "60%及以上", "58%", None, None),
    ]


def test_pipe_cells_fold_into_project_rows(tmp_path: Path) -> None:
    facts = _facts(tmp_path, PIPE_CELLS)
    projects = [
        (p.name, p.budget.value if p.budget else None, p.score.value if p.score else None) for p in facts.projects
    ]
    assert projects == [("甲区道路维修项目", 120.5, 88), ("乙区学校改造项目", None, None)]


def test_pipe_cells_with_separator_lines(tmp_path: Path) -> None:
    facts = _facts(tmp_path, PIPE_CELLS_SEPARATED)
    assert _rows(facts) == [
        ("产出指标", "数量指标", "资助人数", "500", "520", None, None),
        ("效益指标", "满意度指标", "学生满意度", "90%", "93%", None, None),
    ]


def test_a_sentence_with_budget_words_is_not_a_header(tmp_path: Path) -> None:
    text = "是2022 年部门年初预算 100.5 万元,年中调整预算为 120.5 万元\n元,全年执行数 110 万元\n"
    assert read_document_tables(tmp_path, text) == 0


def read_document_tables(tmp_path: Path, text: str) -> int:
    path = tmp_path / "narrative.txt"
    path.write_text(text, encoding="utf-8")
    return len(read_document(path).tables)


def test_label_and_value_in_one_word_and_a_row_cut_by_the_excerpt(tmp_path: Path) -> None:
    text = (
        "项目支出绩效自评表\n项目名称：乡村道路养护\n"
        "项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
        "年度资金总额 50 50 45 10 90% 9\n"
        "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
        "产出指标 数量指标 养护里程 10公里 10公里 20 20\n"
        "效益指标\n社会效益\n指标\n通行条件改善情况，群众出行"
    )
    facts = _facts(tmp_path, text)
    assert [(p.name, p.budget.value, p.executed.value) for p in facts.projects] == [("乡村道路养护", 50, 45)]
    assert _rows(facts) == [
        ("产出指标", "数量指标", "养护里程", "10公里", "10公里", 20, 20),
        ("效益指标", "社会效益指标", "通行条件改善情况，群众出行", None, None, None, None),
    ]


def test_a_unit_column_does_not_make_target_and_actual_disagree(tmp_path: Path) -> None:
    from validate import validate

    text = UNIT_FORM.replace("零售额增速 30 % 8 9.1", "进出口总额 30 亿元 12.5 20.4")
    facts = _facts(tmp_path, text)
    assert facts.indicators[0].target == "12.5亿元"
    assert not [f for f in validate(facts) if f.rule == "unit_mismatch"]


def test_weights_and_operators_printed_apart(tmp_path: Path) -> None:
    text = (
        "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n"
        "产出指标 (50分) 数量指标 培训人次 ≥ 200人次 260人次 30 30\n"
        "质量指标 合格率 100% 96% 20 19 部分学员 未按期结业\n"
    )
    facts = _facts(tmp_path, text)
    assert _rows(facts) == [
        ("产出指标", "数量指标", "培训人次", "≥ 200人次", "260人次", 30, 30),
        ("产出指标", "质量指标", "合格率", "100%", "96%", 20, 19),
    ]
    assert [(s.level1, s.weight.value) for s in facts.sections] == [("产出指标", 50)]
    assert facts.indicators[1].deviation_reason == "部分学员未按期结业"


def test_values_on_the_line_after_the_name(tmp_path: Path) -> None:
    text = (
        "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
        "产出指标 数量指标 培训人数\n500人 520人 10 10\n"
        "时效指标 完成时间 12月底前 12月底前 10 10\n"
    )
    assert _rows(_facts(tmp_path, text)) == [
        ("产出指标", "数量指标", "培训人数", "500人", "520人", 10, 10),
        ("产出指标", "时效指标", "完成时间", "12月底前", "12月底前", 10, 10),
    ]


def test_markdown_pipe_table_with_borders(tmp_path: Path) -> None:
    text = (
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 | 实际完成值 | 分值 | 得分 |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        "| 产出指标 | 数量指标 | 新建站点 | 4个 | 4个 | 20 | 20 |\n"
        "|  |  | 维修站点 | 6个 | 5个 | 10 | 8.3 |\n"
    )
    assert _rows(_facts(tmp_path, text)) == [
        ("产出指标", "数量指标", "新建站点", "4个", "4个", 20, 20),
        ("产出指标", "数量指标", "维修站点", "6个", "5个", 10, 8.3),
    ]


def test_project_list_in_yuan_without_its_total_row(tmp_path: Path) -> None:
    text = (
        "序号 | 项目名称 | 预算数(元) | 执行数(元) | 自评得分 |\n"
        "1 | 村级道路硬化项目 | 1,250,000.00 | 1,200,000.00 | 92 |\n"
        "2 | 基本支出 | 300,000.00 | 290,000.00 | |\n"
        "合计 | | 1,550,000.00 | 1,490,000.00 | |\n"
    )
    projects = _facts(tmp_path, text).projects
    assert [(p.name, p.budget.value, p.executed.value, p.score.value) for p in projects] == [
        ("村级道路硬化项目", 125.0, 120.0, 92)
    ]
    assert projects[0].cells["budget"].raw == "1,250,000.00"


def test_pipe_form_with_rows_of_every_width_is_one_table() -> None:
    text = (
        "| 项目名称 | 乡村道路养护项目 |\n"
        "| 主管部门 | 某县交通运输局 | 实施单位 | 某县公路养护中心 |\n"
        "| 项目资金（万元） |  | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
        "|  | 年度资金总额 | 80.00 | 80.00 | 76.40 | 10 | 95.50% | 9.55 |\n"
        "| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
        "|  | 产出指标 | 数量指标 | 养护里程 | ≥30公里 | 32公里 | 50 | 50 |\n"
    )
    tables = find_flat_tables(text, [])
    assert len(tables) == 1
    first_cells = [text[row[0][0] : row[0][1]] if row[0] else None for row in tables[0].rows]
    assert first_cells == ["项目名称", "主管部门", "项目资金（万元）", None, "绩效指标", None]


def test_a_whole_form_one_cell_per_line_is_folded_block_by_block(tmp_path: Path) -> None:
    cells = ["项目名称", "乡村道路养护项目", "主管部门", "某县交通运输局"]
    cells += ["项目资金（元）", "", "年初预算数", "全年执行数", "执行率"]
    cells += ["", "年度资金总额", "800000.00", "764000.00", "95.50%"]
    cells += ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    cells += ["产出指标", "数量指标", "养护里程", "≥30公里", "32公里", "50", "50"]
    cells += ["", "", "总分", "", "", "100", "96"]
    text = "项目支出绩效自评表\n" + "\n".join(f"{cell} |" for cell in cells) + "\n"
    path = tmp_path / "form.txt"
    path.write_text(text, encoding="utf-8")
    facts = extract_facts(read_document(path))
    assert {a.key: a.number.value for a in facts.amounts if a.primary} == {
        "initial_budget": 80.0,  # 元 printed in the funds block's label cell
        "executed": 76.4,
        "execution_rate_pct": 95.5,
    }
    assert [(i.level3, i.target, i.actual, i.weight.value) for i in facts.indicators] == [
        ("养护里程", "≥30公里", "32公里", 50)
    ]
    (project,) = facts.projects
    assert (project.name, project.score.value) == ("乡村道路养护项目", 96)


def test_space_separated_total_label_spaced_apart(tmp_path: Path) -> None:
    facts = _facts(tmp_path, SPACE_FORM.replace("总分 100 98.6", "总 分 100 98.6"))
    assert facts.projects[0].score.value == 98.6
