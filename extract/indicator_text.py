"""Indicator paragraphs of the narrative, as indicator rows of their own.

Many reports go through their indicators one paragraph each, restating what the form says:

    （11） 时效指标“审批环节减少数量（个）”（2分）和“办结时限（工作日）”（2分）：年初绩效目标值分别
    2-3个环节和3-5个工作日。经核查，……两个时效指标均完成，各得2分。

Each quoted indicator becomes an `Indicator` with `table_kind="narrative"`: 三级指标 (the quoted
name), 分值 (the weight after it), 年度指标值 (the text after 年初（绩效）目标值; with 分别 the parts are
given to the names in order) and 得分 (the first 得X分 / 各得X分 after the target). The actual is free text
and is left out. 二级指标 is the kind before the quote (数量指标); 一级指标 comes from the last section
heading (1、产出指标完成情况分析). Every field keeps its own span, so a restatement that disagrees with
the form points at both places. The rows share one `table_seq`, after the document's tables.
"""

from __future__ import annotations

import re

from extract.numbers import first_number, normalize_digits
from extract.paragraphs import NUMBERING, Paragraph, starts_heading
from extract.prov import span_prov
from pipeline.models import Document, Indicator, Number, Provenance

_WEIGHT = r"[（(]\s*(?P<weight>\d+(?:\.\d+)?)\s*分\s*[)）]"
# one quoted indicator with its weight; the name may hold quotes of its own (““多规合一”村庄规划”)
_NAMED = re.compile(r"[“\"](?P<name>.+?)[”\"]\s*" + _WEIGHT)
_HEAD = re.compile(
    NUMBERING
    + r"(?P<kind>[\u4e00-\u9fff]{0,8}?指标)\s*(?P<names>(?:[“\"].+?[”\"]\s*"
    + _WEIGHT.replace("?P<weight>", "?:")
    + r"\s*[和、及与]?\s*)+)[:：]"
)
_TARGET = re.compile(r"年初(?:绩效)?目标值?\s*(?:分别)?\s*(?:为|是)?\s*(?:分别)?\s*(?P<text>[^。；;，,]+)")
_PARTS = re.compile(r"\s*(?:和|及|与|、)\s*")
_SCORE = re.compile(r"得分?\s*(?:为)?\s*(?P<score>\d+(?:\.\d+)?)\s*分")
_MAX_CONTINUATION = 2
_SECTION = re.compile(NUMBERING + r"(?P<level1>[\u4e00-\u9fff]{1,6}指标)(?:完成情况|情况|分析)")


def narrative_indicators(doc: Document, paras: list[Paragraph], table_seq: int) -> list[Indicator]:
    """The indicator rows the narrative states, in reading order."""
    rows: list[Indicator] = []
    level1: str | None = None
    for k, para in enumerate(paras):
        text = normalize_digits(para.text)
        head = _HEAD.match(text)
        if head is None:
            if section := _SECTION.match(text):
                level1 = section.group("level1")
            continue
        score = _first_score(doc, [para, *_continuation(paras, k)], head.end())
        rows.extend(_rows(doc, para, text, head, score, level1, table_seq, first_row=len(rows)))
    return rows


def _continuation(paras: list[Paragraph], k: int) -> list[Paragraph]:
    """The paragraphs after paras[k] up to the next numbered heading (a page or line break can end
    an indicator's paragraph before its 得分 sentence)."""
    following = []
    for para in paras[k + 1 : k + 1 + _MAX_CONTINUATION]:
        if starts_heading(para.text):
            break
        following.append(para)
    return following


def _rows(
    doc: Document,
    para: Paragraph,
    text: str,
    head: re.Match,
    score: tuple[Number, Provenance] | None,
    level1: str | None,
    table_seq: int,
    first_row: int,
) -> list[Indicator]:
    named = list(_NAMED.finditer(text, head.start("names"), head.end("names")))
    targets = _targets(text, head.end(), len(named))
    rows = []
    for i, match in enumerate(named):
        cells = {
            "level2": _prov(doc, para, head.start("kind"), head.end("kind")),
            "level3": _prov(doc, para, match.start("name"), match.end("name")),
            "weight": _prov(doc, para, match.start("weight"), match.end("weight")),
        }
        target = targets[i] if targets else None
        if target:
            cells["target"] = _prov(doc, para, *target)
        if score:
            cells["score"] = score[1]
        rows.append(
            Indicator(
                table_seq=table_seq,
                table_kind="narrative",
                row_seq=first_row + i,
                level1=level1,
                level2=head.group("kind"),
                level3=match.group("name").strip(),
                target=para.text[slice(*target)] if target else None,
                weight=first_number(match.group("weight")),
                score=score[0] if score else None,
                prov=_prov(doc, para, 0, len(para.text)),
                cells=cells,
            )
        )
    return rows


def _targets(text: str, start: int, count: int) -> list[tuple[int, int]]:
    """The span of each indicator's target: the whole text for one indicator, else its parts in
    order (None of them when the parts do not match the names one to one)."""
    match = _TARGET.search(text, start)
    if match is None:
        return []
    begin, end = match.span("text")
    if count == 1:
        return [(begin, end)]
    spans, position = [], begin
    for separator in _PARTS.finditer(text, begin, end):
        spans.append((position, separator.start()))
        position = separator.end()
    spans.append((position, end))
    return spans if len(spans) == count else []


def _first_score(doc: Document, paras: list[Paragraph], start: int) -> tuple[Number, Provenance] | None:
    """The first 得X分 after the head, in the indicator's paragraph or the ones continuing it (the
    first, not the last: a paragraph run into the section's summary ends with the section's 得分)."""
    for para, begin in zip(paras, [start] + [0] * (len(paras) - 1), strict=True):
        match = _SCORE.search(normalize_digits(para.text), begin)
        if match:
            return first_number(match.group("score")), _prov(doc, para, *match.span("score"))
    return None


def _prov(doc: Document, para: Paragraph, i: int, j: int) -> Provenance:
    return span_prov(doc, *para.span(i, j))
