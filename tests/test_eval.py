"""The deterministic pipeline scored against the hand-checked gold, for every format of every seed.

Floors are the issue's targets (F1 ≥ 0.95 per field, no invented numbers); the scores are
printed (`pytest -s tests/test_eval.py`) for the README.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate import evaluate_dirs, render_scores, score_findings
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
    expected = {p.name for p in samples_dir.iterdir() if p.stem in stems and p.suffix in {".txt", ".docx", ".pdf"}}
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
