"""The figures a 部门预算 / 部门决算 情况说明 states, each tied to the label it states them about.

The narrative outside the tables is read with line breaks removed (a figure often wraps: "307.82
\\n万元"), sentence by sentence (。；), clause by clause (，：). A clause "<label>X万元" states an
amount of the label; "年初预算为X万元" / "全年预算为X万元" a budget of the current subject;
"增加/减少X万元" and "增长/下降Y%" a change of it, "占Y%" its share, "完成年初预算的Y%" its
completion rate, and "持平" no change. The subject is the latest labelled amount, or the 科目 path
heading an item ("1、一般公共服务支出（类）财政事务（款）行政运行（项）。"). Each figure keeps the
narrative section heading's table kind (一、收入支出决算总体情况说明 → summary) so a short label
(基本支出, 人员经费) can be tied to the right table.
"""

from __future__ import annotations

import re

from extract import disclosure_vocabulary as vocab
from extract.numbers import find_numbers, to_number
from extract.prov import span_prov
from pipeline.models import DisclosureFigure, Document

#: Full-width digits, point and percent sign (not the comma: it separates clauses).
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_NUM = r"\d[\d,]*(?:\.\d+)?"
_TOKEN = re.compile(
    rf"(?P<amount>{_NUM})万元"
    rf"|(?:比(?P<cmpbase>[^，。；]{{0,20}}?))?(?P<chg>增加|减少|增长|下降|上升|降低)(?P<chgnum>{_NUM})(?P<chgunit>万元|%)"
    rf"|占(?P<sharebase>[^，。；\d]{{0,20}}?)的?(?P<sharenum>{_NUM})%"
    rf"|完成(?P<ratebase>年初预算|全年预算|调整预算|预算)数?的(?P<ratenum>{_NUM})%"
    r"|(?P<vs>决算数?(?:(?P<vsdir>小于|大于|低于|高于|超过)(?:年初|全年|调整)?预算数?|与(?:年初|全年|调整)?预算数?(?P<vsabout>基本)?持平))"
    r"|(?P<flat>持平)"
)
_ITEM_PATH = re.compile(r"(?:^|[:：])[（(]?\d+[、.）)](?P<path>(?:[^（）。，]+（\d*(?:类|款|项)）)+)")
_ITEM_LIST = re.compile(rf"(?P<label>[^，。；：、\d]{{2,16}}?){_NUM}万元[，,]?(?:主要)?包括[:：](?P<list>[^；。]+)")
_PATH_CODE = re.compile(r"（\d+(类|款|项)）")
_LEADING = re.compile(r"^(?:其中|主要用于以下方面|与\d{4}年度?相比|比\d{4}年度?|较上一?年?度?)")
_YEAR_PREFIX = re.compile(r"^.*?\d{4}年度?")
#: Lines that head a part, section or sub-section: the narrative reads them as sentence ends.
_HEADING_LINE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]部分)|说明$"
)


def narrative_text(doc: Document) -> tuple[str, list[int]]:
    """The text outside tables with whitespace removed, and each kept character's offset."""
    spans = sorted(
        (t.char_start, t.char_end) for t in doc.tables if t.char_start is not None and t.char_end is not None
    )
    chars: list[str] = []
    offsets: list[int] = []
    i, s = 0, 0
    text = doc.text
    skipped = _table_like_lines(text)
    while i < len(text):
        if i in skipped:
            i = skipped[i]
            continue
        while s < len(spans) and spans[s][1] <= i:
            s += 1
        if s < len(spans) and spans[s][0] <= i < spans[s][1]:
            i = spans[s][1]
            continue
        if text[i] == "\n" and chars and _is_heading(text[max(text.rfind("\n", 0, i), text.rfind("\f", 0, i)) + 1 : i]):
            chars.append("。")
            offsets.append(i)
        elif not text[i].isspace():
            chars.append(text[i].translate(_FULL_WIDTH))
            offsets.append(i)
        i += 1
    return "".join(chars), offsets


def _is_heading(line: str) -> bool:
    """A heading line (一、… 说明, （二）…情况): short, no clause punctuation, read as a sentence end."""
    line = line.strip()
    return len(line) <= HEADING_MAX and not re.search(r"[，。；]", line) and bool(_HEADING_LINE.search(line))


#: The longest line read as a heading.
HEADING_MAX = 40


def _table_like_lines(text: str) -> dict[int, int]:
    """Start → end of the lines that are no narrative: rows of a table the reader did not rule
    (cells separated by tabs) and bare page numbers, which would glue onto the next figure."""
    skipped: dict[int, int] = {}
    offset = 0
    for line in text.splitlines(keepends=True):
        if "\t" in line or re.fullmatch(r"\s*\d{1,3}\s*", line):
            skipped[offset] = offset + len(line)
        offset += len(line)
    return skipped


def section_starts(doc: Document) -> list[tuple[int, str]]:
    """(offset, table kind) of each narrative section heading (一、…说明), in order."""
    starts: list[tuple[int, str]] = []
    offset = 0
    for line in doc.text.splitlines(keepends=True):
        m = vocab.SECTION_HEADING.match(line.strip())
        if m:
            title = m.group("title")
            kind = next((k for word, k in vocab.SECTION_KINDS if word in title), "")
            starts.append((offset, kind))
        offset += len(line)
    return starts


def extract_disclosure_figures(doc: Document) -> list[DisclosureFigure]:
    """Every figure the narrative states, with its label, section and provenance."""
    text, offsets = narrative_text(doc)
    sections = section_starts(doc)
    figures: list[DisclosureFigure] = []
    subject = ""
    for n, sentence in enumerate(re.finditer(r"[^。；]+", text)):
        body = sentence.group(0)
        first = len(figures)
        clause_start = sentence.start()
        if item := _ITEM_PATH.search(body):
            subject = _PATH_CODE.sub(r"（\1）", item.group("path"))
            body, clause_start = body[item.end() :], clause_start + item.end()
        if body.startswith("主要用于") and subject.endswith("（项）"):
            lo, hi = offsets[sentence.start()], offsets[sentence.end() - 1] + 1
            figures.append(DisclosureFigure(kind="purpose", label=subject, base=body, prov=span_prov(doc, lo, hi)))
            continue
        for clause in re.finditer(r"[^，：、]+", body):
            start = clause_start + clause.start()
            subject = _clause_figures(doc, clause.group(0), start, offsets, sections, subject, figures)
        for m in _ITEM_LIST.finditer(body):
            lo, hi = offsets[sentence.start() + m.start()], offsets[sentence.start() + m.end() - 1] + 1
            label = _label(m.group("label"))
            figures.append(
                DisclosureFigure(kind="items", label=label, base=m.group("list"), prov=span_prov(doc, lo, hi))
            )
        for figure in figures[first:]:
            figure.sentence = n
    return figures + _procurement_figures(doc, text, offsets) + _name_figures(doc, text, offsets)


def _name_figures(doc: Document, text: str, offsets: list[int]) -> list[DisclosureFigure]:
    """Every printing of the department's name before a year (cover, table headers, narrative)."""
    figures = []
    for m in vocab.DEPARTMENT_NAME.finditer(text):
        prov = span_prov(doc, offsets[m.start("name")], offsets[m.end("name") - 1] + 1)
        figures.append(DisclosureFigure(kind="name", label=m.group("name"), section="", prov=prov))
    return figures


def _procurement_figures(doc: Document, text: str, offsets: list[int]) -> list[DisclosureFigure]:
    """The amounts SMEs won in reserved and in other 政府采购 projects, labelled by which."""
    figures = []
    for m in vocab.PROCUREMENT_SME.finditer(text):
        prov = span_prov(doc, offsets[m.start()], offsets[m.end() - 1] + 1)
        label = f"{m.group('where')}政府采购项目中小企业中标金额"
        figures.append(_figure("amount", label, "procurement", "", m.group("num"), prov))
    return figures


def _section_of(sections: list[tuple[int, str]], offset: int) -> str:
    kind = ""
    for start, k in sections:
        if start > offset:
            break
        kind = k
    return kind


def _clause_figures(
    doc: Document,
    clause: str,
    start: int,
    offsets: list[int],
    sections: list[tuple[int, str]],
    subject: str,
    out: list[DisclosureFigure],
) -> str:
    """The figures of one clause appended to `out`; returns the subject after the clause."""
    for m in _TOKEN.finditer(clause):
        lo, hi = offsets[start + m.start()], offsets[start + m.end() - 1] + 1
        prov = span_prov(doc, lo, hi)
        section = _section_of(sections, lo)
        if m.group("amount"):
            label = _label(clause[: m.start()])
            kind, base = "amount", ""
            for word, which in vocab.BUDGET_WORDS:
                if label.endswith(word):
                    label = label[: -len(word)] or subject
                    kind, base = ("budget", which) if which != "final" else ("amount", "final")
                    break
            subject = label = label or subject
            out.append(_figure(kind, label, section, base, m.group("amount"), prov))
        elif m.group("chg"):
            sign = vocab.CHANGE_WORDS[m.group("chg")]
            own = _label(clause[: m.start()])
            kind = "change" if m.group("chgunit") == "万元" else "change_pct"
            base = m.group("cmpbase") or ""
            figure = _figure(kind, own or subject, section, base, m.group("chgnum"), prov, sign)
            figure.inherited = not own
            out.append(figure)
        elif m.group("sharenum"):
            out.append(_figure("share_pct", subject, section, m.group("sharebase"), m.group("sharenum"), prov))
        elif m.group("ratenum"):
            base = next((w for word, w in vocab.RATE_BASES if word == m.group("ratebase")), "budget")
            out.append(_figure("rate_pct", subject, section, base, m.group("ratenum"), prov))
        elif m.group("vs"):
            said = vocab.VS_BUDGET_WORDS.get(m.group("vsdir") or "", "about" if m.group("vsabout") else "flat")
            out.append(DisclosureFigure(kind="vs_budget", label=subject, section=section, base=said, prov=prov))
        elif m.group("flat"):
            own = _label(clause[: m.start()])
            out.append(DisclosureFigure(kind="flat", label=own or subject, section=section, prov=prov))
    return subject


def _label(prefix: str) -> str:
    """The label a clause states a figure about: its words before the figure, without the
    department-and-year prefix, a leading 其中/与2023年度相比, and a trailing 为."""
    label = _YEAR_PREFIX.sub("", prefix) if re.search(r"\d{4}年", prefix) else prefix
    label = _PATH_CODE.sub(r"（\1）", _LEADING.sub("", label))
    label = re.sub(r"(?:为|是|达|共计|合计为)$", "", label)
    return label.replace("“", "").replace("”", "")


def _figure(kind: str, label: str, section: str, base: str, printed: str, prov, sign: int = 1) -> DisclosureFigure:
    number = to_number(find_numbers(printed)[0])
    if sign < 0:
        number = number.model_copy(update={"value": -number.value})
    return DisclosureFigure(kind=kind, label=label, section=section, base=base, number=number, prov=prov)  # type: ignore[arg-type]
