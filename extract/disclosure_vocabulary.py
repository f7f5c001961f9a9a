"""The words of the 部门预算 / 部门决算 disclosure family, declared once.

Every department publishes the same standard tables (收入支出决算总表, 收入决算表, 支出决算表,
财政拨款收入支出决算总表, 一般公共预算财政拨款支出决算表, 一般公共预算财政拨款基本支出决算表,
“三公”经费, 政府性基金, 国有资本经营; the 预算 set mirrors them) and a narrative 情况说明 that
restates their figures. Provinces word the titles differently (收支总表, 财务收支预算总表,
支出功能分类预算表 …): a new variant is a line here, not a parser. Words are matched on text with
all whitespace removed.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- table titles

#: Table kind → its title pattern; the most specific kind comes first (财政拨款收入支出决算总表
#: before 收入支出决算总表, 基本支出 before 支出).
TABLE_TITLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fiscal_summary", re.compile(r"财政拨款收(?:入)?支(?:出)?(?:决算|预算)?(?:总体情况|总)表")),
    ("gp_basic", re.compile(r"一般公共预算(?:财政拨款)?基本支出.{0,12}?(?:决算|预算|情况)?表")),
    (
        "gp_expenditure",
        re.compile(r"一般公共预算(?:财政拨款)?(?:当年拨款)?支出.{0,12}?(?:决算|预算|情况)?表(?!（按经济分类)"),
    ),
    ("three_public", re.compile(r"“?三公”?经费.{0,16}?表")),
    ("gov_fund", re.compile(r"政府性基金预算.{0,16}?(?:决算|预算|情况)?表")),
    ("state_capital", re.compile(r"国有资本经营预算.{0,16}?(?:决算|预算|情况)?表")),
    ("summary", re.compile(r"(?:财务)?收(?:入)?支(?:出)?(?:决算|预算)?(?:总体情况|总)表")),
    ("income", re.compile(r"收入(?:决算|预算)总?表|收入(?:总体情况|总)表")),
    ("expenditure", re.compile(r"(?<!基本)(?<!项目)支出(?:决算|预算)总?表|(?<!基本)(?<!项目)支出(?:总体情况|总)表")),
)

#: What each kind is called in messages.
TABLE_NAMES: dict[str, str] = {
    "summary": "收入支出总表",
    "income": "收入表",
    "expenditure": "支出表",
    "fiscal_summary": "财政拨款收入支出总表",
    "gp_expenditure": "一般公共预算财政拨款支出表",
    "gp_basic": "一般公共预算财政拨款基本支出表",
    "three_public": "“三公”经费支出表",
    "gov_fund": "政府性基金预算财政拨款收入支出表",
    "state_capital": "国有资本经营预算财政拨款收入支出表",
}

#: The unit line under a title (单位：万元, 单位:元).
UNIT_LINE = re.compile(r"单位\s*[:：]\s*(万元|元)")

# --------------------------------------------------------------------------- columns and rows

#: Header words of a code column (功能分类 / 经济分类 科目编码, or the 类 款 项 sub-headers).
CODE_HEADER_WORDS: tuple[str, ...] = ("编码", "代码")
#: Headers of columns that number the rows or columns (行次 1, 2 …), not amounts.
NUMBERING_HEADERS: tuple[str, ...] = ("行次", "栏次")
#: Sub-headers of the code columns.
CODE_LEVELS: tuple[str, ...] = ("类", "款", "项")

#: Column header word → canonical column; the most specific word first. A header is the
#: column's header cells joined top-down; the first word found in it decides.
COLUMN_WORDS: tuple[tuple[str, str], ...] = (
    ("本年收入合计", "total"),
    ("本年支出合计", "total"),
    ("财政拨款收入", "fiscal"),
    ("一般公共预算财政拨款", "general_public"),
    ("一般公共预算", "general_public"),
    ("政府性基金预算", "gov_fund"),
    ("国有资本经营预算", "state_capital"),
    ("其他收入", "other_income"),
    ("人员经费", "personnel"),
    ("人员支出", "personnel"),
    ("公用经费", "public_funds"),
    ("公用支出", "public_funds"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("预算数", "budget"),
    ("决算数", "final"),
    ("总计", "total"),
    ("小计", "total"),
    ("合计", "total"),
)

#: Row labels of totals (whitespace removed) → canonical row.
TOTAL_ROWS: dict[str, str] = {
    "合计": "total",
    "总计": "grand_total",
    "收入总计": "grand_total",
    "支出总计": "grand_total",
    "本年收入合计": "income_total",
    "本年支出合计": "expenditure_total",
    "收入合计": "income_total",
    "支出合计": "expenditure_total",
    "人员经费合计": "personnel_total",
    "公用经费合计": "public_funds_total",
    "年初结转和结余": "opening_balance",
    "年末结转和结余": "closing_balance",
    "年初财政拨款结转和结余": "opening_balance",
    "年末财政拨款结转和结余": "closing_balance",
}

#: 经济分类 类 codes of 人员经费 and of 公用经费 (基本支出 by economic classification).
PERSONNEL_CLASSES: tuple[str, ...] = ("301", "303")
PUBLIC_FUNDS_CLASSES: tuple[str, ...] = ("302", "310")
#: Narrative labels whose 主要包括 list names rows of the 基本支出 table, and those rows' classes.
ITEM_LIST_CLASSES: dict[str, tuple[str, ...]] = {"人员经费": PERSONNEL_CLASSES, "公用经费": PUBLIC_FUNDS_CLASSES}

#: Leading ordinals of summary-table rows (一、 （二） 3.) stripped from labels.
ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、])")

# --------------------------------------------------------------------------- narrative

#: Narrative section headings → the table kind the section restates; most specific first.
SECTION_KINDS: tuple[tuple[str, str], ...] = (
    ("财政拨款收入支出", "fiscal_summary"),
    ("一般公共预算财政拨款基本支出", "gp_basic"),
    ("一般公共预算财政拨款支出", "gp_expenditure"),
    ("三公", "three_public"),
    ("政府性基金", "gov_fund"),
    ("国有资本经营", "state_capital"),
    ("收入支出", "summary"),
    ("收入决算", "income"),
    ("收入预算", "income"),
    ("支出决算", "expenditure"),
    ("支出预算", "expenditure"),
)

#: A narrative section heading (一、… 情况说明).
SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、(?P<title>[^。；，]{2,40}?)(?:情况)?(?:说明)?$")

#: Narrative label (its last words before the amount) → (table kind, canonical row, canonical
#: column or None for the row's first amount). `None` as kind: the kind of the section the label
#: is read in. The most specific label first.
NARRATIVE_CELLS: tuple[tuple[str, str | None, str, str | None], ...] = (
    ("财政拨款收入支出总计", "fiscal_summary", "grand_total", None),
    ("收入支出总计", "summary", "grand_total", None),
    ("一般公共预算财政拨款基本支出", "gp_expenditure", "total", "basic"),
    ("一般公共预算财政拨款项目支出", "gp_expenditure", "total", "project"),
    ("一般公共预算财政拨款支出", "gp_expenditure", "total", "total"),
    ("本年收入合计", "summary", "income_total", None),
    ("本年支出合计", "summary", "expenditure_total", None),
    ("财政拨款收入", "income", "total", "fiscal"),
    ("其他收入", "income", "total", "other_income"),
    ("基本支出", "expenditure", "total", "basic"),
    ("项目支出", "expenditure", "total", "project"),
    ("人员经费", "gp_basic", "personnel_total", None),
    ("公用经费", "gp_basic", "public_funds_total", None),
)

#: “三公”经费 items of the narrative (a word of the label → item), the most specific first, and
#: the word of the item's column in the “三公” table.
THREE_PUBLIC_ITEMS: tuple[tuple[str, str], ...] = (
    ("三公", "total"),
    ("因公出国", "abroad"),
    ("购置及运行", "car"),
    ("公务用车购置", "car_purchase"),
    ("公务用车运行", "car_running"),
    ("接待", "reception"),
)
THREE_PUBLIC_COLUMNS: dict[str, str] = {"abroad": "因公出国", "reception": "接待"}

#: Where a stated change's direction is read: word → sign.
CHANGE_WORDS: dict[str, int] = {"增加": 1, "增长": 1, "上升": 1, "减少": -1, "下降": -1, "降低": -1}
#: What 决算数 is said to be against 预算数 (决算数小于预算数 …); 与预算数持平 is flat, 基本持平 about.
VS_BUDGET_WORDS: dict[str, str] = {"小于": "less", "低于": "less", "大于": "more", "高于": "more", "超过": "more"}
#: A completion rate's base: words after 完成 → which budget (年初预算 / 全年预算 / 预算).
RATE_BASES: tuple[tuple[str, str], ...] = (
    ("年初预算", "initial"),
    ("全年预算", "full_year"),
    ("调整预算", "full_year"),
)
#: The amounts a sentence states as budgets (年初预算为 X万元, 全年预算为 X万元) and as spending.
BUDGET_WORDS: tuple[tuple[str, str], ...] = (
    ("年初预算", "initial"),
    ("全年预算", "full_year"),
    ("调整预算", "full_year"),
    ("支出决算", "final"),
    ("决算", "final"),
)

# --------------------------------------------------------------------------- 政府采购

#: The kinds a 政府采购金额 splits into (their labels in the narrative).
PROCUREMENT_KINDS: tuple[str, ...] = ("货物采购金额", "工程采购金额", "服务采购金额")
#: SME amounts won in reserved projects and in other projects (the two may not exceed the total).
PROCUREMENT_SME = re.compile(
    r"在(?P<where>面向中小企业预留|其他)的?政府采购项目中，由中小企业供应商中标或成交的，采购金额(?P<num>\d[\d,]*(?:\.\d+)?)万元"
)

# --------------------------------------------------------------------------- names

#: A department's name as printed before a year ("上海市某区某局2024年度部门决算"): a place
#: (省/市/自治区, then 区/县/市) or 中共, then words ending in an organ's suffix.
DEPARTMENT_NAME = re.compile(
    r"(?P<name>(?:中共)?[\u4e00-\u9fff]{2,4}?(?:省|市|自治区)(?:[\u4e00-\u9fff]{1,5}?[区县市])?"
    r"[\u4e00-\u9fff]{0,20}?(?:局|委员会|部|办公室|院|中心|厅|委))(?:（本级）)?(?=\d{4}年)"
)

#: A narrative label's parts whose last-year values cannot exceed the label's own (持平 check):
#: 财政拨款收入支出总计 = 本年支出 + 年末结转, and 一般公共预算财政拨款支出 is part of 本年支出.
PART_OF: dict[str, tuple[str, ...]] = {
    "财政拨款收入支出总计": ("一般公共预算财政拨款支出",),
    "收入支出总计": ("本年支出合计", "本年收入合计"),
}

# --------------------------------------------------------------------------- the same figure twice

#: Cells two standard tables must agree on: (kind, canonical row, canonical column or None for the
#: row's first amount) on each side.
SAME_FIGURES: tuple[tuple[tuple[str, str, str | None], tuple[str, str, str | None]], ...] = (
    (("summary", "income_total", None), ("income", "total", "total")),
    (("summary", "expenditure_total", None), ("expenditure", "total", "total")),
    (("fiscal_summary", "expenditure_total", "general_public"), ("gp_expenditure", "total", "total")),
)
#: Summary tables whose expenditure rows (by 类 name) restate a coded table's 类 rows.
SAME_CLASS_ROWS: tuple[tuple[str, str], ...] = (("summary", "expenditure"), ("fiscal_summary", "gp_expenditure"))
