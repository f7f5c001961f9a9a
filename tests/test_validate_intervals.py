"""Interval arithmetic: printed precision decides between equal, rounding and mismatch."""

from validate_facts import num

from pipeline.models import Number
from validate.intervals import compare_rate, compare_same, compare_sum, ratio_pct


def test_exact_sum_is_equal():
    assert compare_sum(num("2481.78"), [num("1641.76"), num("840.02")]) == "equal"


def test_one_cent_off_is_rounding():
    # 000: the 城乡社区支出 items add up to 15265.34 against the stated 15265.33
    parts = [num(x) for x in ("7200", "2000", "125.35", "168.89", "2500", "328", "1393.52", "21.78")]
    parts += [num(x) for x in ("1278.28", "223", "26.52")]
    assert compare_sum(num("15265.33"), parts) == "rounding"


def test_integer_total_covers_cents_of_its_parts():
    # 002: +672.94 − 427.34 + 28.43 + 18.98 = 293.01 against a stated 293
    parts = [num("672.94"), num("-427.34"), num("28.43"), num("18.98")]
    assert compare_sum(num("293"), parts) == "rounding"


def test_gap_beyond_precision_is_mismatch():
    assert compare_sum(num("18651.39"), [num("7301.64"), num("7321.45")]) == "mismatch"


def test_truncated_last_digit_is_rounding():
    # 002: 30,385,751.62元 = 3038.5751620万元 printed elsewhere as 3038.57 (truncated, not rounded)
    from_yuan = Number(value=3038.575162, decimals=2, scale=1e-4)
    assert compare_same(num("3038.57"), from_yuan) == "rounding"


def test_rate_at_printed_precision():
    assert compare_rate(num("97"), ratio_pct(num("5737.12"), num("5923.63")))  # 96.85% prints as 97%
    assert compare_rate(num("127.55"), ratio_pct(num("18651.39"), num("14623.09")))
    assert not compare_rate(num("95.60"), ratio_pct(num("2481.78"), num("2481.78")))


def test_restatement_equal_at_the_coarser_precision():
    from_yuan = Number(value=5737.123127, decimals=2, scale=1e-4)  # 57,371,231.27元
    assert compare_same(num("5737.12"), from_yuan) == "equal"
    assert compare_same(num("2000"), num("2000.40")) == "equal"
