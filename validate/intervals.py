"""Interval arithmetic for printed numbers, in the spirit of XBRL calculation checks.

A value printed with d decimals stands for [v − ½·10^−d, v + ½·10^−d] (scaled to the stored
unit). A stated total and the sum of its printed parts are inconsistent only when their
intervals do not meet. A point difference that the intervals (or a truncated last digit)
explain is a rounding difference, not an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pipeline.models import Number

Outcome = Literal["equal", "rounding", "mismatch"]

_EPS = 1e-9


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def meets(self, other: Interval) -> bool:
        tol = _EPS * max(1.0, abs(self.lo), abs(other.lo))
        return self.lo <= other.hi + tol and other.lo <= self.hi + tol


def of(n: Number) -> Interval:
    lo, hi = n.interval
    return Interval(lo, hi)


def total(numbers: Iterable[Number]) -> Interval:
    acc = Interval(0.0, 0.0)
    for n in numbers:
        acc = acc + of(n)
    return acc


def ratio_pct(num: Number, den: Number) -> Interval | None:
    """100·num/den as an interval; None when the denominator interval reaches zero."""
    a, b = of(num), of(den)
    if b.lo <= 0:
        return None
    return Interval(100 * a.lo / b.hi, 100 * a.hi / b.lo)


def unit_in_last_place(numbers: Iterable[Number]) -> float:
    """One unit in the last printed place of the least precise number (in the stored unit)."""
    return max((10 ** (-n.decimals) * n.scale for n in numbers), default=0.0)


def compare_sum(reported: Number, parts: list[Number]) -> Outcome:
    """A stated total against the sum of its printed parts.

    equal: the point values agree; rounding: they differ but the intervals meet, or by at most
    one unit in the last printed place (a truncated instead of rounded digit); mismatch: otherwise.
    """
    computed = sum(p.value for p in parts)
    return compare_values(reported, computed, total(parts), [reported, *parts])


def partial_list(total: Number, parts: list[Number]) -> bool:
    """Whether listed parts fall well short of their total (more than 1%): a '其中' that names only
    some of the parts, not a breakdown with an arithmetic slip."""
    computed = sum(p.value for p in parts)
    return abs(computed) < abs(total.value) and abs(total.value - computed) > 0.01 * abs(total.value)


def compare_same(a: Number, b: Number) -> Outcome:
    """Two statements of the same quantity: equal when they agree at the coarser precision
    (57,371,231.27元 restates 5737.12万元), rounding when a last digit differs."""
    if abs(a.value - b.value) <= max(a.half_width, b.half_width) * (1 + 1e-6):
        return "equal"
    return compare_values(a, b.value, of(b), [a, b])


def compare_values(reported: Number, computed: float, computed_iv: Interval, printed: list[Number]) -> Outcome:
    diff = abs(reported.value - computed)
    if diff <= _EPS * max(1.0, abs(computed)):
        return "equal"
    if of(reported).meets(computed_iv) or diff <= unit_in_last_place(printed) * (1 + 1e-6):
        return "rounding"
    return "mismatch"


def compare_rate(stated: Number, computed: Interval) -> bool:
    """Whether a stated percentage is consistent with a computed one at its printed precision."""
    return of(stated).meets(computed)


#: The finest step a rate is printed at (hundredths of a percent): a rate printed so finely and one
#: step off the computed one is a rounding slip; a whole-percent rate one point off is a finding.
FINE_RATE_STEP = 0.01


def rate_rounding(stated: Number, computed: Interval) -> bool:
    """A stated percentage that misses the computed one by at most one unit in its last printed
    place, printed in hundredths of a percent or finer (86.19% for 86.183%)."""
    step = 10 ** (-stated.decimals)
    mid = (computed.lo + computed.hi) / 2
    return step <= FINE_RATE_STEP + _EPS and abs(stated.value - mid) <= step + _EPS
