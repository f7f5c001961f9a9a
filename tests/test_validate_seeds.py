"""The real pipeline on the five seed reports, in every format bundled (txt, docx, pdf, xlsx, doc): every gold
inconsistency is found (a finding names at least two of its numbers), and no error or warning is
raised that the gold does not list."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from pipeline.models import Finding
from pipeline.run import process
from validate.gold_match import match_findings

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
SEEDS = sorted(p for p in (ROOT / "data" / "samples").glob("*.*") if (GOLD / f"{p.stem}.json").exists())


def gold_items(seed: Path) -> list[dict]:
    return json.loads((GOLD / f"{seed.stem}.json").read_text(encoding="utf-8"))["inconsistencies"]


@cache
def run(name: str) -> tuple[list[dict], list[Finding]]:
    seed = ROOT / "data" / "samples" / name
    return gold_items(seed), process(seed).findings


def gold_cases():
    for seed in SEEDS:
        for n, item in enumerate(gold_items(seed)):
            yield pytest.param(seed.name, n, id=f"{seed.stem[:3]}{seed.suffix}-{n}-{item['rule']}")


@pytest.mark.parametrize(("name", "index"), list(gold_cases()))
def test_gold_inconsistency_is_found(name: str, index: int):
    gold, findings = run(name)
    result = match_findings(gold, findings)
    assert result["items"][index]["found"], gold[index]["detail"]


@pytest.mark.parametrize("name", [s.name for s in SEEDS], ids=[s.stem[:3] + s.suffix for s in SEEDS])
def test_no_error_or_warning_beyond_gold(name: str):
    gold, findings = run(name)
    unmatched = [findings[i] for i in match_findings(gold, findings)["unmatched_findings"]]
    assert [f for f in unmatched if f.severity != "info"] == []
    assert not [f for f in findings if f.rule == "rule_failed"]


def test_rounding_cases_are_info():
    for seed in SEEDS:
        gold, findings = run(seed.name)
        result = match_findings(gold, findings)
        for item, found in zip(gold, result["items"], strict=True):
            if item["rule"] == "rounding":
                assert all(findings[i].severity == "info" for i in found["findings"]), item["detail"]
