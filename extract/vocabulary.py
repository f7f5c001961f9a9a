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
    ("deviation_reason", ("偏差原因", "未完成原因")),
    ("weight", ("分值", "权重")),
    ("score", ("得分", "评分")),
)

#: A level-1 indicator name (产出指标, 效益指标, 满意度指标 …, also 项目决策/项目管理 of older forms).
LEVEL1_NAME = re.compile(r"^(产出|效益|满意度|成本|效果|管理|履职|决策|过程)\S{0,4}指标")

#: The row that closes an indicator table with the form's total.
TOTAL_ROW = re.compile(r"^(总分|合计|总计)")

#: First cells of rows under an indicator table that are notes, not indicators.
NOT_AN_INDICATOR_ROW = re.compile(r"^(偏差大|偏差原因|原因分析|改进措施|备注|说明|填表人|审核|单位负责人)")

# --------------------------------------------------------------------------- forms run together
# (section of the flattened-form recogniser, extract/recover.py: forms whose cells were run together
# without separators by a mirror site or an OCR pass; matched on text with all whitespace removed)

#: Funds-column words seen only in run-together or OCR'd headers, added to FUNDS_COLUMNS there:
#: 年初预算数 with its 算 misread (年初预匏数) still opens with 年初预.
FLAT_FUNDS_COLUMNS: tuple[tuple[str, str], ...] = (("年初预", "initial_budget"),)
FUNDS_COLUMNS = (*FUNDS_COLUMNS, *FLAT_FUNDS_COLUMNS)  # the grid parser reads recovered headers too
#: The department form's funds block has no row label: its values row sits beside the merged
#: block label 部门预算执行情况(万元), which labels the row then.
FLAT_FUNDS_ROW_LABELS = FUNDS_ROW_LABELS  # the labels printed in front of a values row
FUNDS_ROW_LABELS = (*FUNDS_ROW_LABELS, "预算执行情况")

#: The label of the block that holds the funds row ("预算执行情况 (万元) (20 分)"); its weight
#: annotation is the 预算执行 section's weight.
FUNDS_BLOCK_LABEL = re.compile(r"预算执行")

#: A money unit of the funds block printed as 元 (then amounts are converted to 万元).
YUAN_UNIT = re.compile(r"[(（]元[)）]|单位[:：]元")

#: Chunk markers a mirror site inserts into a run-together table: a line break, then "3、".
CHUNK_MARKER = re.compile(r"\n\s*\d{1,2}、")

#: Indicator-header words of run-together forms that name columns the grid parser does not read
#: (recognised first, so 得分系数 is not taken for 得分, 得分计算方法 not for the score).
FLAT_INDICATOR_EXTRA_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("method", ("得分计算方法", "计算方法")),
    ("coefficient", ("得分系数",)),
    ("core", ("是否核心指标", "核心指标")),
    ("unit", ("计量单位",)),
    ("nature", ("指标性质",)),
    ("target_adjusted", ("调整指标值", "调整后指标值")),
)
#: OCR readings of two-line header cells whose characters come out of order (参考分值, 全年完成值).
FLAT_INDICATOR_OCR_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("weight", ("考值参分",)),
    ("actual", ("年成值全完值",)),
)
INDICATOR_COLUMNS = tuple(
    (name, words + sum((extra for n, extra in FLAT_INDICATOR_OCR_COLUMNS if n == name), ()))
    for name, words in INDICATOR_COLUMNS
)

#: A level-1 name opening a group of rows in a run-together indicator table; the older forms'
#: 项目决策/项目管理/项目产出/项目效益 carry their weight ("(10分)"), which also lets an OCR'd
#: first character through (顼目产出).
FLAT_LEVEL1 = re.compile(
    r"(?:产出|效益|满意度|效果)\s*指标(?:[(（]\d+(?:\.\d+)?分?[)）])?"
    r"|\S目(?:决策|管理|产出|效益|过程)[(（]\d+(?:\.\d+)?分?[)）]"
)
#: A level-2 name opening a row group; the bare forms (成本, 时效) are tried only at a row start.
FLAT_LEVEL2 = re.compile(
    r"(?:(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|满意度)指标"
    r"|项目目标|项目立项|投入管理|财务管理|项目实施|绩效目标|资金投入|资金管理|组织实施"
    r"|数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续性|可持续影响|服务对象满意度)"
    r"(?:[(（]\d+(?:\.\d+)?分?[)）])?"
)
#: Template numbering and placeholder rows ("指标1:", "指标2:", OCR "指标L").
FLAT_PLACEHOLDER = re.compile(r"指标[0-9LlI][:：]?")
#: A merged group label printed among the rows of a department form (绩效指标).
FLAT_GROUP_LABEL = re.compile(r"绩效指标")
#: Dash placeholders printed in an empty 指标值 cell.
FLAT_DASH = re.compile(r"[一\-—/]")
#: The 指标性质 of a department-form row (its characters may come out of order in OCR).
FLAT_NATURES: tuple[str, ...] = ("定量指标", "定性指标")
#: Units of measure printed in a department form's 计量单位 column and after its values.
FLAT_UNITS: tuple[str, ...] = (
    "%",
    "次",
    "份",
    "篇",
    "个",
    "人",
    "人次",
    "元",
    "万元",
    "天",
    "日",
    "年",
    "月",
    "项",
    "场",
    "期",
    "家",
    "户",
    "件",
    "本",
    "台",
    "套",
    "米",
    "公里",
    "吨",
    "亩",
    "所",
    "名",
)
#: Characters after a number that make it a quantity inside a text cell, not a weight or score.
#: (Only characters that rarely open a 三级指标 name: a score is followed by the next row's name.)
FLAT_QUANTITY_UNIT = re.compile(
    r"(?:公里|平方米|平方公里|立方米|千米|千克|小时)|[%‰万元亿年月日人次个篇份天件户家所座名台辆套期场位棵株亩米吨间张册块栋宗㎡]"
)

#: The form's own total in its header block (自评得分98, 自评总分(分)97.6); the recovered grid closes
#: the indicator table with it, so the total row's words include its label.
FLAT_TOTAL = re.compile(
    r"(?P<label>自评(?:总分|得分)(?:[(（]分[)）])?)(?P<number>(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?)(?![\d.])"
)
TOTAL_ROW = re.compile(TOTAL_ROW.pattern.removesuffix(")") + "|自评总分|自评得分)")
