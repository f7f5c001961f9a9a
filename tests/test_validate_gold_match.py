"""Matching findings to gold inconsistencies by the numbers they name."""

from pipeline.models import Finding
from validate.gold_match import detail_numbers, match_findings

GOLD = [
    {
        "rule": "unit_mismatch",
        "detail": "守住耕地红线（亩）: '44.02' with unit 亩, while the text says 44.02万亩 (440,200亩).",
    },
    {"rule": "execution_rate_vs_computed", "detail": "Stated 执行率 95.60% but 2481.78 / 2481.78 = 100.00%."},
]


def finding(*values: float) -> Finding:
    return Finding(rule="x", severity="error", message="", values=list(values))


def test_detail_numbers_reads_thousands_separators_once():
    assert detail_numbers(GOLD[0]["detail"]) == [44.02, 440200]


def test_two_shared_numbers_make_a_match():
    result = match_findings(GOLD, [finding(44.02, 440200), finding(95.6), finding(1, 2)])
    assert [item["found"] for item in result["items"]] == [True, False]
    assert result["found"] == 1 and result["recall"] == 0.5
    assert result["unmatched_findings"] == [1, 2]


def test_values_within_half_a_cent():
    result = match_findings(GOLD[1:], [finding(95.6, 100.004)])
    assert result["found"] == 1 and result["unmatched_findings"] == []
