"""Forms run together in the text → recovered grids read by the ordinary parsers (extract/recover.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import extract_facts
from extract.recover import recover_tables
from pipeline.models import Facts
from pipeline.readers import read_document

PROJECT_FORM = (
    "项目支出绩效自评表(2016年度) 项目名称道路保洁外包经费主管部门及代码某街道办事处"
    "实施单位:某服务中心项目资金(万元) 年初预算数(A)全年执行数(B)分值(10分)执行率(B/A)得分"
    "得分计算方法年度资金总额:310.2154.741050%5执行率*该指标分值,最高不得超过分值上限。\n"
)


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    path: Path = tmp_path_factory.mktemp("recover") / "form.txt"
    path.write_text(PROJECT_FORM, encoding="utf-8")
    return extract_facts(read_document(path))


def test_funds_row_amounts_equal_the_source(facts: Facts) -> None:
    primary = {a.key: (a.number.value, a.prov.raw) for a in facts.amounts if a.primary}
    assert primary["initial_budget"] == (310.2, "310.2")
    assert primary["executed"] == (154.74, "154.74")
    assert primary["execution_rate_pct"] == (50, "50")


def test_budget_section_and_project(facts: Facts) -> None:
    section = next(s for s in facts.sections if s.level1 == "预算执行")
    assert (section.weight.value, section.score.value) == (10, 5)
    (project,) = facts.projects
    assert (project.name, project.budget.value, project.executed.value) == ("道路保洁外包经费", 310.2, 154.74)


def test_cells_point_at_their_substrings(tmp_path: Path) -> None:
    path = tmp_path / "form.txt"
    path.write_text(PROJECT_FORM, encoding="utf-8")
    doc = read_document(path)
    (table,) = recover_tables(doc)
    for cell in table.cells:
        assert doc.text[cell.char_start : cell.char_end] == cell.text


def test_uncertain_cut_builds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "form.txt"
    path.write_text("项目资金(万元) 年初预算数全年执行数年度资金总额:310.2154.74\n", encoding="utf-8")
    assert recover_tables(read_document(path)) == []
