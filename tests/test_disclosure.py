"""部门决算 disclosures (tests/fixtures/real-pdfs): the standard tables are recognised, their cells
carry label, code and column, and the rules find every high and medium hand-checked
inconsistency (8), with rounding differences as info."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import extract_facts
from extract.disclosure import clean_label, table_kind
from pipeline.models import Facts, Finding
from validate import validate

REAL = Path(__file__).resolve().parent / "fixtures" / "real-pdfs"
STEMS = ("putuo_ghzy_2024_juesuan", "putuo_czj_2024_juesuan", "putuo_shgzb_2024_juesuan")
KINDS = [
    "summary",
    "income",
    "expenditure",
    "fiscal_summary",
    "gp_expenditure",
    "gp_basic",
    "three_public",
    "gov_fund",
    "state_capital",
]

#: The hand-checked high and medium inconsistencies: (file, rule, two values the finding cites).
EXPECTED = [
    ("putuo_ghzy_2024_juesuan", "disclosure_narrative_vs_table", (5377.64, 5364.75)),
    ("putuo_ghzy_2024_juesuan", "disclosure_department_name", (7, 1)),
    ("putuo_czj_2024_juesuan", "disclosure_narrative_vs_table", (0.3, 2961.68)),
    ("putuo_czj_2024_juesuan", "disclosure_flat", (2961.68, 3003.19)),
    ("putuo_czj_2024_juesuan", "disclosure_share", (2106.66, 71.73)),
    ("putuo_shgzb_2024_juesuan", "disclosure_zero_base", (0, 95.89)),
    ("putuo_shgzb_2024_juesuan", "disclosure_subject_purpose", (17.70, 2210201)),
    ("putuo_shgzb_2024_juesuan", "disclosure_procurement", (21.07, 42.14)),
]

#: Low-severity gold items the rules find (all 8; the name variant is cited by its pages).
LOW = [
    ("putuo_ghzy_2024_juesuan", "disclosure_subject_name", (0.88, 2080599)),
    ("putuo_ghzy_2024_juesuan", "disclosure_subject_name", (45.00, 2200199)),
    ("putuo_ghzy_2024_juesuan", "disclosure_subject_name", (289.59, 22102)),
    ("putuo_ghzy_2024_juesuan", "disclosure_item_list", (30103, 0)),
    ("putuo_ghzy_2024_juesuan", "disclosure_department_name", (26, 1)),
    ("putuo_czj_2024_juesuan", "disclosure_item_list", (0.31, 30309)),
    ("putuo_czj_2024_juesuan", "disclosure_purpose_split", (10.00, 2010602)),
    ("putuo_shgzb_2024_juesuan", "disclosure_item_list", (30207, 0)),
]


@pytest.fixture(scope="module")
def checked() -> dict[str, tuple[Facts, list[Finding]]]:
    from pipeline.readers import read_document

    out = {}
    for stem in STEMS:
        facts = extract_facts(read_document(REAL / f"{stem}.pdf"))
        out[stem] = (facts, validate(facts))
    return out


def test_titles_name_the_kind() -> None:
    assert table_kind("财政拨款收入支出决算总表\n单位：万元") == ("fiscal_summary", "财政拨款收入支出决算总表")
    assert table_kind("收入支出决算总表")[0] == "summary"
    assert table_kind("2026年部门财务收支预算总表")[0] == "summary"
    assert table_kind("2026年部门一般公共预算支出功能分类预算表")[0] == "gp_expenditure"
    assert table_kind("一般公共预算财政拨款基本支出决算表")[0] == "gp_basic"
    assert clean_label("八、社会保障和就业\n支出") == "社会保障和就业支出"


def test_every_standard_table_recognised(checked) -> None:
    for stem, (facts, _) in checked.items():
        kinds = []
        for c in facts.disclosure_cells:
            if c.table_kind not in kinds:
                kinds.append(c.table_kind)
        assert set(kinds) >= set(KINDS) - {"gov_fund", "state_capital", "three_public"}, stem


def test_cells_carry_code_label_column(checked) -> None:
    facts, _ = checked["putuo_czj_2024_juesuan"]
    cell = next(c for c in facts.disclosure_cells if c.table_kind == "expenditure" and c.code == "2010601")
    assert (cell.row_label, cell.column_key, cell.number.value, cell.prov.page) == ("行政运行", "total", 1511.89, 10)
    total = next(c for c in facts.disclosure_cells if c.table_kind == "fiscal_summary" and c.row_key == "grand_total")
    assert (total.number.value, total.prov.page, total.prov.raw) == (2961.68, 13, "2,961.68")


def test_the_eight_high_and_medium_inconsistencies_and_most_low_ones(checked) -> None:
    for stem, rule_id, values in EXPECTED + LOW:
        findings = [f for f in checked[stem][1] if f.rule == rule_id]
        assert any(all(any(abs(v - x) < 0.005 for x in f.values) for v in values) for f in findings), (stem, rule_id)


def test_rounding_is_info_and_errors_are_gold(checked) -> None:
    for stem, (_, findings) in checked.items():
        disclosure = [f for f in findings if f.rule.startswith("disclosure") or f.rule == "rounding"]
        assert any(f.rule == "rounding" and f.severity == "info" for f in disclosure), stem
        errors = [f for f in disclosure if f.severity == "error"]
        assert len(errors) == {"putuo_ghzy_2024_juesuan": 2, "putuo_czj_2024_juesuan": 3}.get(stem, 2), stem
