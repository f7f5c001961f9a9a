"""The template vocabulary: declared words and the OCR-scrambled header titles."""

from __future__ import annotations

from extract.vocabulary import scrambled_titles


def test_a_header_title_with_its_characters_out_of_order_is_that_column() -> None:
    # OCR interleaves the two printed lines of 参考分值 / 全年完成值
    assert scrambled_titles("三级指标考值参分指标值") == [(4, 8, "weight")]
    assert scrambled_titles("\0\0\0\0\0年成值全完值得分") == [(5, 11, "actual")]


def test_the_title_in_order_or_ordinary_text_is_not_scrambled() -> None:
    assert scrambled_titles("参考分值") == []
    assert scrambled_titles("全年完成了预算值的分配") == []
