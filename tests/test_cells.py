"""Cell text as the form parsers match it (extract/cells.py)."""

from __future__ import annotations

from extract.cells import cell_number, words


def test_words_are_matched_in_simplified_characters() -> None:
    assert words("全年執行數") == "全年执行数"
    assert words("總 分") == "总分"  # one changed character is enough in a cell


def test_words_leave_simplified_text_as_it_is() -> None:
    assert words("审批覆盖率\n（10分）") == "审批覆盖率（10分）"
    assert words(None) == ""


def test_numbers_with_full_width_signs_are_numbers() -> None:
    number = cell_number("97.68％")
    assert number is not None and number.value == 97.68


def test_words_leave_a_mirrors_chunk_marker_out() -> None:
    assert words("一级\n\n3、指标") == "一级指标"
