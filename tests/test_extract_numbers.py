"""Number parsing and cell normalisation: what a printed value becomes in the stored unit."""

from __future__ import annotations

import pytest

from extract.cells import cell_number, clean, split_weight
from extract.numbers import find_numbers, money, parse_number, to_number


def test_full_width_digits_and_point() -> None:
    match = parse_number("１２３４．５６")
    assert match is not None
    assert (match.value, match.decimals) == (1234.56, 2)


def test_thousands_separators_and_decimals() -> None:
    match = parse_number("56,306,300.00")
    assert match is not None
    assert (match.value, match.decimals) == (56306300.0, 2)


def test_yuan_converted_to_wanyuan_with_scale() -> None:
    number = money(parse_number("59,236,262.25"), "元")
    assert number.value == pytest.approx(5923.626225)
    assert number.scale == 1e-4
    assert number.half_width == pytest.approx(0.5e-6)


@pytest.mark.parametrize(
    ("text", "unit", "value"), [("2000", "万", 2000), ("20.08", "亿元", 200800), ("1.5", "万元", 1.5)]
)
def test_wan_and_yi_multipliers(text: str, unit: str, value: float) -> None:
    assert money(parse_number(text), unit).value == pytest.approx(value)


def test_decimals_give_the_interval() -> None:
    number = to_number(parse_number("95.60"))
    assert number.decimals == 2
    assert number.interval == pytest.approx((95.595, 95.605))


def test_numbers_in_running_text_with_spans() -> None:
    text = "守住44.02万亩耕地、38.16万亩永久基本农田，水田规模-17.1466公顷"
    found = find_numbers(text)
    assert [m.value for m in found] == [44.02, 38.16, -17.1466]
    assert all(text[m.start : m.end] == m.text for m in found)


def test_cell_number_reads_numeric_cells_only() -> None:
    assert cell_number("\u30002").value == 2
    assert cell_number("10分").value == 10
    assert cell_number("95.60%").value == 95.6
    assert cell_number("1\n0").value == 10  # digits wrapped in a narrow PDF cell
    assert cell_number("不超出740.00万元") is None
    assert cell_number("2-3") is None


def test_vertical_labels_are_joined_and_tags_removed() -> None:
    assert clean("产\n出\n指\n标 ") == "产出指标"
    assert clean("经济效\n益指标") == "经济效益指标"
    assert clean("<p>全面实施耕地保护专项行动</p>") == "全面实施耕地保护专项行动"
    assert clean("\u3000机关8个股室及9个二级机构") == "机关8个股室及9个二级机构"
    assert clean("\u3000") is None


@pytest.mark.parametrize(
    ("raw", "name", "weight"),
    [
        ("产出指标\n(50分)", "产出指标", 50),
        ("效益指标 (40分)", "效益指标", 40),
        ("效益指标\n\n（30分）\n\u3000", "效益指标", 30),
        ("数量指标（21）", "数量指标", 21),
        ("拓展发展空间面积（平方公里）（3分）", "拓展发展空间面积（平方公里）", 3),
        ("经济效益\n指标）", "经济效益指标）", None),
        ("满意度指标", "满意度指标", None),
    ],
)
def test_weight_annotations_are_moved_out_of_names(raw: str, name: str, weight: float | None) -> None:
    stripped, number = split_weight(clean(raw))
    assert stripped == name
    assert (number.value if number else None) == weight
