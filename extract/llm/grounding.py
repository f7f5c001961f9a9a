"""Grounding: a model's value is kept only if its quote occurs verbatim in the chunk and prints it.

Comparison ignores whitespace and full-width/half-width differences. The stored number is the one
printed in the source (with its decimals), never the model's float, so a weak model or a passage
that says "ignore the instructions above" cannot put an invented number into the facts: the model's
value only points at a printed figure (as printed, converted to 万元, or off by a power of ten where
one figure of the quote alone has its digits).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pipeline.models import Number

_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_CLAUSE_BREAK = re.compile(r"[，。；;,、]")
LABEL_WINDOW = 12  # normalised characters before a number where its label must stand
MONEY_UNITS = ("万元", "亿元", "元", "万")
UNIT_SCALE = {"亿元": 1e4, "万元": 1.0, "万": 1.0, "元": 1e-4}


def normalize_char(ch: str) -> str:
    """Full-width ASCII → ASCII, ideographic space → space (one char to one char)."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if code == 0x3000:
        return " "
    return ch


def normalize(text: str) -> str:
    """The comparison form: width-normalised, whitespace removed."""
    return "".join(c for c in map(normalize_char, text) if not c.isspace())


@dataclass(frozen=True)
class Segment:
    """A stretch of the document sent to the model (a sentence or a run of sentences)."""

    start: int
    end: int


def locate(quote: str, doc_text: str, segments: list[Segment]) -> tuple[int, int] | None:
    """The document span of `quote` inside one of the segments (after normalisation), or None."""
    needle = normalize(quote)
    if not needle:
        return None
    for seg in segments:
        chars: list[str] = []
        offsets: list[int] = []
        for i in range(seg.start, seg.end):
            c = normalize_char(doc_text[i])
            if not c.isspace():
                chars.append(c)
                offsets.append(i)
        at = "".join(chars).find(needle)
        if at >= 0:
            return offsets[at], offsets[at + len(needle) - 1] + 1
    return None


@dataclass(frozen=True)
class Printed:
    """A number as printed in a quote: value, decimals, position, the text before it and its unit."""

    value: float
    decimals: int
    position: int
    before: str
    after: str


def clause_before(norm_before: str) -> str:
    """A number's label zone: the normalised text just before it, back to a comma or stop."""
    return _CLAUSE_BREAK.split(norm_before[-LABEL_WINDOW:])[-1]


def label_at(quote: str, position: int) -> str:
    """The words naming the number at `position` of the normalised quote (基本支出 in 其中:基本支出:2048.73)."""
    return clause_before(normalize(quote)[:position]).removeprefix("其中").strip(":")


def printed_numbers(text: str, window: int = LABEL_WINDOW) -> list[Printed]:
    norm = normalize(text)
    return [
        Printed(
            value=float(m.group(0).replace(",", "")),
            decimals=len(m.group(2) or ""),
            position=m.start(),
            before=norm[max(0, m.start() - window) : m.start()],
            after=norm[m.end() : m.end() + 2],
        )
        for m in _NUMBER.finditer(norm)
    ]


def _money_unit(p: Printed) -> str | None:
    return next((u for u in MONEY_UNITS if p.after.startswith(u)), None)


def _in_wan(p: Printed, unit: str) -> Number:
    """The printed money amount in 万元, keeping its printed precision."""
    scale = UNIT_SCALE[unit]
    return Number(value=round(p.value * scale, 10), decimals=p.decimals, scale=scale)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _labelled(p: Printed, labels: tuple[str, ...] | None, used: set[int], unless: tuple[str, ...] = ()) -> bool:
    """Not yet claimed, one of `labels` and none of `unless` in the number's clause (the text before
    it back to a comma or stop): 项目支出预算执行率 is not the department's 执行率, and 部门整体支出…，
    共涉及资金X万元 is not labelled 支出."""
    clause = clause_before(p.before)
    return (
        p.position not in used
        and (labels is None or any(label in clause for label in labels))
        and not any(word in clause for word in unless)
    )


def ground_money(
    value: float,
    quote: str,
    labels: tuple[str, ...] | None = None,
    used: set[int] | None = None,
    unless: tuple[str, ...] = (),
) -> Number | None:
    """The 万元 Number printed in `quote` that the model's `value` stands for (as printed or converted).

    With `labels`, one of them must appear just before the number, and none of `unless` in its
    clause; positions in `used` are skipped and the matched position is added, so two fields cannot
    claim the same printed number.
    """
    used = used if used is not None else set()
    candidates = [
        (p, unit)
        for p in printed_numbers(quote)
        if (unit := _money_unit(p)) is not None and _labelled(p, labels, used, unless)
    ]
    exact = [(p, u) for p, u in candidates if _same(p.value, value) or _same(p.value * UNIT_SCALE[u], value)]
    # A small model writes 3126.60万元 as 3126600 (its own unit conversion, or an injected "×10"):
    # its value only points at the printed figure, so a power-of-ten slip points as well, where one
    # figure of the quote alone has those digits. The stored number is the printed one either way.
    scaled = [(p, u) for p, u in candidates if _power_of_ten_apart(p.value, value)]
    found = exact[:1] or (scaled if len(scaled) == 1 else [])
    if not found:
        return None
    p, unit = found[0]
    used.add(p.position)
    return _in_wan(p, unit)


def _power_of_ten_apart(printed: float, value: float) -> bool:
    """`value` is `printed` times 10^k for a whole k from -8 to 8, k ≠ 0 (the same digits)."""
    if printed <= 0 or value <= 0:
        return False
    k = round(math.log10(value / printed))
    return k != 0 and abs(k) <= 8 and _same(printed * 10.0**k, value)


def ground_unit(
    value: float,
    quote: str,
    units: tuple[str, ...],
    labels: tuple[str, ...] | None = None,
    used: set[int] | None = None,
    unless: tuple[str, ...] = (),
) -> Number | None:
    """The Number printed in `quote` equal to `value` and followed by one of `units` (%, 分 …)."""
    used = used if used is not None else set()
    for p in printed_numbers(quote):
        if _same(p.value, value) and p.after.startswith(units) and _labelled(p, labels, used, unless):
            used.add(p.position)
            return Number(value=p.value, decimals=p.decimals)
    return None


def name_in(name: str, quote: str) -> bool:
    """Whether a (project) name occurs in the quote, ignoring whitespace and width."""
    needle = normalize(name)
    return bool(needle) and needle in normalize(quote)
