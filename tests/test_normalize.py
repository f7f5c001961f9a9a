"""Matching form of running text: Simplified, no pinyin noise, no spaces inside words; every
character maps back to the printed text."""

from extract.normalize import normalize


def test_traditional_with_pinyin_reads_as_simplified_and_maps_back():
    printed = "預(yù)算10萬元,執(zhí)行率100%"
    text, index = normalize(printed)
    assert text == "预算10万元,执行率100%"
    start = text.index("执行率")
    assert printed[index[start] : index[start + 6] + 1] == "執(zhí)行率100%"


def test_form_column_letters_are_not_pinyin():
    assert normalize("預算數(A)")[0] == "预算数(A)"


def test_single_space_inside_a_word_is_dropped_runs_of_spaces_stay():
    assert normalize("救灾 资金9805万元  发布机构")[0] == "救灾资金9805万元  发布机构"


def test_simplified_text_is_not_converted():
    assert normalize("抵押登记不见面审批覆盖率达到100%")[0] == "抵押登记不见面审批覆盖率达到100%"
