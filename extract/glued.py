"""Numbers whose cells were run together ("21182118100%", "1010") → the printed numbers, by arithmetic.

A flattened form loses the borders between cells, so several numbers print as one digit run. The
run is cut by enumerating every way to read it as the expected count of well-formed numbers (no
leading zeros, one decimal point at most, a bounded count of decimals) and keeping the cuts that
the form's own arithmetic confirms: 执行率 = 执行数 / 预算数 at its printed precision, 得分 = 分值 ×
执行率, a weight then a score with score ≤ weight. A cut is returned only when exactly one survives.

Cuts are spans into the run (start, end), so a caller keeps the exact source substring of each part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

Span = tuple[int, int]

_WELL_FORMED = re.compile(r"(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?")  # 1,234.5 too

#: Most decimals a printed amount (万元) carries; 元 amounts carry at most two.
MAX_AMOUNT_DECIMALS = 6
#: Most decimals a printed rate, weight or score carries.
MAX_SCORE_DECIMALS = 2
#: Upper bounds of a plausible execution rate (%) and of a weight in a 100-point form.
MAX_RATE = 150.0
MAX_WEIGHT = 100.0
#: Upper bound of one project's or department's amount, in 万元 (1000 亿元).
MAX_AMOUNT = 1e7

#: Slack, beyond half a unit of the last printed digit, for a form's own rounding (86.183% printed 86.19%).
ROUNDING_SLACK = 0.01

#: The funds-row columns that hold money amounts; the budget a rate is computed on: 全年预算数 when
#: the form has that column, else 年初预算数 (the 2016 form's A).
AMOUNT_KEYS = ("initial_budget", "full_year_budget", "executed")
BUDGET_KEYS = ("full_year_budget", "initial_budget")


def decimals(piece: str) -> int:
    """Decimals printed in a number ('64.80' → 2)."""
    return len(piece.split(".")[1]) if "." in piece else 0


def well_formed(piece: str, max_decimals: int) -> bool:
    """A number a form would print: no leading zero, at most `max_decimals` decimals."""
    return bool(_WELL_FORMED.fullmatch(piece)) and decimals(piece) <= max_decimals


def cuts(run: str, limits: list[int]) -> Iterator[list[Span]]:
    """Every way to cut `run` into len(limits) well-formed numbers, the i-th with at most
    limits[i] decimals."""
    if not limits:
        if not run:
            yield []
        return
    for end in range(1, len(run) - len(limits) + 2):
        if not well_formed(run[:end], limits[0]):
            continue
        for rest in cuts(run[end:], limits[1:]):
            yield [(0, end), *((s + end, e + end) for s, e in rest)]


def split_pair(run: str, ratio: float | None = None) -> tuple[Span, Span] | None:
    """A weight and its score glued ('1010' → 10 | 10, '55' → 5 | 5): the single cut with
    0 ≤ score ≤ weight ≤ 100 (and score = weight × `ratio`, a printed 得分系数, where given)."""
    found = []
    for weight, score in cuts(run, [MAX_SCORE_DECIMALS, MAX_SCORE_DECIMALS]):
        w, s = float(run[slice(*weight)]), float(run[slice(*score)])
        piece = Piece(score, run[slice(*score)])
        if 0 < w <= MAX_WEIGHT and 0 <= s <= w and (ratio is None or agrees(w * ratio, piece)):
            found.append((weight, score))
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class Piece:
    """One number cut from a run: its span in the run and its printed text."""

    span: Span
    text: str

    @property
    def value(self) -> float:
        return float(self.text.replace(",", ""))

    @property
    def unit(self) -> float:
        """One unit of the last printed digit."""
        return 10.0 ** -decimals(self.text)


def split_funds(
    run: str,
    keys: list[str],
    weight_hint: float | None = None,
    scale: float = 1.0,
    breaks: frozenset[int] = frozenset(),
) -> dict[str, Span] | None:
    """Cut a funds row's value run into its columns: column key → span in `run`.

    `run` holds digits, decimal points, thousands separators and '%' (which ends the 执行率,
    when the row prints one; without any '%' the rate is cut like the other columns); a head the OCR garbled
    ('O76%…') hides the columns before its readable digits, which are then left out. `keys` are
    the columns in header order; `weight_hint` is a 分值 printed in the header ("得分(20分*执行率)");
    `scale` the factor from the printed money unit to 万元 (1e-4 for 元); `breaks` the positions
    where the source separates two characters (a space): a cut must fall there.
    None unless exactly one cut obeys the form's arithmetic."""
    groups = [(m.start(), m.group()) for m in re.finditer(r"[^%]+%?|%", run)]
    found = [
        cut
        for cut in _candidates(groups, keys, percent="%" in run)
        if _respects(cut, breaks) and consistent(cut, weight_hint, MAX_AMOUNT / scale)
    ]
    if len(found) != 1:
        return None
    return {key: piece.span for key, piece in found[0].items() if piece is not None}


def _candidates(groups: list[tuple[int, str]], keys: list[str], percent: bool) -> Iterator[dict[str, Piece | None]]:
    """Every cut of the groups into the columns; with `percent` the rate column ends the group
    before a '%'."""
    if not groups:
        if not keys:
            yield {}
        return
    offset, group = groups[0]
    ends_with_rate = group.endswith("%")
    body = group.rstrip("%")
    garbled = re.match(r".*[^\d.,]", body)
    head = garbled.end() if garbled else 0
    digits = body[head:]
    for n in range(len(keys) + 1):
        mine, rest = keys[:n], keys[n:]
        rate_last = bool(mine and mine[-1] == "execution_rate_pct")
        if percent and (ends_with_rate != rate_last or "execution_rate_pct" in mine[:-1]):
            continue
        for hidden in range(n + 1) if head else (0,):
            if head and hidden == 0:
                continue
            read = mine[hidden:]
            limits = [MAX_AMOUNT_DECIMALS if k in AMOUNT_KEYS else MAX_SCORE_DECIMALS for k in read]
            for cut in cuts(digits, limits):
                pieces: dict[str, Piece | None] = dict.fromkeys(mine[:hidden])
                for key, (s, e) in zip(read, cut, strict=True):
                    pieces[key] = Piece((offset + head + s, offset + head + e), digits[s:e])
                for tail in _candidates(groups[1:], rest, percent):
                    yield {**pieces, **tail}


def _respects(cut: dict[str, Piece | None], breaks: frozenset[int]) -> bool:
    """No piece runs across a separator the source printed."""
    return not any(piece and piece.span[0] < b < piece.span[1] for piece in cut.values() for b in breaks)


def consistent(cut: dict[str, Piece | None], weight_hint: float | None, max_amount: float) -> bool:
    """The cut stays within each column's bounds and obeys the arithmetic it can be checked by."""
    rate, executed, score = cut.get("execution_rate_pct"), cut.get("executed"), cut.get("score")
    weight = cut["weight"].value if cut.get("weight") else weight_hint
    budget = next((cut[k] for k in BUDGET_KEYS if k in cut), None)
    if rate is not None and not 0 <= rate.value <= MAX_RATE:
        return False
    if weight is not None and not 0 < weight <= MAX_WEIGHT:
        return False
    if score is not None and weight is not None and score.value > weight:
        return False
    if any(cut.get(k) and cut[k].value > max_amount for k in AMOUNT_KEYS):
        return False
    if rate is not None and executed is not None and budget is not None:
        if budget.value <= 0 or not agrees(100 * executed.value / budget.value, rate):
            return False
        if rate.value == 0 and executed.value != 0:
            return False  # a spending form prints a rate that shows the spending
    if rate is not None and score is not None and weight is not None:
        if not agrees(min(weight, weight * rate.value / 100), score):
            return False
    return True


def agrees(computed: float, printed: Piece) -> bool:
    """`computed` rounds to the printed number, give or take the form's rounding slack."""
    return abs(computed - printed.value) <= printed.unit / 2 + ROUNDING_SLACK
