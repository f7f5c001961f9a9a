"""The narrative's indicator paragraphs as indicator rows (table_kind 'narrative')."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import extract_facts
from pipeline.models import Indicator
from pipeline.readers import read_document
from validate.lookup import indicator_key

ROOT = Path(__file__).resolve().parent.parent
SEED = "002_c67ae4c09c7435a3"

REPORT = """某某局2023年部门整体支出绩效自评报告
（二）绩效目标完成情况分析
1、产出指标完成情况分析
（1） 数量指标“新建林道（公里）”（3分）：年初绩效目标值为12公里。经核查，全年新建林道 12.5 公里，完成本绩效指标，得分3分。综上，产出指标实际评价得分7分。
（2） 时效指标“审批环节减少数量（个）”（2分）和“办结时限（工作日）”（2分）：年初绩效目标值分别2-3个环节和3-5个工作日。经核查，两个时效指标均完成，各得2分。
2、效益指标完成情况分析
（1） 社会效益指标“受益群众满意度”（4分）：年初目标值为≥90%。经调查，满意度为 88%。
未全部完成本绩效指标，得分3.5分。
（2） 社会效益指标“宣传活动”（2分）：年初目标值为按时完成。
"""


def narrative_rows(path: Path) -> list[Indicator]:
    return [i for i in extract_facts(read_document(path)).indicators if i.table_kind == "narrative"]


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list[Indicator]:
    path = tmp_path_factory.mktemp("indicator_text") / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return narrative_rows(path)


def test_each_quoted_indicator_is_a_row(rows: list[Indicator]) -> None:
    got = [(r.level1, r.level2, r.level3, r.target, r.weight.value, r.score and r.score.value) for r in rows]
    assert got == [
        ("产出指标", "数量指标", "新建林道（公里）", "12公里", 3, 3),  # not the summary's 7
        ("产出指标", "时效指标", "审批环节减少数量（个）", "2-3个环节", 2, 2),
        ("产出指标", "时效指标", "办结时限（工作日）", "3-5个工作日", 2, 2),
        ("效益指标", "社会效益指标", "受益群众满意度", "≥90%", 4, 3.5),  # 得分 in the next line
        ("效益指标", "社会效益指标", "宣传活动", "按时完成", 2, None),
    ]
    assert {r.table_seq for r in rows} == {0} and [r.row_seq for r in rows] == list(range(5))
    assert all(r.actual is None for r in rows)


def test_every_field_points_at_its_own_text(rows: list[Indicator]) -> None:
    for row in rows:
        assert REPORT[row.prov.char_start : row.prov.char_end] == row.prov.raw
        assert row.cells["level3"].raw == row.level3
        if row.target:
            assert row.cells["target"].raw == row.target
        assert float(row.cells["weight"].raw) == row.weight.value
        if row.score:
            assert row.cells["score"].raw == f"{row.score.value:g}"
        assert all(cell.method == "rule" for cell in row.cells.values())


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_seed_paragraphs_restate_the_form(suffix: str) -> None:
    """Seed 002 goes through 19 of its indicators one paragraph each; weights and scores are the
    form's (the gold's weighted table), and only 审批环节's target differs (2-3 against 3-5)."""
    rows = narrative_rows(ROOT / "data" / "samples" / f"{SEED}{suffix}")
    gold = json.loads((ROOT / "tests" / "gold" / f"{SEED}.json").read_text(encoding="utf-8"))["indicators"]
    form = {indicator_key(g["level3"]): g for g in gold if g["weight"] is not None}
    assert len(rows) == 19
    for row in rows:
        g = form[indicator_key(row.level3)]
        assert (row.weight.value, row.score.value) == (g["weight"], g["score"]), row.level3
    targets = {r.level3: r.target for r in rows}
    assert targets["审批环节减少数量（个）"] == "2-3个环节"
    assert form[indicator_key("审批环节减少数量（个）")]["target"] == "3-5"
