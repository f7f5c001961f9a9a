"""Print the national 绩效自评 forms the ways the web prints them (for robustness tests).

A form is described declaratively (`Form`: its kind, header block, funds block, goals, indicator
rows and 总分, every value as printed in 万元); `grid` lays it out as the form's rows of cells, and
`print_form` flattens those rows the way a web page, a converter or a mirror site does:

* `html`        a web page's `<table>`, merged cells as rowspans;
* `tabs`        one row per line, cells separated by tabs (a .docx saved as text);
* `pipes`       one row per line, `| a | b |` (a Markdown-like export);
* `cell_lines`  one cell per line ending with a pipe (an empty cell is a lone ` |`);
* `spaces`      cells separated by spaces, the indicator header's level labels printed vertically
  (`一级\\n指标`) and the level labels of a row one fragment per line above it (PDF text);
* `glued`       every cell run together without separators (a mirror's text extraction);
* `chunked`     glued, cut by a mirror's chunk markers (`\\n\\n2、`) every so many characters;
* `scattered`   cells separated by spaces in the order a PDF text layer may draw them: labels after
  their values, the 执行率 away from its row, the indicator rows' values as one run before
  their level labels and names.

`Style` adds the variations that are not a layout: amounts in 元 (`单位：元` above the form or
`项目资金(元)` in it), Traditional script (OpenCC s2t), the header block in another order,
level-1/level-2 labels printed once per group (merged cells, carried down) or on every row,
weights inline in the level-1 label (`产出指标(50分)`), and template placeholder rows
(`指标2`, `……`).

The values are made up but realistic; `Form.expected_*` say what a reader must find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

import opencc

FormKind = Literal["project", "project2016", "department"]
LAYOUTS = ("html", "tabs", "pipes", "cell_lines", "spaces", "glued", "chunked", "scattered")


@dataclass(frozen=True)
class Row:
    """One indicator row as printed (target / actual as text, weight / score as numbers)."""

    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    weight: str
    score: str
    reason: str = ""


@dataclass(frozen=True)
class Form:
    """A self-evaluation form: everything it prints, amounts in 万元 as printed."""

    kind: FormKind
    year: int
    name: str  # the project (project forms) or the department (department form)
    supervisor: str
    implementer: str
    manager: str
    initial: str
    full_year: str  # not printed by the 2016-era form
    executed: str
    funds_weight: str
    rate: str  # the 执行率 as printed, with its %
    funds_score: str
    sources: tuple[tuple[str, str, str, str], ...]  # (label, initial, full_year, executed)
    goal: str
    goal_done: str
    rows: tuple[Row, ...]
    total_score: str

    @property
    def level1_weights(self) -> dict[str, str]:
        """Each level-1 name's weight: the sum of its rows' weights."""
        sums: dict[str, Decimal] = {}
        for row in self.rows:
            sums[row.level1] = sums.get(row.level1, Decimal(0)) + Decimal(row.weight)
        return {name: _plain(value) for name, value in sums.items()}


@dataclass(frozen=True)
class Style:
    """How a form is printed besides its layout."""

    yuan: Literal["", "above", "label"] = ""  # amounts in 元: '单位：元' above the form, or '项目资金(元)'
    traditional: bool = False
    header_order: Literal["standard", "manager_first", "one_per_line"] = "standard"
    merged_levels: bool = True  # level-1/2 labels only in a group's first row
    inline_weights: bool = False  # '产出指标(50分)'
    placeholders: bool = False  # template rows '指标2' / '……' left unfilled
    title_variant: Literal["standard", "year_in_title"] = "standard"
    thousands: bool = False  # amounts with thousands separators (1,205,000.00)
    lettered: bool = False  # column letters and ratios (年初预算数（A） … 执行率（C/B）), labels with colons
    vertical: bool = True  # `spaces`: level labels one fragment per line (else inline in their row)
    fullwidth: bool = False  # full-width percent signs (97.68％) and a spaced total label (总  分)
    weight_first: bool = False  # the indicator table prints 分值 before 年度指标值 (a provincial variant)
    amount_units: bool = False  # the funds cells print their unit after each amount (120.50万元)

    @property
    def tag(self) -> str:
        """A short name for test ids."""
        parts = [
            f"yuan-{self.yuan}" if self.yuan else "",
            "trad" if self.traditional else "",
            f"hdr-{self.header_order}" if self.header_order != "standard" else "",
            "" if self.merged_levels else "repeated",
            "wt" if self.inline_weights else "",
            "ph" if self.placeholders else "",
            self.title_variant if self.title_variant != "standard" else "",
            "thousands" if self.thousands else "",
            "lettered" if self.lettered else "",
            "" if self.vertical else "inline",
            "fullwidth" if self.fullwidth else "",
            "weight-first" if self.weight_first else "",
            "amount-units" if self.amount_units else "",
        ]
        return "+".join(p for p in parts if p) or "plain"


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def to_yuan(amount: str) -> str:
    """'120.50' 万元 → '1205000.00' 元 (two decimals, as 元 tables print)."""
    return f"{Decimal(amount) * 10000:.2f}"


# --------------------------------------------------------------------------- the forms' layout


def title(form: Form, style: Style) -> str:
    """The form's title line."""
    name = "部门整体支出绩效自评表" if form.kind == "department" else "项目支出绩效自评表"
    if style.title_variant == "year_in_title":
        return f"{form.year}年度{name}"
    return f"{name}（{form.year}年度）"


def grid(form: Form, style: Style) -> list[list[str]]:
    """The form's rows of cells (an empty string is an empty or merged cell)."""
    rows: list[list[str]] = [*_header_block(form, style), *_funds_block(form, style)]
    rows += [["年度总体目标", "预期目标", "实际完成情况"], ["", form.goal, form.goal_done]]
    rows += _indicator_block(form, style)
    return rows


def _header_block(form: Form, style: Style) -> list[list[str]]:
    rows = _header_rows(form, style)
    if style.lettered:  # labels printed with a colon ('项目名称：')
        return [[f"{cell}：" if c % 2 == 0 else cell for c, cell in enumerate(row)] for row in rows]
    return rows


def _header_rows(form: Form, style: Style) -> list[list[str]]:
    if form.kind == "department":
        first = [["部门名称", form.name, "主管部门", form.supervisor]]
        return [*first, ["联系人", form.manager, "联系电话", "0371-5551234"]]
    name = ["项目名称", form.name]
    if style.header_order == "manager_first":
        return [
            name,
            ["项目负责人", form.manager, "联系电话", "0371-5551234"],
            ["实施单位", form.implementer, "主管部门", form.supervisor],
        ]
    if style.header_order == "one_per_line":
        return [name, ["主管部门", form.supervisor], ["实施单位", form.implementer], ["项目负责人", form.manager]]
    return [name, ["主管部门", form.supervisor, "实施单位", form.implementer]]


def _money(form: Form, style: Style, amount: str) -> str:
    if amount in ("", "-", "—"):
        return amount
    printed = to_yuan(amount) if style.yuan else amount
    printed = f"{Decimal(printed):,.2f}" if style.thousands else printed
    return printed + "万元" if style.amount_units and not style.yuan else printed


def _funds_block(form: Form, style: Style) -> list[list[str]]:
    unit = {"label": "（元）", "above": ""}.get(style.yuan, "（万元）")
    label = ("部门预算执行情况" if form.kind == "department" else "项目资金") + unit
    if form.kind == "project2016":
        header = [label, "", "年初预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"]
        if style.lettered:
            header[-1] = "得分（分值*执行率）"
        total = ["", "年度资金总额"] + [_money(form, style, a) for a in (form.initial, form.executed)]
        total += [form.funds_weight, form.rate, form.funds_score]
        rows = [header, total]
        for source, initial, _, executed in form.sources:
            rows.append(["", source, _money(form, style, initial), _money(form, style, executed), "—", "—", "—"])
        return rows
    header = [label, "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    if style.lettered:
        header[2:] = ["年初预算数（A）", "全年预算数（B）", "全年执行数（C）", "分值", "执行率（C/B）", "得分"]
    amounts = (form.initial, form.full_year, form.executed)
    total = ["", "年度资金总额", *(_money(form, style, a) for a in amounts)]
    total += [form.funds_weight, form.rate, form.funds_score]
    rows = [header, total]
    for source, *values in form.sources:
        rows.append(["", source, *(_money(form, style, a) for a in values), "—", "—", "—"])
    return rows


def _indicator_block(form: Form, style: Style) -> list[list[str]]:
    header = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    header.append("偏差原因分析及改进措施")
    if style.lettered:
        header[4:6] = ["年度指标值（A）", "实际完成值（B）"]
    rows = [header]
    weights = form.level1_weights
    seen1: set[str] = set()
    seen2: set[tuple[str, str]] = set()
    for row in _with_placeholders(form.rows, style):
        level1 = row.level1
        if style.inline_weights and row.level1 in weights:
            level1 = f"{row.level1}({weights[row.level1]}分)"
        first1 = row.level1 not in seen1
        first2 = (row.level1, row.level2) not in seen2
        seen1.add(row.level1)
        seen2.add((row.level1, row.level2))
        shown1 = level1 if first1 or not style.merged_levels else ""
        shown2 = row.level2 if first2 or not style.merged_levels else ""
        rows.append(["", shown1, shown2, row.level3, row.target, row.actual, row.weight, row.score, row.reason])
    rows.append(["总  分" if style.fullwidth else "总分", "", "", "", "", "", "100", form.total_score, ""])
    if style.weight_first:  # 分值 moved before 年度指标值
        return [row[:4] + [row[6], row[4], row[5]] + row[7:] for row in rows]
    return rows


_PLACEHOLDER = "PLACEHOLDER"


def _with_placeholders(rows: tuple[Row, ...], style: Style) -> list[Row]:
    """The rows, with an unfilled template row ('指标2' / '……') after each level-2 group's last row."""
    if not style.placeholders:
        return list(rows)
    out: list[Row] = []
    for i, row in enumerate(rows):
        out.append(row)
        last_of_group = i + 1 == len(rows) or (rows[i + 1].level1, rows[i + 1].level2) != (row.level1, row.level2)
        if last_of_group:
            out.append(Row(row.level1, row.level2, "指标2：" if i % 2 else "……", "", "", "", ""))
    return out


# --------------------------------------------------------------------------- the layouts


def print_form(form: Form, layout: str, style: Style = Style()) -> str:
    """The form as a web page's text in `layout`, with a line of report text above and below."""
    rows = grid(form, style)
    head = [f"关于{form.name}{form.year}年度绩效自评情况的报告", "", title(form, style)]
    if style.yuan == "above":
        head.append("单位：元")
    if layout == "html":
        return as_printed(style, _html(head, rows))
    if layout == "tabs":
        body = "\n".join("\t".join(row) for row in rows)
    elif layout == "pipes":
        body = "\n".join("| " + " | ".join(row) + " |" for row in rows)
    elif layout == "cell_lines":
        body = "\n".join(f"{cell} |" for row in rows for cell in row)
    elif layout == "spaces":
        body = _spaces(rows) if style.vertical else "\n".join(" ".join(c for c in row if c) for row in rows)
    elif layout == "scattered":
        body = _scattered(rows)
    elif layout in ("glued", "chunked"):
        body = "".join("".join(row) for row in rows)
        if layout == "chunked":
            body = _chunked(body)
    else:
        raise ValueError(layout)
    text = "\n".join(head) + "\n" + body + "\n\n四、下一步工作\n进一步加强预算管理。\n"
    return as_printed(style, text)


def as_printed(style: Style, text: str) -> str:
    """`text` in the style's script and signs (Traditional, full-width ％)."""
    if style.fullwidth:
        text = text.replace("%", "％")
    return opencc.OpenCC("s2t").convert(text) if style.traditional else text


def _html(head: list[str], rows: list[list[str]]) -> str:
    """A page with the form as a `<table>`: an empty cell under a label of the funds block's or the
    indicator block's first three columns is that label's rowspan (merged cells, as Word exports them)."""
    spans = _rowspans(rows)
    body = []
    for r, row in enumerate(rows):
        cells = []
        for c, cell in enumerate(row):
            if (r, c) in spans and spans[(r, c)] == 0:
                continue  # covered by a rowspan from above
            span = f' rowspan="{spans[(r, c)]}"' if spans.get((r, c), 1) > 1 else ""
            cells.append(f"<td{span}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    paragraphs = "".join(f"<p>{line}</p>" for line in head if line)
    tail = "<p>四、下一步工作</p><p>进一步加强预算管理。</p>"
    return f"<html><body>{paragraphs}<table>{''.join(body)}</table>{tail}</body></html>\n"


def _rowspans(rows: list[list[str]]) -> dict[tuple[int, int], int]:
    """(row, col) → rowspan of a merged label (0 for the cells it covers): the funds block's label
    column, and the indicator block's side label and level columns."""
    first = [row[0].replace(" ", "") for row in rows]
    funds = next(r for r, word in enumerate(first) if word.startswith(("项目资金", "部门预算执行情况")))
    goals = first.index("年度总体目标")
    indicators = first.index("绩效指标")
    total = first.index("总分")
    ranges = [(0, funds, goals), (0, indicators, total), (1, indicators + 1, total), (2, indicators + 1, total)]
    spans: dict[tuple[int, int], int] = {}
    for c, top, bottom in ranges:
        owner = None
        for r in range(top, bottom):
            if rows[r][c]:
                owner = (r, c)
                spans[owner] = 1
            elif owner is not None:
                spans[owner] += 1
                spans[(r, c)] = 0
    return spans


def _spaces(rows: list[list[str]]) -> str:
    """Space-separated rows; the indicator header's and rows' level labels printed vertically."""
    lines: list[str] = []
    indicators = False
    for row in rows:
        if row[:2] == ["绩效指标", "一级指标"]:
            indicators = True
            lines += ["一级", "指标", "二级", "指标", " ".join(row[3:])]
            continue
        if indicators and row[0].replace(" ", "") != "总分":
            for label in row[1:3]:
                lines += _vertical(label)
            lines.append(" ".join(cell for cell in row[3:] if cell))
            continue
        lines.append(" ".join(cell for cell in row if cell))
    return "\n".join(lines)


def _vertical(label: str) -> list[str]:
    """A merged level label as PDF text prints it: its name in two-character lines, its weight apart."""
    if not label:
        return []
    name, _, weight = label.partition("(")
    lines = [name[i : i + 2] for i in range(0, len(name), 2)]
    if len(lines) > 1 and len(lines[-1]) == 1:
        lines[-2:] = [lines[-2] + lines[-1]]
    return lines + ([f"({weight}"] if weight else [])


def _scattered(rows: list[list[str]]) -> str:
    """The cells in a drawing order (extract/scattered.py reads it): each header-block value
    before its label; the funds header, the funds row's values but its 执行率, the source rows'
    values, the row labels, then the 执行率; the indicator header with the first row's level-2
    label and name inside it, every row's target, actual, weight and score as one run, the 总分
    row's weight and score, then the level labels, names and reasons of the rows."""
    first = [row[0].replace(" ", "") for row in rows]
    funds = next(r for r, word in enumerate(first) if word.startswith(("项目资金", "部门预算执行情况")))
    goals, indicators, total = first.index("年度总体目标"), first.index("绩效指标"), first.index("总分")
    cells: list[str] = []
    for row in rows[:funds]:
        for label, value in zip(row[::2], row[1::2], strict=False):
            cells += [value, label]
    header, funds_row, *sources = rows[funds:goals]
    rate = next(c for c, word in enumerate(header) if "执行率" in word)
    cells += header[2:] + [v for c, v in enumerate(funds_row) if c >= 2 and c != rate]
    for source in sources:
        cells += [*source[2:], source[1]]
    cells += [funds_row[1], header[0], *rows[goals], *rows[goals + 1], funds_row[rate]]
    head, body = rows[indicators], rows[indicators + 1 : total]
    cells += [head[1], head[2], body[0][2], head[3], body[0][3], *head[4:8]]
    cells += [value for row in body for value in row[4:8]] + rows[total][4:8] + [body[0][1]]
    cells += [cell for row in body[1:] for cell in (row[1], row[2], row[3])]
    cells += [row[8] for row in body] + [rows[total][0], head[8]]
    return " ".join(cell for cell in cells if cell)


def _chunked(body: str, size: int = 97) -> str:
    """A mirror's chunks: '1、' before the text, '\\n\\n2、' every `size` characters."""
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return "\n\n".join(f"{n}、{part}" for n, part in enumerate(parts, start=1))


# --------------------------------------------------------------------------- the value sets

_PROJECT_ROWS = (
    Row("产出指标", "数量指标", "培训基层人员人数", "≥500人", "526人", "10", "10"),
    Row("产出指标", "数量指标", "新建村级服务站点", "12个", "12个", "10", "10"),
    Row("产出指标", "质量指标", "培训合格率", "≥95%", "97.2%", "10", "10"),
    Row("产出指标", "时效指标", "项目完成时间", "按期完成", "按期完成", "10", "10"),
    Row("产出指标", "成本指标", "人均培训成本", "≤1200元", "1150元", "10", "9", "部分课程延期，下年度提前安排"),
    Row("效益指标", "社会效益指标", "基层服务能力提升", "明显提升", "有所提升", "20", "17", "宣传覆盖不足，将加强宣传"),
    Row("效益指标", "可持续影响指标", "服务站点持续运行年限", "≥3年", "3年", "10", "10"),
    Row("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", "93%", "10", "10"),
)


def project_form(**changes) -> Form:
    """The 2021+ 项目支出绩效自评表 with a first value set."""
    form = Form(
        kind="project",
        year=2022,
        name="基层农技推广体系改革与建设补助项目",
        supervisor="临川县农业农村局",
        implementer="临川县农业技术推广中心",
        manager="王建国",
        initial="120.50",
        full_year="118.00",
        executed="115.26",
        funds_weight="10",
        rate="97.68%",
        funds_score="9.77",
        sources=(
            ("其中：当年财政拨款", "100.50", "98.00", "95.26"),
            ("上年结转资金", "20.00", "20.00", "20.00"),
            ("其他资金", "0", "0", "0"),
        ),
        goal="完成基层农技人员培训500人，新建村级服务站点12个。",
        goal_done="培训基层农技人员526人，新建村级服务站点12个，目标基本完成。",
        rows=_PROJECT_ROWS,
        total_score="95.77",
    )
    return replace(form, **changes)


def project_form_2016(**changes) -> Form:
    """The 2016-era form: 年初预算数(A) / 全年执行数(B) / 分值 / 执行率(B/A) / 得分."""
    rows = (
        Row("产出指标", "数量指标", "清扫保洁道路条数", "20条", "20条", "12.5", "12.5"),
        Row("产出指标", "质量指标", "道路保洁达标率", "≥98%", "98.5%", "12.5", "12.5"),
        Row("产出指标", "时效指标", "保洁作业及时率", "100%", "100%", "12.5", "12.5"),
        Row("产出指标", "成本指标", "保洁成本控制", "≤310万元", "305.6万元", "12.5", "12.5"),
        Row("效果指标", "社会效益指标", "辖区环境卫生改善", "明显改善", "明显改善", "15", "15"),
        Row("效果指标", "可持续影响指标", "长效保洁机制", "建立", "已建立", "15", "14", "考核机制待完善"),
        Row("满意度指标", "服务对象满意度指标", "居民满意度", "≥85%", "88%", "10", "10"),
    )
    form = project_form(
        kind="project2016",
        year=2016,
        name="自管道路清扫保洁外包工作经费",
        supervisor="城南区人民政府东湖街道办事处",
        implementer="东湖街道城市运行服务中心",
        manager="李红",
        initial="310.20",
        full_year="",
        executed="305.60",
        funds_weight="10",
        rate="98.52%",
        funds_score="9.85",
        sources=(("其中：财政拨款", "310.20", "", "305.60"), ("其他资金", "0", "", "0")),
        goal="完成辖区20条城市道路清扫保洁。",
        goal_done="完成20条道路清扫保洁，环境明显改善。",
        rows=rows,
        total_score="98.85",  # rows 89 + funds 9.85
    )
    return replace(form, **changes)


def department_form(**changes) -> Form:
    """The 部门整体支出绩效自评表 (funds block 部门预算执行情况)."""
    rows = (
        Row("产出指标", "数量指标", "完成年度重点工作任务数", "≥15项", "16项", "15", "15"),
        Row("产出指标", "质量指标", "工作任务完成合格率", "100%", "100%", "15", "15"),
        Row("产出指标", "时效指标", "重点任务按时完成率", "≥95%", "96%", "10", "10"),
        Row("产出指标", "成本指标", "三公经费控制率", "≤100%", "92.5%", "10", "10"),
        Row("效益指标", "社会效益指标", "政务服务水平", "稳步提升", "稳步提升", "20", "18", "信息化建设滞后"),
        Row("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", "20", "20"),
    )
    form = project_form(
        kind="department",
        year=2021,
        name="临川县民政局",
        supervisor="临川县人民政府",
        implementer="临川县民政局",
        manager="赵敏",
        initial="2361.45",
        full_year="2688.10",
        executed="2590.37",
        funds_weight="10",
        rate="96.36%",
        funds_score="9.64",
        sources=(("其中：基本支出", "1641.76", "1702.33", "1698.20"), ("项目支出", "719.69", "985.77", "892.17")),
        goal="保障困难群众基本生活，提升基层社会治理水平。",
        goal_done="全年各项民生保障政策落实到位。",
        rows=rows,
        total_score="97.64",
    )
    return replace(form, **changes)


def ambiguous_project_form() -> Form:
    """A project form whose run-together printing partly cannot be cut without guessing: round
    amounts and a rate of 100%, weight+score pairs that cut two ways (12.512.5: 12.5 | 12.5 or
    12.51 | 2.5), target and actual that are two texts (有效改善基本改善)."""
    rows = (
        Row("产出指标", "数量指标", "发放补贴户数", "100户", "100户", "12.5", "12.5"),
        Row("产出指标", "质量指标", "补贴发放准确率", "100%", "100%", "12.5", "12.5"),
        Row("产出指标", "时效指标", "补贴发放及时率", "100%", "100%", "12.5", "12.5"),
        Row("产出指标", "成本指标", "人均补贴标准", "≤1000元", "1000元", "12.5", "12.5"),
        Row("效益指标", "社会效益指标", "困难群众生活改善", "有效改善", "基本改善", "30", "28"),
        Row("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", "98%", "10", "10"),
    )
    return project_form(
        name="困难群众生活补贴项目",
        initial="100",
        full_year="100",
        executed="100",
        funds_weight="10",
        rate="100%",
        funds_score="10",
        sources=(("其中：当年财政拨款", "100", "100", "100"), ("其他资金", "0", "0", "0")),
        rows=rows,
        total_score="98",
    )


def random_form(seed: int) -> Form:
    """A form of made-up values drawn from `seed`, consistent as a real one is (执行率 = 执行数 / 预算数,
    得分 = 分值 × 执行率): amounts of 0, 1, 2 or 4 decimals, weights like 12.5 or 2.5 whose glued
    pairs may cut two ways, targets and actuals with and without units, equal or not."""
    rng = random.Random(seed)
    kind = rng.choice(["project", "department", "project2016"])
    decimals = rng.choice([0, 1, 2, 2, 4])
    initial = _draw(rng, 1, 5000, decimals)
    full = initial if kind == "project2016" or rng.random() < 0.5 else _draw(rng, 1, 5000, decimals)
    executed = _draw(rng, float(full) * 0.5, float(full), decimals)
    rate = Decimal(executed) / Decimal(full) * 100
    weight = rng.choice(["10", "20", "5", "15"])
    units = ["人", "个", "%", "次", "万元", "公里", "户", "项", "天", "年"]
    names = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未"
    rows = []
    for level1, level2s in _LEVELS:
        for level2 in level2s:
            for _ in range(rng.choice([1, 1, 2])):
                unit = rng.choice(units)
                target = rng.choice(
                    [f"≥{rng.randint(1, 500)}{unit}", f"{rng.randint(1, 500)}{unit}", "按期完成", "明显提升"]
                )
                actual = rng.choice([target.lstrip("≥≤"), f"{rng.randint(1, 500)}{unit}", "已完成", target])
                row_weight = rng.choice(["10", "5", "12.5", "20", "2.5", "8", "15"])
                score = rng.choice([row_weight, str(max(0, int(float(row_weight)) - 1))])
                name = (
                    rng.choice(["培训人数", "覆盖率", "完成时间", "建设规模", "合格率", "受益户数"]) + names[len(rows)]
                )
                rows.append(Row(level1, level2, name, target, actual, row_weight, score))
    base = FORMS[kind]
    return replace(
        base,
        initial=initial,
        full_year="" if kind == "project2016" else full,
        executed=executed,
        funds_weight=weight,
        rate=f"{rate:.{rng.choice([0, 1, 2])}f}%",
        funds_score=f"{Decimal(weight) * rate / 100:.2f}",
        sources=((base.sources[0][0], initial, "" if kind == "project2016" else full, executed),),
        rows=tuple(rows),
        total_score=f"{rng.uniform(60, 100):.{rng.choice([0, 1, 2])}f}",
    )


_LEVELS = (
    ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", ("社会效益指标", "可持续影响指标")),
    ("满意度指标", ("服务对象满意度指标",)),
)


def _draw(rng: random.Random, low: float, high: float, decimals: int) -> str:
    return f"{Decimal(rng.uniform(low, high)):.{decimals}f}"


FORMS: dict[str, Form] = {
    "project": project_form(),
    "project_b": project_form(
        name="城乡居民医疗救助资金项目",
        initial="3520.00",
        full_year="3688.65",
        executed="3601.93",
        rate="97.65%",
        funds_score="9.76",
        sources=(("其中：当年财政拨款", "3520.00", "3688.65", "3601.93"), ("其他资金", "0.00", "0.00", "0.00")),
        total_score="95.76",
    ),
    "project2016": project_form_2016(),
    "department": department_form(),
}

AMBIGUOUS: dict[str, Form] = {"project_round": ambiguous_project_form()}

STYLES: tuple[Style, ...] = (
    Style(),
    Style(yuan="above"),
    Style(yuan="label"),
    Style(traditional=True),
    Style(header_order="manager_first"),
    Style(header_order="one_per_line"),
    Style(merged_levels=False),
    Style(inline_weights=True),
    Style(placeholders=True),
    Style(title_variant="year_in_title"),
    Style(yuan="label", thousands=True),
    Style(lettered=True),
    Style(vertical=False),
    Style(fullwidth=True),
    Style(weight_first=True),
    Style(amount_units=True),
)

__all__ = [
    "AMBIGUOUS",
    "random_form",
    "FORMS",
    "LAYOUTS",
    "STYLES",
    "Form",
    "Row",
    "Style",
    "print_form",
    "to_yuan",
]
