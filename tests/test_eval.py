"""The deterministic pipeline scored against the hand-checked gold, for every format of every seed.

Floors are the issue's targets (F1 ≥ 0.95 per field, no invented numbers); the scores are
printed (`pytest -s tests/test_eval.py`) for the README.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate import evaluate_dirs, render_scores, score_fields, score_findings
from pipeline.models import Finding
from pipeline.run import RunOptions

FLOORS = {
    "amounts": 0.95,
    "other_mentions": 0.95,
    "indicators": 0.95,
    "sections": 0.95,
    "projects": 0.95,
    "line_items": 0.95,
    "total_score": 0.95,
    "department": 0.95,
    "region": 0.95,
    "year": 0.95,
}


@pytest.fixture(scope="module")
def scores(gold_dir: Path, samples_dir: Path) -> dict:
    # top level only: the OCR renderings in data/samples/scans take minutes (`jixiao eval` scores them)
    result = evaluate_dirs(gold_dir, samples_dir, RunOptions(use_llm=False), recursive=False)
    print()
    print(render_scores(result))
    return result


def test_every_seed_is_scored_in_every_format_present(scores: dict, gold_dir: Path, samples_dir: Path) -> None:
    stems = {p.stem for p in gold_dir.glob("*.json")}
    expected = {
        p.name
        for p in samples_dir.iterdir()
        if p.stem in stems and p.suffix in {".txt", ".docx", ".pdf", ".xlsx", ".doc"}
    }
    assert expected <= set(scores["documents"])
    assert all(doc["status"] == "ok" for doc in scores["documents"].values())


@pytest.mark.parametrize("field", FLOORS)
def test_overall_f1_floor(scores: dict, field: str) -> None:
    assert scores["overall"][field]["f1"] >= FLOORS[field]


@pytest.mark.parametrize("field", ["amounts", "indicators", "projects", "total_score"])
def test_f1_floor_in_each_format(scores: dict, field: str) -> None:
    for fmt, fields in scores["by_format"].items():
        assert fields[field]["f1"] >= FLOORS[field], fmt


def test_no_invented_numbers(scores: dict) -> None:
    invented = {name: doc["invented"] for name, doc in scores["documents"].items() if doc["invented"]}
    assert invented == {}


def test_a_finding_counts_when_it_carries_two_numbers_of_the_gold_detail() -> None:
    gold = [{"rule": "rounding", "detail": "2698.55 + 3038.58 = 5737.13 vs 5737.12 (0.01)"}]
    hit = Finding(rule="x", severity="info", message="", values=[5737.13, 5737.12])
    miss = Finding(rule="y", severity="info", message="", values=[1.0, 5737.12])
    assert score_findings(gold, [miss, hit]) == {"gold": 1, "found": 1, "unmatched_findings": 1}


def _prediction(**fields: object) -> dict:
    """An extraction result as the scorer reads it: nothing read but `fields`."""
    empty = {"amounts": {"other_mentions": []}, "indicators": [], "section_weights": [], "projects": []}
    return {**empty, "line_items": [], "total_score": None, "department": None, "region": None, "year": None, **fields}


def test_gold_without_optional_keys_and_with_extra_keys_is_scored() -> None:
    gold = {
        "doc": "x.txt",
        "kind": "project",
        "truncated": True,
        "amounts": {"executed": {"value": 45, "quote": "45"}},
        "projects": [{"name": "免费开放", "budget": 45, "executed": 45, "score": None, "grade": "优", "page": 3}],
    }
    pred = _prediction(
        amounts={"executed": {"value": 45.0, "quote": "45"}, "other_mentions": []},
        projects=[{"name": "免费开放", "budget": 45.0, "executed": 45.0, "score": None}],
    )
    counts = {name: c.as_dict() for name, c in score_fields(gold, pred).items()}
    assert counts["amounts"]["tp"] == 1 and counts["projects"]["tp"] == 1
    assert counts["sections"] == {"tp": 0, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_names_and_texts_compare_without_whitespace() -> None:
    """A space a PDF wrap left in (or took out of) a Chinese name or value is not a difference;
    a different character is."""
    row = {"level1": "产出指标", "level2": "数量指标", "weight": 10, "score": 10, "deviation_reason": None}
    gold = {
        "indicators": [{**row, "level3": "合同完成率", "target": "约 103 万亩", "actual": "100%"}],
        "projects": [{"name": "昌州财行(2022)10号 调查经费", "budget": 1.96, "executed": 1.96, "score": None}],
    }
    pred = _prediction(
        indicators=[
            {**row, "level3": "合同完成 率", "target": "约103万亩", "actual": "100%"},
            {**row, "level3": "合同完成值", "target": "约103万亩", "actual": "100%"},
        ],
        projects=[{"name": "昌州财行(2022)10号调查经费", "budget": 1.96, "executed": 1.96, "score": None}],
    )
    counts = {name: c.as_dict() for name, c in score_fields(gold, pred).items()}
    assert (counts["indicators"]["tp"], counts["indicators"]["fp"]) == (1, 1)
    assert counts["projects"]["tp"] == 1


def test_scores_are_reported_per_kind(tmp_path: Path) -> None:
    gold_dir, docs_dir = tmp_path / "gold", tmp_path / "docs"
    gold_dir.mkdir()
    docs_dir.mkdir()
    for name, kind in (("a", "project"), ("b", "department")):
        (docs_dir / f"{name}.txt").write_text("全年执行数为45万元。\n", encoding="utf-8")
        (gold_dir / f"{name}.json").write_text(f'{{"kind": "{kind}", "amounts": {{}}}}', encoding="utf-8")
    result = evaluate_dirs(gold_dir, docs_dir, RunOptions(use_llm=False))
    assert set(result["by_kind"]) == {"project", "department"}
    assert result["documents"]["a.txt"]["kind"] == "project"
    assert "F1 by kind" in render_scores(result)
