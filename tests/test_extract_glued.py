"""Run-together numbers cut by the form's arithmetic (extract/glued.py)."""

from __future__ import annotations

from extract.glued import split_funds, split_pair

NATIONAL_2016 = ["initial_budget", "executed", "weight", "execution_rate_pct", "score"]


def _read(run: str, keys: list[str], **kwargs) -> dict[str, str] | None:
    cut = split_funds(run, keys, **kwargs)
    return None if cut is None else {key: run[s:e] for key, (s, e) in cut.items()}


def test_funds_row_cut_where_rate_and_score_agree() -> None:
    assert _read("310.2154.741050%5", NATIONAL_2016) == {
        "initial_budget": "310.2",
        "executed": "154.74",
        "weight": "10",
        "execution_rate_pct": "50",
        "score": "5",
    }


def test_rate_is_computed_on_the_full_year_budget() -> None:
    keys = ["initial_budget", "full_year_budget", "executed", "execution_rate_pct"]
    assert _read("64.864.864.8100%", keys) == dict(zip(keys, ["64.8", "64.8", "64.8", "100"], strict=True))


def test_implausible_cuts_are_dropped() -> None:
    keys = ["full_year_budget", "executed", "execution_rate_pct"]
    assert _read("21182118100%", keys) == {"full_year_budget": "2118", "executed": "2118", "execution_rate_pct": "100"}


def test_weight_in_the_header_checks_the_score() -> None:
    keys = ["full_year_budget", "executed", "execution_rate_pct", "score"]
    assert _read("10001000100%20", keys, weight_hint=20) == dict(zip(keys, ["1000", "1000", "100", "20"], strict=True))


def test_garbled_amounts_leave_rate_weight_and_score() -> None:
    keys = ["initial_budget", "full_year_budget", "executed", "execution_rate_pct", "weight", "score"]
    assert _read("O76%107.6", keys) == {"execution_rate_pct": "76", "weight": "10", "score": "7.6"}


def test_two_amounts_without_arithmetic_are_not_read() -> None:
    assert _read("310.2154.74", ["initial_budget", "executed"]) is None


def test_a_printed_separator_is_a_cut() -> None:
    assert _read("4545", ["initial_budget", "executed"], breaks=frozenset({2})) == {
        "initial_budget": "45",
        "executed": "45",
    }


def test_weight_and_score_pair() -> None:
    assert split_pair("1010") == ((0, 2), (2, 4))
    assert split_pair("22") == ((0, 1), (1, 2))
    assert split_pair("1013") is None  # score above weight


def test_thousands_separators_and_a_rate_without_percent_sign() -> None:
    keys = ["full_year_budget", "executed", "execution_rate_pct"]
    assert _read("1,234.561,234.56100%", keys) == dict(zip(keys, ["1,234.56", "1,234.56", "100"], strict=True))
    assert _read("10001000100", keys) == dict(zip(keys, ["1000", "1000", "100"], strict=True))
