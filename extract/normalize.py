"""Text as the parsers match it, with a map back to the text as printed.

Mirror sites republish reports converted to Traditional characters with pinyin inserted after
some characters ("預(yù)算10萬元", "執(zhí)行率100%"), and Word/PDF conversions put single spaces inside
words ("绩 效评价", "救灾 资金"). The parsers' vocabulary is Simplified and unbroken, so running text
is normalised for matching only:

* Traditional → Simplified (OpenCC `t2s`, lengths never change) where the text is Traditional;
* an inserted pinyin run in brackets right after a Chinese character is dropped ("(yù)");
* a single space between two Chinese characters is dropped.

`normalize` returns the normalised text and, for each of its characters, the index of the
character it came from, so every span found in it maps back to a verbatim slice of the source.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

_HAN = "\u4e00-\u9fff"
# "(yù)", "(zhí)", "(jīng)": lower-case latin with at least one tone mark, or two+ plain letters
_PINYIN_RE = re.compile(
    r"(?<=[" + _HAN + r"])[(（](?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńň]|[a-z]{2})"
    r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńň]{1,6}[)）]"
)
_HAN_RE = re.compile(r"[" + _HAN + r"]")
_MIN_CHANGED = 2  # characters a conversion must change …
_TRADITIONAL_SHARE = 0.1  # … and this share of the Chinese characters, for the text to be Traditional
_INNER_SPACE_RE = re.compile(r"(?<=[" + _HAN + r"])[ \u3000\u00a0](?=[" + _HAN + r"])")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Simplified characters, same length as `text`, for text written in Traditional ones.

    Text that is already Simplified is returned as it is: OpenCC's phrase segmentation changes
    the odd Simplified character too ("审批覆盖率" → "审批复盖率"), so a text is converted only when
    a real share of its Chinese characters changes. Phrase conversions that would change the
    length fall back to converting character by character."""
    converted = _converter().convert(text)
    if len(converted) != len(text):
        converted = "".join(c if len(c := _converter().convert(ch)) == 1 else ch for ch in text)
    changed = sum(a != b for a, b in zip(text, converted, strict=True))
    han = len(_HAN_RE.findall(text))
    return converted if changed >= _MIN_CHANGED and changed >= _TRADITIONAL_SHARE * han else text


@lru_cache(maxsize=4)
def simplified_document(text: str) -> str:
    """`to_simplified` of a whole document's text, converted once per document: several
    recognisers match their words against it."""
    return to_simplified(text)


def normalize(text: str) -> tuple[str, list[int]]:
    """The matching form of `text` and, per character of it, its index in `text`."""
    keep = [True] * len(text)
    for pattern in (_PINYIN_RE, _INNER_SPACE_RE):
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                keep[i] = False
    index = [i for i, k in enumerate(keep) if k]
    simplified = to_simplified(text)
    return "".join(simplified[i] for i in index), index
