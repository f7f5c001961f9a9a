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

#: A project-level form's title (项目支出绩效自评表, 財政项目绩效自评表, 项目绩效自评表, and a special
#: fund's 专项资金绩效自评表, which is the same template …).
PROJECT_FORM_TITLE = re.compile(r"(?:项目(?:支出)?|专项(?:资金)?)绩效(?:自评|自我评价|评价)表")
#: A department-level form's title or name.
DEPARTMENT_FORM_WORDS: tuple[str, ...] = ("部门整体", "单位整体", "整体支出")

# --------------------------------------------------------------------------- header block

#: Header-block labels → what the cell beside them holds.
HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("项目名称", "project_name"),
    ("专项资金名称", "project_name"),  # a special fund's form (专项资金绩效自评表)
    ("专项名称", "project_name"),
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
FUNDS_ROW_LABELS: tuple[str, ...] = ("年度资金总额", "资金总额", "支出总额", "资金合计", "金额合计")

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
    ("level3", ("三级指标", "指标名称", "指标内容")),
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

# --------------------------------------------------------------------------- forms as scopes

#: The text between two tables of one form continued over a page break: page furniture only
#: (folio, form feed, 续表, 第N页 / 共N页).
FORM_PAGE_FURNITURE = re.compile(r"[\s\d\x0c第页共/\-—－续表()（）]*")

#: Words a 项目名称 may end with that a restatement of the project leaves out (…项目, …资金项目).
PROJECT_NAME_SUFFIXES: tuple[str, ...] = ("项目",)

#: Sub-columns under a funds column (全年预算数 over 总额 | 财政拨款 | 其他资金) → the key suffix of
#: the amount read there.
FUNDS_SUBCOLUMNS: tuple[tuple[str, str], ...] = (
    ("财政拨款", "fiscal_appropriation"),
    ("其他资金", "other_funds"),
)
