"""Building findings: a message from the catalogue (pipeline/i18n) rendered in Chinese and in
English, numbers formatted the way the report printed them, values rounded to drop float noise,
and the ids of every fact involved.

A rule says what it found with `say(key, **values)`: a catalogue key (`finding.<key>`) and named
values already formatted (`printed`, `money`, `like`); clauses join with `+`. `make` renders the
message in both languages and stores both on the finding (`message`, `message_en`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pipeline.i18n import Joined, Word, t
from pipeline.models import Finding, Number
from validate.intervals import Outcome
from validate.registry import derived, rule_by_id

ROUNDING = "rounding"
derived(ROUNDING, "info")

Message = list[tuple[str, dict[str, object]]]


def say(key: str, **values: object) -> Message:
    """One clause of a finding: the catalogue's `finding.<key>` with its named values."""
    return [(f"finding.{key}", values)]


def word(key: str) -> Word:
    """A word the catalogue translates (`word.<key>`): where a value was read, what it is."""
    return Word(f"word.{key}")


def plus(items: Iterable[object]) -> Joined:
    """Parts of a sum, joined by the language's plus sign (＋ / ' + ')."""
    return Joined(items, "sep.plus")


def minus(items: Iterable[object]) -> Joined:
    """Terms of a difference, joined by the language's minus sign (－ / ' − ')."""
    return Joined(items, "sep.minus")


def listing(items: Iterable[object]) -> Joined:
    """Clauses listed one after another (；/ '; ')."""
    return Joined(items, "sep.list")


def render(message: Message, lang: str) -> str:
    """The message's clauses in one language, joined."""
    return "".join(t(key, lang, **values) for key, values in message)


def fmt(x: float) -> str:
    """12.50 → 12.5, 18709.010000002 → 18709.01, 127.5475 → 127.5475."""
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def printed(n: Number) -> str:
    """A number the way the report printed it: 95.60, not 95.6."""
    return f"{n.value:.{n.decimals}f}" if n.scale == 1 else fmt(n.value)


def money(n: Number) -> str:
    """An amount as printed, in 万元: 2698.55万元."""
    return f"{printed(n)}万元"


def like(x: float, numbers: Sequence[Number], unit: str = "") -> str:
    """A computed value (a sum, a difference) at the decimals its inputs were printed with."""
    if numbers and all(n.scale == 1 for n in numbers):
        return f"{x:.{max(n.decimals for n in numbers)}f}{unit}"
    return f"{fmt(x)}{unit}"


def pct(x: float) -> str:
    """A computed percentage at two decimals: 99.98%."""
    return f"{x:.2f}%"


def clean(x: float) -> float:
    return round(x, 6)


def make(
    rule_id: str,
    message: Message,
    *,
    fact_ids: Iterable[str],
    values: Iterable[float],
    reported: float | None = None,
    computed: float | None = None,
) -> Finding:
    """A finding of `rule_id` with that rule's severity, its message rendered in both languages."""
    difference = None if reported is None or computed is None else clean(reported - computed)
    return Finding(
        rule=rule_id,
        severity=rule_by_id(rule_id).severity,
        message=render(message, "zh"),
        message_en=render(message, "en"),
        reported=None if reported is None else clean(reported),
        computed=None if computed is None else clean(computed),
        difference=difference,
        values=_unique(clean(v) for v in values),
        fact_ids=_unique(i for i in fact_ids if i),
    )


def for_outcome(
    outcome: Outcome,
    rule_id: str,
    message: Message,
    *,
    fact_ids: Iterable[str],
    values: Iterable[float],
    reported: float,
    computed: float,
    printed_as: Sequence[Number] = (),
    unit: str = "",
    note: str = "rounding_note",
) -> list[Finding]:
    """No finding when equal, a `rounding` info when rounding explains it, else `rule_id`.
    The rounding clause (`note`) prints the difference at the decimals of `printed_as`, with `unit`."""
    if outcome == "equal":
        return []
    if outcome == "rounding":
        message = message + say(note, difference=like(abs(reported - computed), printed_as, unit))
        rule_id = ROUNDING
    return [make(rule_id, message, fact_ids=fact_ids, values=values, reported=reported, computed=computed)]


def _unique(items: Iterable) -> list:
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
