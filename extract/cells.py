"""Cell text normalisation for form tables.

* `clean` removes `<p>` tags, full-width spaces, line breaks (vertical labels 产\\n出\\n指\\n标
  become 产出指标) and spaces between two Chinese characters (a name a PDF wrapped inside its cell,
  合同完成 率), and strips surrounding whitespace; an empty result is None.
* `words` is a cell's text as the vocabulary matches it: cleaned, without whitespace, in Simplified
  characters (a form printed in Traditional ones matches the same words; stored values stay as printed).
* `split_weight` moves a trailing weight annotation ("产出指标（50分）", "(40分)", "（21）", "（3分）")
  out of a name.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

from extract.numbers import NumMatch, find_numbers, normalize_digits
from extract.paragraphs import BOOKMARK
from extract.vocabulary import CHUNK_MARKER

_TAG_RE = re.compile(r"</?p\s*>", re.IGNORECASE)
_CJK_GAP_RE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]+(?=[\u4e00-\u9fff])")
_WEIGHT_RE = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]\s*$")


def clean(text: str | None) -> str | None:
    """Normalised cell text, or None for an empty cell."""
    if text is None:
        return None
    text = _TAG_RE.sub("", text)
    text = text.replace("\u3000", "").replace("\xa0", " ")
    text = re.sub(r"\s*\n\s*", "", text)
    text = _CJK_GAP_RE.sub("", text)
    text = re.sub(BOOKMARK, "", text).strip()
    return text or None


def words(text: str | None) -> str:
    """The cell's text for matching the template's words: without a mirror's chunk markers
    (一级\n\n3、指标), cleaned, no whitespace, Simplified ('' when empty). A cell is too short to
    tell its script by, so every Traditional character is converted."""
    return _simplified(re.sub(r"\s+", "", clean(CHUNK_MARKER.sub("", text or "")) or ""))


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def _simplified(text: str) -> str:
    """Character by character (the length stays), so no phrase rule rewrites a Simplified word."""
    return "".join(c if len(c := _converter().convert(ch)) == 1 else ch for ch in text)


def split_weight(name: str | None) -> tuple[str | None, NumMatch | None]:
    """('产出指标', 50) from '产出指标（50分）'; the name unchanged and None without annotation."""
    if not name:
        return name, None
    m = _WEIGHT_RE.search(name)
    if not m:
        return name, None
    number = find_numbers(m.group(1))[0]
    return name[: m.start()].strip() or None, number


def cell_number(text: str | None) -> NumMatch | None:
    """The number of a numeric cell ('10', '　2', '10分', '95.60%'); None for text cells."""
    if not text:
        return None
    body = normalize_digits(clean(text) or "")  # full-width digits and ％ as printed by many forms
    if not re.fullmatch(r"-?[\d.,]+\s*(分|%|万元|元)?", body):
        return None
    found = find_numbers(body)
    return found[0] if len(found) == 1 else None
