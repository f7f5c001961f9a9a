"""Indicator targets and actuals parsed into types, and whether an actual meets its target.

Targets: "≥95%" / "1万以上" (at least), "不超出4229.37万元" / "≤3" (at most), "2-3" (range),
"100%" / "2" (exact), "按时完成" / "有效推进" (qualitative). Quantities keep their printed
value, the 万/亿 magnitude and the unit after it, so "2.3万" (亩) and "2" can be told apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Kind = Literal["at_least", "at_most", "range", "exact", "qualitative"]

MAGNITUDES = {"万": 1e4, "亿": 1e8, "万元": 1.0, "亿元": 1e4}  # money is counted in 万元
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|亿元|万|亿)?")
_YEAR = re.compile(r"(?:19|20)\d\d\s*年")
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|亿元|万|亿)?\s*[-~～—–至到]\s*(\d+(?:\.\d+)?)\s*(万元|亿元|万|亿)?")
_AT_LEAST = re.compile(r"≥|>=|＞|>|以上|不低于|不少于|至少|大于|超过|及以上")
_AT_MOST = re.compile(r"≤|<=|＜|<|以下|以内|不超出|不超过|不高于|低于|少于|控制在|之内")
_DECLARED_UNIT = re.compile(r"[（(]([^（）()]{1,6})[)）]\s*$")
_PARTLY = re.compile(r"基本完成|未完成|部分完成|尚未|未达到|未全部|未能")


@dataclass(frozen=True)
class Quantity:
    mantissa: float  # the number as printed
    magnitude: float  # 1, 1e4 (万), 1e8 (亿)
    percent: bool

    @property
    def value(self) -> float:
        return self.mantissa * self.magnitude


@dataclass(frozen=True)
class Target:
    kind: Kind
    low: Quantity | None = None
    high: Quantity | None = None


def normalise(text: str | None) -> str:
    """NFKC (full-width digits and ％), no whitespace, no <p> tags."""
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+|</?p>", "", text)


def declared_unit(level3: str | None) -> str:
    """The unit an indicator name declares: '守住耕地红线（亩）' → '亩'."""
    match = _DECLARED_UNIT.search(normalise(level3))
    return match.group(1) if match else ""


def _strip_unit(text: str, unit: str) -> str:
    """Drop the declared unit so that its own 万/亿 ('万件', '亿元') is not read as a magnitude."""
    return text.replace(unit, "") if unit and unit[0] in MAGNITUDES else text


def _quantity(mantissa: str, magnitude: str | None, text: str) -> Quantity:
    return Quantity(float(mantissa), MAGNITUDES.get(magnitude or "", 1.0), "%" in text)


def numbers(text: str, unit: str = "") -> list[Quantity]:
    """Every number in a cell, years (2024年) left out."""
    clean = _YEAR.sub("", _strip_unit(normalise(text), unit))
    return [_quantity(m.group(1), m.group(2), clean[m.end() : m.end() + 2]) for m in _NUMBER.finditer(clean)]


def parse_target(text: str | None, unit: str = "") -> Target | None:
    """A typed target, or None when the cell holds several numbers that are not a range."""
    clean = _YEAR.sub("", _strip_unit(normalise(text), unit))
    found = numbers(clean)
    if not found:
        return Target("qualitative")
    if len(found) == 2 and (m := _RANGE.search(clean)):
        return Target("range", _quantity(m.group(1), m.group(2), clean), _quantity(m.group(3), m.group(4), clean))
    if len(found) != 1:
        return None
    q = found[0]
    if _AT_MOST.search(clean):
        return Target("at_most", high=q)
    if _AT_LEAST.search(clean):
        return Target("at_least", low=q)
    return Target("exact", low=q, high=q)


def parse_actual(text: str | None, unit: str = "") -> Quantity | None:
    """The single quantity an actual cell states, or None (text, or several numbers)."""
    found = numbers(text or "", unit)
    return found[0] if len(found) == 1 else None


def is_met(target: Target, actual: Quantity) -> bool | None:
    """True / False, or None when the two cannot be compared (units differ, over a range …)."""
    bound = target.low or target.high
    if bound is None or bound.percent != actual.percent or not comparable(bound, actual):
        return None
    a = actual.value
    if target.kind == "at_least":
        return a >= target.low.value
    if target.kind == "at_most":
        return a <= target.high.value
    if target.kind == "range":
        return None if a > target.high.value else a >= target.low.value
    return a >= bound.value  # an exact target is met when reached or exceeded


def comparable(a: Quantity, b: Quantity) -> bool:
    """Same magnitude, or values within a factor of 10 of each other (10000 vs 1.2万)."""
    if a.magnitude == b.magnitude:
        return True
    return a.value > 0 and b.value > 0 and 0.1 <= a.value / b.value <= 10


def partly_done(actual: str | None) -> bool:
    """A short qualitative actual that admits the work is not (fully) done: '已基本完成'."""
    text = normalise(actual)
    return 0 < len(text) <= 40 and bool(_PARTLY.search(text))
