"""The words of the national 绩效自评 template family, declared once.

Every province prints the same forms (项目支出绩效自评表, 部门整体支出绩效自评表) with small
variations of wording. Recognisers find a form, its header, its columns and its rows by these words
only — never by a position, a document or a number seen in one file — so a new province's variant
is a line here, not a parser.

Each table maps a word (a plain substring, matched on text with all whitespace removed) to what it
means; within a table the most specific word comes first.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- form titles

#: A project-level form's title (项目支出绩效自评表, 財政项目绩效自评表, 项目绩效自评表 …).
PROJECT_FORM_TITLE = re.compile(r"项目(?:支出)?绩效(?:自评|自我评价|评价)表")
#: A department-level form's title or name.
DEPARTMENT_FORM_WORDS: tuple[str, ...] = ("部门整体", "单位整体", "整体支出")

# --------------------------------------------------------------------------- header block

#: Header-block labels → what the cell beside them holds.
HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("项目名称", "project_name"),
    ("主管部门", "supervisor"),
    ("实施单位", "implementer"),
    ("项目实施单位", "implementer"),
    ("项目负责人", "manager"),
    ("联系电话", "phone"),
    ("单位名称", "unit"),
    ("部门名称", "unit"),
)

# --------------------------------------------------------------------------- funds block

#: The funds row's label (年度资金总额 …).
FUNDS_ROW_LABELS: tuple[str, ...] = ("年度资金总额", "资金总额", "支出总额", "资金合计")

#: Funds-block column header word → what the column holds; most specific first.
FUNDS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("分值", "weight"),
    ("权重", "weight"),
    ("得分", "score"),
    ("年初预算", "initial_budget"),
    ("执行率", "execution_rate_pct"),
    ("全年预算", "full_year_budget"),
    ("调整后预算", "full_year_budget"),
    ("调整预算", "full_year_budget"),
    ("预算数", "full_year_budget"),
    ("全年执行", "executed"),
    ("执行数", "executed"),
    ("实际支出", "executed"),
    ("实际投入", "executed"),
    ("决算数", "executed"),
)

# --------------------------------------------------------------------------- indicator table

#: Indicator-table header word → field; a header cell takes the first field it matches.
INDICATOR_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标", "指标名称")),
    ("actual", ("实际完成", "完成值", "实际值", "完成情况")),
    ("target", ("指标值", "目标值")),
    ("deviation_reason", ("偏差原因", "未完成原因", "差异的原因", "差异原因")),
    ("weight", ("分值", "权重")),
    ("score", ("得分", "评分")),
)

#: A level-1 indicator name (产出指标, 效益指标, 满意度指标 …, also 项目决策/项目管理 of older forms).
LEVEL1_NAME = re.compile(r"^(产出|效益|满意度|成本|效果|管理|履职|决策|过程)\S{0,4}指标")

#: The row that closes an indicator table with the form's total.
TOTAL_ROW = re.compile(r"^(总分|合计|总计)")

#: First cells of rows under an indicator table that are notes, not indicators.
NOT_AN_INDICATOR_ROW = re.compile(r"^(偏差大|偏差原因|原因分析|改进措施|备注|说明|填表人|审核|单位负责人)")

# --------------------------------------------------------------------------- flattened forms (section `flat`)
# Words that let pipeline/readers/flat_tables.py rebuild the grids of forms flattened into text
# with separators (pipes, single spaces) and that the grid parsers need for the family's variants.

#: A level-2 indicator name (数量指标, 经济效益指标 …; the short 产出数量 / 社会效益 of some provinces).
LEVEL2_NAME = re.compile(
    r"^(?:(?:数量|质量|时效|成本|经济成本|社会成本|生态环境成本|生态成本|经济效益|社会效益|生态效益|环境效益"
    r"|可持续影响|可持续发展|服务对象满意度|社会公众满意度)指标"
    r"|产出(?:数量|质量|时效|成本)|经济效益|社会效益|生态效益|可持续影响)$"
)

#: A weight annotation standing alone where a level label lost its name: '(50分)', '（30分）'.
WEIGHT_ANNOTATION = re.compile(r"^[（(]\d+(?:\.\d+)?分?[)）]$")

#: A side label spanning the whole indicator block (not a column of its own): 年度绩效指标完成情况.
INDICATOR_SIDE_LABEL = re.compile(r"^(?:年度)?绩效指标(?:完成情况)?$")

#: Indicator-table header words of columns that hold neither target nor actual nor scores
#: (指标值设置依据, 上年完成值, 指标赋分规则, 佐证资料, 完成率, 得分计算方法); checked first.
INDICATOR_OTHER_COLUMNS: tuple[str, ...] = (
    "设置依据",
    "上年",
    "赋分规则",
    "评分标准",
    "佐证",
    "完成率",
    "计算方法",
    "计量单位",
)

#: The 计量单位 column: its text is printed after the target (9.5 + % → 9.5%).
INDICATOR_UNIT_COLUMN = "计量单位"

#: Template placeholder cells (rows of nothing but these are not rows): '-', '……', '指标2', '1.'.
PLACEHOLDER_CELL = re.compile(r"^(?:[-—–/／…\.。]+|指标\d+[:：]?|\d+[.、]?|无)$")

#: Numbering printed before a level-3 name: '指标1:', '1.', '(1)'.
LEVEL3_NUMBERING = re.compile(r"^(?:指标\d+[:：]|\d+[.、．](?!\d)|[（(]\d+[)）])\s*")

#: Funding sources in the rows of a funds block under the funds row (其中：财政拨款, 其他资金 …);
#: their values stand in the funds header's columns and restate parts of the funds row.
FUNDS_SUBROW_LABELS: tuple[str, ...] = (
    "财政拨款",
    "本年财政拨款",
    "当年财政拨款",
    "一般公共预算",
    "上年结转",
    "其他资金",
)

#: Expenditure rows of a budget table (not projects in a project list).
EXPENDITURE_ROW_LABELS: tuple[str, ...] = ("基本支出", "项目支出", "人员经费", "公用经费")

#: The prefix of a funds sub-row label (其中：财政拨款).
FUNDS_SUBROW_PREFIX = re.compile(r"^其中[:：]?")

#: A total row label that is the funds row only right under a funds header (合计 1304.23 2951.55).
FUNDS_GENERIC_TOTAL = re.compile(r"^(?:合计|总计|小计)$")

#: A unit statement of a form (单位：万元, 项目资金(元), 年初预算数（元）); group 1 or 2 is the unit.
FORM_UNIT = re.compile(r"单位[:：]\s*(万元|元)|[（(](万元|元)[)）]")

#: Header-block labels as printed before their value on one flattened line (项目名称 X 主管部门 Y).
HEADER_LINE_LABELS: tuple[str, ...] = (
    "项目名称",
    "主管部门",
    "项目实施单位",
    "实施单位",
    "项目负责人",
    "单位负责人及电话",
    "单位负责人",
    "联系电话",
    "单位名称",
    "部门名称",
    "项目编码",
    "项目代码",
    "项目类别",
    "项目类型",
    "项目属性",
    "预算单位",
    "填报单位",
    "填报日期",
    "所属部门",
)

#: A comparison printed apart from its number in a target (≥ 50个): joined to the next word.
TARGET_OPERATOR = re.compile(r"^(?:[≥≤><=＞＜＝]=?|大于等于|小于等于|不低于|不高于|不少于|不超过|大于|小于)$")

#: Project-list tables (a table of projects with amounts and scores): header word → field.
PROJECT_LIST_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("name", ("项目资金名称", "项目名称", "政策或项目")),
    ("executed", ("执行数", "实际支出", "支出数")),
    ("budget", ("资金规模", "预算数", "预算金额", "资金金额", "金额", "预算")),
    ("score", ("评分", "得分")),
)

#: A first cell that starts a new table's header row (序号 | 机构 | …) even at the same width.
TABLE_START_CELL = re.compile(r"^(?:序号|编号)$")
