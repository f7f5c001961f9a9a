"""Forms whose text prints the cells out of reading order → grids pinned by arithmetic (extract/scattered.py)."""

from __future__ import annotations

from pathlib import Path

from extract import extract_facts
from extract.recover import add_recovered_tables
from pipeline.models import Facts, Number
from pipeline.readers import read_document

#: A form as a PDF text layer prints it: values before their labels, names after the value run.
FORM_WITH_VALUES = (
    "项目支出绩效自评表 (2023 年度) 社区健身设施维护 项目名称 主管部门 某区体育局 "
    "年初预算数 全年预算数 全年执行数 分值 执行率 得分 80000.00 80000.00 72,000 10 9 "
    "80000.00 80000.00 72000 — 上年结转资金 0 0 — 其他资金 0 0 — 年度资金总额 项目资金 (元) "
    "某区体育中心 实施单位 其中:当年财政拨款 预期目标 年度 总体 目标 90.00% 实际完成情况 完成全年维护。 "
    "一级指标 二级指标 数量指标 三级指标 维护器材数 年度 指标值 实际 完成值 分值 得分 "
    "≥200件 210件 20 20 =100% 98% 30 28 及时 及时 20 20 >=90% 95% 20 20 100 97 量 "
    "产出指标 质量指标 绩 效 指 标 时效指标 满意度指标 器材完好率 维护及时性 居民满意 度 "
    "服务对象满意度指标 总分 -1- 偏差原因分析及 改进措施"
)
#: A second form whose funds values stand apart and whose indicator values were not printed.
FORM_WITHOUT_VALUES = (
    "项目支出绩效自评表 (2023 年度) 项目名称 体育赛事补助 主管部门 某区体育局 "
    "年初预算数 全年预算数 全年执行数 分值 执行率 得分 50000.00 50000.00 7.5 其中:当年财政拨款 0 0 — "
    "年度资金总额 项目资金 (元) 实施单位 37,500 预期目标 10 75.00% 实际完成情况 "
    "一级指标 二级指标 三级指标 数量指标 产出指标 赛事场次 质量指标 参赛满意 时效指标 效益指标 "
    "社会效益指标 满意度指标 服务对象满意度指标 赛事按期举办 带动全民健身 观众满意度 总分 -2- 年度 指标值"
)


def _value(number: Number | None) -> float | None:
    return number.value if number is not None else None


def _facts(tmp_path: Path, text: str) -> Facts:
    path = tmp_path / "forms.txt"
    path.write_text(text, encoding="utf-8")
    return extract_facts(read_document(path))


def test_two_scattered_forms_are_two_projects(tmp_path: Path) -> None:
    facts = _facts(tmp_path, FORM_WITH_VALUES + " " + FORM_WITHOUT_VALUES)
    projects = [(p.name, p.budget.value, p.executed.value, p.score and p.score.value) for p in facts.projects]
    assert projects == [("社区健身设施维护", 8.0, 7.2, 97), ("体育赛事补助", 5.0, 3.75, None)]
    first, second = facts.projects
    assert (first.rate_pct.value, first.cells["rate_pct"].raw) == (90, "90.00%")
    assert (second.cells["executed"].raw, second.cells["rate_pct"].raw) == ("37,500", "75.00%")


def test_rows_follow_the_value_run_and_the_names_in_order(tmp_path: Path) -> None:
    facts = _facts(tmp_path, FORM_WITH_VALUES + " " + FORM_WITHOUT_VALUES)
    by_project = {p.id: p.name for p in facts.projects}
    rows = [
        (by_project[i.project_id], i.level1, i.level2, i.level3, i.target, i.actual, _value(i.weight), _value(i.score))
        for i in facts.indicators
    ]
    assert rows == [
        ("社区健身设施维护", "产出指标", "数量指标", "维护器材数", "≥200件", "210件", 20, 20),
        ("社区健身设施维护", "产出指标", "质量指标", "器材完好率", "=100%", "98%", 30, 28),
        ("社区健身设施维护", "产出指标", "时效指标", "维护及时性", "及时", "及时", 20, 20),
        ("社区健身设施维护", "满意度指标", "服务对象满意度指标", "居民满意度", ">=90%", "95%", 20, 20),
        ("体育赛事补助", "产出指标", "数量指标", "赛事场次", None, None, None, None),
        ("体育赛事补助", "产出指标", "质量指标", "参赛满意", None, None, None, None),
        ("体育赛事补助", "产出指标", "时效指标", "赛事按期举办", None, None, None, None),
        ("体育赛事补助", "效益指标", "社会效益指标", "带动全民健身", None, None, None, None),
        ("体育赛事补助", "满意度指标", "服务对象满意度指标", "观众满意度", None, None, None, None),
    ]


def test_cells_point_at_their_substrings(tmp_path: Path) -> None:
    path = tmp_path / "forms.txt"
    path.write_text(FORM_WITH_VALUES, encoding="utf-8")
    doc = read_document(path)
    add_recovered_tables(doc)
    (table,) = doc.tables
    for cell in table.cells:
        assert doc.text[cell.char_start : cell.char_end] == cell.text


def test_rows_that_do_not_add_up_are_not_read(tmp_path: Path) -> None:
    """The scores with the funds score do not make the printed total: the value run is not pinned."""
    facts = _facts(tmp_path, FORM_WITH_VALUES.replace("100 97 量", "100 96 量"))
    assert facts.indicators == []
    (project,) = facts.projects
    assert (project.budget.value, project.executed.value) == (8.0, 7.2)


def test_funds_with_two_readings_are_not_read(tmp_path: Path) -> None:
    """A rate that both budgets explain equally well pins nothing: no funds row is built."""
    text = FORM_WITH_VALUES.replace("80000.00 80000.00 72,000 10 9 80000.00 80000.00 72000", "80000.00 72,000")
    text = text.replace("90.00%", "90.00% 72000 9 10")
    facts = _facts(tmp_path, text)
    assert not any(a.key == "executed" for a in facts.amounts)
