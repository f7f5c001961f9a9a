"""From a model's answer to facts: ground every item in its chunk, then merge with the
deterministic facts. A deterministic fact wins; a model value that disagrees with it is a rejection
with reason `conflicts`, never a silent overwrite. Rejected items are returned with the reason so
they can be recorded (llm_rejections) and never stored as facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extract.llm.chunking import Chunk
from extract.llm.grounding import ground_money, ground_unit, label_at, locate, name_in, normalize
from extract.llm.labels import AMOUNT_LABELS, AMOUNT_UNLESS, PROJECT_LABELS, RATE_KEY
from pipeline.goldjson import MAIN_KEYS
from pipeline.models import Amount, Document, Facts, Number, Project, Provenance

PROJECT_SUFFIX = "项目绩效自评综述"
CONFLICTS = "conflicts"  # the rejection reason of a value a deterministic fact contradicts


@dataclass
class Rejection:
    field: str
    value: str
    quote: str
    reason: str


def _prov(doc: Document, span: tuple[int, int]) -> Provenance:
    start, end = span
    return Provenance(
        doc_id=doc.doc_id,
        method="llm",
        raw=doc.text[start:end],
        char_start=start,
        char_end=end,
        page=doc.page_of(start),
    )


def ground_amount(doc: Document, chunk: Chunk, item: dict[str, Any]) -> Amount | Rejection:
    quote, value, key = str(item.get("quote", "")), item.get("value"), str(item.get("key", "other"))
    span = locate(quote, doc.text, chunk.segments)
    if span is None:
        return Rejection(key, str(value), quote, "quote not found in the passage")
    raw = doc.text[span[0] : span[1]]
    if not isinstance(value, int | float):
        return Rejection(key, str(value), quote, "no value")
    is_rate = key == RATE_KEY
    labels = AMOUNT_LABELS.get(key, AMOUNT_LABELS["other"])
    unless = AMOUNT_UNLESS.get(key, ())
    used: set[int] = set()  # the grounding adds the printed number's position
    if is_rate:
        number = ground_unit(value, raw, ("%",), labels, used, unless=unless)
    else:
        number = ground_money(value, raw, labels, used, unless=unless)
    if number is None and not is_rate:  # a mislabelled key: keep it as an unlabelled mention if it is one
        key = "other"
        number = ground_money(value, raw, AMOUNT_LABELS["other"], used)
    if number is None:
        return Rejection(key, str(value), quote, "the quote does not print this number with its unit and label")
    label = label_at(raw, used.pop())
    return Amount(
        key=key if key in MAIN_KEYS else f"narrative:{label}",
        number=number,
        unit="%" if is_rate else "万元",
        source="narrative",
        label=label,
        prov=_prov(doc, span),
    )


def ground_project(doc: Document, chunk: Chunk, item: dict[str, Any]) -> tuple[Project | None, list[Rejection]]:
    quote, name = str(item.get("quote", "")), str(item.get("name", "")).strip()
    span = locate(quote, doc.text, chunk.segments)
    if span is None:
        return None, [Rejection("project", name, quote, "quote not found in the passage")]
    raw = doc.text[span[0] : span[1]]
    if not name or len(name) > 60 or not name_in(name, raw):
        return None, [Rejection("project", name, quote, "the quote does not contain the project name")]
    rejections = []
    numbers: dict[str, Number | None] = {}
    used: set[int] = set()
    for field, labels in PROJECT_LABELS.items():
        value = item.get(field)
        grounded = None
        if isinstance(value, int | float):
            if field == "score":
                grounded = ground_unit(value, raw, ("分",), labels, used)
            else:
                grounded = ground_money(value, raw, labels, used)
            if grounded is None:
                reason = "the quote does not print this number with its label"
                rejections.append(Rejection(f"project.{field}", str(value), quote, reason))
        numbers[field] = grounded
    if sum(v is not None for v in numbers.values()) < 2:
        return None, [*rejections, Rejection("project", name, quote, "fewer than two grounded numbers")]
    return Project(name=project_name(name, raw), prov=_prov(doc, span), **numbers), rejections


def project_name(name: str, raw: str) -> str:
    """The name as the text before the template suffix 项目绩效自评综述 (the model may keep 项目)."""
    name = name.removesuffix(PROJECT_SUFFIX).removesuffix("绩效自评综述")
    if name.endswith("项目") and normalize(name + "绩效自评综述") in normalize(raw):
        return name.removesuffix("项目")
    return name


def _overlaps(a: Provenance, b: Provenance) -> bool:
    if None in (a.char_start, a.char_end, b.char_start, b.char_end):
        return False
    return a.char_start < b.char_end and b.char_start < a.char_end  # type: ignore[operator]


def merge_amounts(facts: Facts, found: list[Amount]) -> list[Rejection]:
    """Add new amounts to `facts`. A deterministic fact wins: a main field the recognisers already
    have is never replaced, and a value that disagrees with it is returned as a `conflicts`
    rejection (for `llm_rejections`, where a reviewer sees it), not stored."""
    conflicts: list[Rejection] = []
    for amount in found:
        same_place = [a for a in facts.amounts if _overlaps(a.prov, amount.prov) and a.number.agrees(amount.number)]
        if same_place:
            continue
        primary = next((a for a in facts.amounts if a.primary and a.key == amount.key), None)
        if primary is not None:
            if not primary.number.agrees(amount.number):
                conflicts.append(_conflict(amount.key, amount.number, primary.number, amount.prov.raw))
            continue
        if any(a.key == amount.key and a.number.agrees(amount.number) for a in facts.amounts):
            continue
        if amount.key not in MAIN_KEYS and _restates(facts, amount):
            continue  # a figure already read, restated under another label (共涉及资金18727.03万元)
        amount.primary = amount.key in MAIN_KEYS
        facts.amounts.append(amount)
    return conflicts


def _restates(facts: Facts, amount: Amount) -> bool:
    """Whether an unlabelled amount's value is one the facts already hold: any amount in the same
    unit, or a project's budget or executed figure."""
    if any(a.unit == amount.unit and a.number.agrees(amount.number) for a in facts.amounts):
        return True
    figures = [n for p in facts.projects for n in (p.budget, p.executed) if n is not None]
    return amount.unit == "万元" and any(n.agrees(amount.number) for n in figures)


def _same_project(known: Project, project: Project) -> bool:
    """One project told twice: the same place, a name that holds the other (示例工作 / 示例工作项目),
    or the same budget and executed figures."""
    a, b = normalize(known.name), normalize(project.name)
    if _overlaps(known.prov, project.prov) or (a and b and (a in b or b in a)):
        return True
    pairs = [(known.budget, project.budget), (known.executed, project.executed)]
    return all(x is not None and y is not None and x.agrees(y) for x, y in pairs)


def merge_projects(facts: Facts, found: list[Project]) -> list[Rejection]:
    """Add projects the deterministic facts lack; a value of a known project that disagrees with
    the deterministic one is returned as a `conflicts` rejection and the project is left as read."""
    conflicts = []
    for project in found:
        existing = next((p for p in facts.projects if _same_project(p, project)), None)
        if existing is None:
            facts.projects.append(project)
            continue
        for field in ("budget", "executed", "score"):
            ours, theirs = getattr(existing, field), getattr(project, field)
            if ours is not None and theirs is not None and not ours.agrees(theirs):
                conflicts.append(_conflict(f"project.{field}", theirs, ours, project.prov.raw))
    return conflicts


def _conflict(field: str, theirs: Number, ours: Number, quote: str) -> Rejection:
    """The model's value where a deterministic fact says otherwise (the kept value in the text)."""
    return Rejection(field, f"{theirs.value:g} (kept {ours.value:g})", quote, CONFLICTS)
