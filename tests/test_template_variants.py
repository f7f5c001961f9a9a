"""The national self-evaluation forms, printed every way the web prints them, read back.

For each form (2021+ project form, 2016-era project form, department form) × layout (tabs, pipes,
cell-per-line, spaces, run together, run together in a mirror's chunks) × style (元 units,
Traditional script, header-block orders, carried-down level labels, inline weights, placeholder
rows …) the test prints the form with `tests/template_printer.py`, reads it with the pipeline and
checks what a user sees: the main amounts (万元), the project (name, budget, executed, score),
every indicator row and the 总分 — equal to what the form prints.

Run-together printings (`glued`, `chunked`) have no separators: an indicator row whose target and
actual are two texts, or a value set whose digits cut more than one way, must be refused there
(nothing stored is fine, a wrong value is not); a mirror's chunk marker may cut a value in two,
which then cannot be read verbatim.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from extract import extract_facts
from pipeline.models import Facts, Number
from pipeline.readers import read_document
from tests.template_printer import AMBIGUOUS, FORMS, LAYOUTS, STYLES, Form, Style, as_printed, print_form, random_form

_RUN_TOGETHER = ("glued", "chunked")
#: Printings read only where the form's arithmetic pins every cell: a value may be left unread.
_PINNED_ONLY = ("chunked", "scattered")


def read(tmp_path: Path, text: str) -> Facts:
    """Facts of `text` saved as a .txt file."""
    path = tmp_path / "form.txt"
    path.write_text(text, encoding="utf-8")
    return extract_facts(read_document(path))


def _same(number: Number | None, printed: str) -> bool:
    return number is not None and abs(Decimal(str(number.value)) - Decimal(printed.rstrip("%"))) < Decimal("0.0001")


def _text(style: Style, text: str) -> str:
    return as_printed(style, text)


def expected_amounts(form: Form) -> dict[str, str]:
    """The main amounts the form prints (万元, rate in %)."""
    amounts = {"initial_budget": form.initial, "executed": form.executed, "execution_rate_pct": form.rate}
    if form.full_year:
        amounts["full_year_budget"] = form.full_year
    return amounts


def expected_indicators(form: Form, style: Style) -> list[tuple]:
    """(level1, level2, level3, target, actual, weight, score) of every row, as printed."""
    return [
        (_text(style, r.level1), _text(style, r.level2), _text(style, r.level3))
        + (_text(style, r.target), _text(style, r.actual), r.weight, r.score)
        for r in form.rows
    ]


def _indicator(i) -> tuple:
    weight = _plain(i.weight)
    score = _plain(i.score)
    return (i.level1, i.level2, i.level3, i.target, i.actual, weight, score)


def _plain(number: Number | None) -> str | None:
    return None if number is None else format(Decimal(str(number.value)).normalize(), "f")


def differences(facts: Facts, form: Form, style: Style, exact: bool, exact_rows: bool | None = None) -> list[str]:
    """What the facts get wrong about the form; with `exact` False, only values that are wrong
    (a value missing is no difference); `exact_rows` (default: `exact`) likewise for the indicator rows."""
    exact_rows = exact if exact_rows is None else exact_rows
    problems: list[str] = []
    primary = {a.key: a for a in facts.amounts if a.primary}
    for key, printed in expected_amounts(form).items():
        got = primary.get(key)
        if got is None:
            if exact:
                problems.append(f"amount {key} missing (expected {printed})")
        elif not _same(got.number, printed):
            problems.append(f"amount {key} = {got.number.value} (expected {printed})")
    if form.kind == "project2016" and "full_year_budget" in primary:
        got = primary["full_year_budget"].number.value
        if not _same(primary["full_year_budget"].number, form.initial):
            problems.append(f"amount full_year_budget = {got} (not printed)")
    problems += _project_differences(facts, form, style, exact)
    got_rows = [_indicator(i) for i in facts.indicators if i.table_kind == "form"]
    want_rows = expected_indicators(form, style)
    if exact_rows and got_rows != want_rows:
        problems.append(f"indicators {got_rows} != {want_rows}")
    elif not exact_rows:
        wrong = [row for row in got_rows if not any(_agrees(row, want) for want in want_rows)]
        if wrong:
            problems.append(f"wrong indicator rows {wrong}")
    total = facts.total_score  # a project form's 总分 is its project's score (checked there)
    if total is None:
        if exact and form.kind == "department":
            problems.append(f"total score missing (expected {form.total_score})")
    elif not _same(total.number, form.total_score):
        problems.append(f"total score {total.number.value} (expected {form.total_score})")
    return problems


def _agrees(got: tuple, want: tuple) -> bool:
    """Every field read agrees with the printed one (a missing field agrees)."""
    return all(g is None or g == w for g, w in zip(got, want, strict=True))


def _project_differences(facts: Facts, form: Form, style: Style, exact: bool) -> list[str]:
    if form.kind == "department":
        return [f"project {p.name} read from a department form" for p in facts.projects]
    budget = form.full_year or form.initial
    want = {"budget": budget, "executed": form.executed, "score": form.total_score}
    if not facts.projects:
        return ["project missing"] if exact else []
    problems = []
    project = facts.projects[0]
    if project.name != _text(style, form.name):
        problems.append(f"project name {project.name!r} (expected {form.name!r})")
    for name, printed in want.items():
        got = getattr(project, name)
        if got is None and exact:
            problems.append(f"project {name} missing (expected {printed})")
        elif got is not None and not _same(got, printed):
            problems.append(f"project {name} = {got.value} (expected {printed})")
    if len(facts.projects) > 1:
        problems.append(f"{len(facts.projects)} projects read from one form")
    return problems


def _variants() -> list:
    return [
        pytest.param(
            form,
            layout,
            style,
            id=f"{name}-{layout}-{style.tag}",
        )
        for name, form in FORMS.items()
        for layout in LAYOUTS
        for style in STYLES
    ]


@pytest.mark.parametrize(("form", "layout", "style"), _variants())
def test_form_read_back(tmp_path: Path, form: Form, layout: str, style: Style) -> None:
    """Every printing of a form reads back to the values it prints. Run together, an indicator
    row whose target and actual are two texts ("明显提升有所提升") cannot be cut: its row may be
    missing, but no row read may be wrong."""
    facts = read(tmp_path, print_form(form, layout, style))
    exact = layout not in _PINNED_ONLY  # a chunk marker may cut a value: it cannot be read verbatim
    exact_rows = layout not in (*_RUN_TOGETHER, *_PINNED_ONLY)
    assert differences(facts, form, style, exact=exact, exact_rows=exact_rows) == []


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.tag)
@pytest.mark.parametrize("name", ["project", "project_b", "project2016"])
def test_scattered_form_reads_back_exactly(tmp_path: Path, name: str, style: Style) -> None:
    """Printed out of reading order, a form whose rows carry no deviation text (one free text per
    row: its name) reads back whole: funds row, every indicator row with its levels, and 总分."""
    form = replace(FORMS[name], rows=tuple(replace(row, reason="") for row in FORMS[name].rows))
    facts = read(tmp_path, print_form(form, "scattered", style))
    assert differences(facts, form, style, exact=True) == []


def test_scattered_rows_that_do_not_add_up_are_not_read(tmp_path: Path) -> None:
    """A printed 总分 one point off its rows' scores plus the funds score: printed out of reading
    order, the value run is not pinned, so no row is read (and nothing read is wrong)."""
    form = FORMS["project"]
    form = replace(form, rows=tuple(replace(row, reason="") for row in form.rows), total_score="94.77")
    facts = read(tmp_path, print_form(form, "scattered", Style()))
    assert [i for i in facts.indicators if i.table_kind == "form"] == []
    assert differences(facts, form, Style(), exact=False) == []


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("form", AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
def test_ambiguous_values_never_wrong(tmp_path: Path, form: Form, layout: str) -> None:
    """Round values (100 | 100 | 100, weights equal to scores): separated printings read them
    exactly; run-together printings may refuse them but never store a wrong number."""
    style = Style()
    facts = read(tmp_path, print_form(form, layout, style))
    assert differences(facts, form, style, exact=layout not in _RUN_TOGETHER) == []


def _random_variants() -> list:
    params = []
    for seed in range(8):
        form = random_form(seed)
        style = Style(yuan="label") if seed % 2 else Style()
        for layout in LAYOUTS:
            params.append(pytest.param(form, layout, style, id=f"random{seed}-{form.kind}-{layout}"))
    return params


@pytest.mark.parametrize(("form", "layout", "style"), _random_variants())
def test_random_values_are_never_read_wrong(tmp_path: Path, form: Form, layout: str, style: Style) -> None:
    """Made-up value sets (glued weights that cut two ways, names and values run together …): what
    is read equals what is printed; a value left unread is allowed here, a wrong one is not."""
    facts = read(tmp_path, print_form(form, layout, style))
    assert differences(facts, form, style, exact=False) == []
