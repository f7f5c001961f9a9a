"""The deterministic pipeline on 36 real self-evaluations it was not written from (tests/corpus,
a copy of the development corpus: 18 provinces, flattened web text, OCR noise, 元 and 万元,
Traditional script), scored against their hand-checked gold.

The floors hold what the extractor reads today, so a change that loses real documents fails here;
the scores are printed (`pytest -s tests/test_corpus_eval.py`) for the README.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate_dirs, render_scores
from pipeline.run import RunOptions, process
from validate.gold_match import match_findings

CORPUS = Path(__file__).resolve().parent / "corpus"
# measured: amounts 0.994, indicators 0.976, projects 0.993, sections 0.917, total 1.000
# (issue #13 asks 0.90 / 0.90 / 0.85)
FLOORS = {
    "amounts": 0.98,
    "indicators": 0.95,
    "projects": 0.97,
    "sections": 0.90,
    "total_score": 0.95,
    # measured: other_mentions 0.846, line_items 0.909 (the 5 line items left are masked in the source)
    "other_mentions": 0.80,
    "line_items": 0.85,
}


@pytest.fixture(scope="module")
def scores() -> dict:
    result = evaluate_dirs(CORPUS / "gold", CORPUS / "docs", RunOptions(use_llm=False))
    print()
    print(render_scores(result))
    return result


def test_every_corpus_document_is_read(scores: dict) -> None:
    assert len(scores["documents"]) == len(list((CORPUS / "gold").glob("*.json"))) == 36
    assert all(doc["status"] == "ok" for doc in scores["documents"].values())


@pytest.mark.parametrize("field", FLOORS)
def test_corpus_f1_floor(scores: dict, field: str) -> None:
    assert scores["overall"][field]["f1"] >= FLOORS[field]


def test_main_amounts_recall(scores: dict) -> None:
    # issue #15 asks amounts recall >= 0.95 (measured 0.987: doc 26's income_other left)
    assert scores["overall"]["amounts"]["recall"] >= 0.95


def test_no_wrong_main_amount_on_real_documents(scores: dict) -> None:
    # a wrong value costs a reviewer's trust more than a missed one
    assert scores["overall"]["amounts"]["fp"] == 0


def test_no_invented_numbers_on_real_documents(scores: dict) -> None:
    invented = {name: doc["invented"] for name, doc in scores["documents"].items() if doc["invented"]}
    assert invented == {}


def test_department_and_region_are_read_and_never_wrong(scores: dict) -> None:
    # measured: department 0.836 (P 1.000), region 0.909 (P 1.000): a shorter region rather than a wrong one
    for field, floor in (("department", 0.80), ("region", 0.85)):
        assert scores["overall"][field]["fp"] == 0, field
        assert scores["overall"][field]["f1"] >= floor, field


def test_every_error_finding_is_a_gold_contradiction() -> None:
    # a false error costs a reviewer's trust more than a missed one: on the real documents each
    # error-severity finding is one of the contradictions their gold lists
    unmatched = {}
    for doc in sorted((CORPUS / "docs").glob("*.txt")):
        gold = json.loads((CORPUS / "gold" / f"{doc.stem}.json").read_text(encoding="utf-8"))
        findings = process(doc, RunOptions(use_llm=False)).findings
        matched = match_findings(gold.get("inconsistencies") or [], findings)
        errors = [findings[i].rule for i in matched["unmatched_findings"] if findings[i].severity == "error"]
        if errors:
            unmatched[doc.name] = errors
    assert unmatched == {}
