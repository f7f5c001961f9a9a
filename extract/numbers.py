"""Numbers as printed in the reports: find them, parse them, convert them to 万元.

Handles full-width digits (１２．５), thousands separators (56,306,300.00), the 万/亿 multipliers,
元 → 万元 conversion, and keeps the printed decimals so validators can treat every value as an
interval (`Number(value, decimals, scale)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import Number

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－％", "0123456789.,-%")

NUMBER_RE = re.compile(r"(?<![\d.,])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])")

# A money amount: number then unit; "万" followed by another unit (万亩, 万人次) is not money.
MONEY_RE = re.compile(
    r"(?<![\d.,])(?P<num>-?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|亿元|元|万)(?!亩|人|件|户|张|套|次|吨|平方|公顷|笔|宗|个|份|本)"
)

# Printed unit -> factor to the stored unit (万元).
MONEY_SCALE = {"元": 1e-4, "万元": 1.0, "万": 1.0, "亿元": 1e4, "亿": 1e4}


@dataclass(frozen=True)
class NumMatch:
    """One number found in a text: its span, its printed text, value and decimals."""

    start: int
    end: int
    text: str
    value: float
    decimals: int


def normalize_digits(text: str) -> str:
    """Full-width digits, point, comma, minus and percent to ASCII (same length, spans stay valid)."""
    return text.translate(_FULL_WIDTH)


def find_numbers(text: str) -> list[NumMatch]:
    """Every number printed in `text`, in order, with spans into `text`."""
    norm = normalize_digits(text)
    found = []
    for m in NUMBER_RE.finditer(norm):
        printed = m.group()
        digits = printed.replace(",", "")
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        found.append(NumMatch(m.start(), m.end(), text[m.start() : m.end()], float(digits), decimals))
    return found


def parse_number(text: str) -> NumMatch | None:
    """The single number of a cell such as '　2790.13', '10分', '95.60%' or '56,306,300.00'."""
    found = find_numbers(text)
    return found[0] if len(found) == 1 else None


def first_number(text: str) -> Number:
    """The first number printed in `text` (which must print one), as a `Number`."""
    return to_number(find_numbers(text)[0])


def to_number(match: NumMatch, scale: float = 1.0) -> Number:
    """A `Number` in the stored unit: the printed value times `scale`, rounding noise removed."""
    return Number(value=round(match.value * scale, match.decimals + 6), decimals=match.decimals, scale=scale)


def money(match: NumMatch, unit: str) -> Number:
    """A money amount in 万元 from a number printed with `unit` (元, 万元, 万, 亿元, 亿)."""
    return to_number(match, MONEY_SCALE[unit])


def money_of(match: re.Match) -> Number:
    """The amount of a `MONEY_RE` match, in 万元."""
    return money(find_numbers(match.group("num"))[0], match.group("unit"))


def close(a: float, b: float, tol: float = 0.005) -> bool:
    return abs(a - b) <= tol
