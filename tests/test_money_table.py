"""Tables that itemise money by recipient or use → line items (extract/money_table.py)."""

from __future__ import annotations

from pathlib import Path

from extract import extract_facts
from pipeline.models import Facts
from pipeline.readers import read_document


def _facts(tmp_path: Path, text: str) -> Facts:
    path = tmp_path / "table.txt"
    path.write_text(text, encoding="utf-8")
    return extract_facts(read_document(path))


def _items(facts: Facts) -> list[tuple[str, str, float, str]]:
    return [(i.parent, i.name, i.number.value, i.prov.raw) for i in facts.line_items]


def test_a_product_column_is_in_wan_yuan_when_the_arithmetic_says_so(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "序号 | 培训机构 | 补助标准(元/人) | 合格人数 | 补助资金 |\n"
        "① | ② | ③ | ④ | ⑤=③*④ |\n"
        "1 | 某某职业培训学校 | 2600 | 842 | 218.92 |\n"
        "2 | 某某技工学校 | 2600 | 900 | 234 |\n",
    )
    assert _items(facts) == [
        ("补助资金(⑤=③*④)", "某某职业培训学校", 218.92, "218.92"),
        ("补助资金(⑤=③*④)", "某某技工学校", 234, "234"),
    ]


def test_a_unit_in_the_header_is_used_and_the_total_row_is_not_an_item(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "序号 | 资金用途 | 金额(元) |\n1 | 购置设备 | 12000 |\n2 | 人员培训 | 3500.5 |\n合计 | 合计 | 15500.5 |\n",
    )
    assert [(name, value) for _, name, value, _ in _items(facts)] == [("购置设备", 1.2), ("人员培训", 0.35005)]


def test_a_money_column_of_unknown_unit_is_not_read(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "序号 | 培训机构 | 合格人数 | 补助资金 |\n1 | 某某职业培训学校 | 842 | 218.92 |\n2 | 某某技工学校 | 900 | 234 |\n",
    )
    assert facts.line_items == []


def test_a_formula_the_values_do_not_satisfy_gives_no_unit(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        "序号 | 培训机构 | 补助标准(元/人) | 合格人数 | 补助资金 |\n"
        "① | ② | ③ | ④ | ⑤=③*④ |\n"
        "1 | 某某职业培训学校 | 2600 | 842 | 218.92 |\n"
        "2 | 某某技工学校 | 2600 | 900 | 240 |\n",
    )
    assert facts.line_items == []
