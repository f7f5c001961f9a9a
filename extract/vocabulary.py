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
from collections import Counter

# --------------------------------------------------------------------------- form titles

#: A project-level form's title (项目支出绩效自评表, 財政项目绩效自评表, 项目绩效自评表, and a special
#: fund's 专项资金绩效自评表, which is the same template …).
#: A transfer payment's form (转移支付绩效目标自评表) is the same template, one fund for one project.
PROJECT_FORM_TITLE = re.compile(r"(?:项目(?:支出)?|专项(?:资金)?|转移支付)绩效(?:目标)?(?:自评|自我评价|评价)表")
#: A department-level form's title or name.
DEPARTMENT_FORM_WORDS: tuple[str, ...] = ("部门整体", "单位整体", "整体支出")

# --------------------------------------------------------------------------- header block

#: Header-block labels → what the cell beside them holds.
HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("项目名称", "project_name"),
    ("专项资金名称", "project_name"),  # a special fund's form (专项资金绩效自评表)
    ("专项名称", "project_name"),
    ("转移支付(项目)名称", "project_name"),  # a transfer payment's form
    ("转移支付（项目）名称", "project_name"),
    ("中央主管部门", "supervisor"),
    ("地方主管部门", "supervisor"),
    ("主管部门", "supervisor"),
    ("资金使用单位", "implementer"),
    ("实施单位", "implementer"),
    ("项目实施单位", "implementer"),
    ("项目负责人", "manager"),
    ("联系电话", "phone"),
    ("单位名称", "unit"),
    ("部门名称", "unit"),
)

# --------------------------------------------------------------------------- funds block

#: The labels printed in front of a funds row's values (年度资金总额 …).
FLAT_FUNDS_ROW_LABELS: tuple[str, ...] = ("年度资金总额", "资金总额", "支出总额", "资金合计", "金额合计")
#: The funds row's label in a grid: those, and the department form's merged block label
#: 部门预算执行情况(万元), beside which its values row stands with no label of its own.
FUNDS_ROW_LABELS: tuple[str, ...] = (*FLAT_FUNDS_ROW_LABELS, "预算执行情况")

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
    ("年初预", "initial_budget"),  # 年初预算数 with its 算 misread by OCR (年初预匏数); tried last
)

_FUNDS_COLUMN_WORD = "|".join(sorted((word for word, _ in FUNDS_COLUMNS), key=len, reverse=True))
#: Two funds-column titles in a row (…全年预算数全年执行数分值…): a flattened funds header, never a
#: sentence; an amount printed after it is a cell of the form, not a statement of the narrative.
FUNDS_HEADER_RUN = re.compile(rf"(?:{_FUNDS_COLUMN_WORD})数?(?:[(（][^()（）]{{0,8}}[)）])?\s*(?:{_FUNDS_COLUMN_WORD})")

# --------------------------------------------------------------------------- indicator table

#: Indicator-table header word → field; a header cell takes the first field it matches.
INDICATOR_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标", "指标名称", "指标内容")),
    ("actual", ("实际完成", "完成值", "实际值", "完成情况")),
    ("target", ("指标值", "目标值")),
    ("deviation_reason", ("偏差原因", "未完成原因", "差异的原因", "差异原因")),
    ("weight", ("分值", "权重")),
    ("score", ("得分", "评分")),
)

#: A level-1 indicator name (产出指标, 效益指标, 满意度指标 …, also 项目决策/项目管理 of older forms);
#: the words between never hold 指标 (产出指标数量指标 is a level-1 and a level-2 name run together).
LEVEL1_NAME = re.compile(r"^(产出|效益|满意度|成本|效果|管理|履职|决策|过程)(?:(?!指标)\S){0,4}指标")

#: The row that closes an indicator table with the form's total (a recovered form's grid closes it
#: with the form's own 自评得分 / 自评总分 from its header block).
TOTAL_ROW = re.compile(r"^(总分|合计|总计|自评总分|自评得分)")

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
    "本年一般公共预算",
    "上年结转",
    "其他资金",
)

#: Funds sub-rows naming a budget source → the income they give (their budget column's value).
SOURCE_INCOMES: tuple[tuple[str, str], ...] = (
    ("一般公共预算", "income_general_public"),
    ("政府性基金", "income_gov_fund"),
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

# --------------------------------------------------------------------------- narrative fund statements
# (narrative reports: how a sentence states a fund's budget, its spending and its rate; read by
# extract.budget_text.fund_statements on the matching form of the text, extract.normalize)

#: Words before an amount that make it money spent (`executed`); checked before the budget words.
SPENT_WORDS: tuple[str, ...] = (
    "实际支出",
    "实际总支出",
    "全年支出",
    "年度支出",
    "总支出",
    "累计支出",
    "累计支付",
    "累计拨付",
    "已支出",
    "支出决算",
    "决算支出",
    "执行数",
    "已拨付",
    "完成拨付",
    "已支付",
    "完成支付",
    "完成支出",
    "完成投资",
    "已发放",
    "实际发放",
    "实际使用",
    "已使用",
)
#: After an allocated amount: all of it was spent ("下达建设资金56万元,全部用于…排水沟建设").
ALL_SPENT_AFTER = re.compile(r"[，,]?\s*(?:已)?(?:全部|全额)(?:用于|使用|支出|支付)[^，,。；;]*")
#: Right after a fund's total, its parts follow ("，其中：中央资金…"; a document number in brackets may stand between).
#: A short clause without numbers may stand between ("…346.87万元,统一计入财政拨款收入,具体为A、B").
PARTS_LEAD = re.compile(
    r"\s*(?:[(（][^()（）]{1,30}[)）])?\s*(?:[，,]\s*[^，,。；;:：\d]{1,16}(?=[，,]\s*具体))?"
    r"[，,；;]?\s*(?:其中|具体为|具体是)[:：]?"
)
#: Words before an amount that make it the money made available (a budget: 批复 / 下达 / 安排 …).
BUDGET_WORDS: tuple[str, ...] = (
    "批复",
    "下达",
    "到位",
    "安排",
    "预算",
    "计划投资",
    "总投资",
    "指标金额",
    "投入",
    "筹集",
    "筹措",
    "资金共",
    "经费共",
    "资金总额",
)
#: A budget word's phase: the first matching pattern decides (no match: the year's budget).
BUDGET_PHASES: tuple[tuple[str, str], ...] = (
    ("年初(?:预算|批复|安排)(?:数|金额)?(?:为|是)?$", "initial_budget"),
    ("调整后|调整为|调整预算|全年", "full_year_budget"),
)
#: Money a sentence states the unit received, an evaluation covered, an estimate or what is left
#: unspent ("实际拨付金额是108万元" to the unit, "本次纳入绩效评价范围的资金X万元", "涉及资金X万元",
#: "估算投资X万元", "剩余未执行完的X万元"): stated amounts of their own (`fund_<key>_stated`), never
#: the fund's budget or spending; checked after the spending words, before NOT_THE_FUND.
OTHER_FUND_STATEMENTS: tuple[tuple[str, str], ...] = (
    (r"实际拨付金额|拨付金额", "received"),
    (r"评价范围|涉及资金|涉及金额", "evaluated"),
    (r"估算投资|估算总投资|概算投资|概算总投资", "estimated"),
    (r"剩余未执行|未执行完", "unspent"),
)
#: An amount stated as a whole (共/合计/总…): it beats the sentences that state one part.
TOTAL_MARK = re.compile(r"共|合计|总计|总额|总投资|总金额|累计")
#: A budget stated again after a change (调减/调增/追加/核减 between the two statements).
ADJUSTMENT_WORDS = re.compile(r"调减|调增|追加|核减")
#: Clauses whose amount is not the fund's: estimates, parts, per-unit standards.
NOT_THE_FUND = re.compile(
    r"^(?:其中|包括|含|分别)|估算|预计|预期|约为?$|每|标准|增加|减少|结余|剩余|上年|节约|收入|收益|利润|产值|销售|增收|带动|投入使用"
)
#: In a department report a spending statement must say it is the whole year's or a total.
WHOLE_SPENDING_MARK = re.compile(r"全年|年度|总|合计|共|累计")
#: A numbered item marker inside a clause (a heading run into its first item: "…情况1.年度重点项目"):
#: the clause starts after it.
ITEM_MARK = re.compile(r"(?:(?<![\d.])\d{1,2}[.、．](?!\d)|[(（][一二三四五六七八九十\d]{1,3}[)）])")
#: A clause that only names a fund before a colon ("2018年财政绿化包干经费:1080万元") states its budget.
FUND_NAME_END = re.compile(r"(?:经费|资金)$")
#: Rate words of money (执行率 …); `weak` ones count only where no strong one is printed.
RATE_WORDS: tuple[str, ...] = ("执行率", "支付率", "拨付率", "发放率")
#: A department report's rate is its budget's 执行率 (拨付率 / 支付率 there are its projects').
DEPARTMENT_RATE_WORDS: tuple[str, ...] = ("执行率",)
WEAK_RATE_WORDS: tuple[str, ...] = ("完成率", "完成预算的")
#: What may stand before a rate word for it to be the fund's rate ("资金拨付率", not "社会化发放率").
RATE_PREFIXES: tuple[str, ...] = (
    "",
    "预算",
    "资金",
    "项目",
    "项目预算",
    "项目资金",
    "预算资金",
    "总体",
    "整体",
    "预算总体",
)

# --------------------------------------------------------------------------- narrative project lists

#: An item name ends so for the list to be a list of projects (most of its names must).
PROJECT_NAME_END = re.compile(r"项目$")
#: Lead-in words before the first name of an itemised list ("具体是:A项目3005万元;B项目1235万元").
LIST_LEAD_IN = re.compile(r"^(?:其中|具体是|具体为|分别是|分别为|主要有|包括|[一二三四五六七八九十]+是)[：:]?")
#: A counted list of one unit's projects with amounts: "共有1个项目批复了绩效目标…。其中:A 46.00万元".
COUNTED_ITEMS_RE = re.compile(r"共有?\s*(?P<count>\d+)\s*个项目[^。]*。\s*其中[:：]\s*(?P<items>[^。]+)")
#: Names only, counted: "其中包括A项目、B项目和C项目等,共计16个项目".
NAMED_PROJECTS_RE = re.compile(r"(?:包括|包含)(?P<list>[^。；;：:]{4,}?)等[，,]?共(?:计)?(?P<count>\d+)个项目")
#: Names only, quoted: "对经管的“A专项资金”、“B专项资金”等专项资金开展绩效自评".
QUOTED_PROJECTS_RE = re.compile(r"(?P<list>“[^”]{4,60}”(?:[、,，]“[^”]{4,60}”)+)等")

# --------------------------------------------------------------------------- single-project narrative reports

#: Words that make a report a department's (部门整体支出 …), not one project's.
DEPARTMENT_REPORT_WORDS = re.compile(r"部门整体|单位整体|整体支出|整体绩效|整体和项目|部门决算")
#: A title line's report words at its end; what stands before them is the project's name.
TITLE_SUFFIX = re.compile(
    r"\s*(?:支出)?(?:\d{4}\s*年度?)?\s*(?:绩效)?(?:目标)?(?:自评|评价|监控)(?:总结|情况)?的?(?:报告|结果|表)(?:[(（]\d{4}\s*年度?[)）])?$"
)
#: A file name line (a mirror's download name), not the report's title.
FILE_NAME = re.compile(r"\.(?:docx?|pdf|wps|xlsx?)\s*$", re.IGNORECASE)
#: Before a project's name: a bracketed tag ("(直达资金)"), or the unit and fiscal year ("县司法局2020年度").
NAME_PREFIX = re.compile(
    r"(?:(?:关于|[(（][^()（）]{1,8}[)）]|.*?\d{4}\s*年度|我(?:省|市|县|区|镇|乡|局|单位|处|委)|本单位|该)\s*)+"
)
#: Inside a name found in running text, words after which the name only starts (a heading run into
#: the sentence, a verb with the kind of money it moves, a pronoun): "…下达预算及项目情况我县2022年X项目"
#: → "2022年X项目", "中央、市级下达转移支付X项目40万元" → "X项目".
NAME_CUT = re.compile(r".*(?:情况|下达(?:转移支付|专项)?(?:资金)?|安排|我(?:省|市|县|区|镇|乡|局|单位|处|委))")
#: Sentences that name the project (first match wins, in this order after 项目名称 and the title):
#: the budget sentence's "…项目计划投资", 现将X绩效自评报告如下, “X”, 对X开展绩效评价, 用于X项目.
PROJECT_NAME_SENTENCES: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?P<name>[^，,。；]{4,60}?项目)(?=计划投资|总投资|实际下达|下达|安排)"),
    re.compile(
        r"现将(?P<name>[^，,。；]{4,60}?)\s*(?:\d{4}\s*年度?)?(?:绩效目标|绩效)(?:自评|评价)(?:情况|总结)?报告如下"
    ),
    re.compile(r"“(?P<name>[^”]{4,60}?(?:资金|经费|项目|专项))”"),
    re.compile(
        r"对(?:\d{4}\s*年度)?(?P<name>[^，,。；“”]{4,40}?(?:专项|经费|项目))(?:资金)?(?:进行了?|开展了?)(?:绩效)?(?:评价|自评)"
    ),
    re.compile(r"用于(?P<name>[^，,。；]{4,40}?项目)(?:支出|建设)?[，,。；]"),
)
#: "项目名称：X" (X up to a delimiter or, in run-together forms, the next header label).
PROJECT_NAME_FIELD = re.compile(
    r"项目名称(?:为|是|[:：])?\s*(?P<name>[^，,。；:：\s]{2,80}?)(?=[，,。；\s]|主管部门|实施单位|$)"
)
#: A project's own score in its report ("项目自评分:100分", "综合评价得分为99.8分").
PROJECT_SCORE_RE = re.compile(r"(?:项目)?自评(?:得)?分(?:为|是|[:：])?\s*(?P<num>\d+(?:\.\d+)?)\s*分")

# --------------------------------------------------------------------------- the reporting unit (narrative reports)

#: How an agency's name ends (longest first where one ends another).
AGENCY_SUFFIXES = "人民政府|委员会|办公室|学院|大学|中学|小学|医院|局|厅|委|中心|院|所|站|队|处|馆|署|部"
_AGENCY_IN_TEXT = r"[\u4e00-\u9fff]{2,30}?(?:" + AGENCY_SUFFIXES + ")"
#: A title line that opens with the agency: "忠县民政局2024年度…报告", "附件:1.X2020年度部门整体…",
#: "第三部分X2024年度部门决算情况说明" (a part heading of a 决算 or 预算 binding), "关于X2022年度…的报告".
DEPARTMENT_TITLE_RE = re.compile(
    r"\s*(?:附件[:：]?\s*\d*[.、．]?|标\s*题|第[一二三四五六七八九十]+部分)?\s*(?:关于)?\s*(?:\d{4}\s*年度?)?\s*(?P<name>"
    + _AGENCY_IN_TEXT
    + r")(?=\s*(?:关于|\d{4}\s*年|部门|中央|专项|项目|整体|预算|决算|绩效|财政))[^。]{0,60}?(?:报告|情况|说明|结果|自评表|自评价)"
)
#: The report speaking of its own unit.
DEPARTMENT_SELF_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"现将(?:\d{4}\s*年度?)?(?P<name>" + _AGENCY_IN_TEXT + r")(?=财政|项目|部门|整体|\d{4})"),
    re.compile(r"(?P<name>" + _AGENCY_IN_TEXT + r")(?:及其下属|对(?!口|照|于|比))"),
    re.compile(r"由(?P<name>" + _AGENCY_IN_TEXT + r")(?:负责|牵头)?(?:组织)?实施"),
)
#: Labels of a page's or a form's header block that may follow a unit's name with no space between.
HEADER_BLOCK_LABELS = (
    "填报日期|填表日期|填报人|发布机构|发布日期|主题分类|联系电话|项目名称|主管部门|项目资金|项目负责人"
)
#: The project's own unit, the unit a project self-evaluation or evaluation reports for ("实施单位:X",
#: "项目实施单位 X", "评价项目单位：X"); read after the unit's own fields, title and self-references
#: but before a signature (an evaluation report is signed by the evaluator), and only a name that
#: opens with its place (not "对项目实施单位进行了…").
DEPARTMENT_IMPLEMENTER_LABEL = r"(?:(?:评价)?项目(?:实施)?|实施)单位[:：]?\s*"
#: An evaluation report naming the unit whose funds it evaluates ("我们对方城县动物疫病预防控制中心
#: 动物防疫专项经费进行了绩效评价"); read with the project's unit (a name that opens with its place).
DEPARTMENT_EVALUATED_RE = re.compile(
    r"对(?P<name>"
    + _AGENCY_IN_TEXT
    + r")(?:的)?[^，,。；]{0,20}?(?:专项经费|专项资金|资金|经费|项目)[^，,。；]{0,10}?进行了?(?:绩效)?(?:评价|自评)"
)
#: A county / city / province in a name.
REGION_MARK = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:省|市|县|州|旗|自治区|(?<!社|园|小|片|景|校|院|厂)区)")
#: Words that make a "name" not an agency (a fund, a project, a sentence).
NOT_AN_AGENCY = re.compile(r"项目|资金|经费|绩效|报告|情况|我|根据|按照|关于|的")

# --------------------------------------------------------------------------- region (section `region`)
# (where the reporting body sits, extract/meta.py `region` with the gazetteer of extract/places.py;
# these say where a report prints its place when the unit's own name does not)

#: Party and state prefixes before the place in a unit's name ("中共西平县委宣传部").
REGION_NAME_PREFIX = re.compile(r"^(?:中国共产党|中共)")
#: What may stand before the place that opens a title line: a chunk marker or bracketed note
#: ("1、", "(直达资金)", "《"), an attachment number, the year ("2023年西平县…").
REGION_TITLE_LEAD = re.compile(
    r"^[\s#*]*(?:\d{1,2}[、.．]\s*)?(?:[(（【\[][^)）】\]]{1,10}[)）】\]])?[《“\"]?\s*"
    r"(?:附件\s*[:：]?\s*\d*[.、．]?\s*)?(?:\d{4}\s*年度?\s*)?"
)
#: A title line names the report itself.
REGION_TITLE_WORDS = re.compile(r"绩效|自评|评价|决算|预算|报告")
#: The publisher fields of a government page ("来源:天津市东丽区财政局", "[ 发布机构 ] X"; not 资金来源).
REGION_FIELD_RE = re.compile(r"(?:信息来源|(?<!资金)来源|发布机构|发文机关|发布单位|责任部门)\s*[\]】]?\s*[:：]?\s*")
#: The report speaking of itself: "现将巩义市2023年…", the place followed by what is reported on
#: (not "现将X市财政局关于…的通知转发给你们").
REGION_SELF_RE = re.compile(r"现将(?:\d{4}\s*年度?)?")
REGION_SELF_NEXT = re.compile(r"\s*(?:\d{4}|财政(?![局厅部委])|项目|部门|整体|绩效|衔接|专项|资金)")

# --------------------------------------------------------------------------- forms run together
# (section of the flattened-form recogniser, extract/recover.py: forms whose cells were run together
# without separators by a mirror site or an OCR pass; matched on text with all whitespace removed)


#: The label of the block that holds the funds row ("预算执行情况 (万元) (20 分)"); its weight
#: annotation is the 预算执行 section's weight.
FUNDS_BLOCK_LABEL = re.compile(r"预算执行")

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
#: Whole indicator-header titles whose two printed lines an OCR pass may interleave (参考分值 read
#: as 考值参分, 全年完成值 as 年成值全完值): a run of exactly a title's characters in any order, one of
#: them repeated at most, is that column (see `scrambled_title`).
SCRAMBLED_TITLES: tuple[tuple[str, str], ...] = (
    ("参考分值", "weight"),
    ("指标分值", "weight"),
    ("指标权重", "weight"),
    ("全年完成值", "actual"),
    ("实际完成值", "actual"),
    ("全年实际值", "actual"),
    ("年初指标值", "target"),
    ("年度指标值", "target"),
    ("指标得分", "score"),
)
_SCRAMBLED_RUN = re.compile(
    "|".join(f"[{title}]{{{len(title)},{len(title) + 1}}}" for title in sorted({t for t, _ in SCRAMBLED_TITLES}))
)


def scrambled_titles(text: str) -> list[tuple[int, int, str]]:
    """(start, end, field) of every header title printed with its characters out of order."""
    found = []
    for m in _SCRAMBLED_RUN.finditer(text):
        run = m.group()
        for title, name in SCRAMBLED_TITLES:
            missing = Counter(title) - Counter(run)
            extra = Counter(run) - Counter(title)
            if not missing and sum(extra.values()) <= 1 and title not in run:
                found.append((m.start(), m.end(), name))
                break
    return found


#: A level-1 name opening a group of rows in a run-together indicator table; the older forms'
#: 项目决策/项目管理/项目产出/项目效益 carry their weight ("(10分)"), which also lets an OCR'd
#: first character through (顼目产出).
FLAT_LEVEL1 = re.compile(
    r"(?:产出|效益|满意度|效果)\s*指标(?:[(（]\d+(?:\.\d+)?分?[)）])?"
    r"|\S目(?:决策|管理|产出|效益|过程)[(（]\d+(?:\.\d+)?分?[)）]"
)
#: A level-2 name opening a row group; the bare forms (成本, 时效) are tried only at a row start. The
#: older forms' 项目目标/项目立项/项目实施 let through the 目 an OCR pass reads as Latin letters or
#: digits (one or two: F1, H), the rest of the name pinning it.
FLAT_LEVEL2 = re.compile(
    r"(?:(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|满意度)指标"
    r"|项(?:目|[A-Za-z0-9]{1,2})(?:目标|立项|实施)|投入管理|财务管理|绩效目标|资金投入|资金管理|组织实施"
    r"|数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续性|可持续影响|服务对象满意度)"
    r"(?:[(（]\d+(?:\.\d+)?分?[)）])?"
)
#: The rest of the last indicator-header cell after the column word the header was found by
#: (偏差原因 + 分析及改进措施): not the first row's name.
FLAT_HEADER_TAIL = re.compile(r"(?:原因)?(?:分析)?(?:及|和)?改进措施|分析")

#: Template numbering and placeholder rows ("指标1:", "指标2:", OCR "指标L", "……").
FLAT_PLACEHOLDER = re.compile(r"指标[0-9LlI][:：]?|…+|\.{3,}")
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

#: A comparison printed before a target's number (≥, 不低于 …), in a run-together row.
FLAT_OPERATOR = r"(?:[≥≤><=＞＜＝]=?|大于等于|小于等于|不低于|不高于|不少于|不超过|大于|小于)"
#: A target or actual printed as a number with its unit (≥500人, 97.2%, ≤310万元): in a run-together
#: row, a 三级指标 name followed by two of them is cut where the first one's unit ends.
FLAT_VALUE = re.compile(FLAT_OPERATOR + r"?\d+(?:\.\d+)?(?:%|‰|[\u4e00-\u9fff]{1,3})")

#: The form's own total in its header block (自评得分98, 自评总分(分)97.6); the recovered grid closes
#: the indicator table with it, so the total row's words include its label.
FLAT_TOTAL = re.compile(
    r"(?P<label>自评(?:总分|得分)(?:[(（]分[)）])?)(?P<number>(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?)(?![\d.])"
)

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

# --------------------------------------------------------------------------- target forms (section `targets`)

#: A project's performance-target form (项目支出绩效目标申报表, 项目绩效目标表, <项目名>绩效目标表): the
#: 自评表's header block and indicator table, but targets only — no 执行数, no 得分, no 总分. Its
#: 项目名称 may print a colon (项目名称：), which the label match ignores; a form titled so without
#: a 项目名称 cell, or naming 部门整体, is not a project's.
TARGET_FORM_TITLE = re.compile(r"绩效目标(?:申报)?表")

#: A target form's header label for the year's funds of the project (本年度项目金额（万元）; 年度资金
#:总额 / 资金总额 in a 项目资金（万元） block), read only where the label or its block says 万元; a
#: multi-year total (项目总金额（中期规划）) is not the year's.
TARGET_FUNDS_LABELS: tuple[str, ...] = (
    "本年度项目金额",
    "本年度资金",
    "年度资金总额",
    "年度预算资金总额",
    "资金总额",
    "年度预算金额",
)

#: A target form's funds that exceed its largest 成本 target (万元) by more than this factor are
#: printed in 元 under a 万元 label (a cost target is a share of the project's funds): not read.
TARGET_FUNDS_COST_RATIO = 1000

# --------------------------------------------------------------------------- scattered forms (section `scattered`)
# Words that let extract/scattered.py read a form whose text layer prints its cells out of reading
# order: the template's words stand as tokens of their own (a word wrapped over several tokens,
# "年度 指标值", "绩 效 指 标", is joined), everything else is a number, a value or free text.

#: An indicator-table header title printed as a token of its own (or wrapped over a few).
SCATTERED_HEADER = re.compile(
    r"[一二三]级指标|指标名称|(?:年度|全年|年初)?(?:指标值|目标值)|(?:实际|全年)?完成值|实际完成情况?"
    r"|分值|权重|得分|偏差原因(?:分析)?(?:及改进措施)?|未完成原因(?:分析)?(?:及改进措施)?|改进措施"
)

#: A target or actual printed as a token: a number with its comparison and unit (=100%, ≥90%,
#: 500人), or a dash placeholder.
SCATTERED_VALUE = re.compile(FLAT_OPERATOR + r"?\d+(?:\.\d+)?(?:%|‰|[\u4e00-\u9fff]{1,3})?|[-—–/]")

#: A page folio printed inside a form (-1-, 第2页).
SCATTERED_FOLIO = re.compile(r"[-—－]\d{1,3}[-—－]|第\d{1,3}页(?:共\d{1,3}页)?")

#: The level-1 name each level-2 name stands under in the national template (数量指标 under 产出指标):
#: level-1 name prefixes → level-2 name prefixes; the first entry whose level-1 name the form prints
#: wins (成本指标 under its own level-1 name in the newer forms, under 产出指标 in the older; the
#: 2016 form's 效果指标 for 效益指标).
LEVEL2_PARENTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("产出",), ("数量", "质量", "时效", "产出")),
    (("成本",), ("成本", "经济成本", "社会成本", "生态环境成本", "生态成本")),
    (("产出",), ("成本",)),
    (("效益", "效果"), ("经济效益", "社会效益", "生态效益", "环境效益", "可持续")),
    (("满意度",), ("服务对象满意度", "社会公众满意度", "满意度")),
)

# --------------------------------------------------------------------------- allocation line items
# (extract/line_items.py `allocation_items`: an allocation followed by the parts it pays for,
# "下达我区111万元，其中低保资金100万元，孤儿基本生活保障金11万元，调减40万元，全年实际下达71万元")

#: A part named by who gives or receives the money (中央资金, 市级财政资金, 自筹资金, 下达地市, 区直…)
#: or by a budget category (基本支出, 人员经费, 一般公共预算 …): the allocation's sources or split,
#: not what it pays for (those are `Amount`s: extract/budget_text.py).
PART_NOT_AN_ITEM = re.compile(
    r"中央|省级|省财政|省直|市级|市财政|市直|县级|县财政|县直|区级|区财政|区直|乡镇|本级|上级|地方|地市|"
    r"自筹|配套|社会资本|贷款|债券|收入|基本支出|项目支出|人员经费|公用经费|一般公共预算|政府性基金|"
    r"财政拨款|结转|结余|上年|"
    r"采购|货物类|工程类|服务类"  # 政府采购 goods / works / services: procurement categories
)
#: A part that reduces the allocation (its line item is negative).
PART_DECREASE = re.compile(r"调减|核减|减少|收回")
#: An amount stated as a whole that the next sentences may break down ("共计11个,涉及资金X万元。
#: …涉及金额为A万元;…涉及金额为B万元"): the parts that follow and add up to it are its line items.
BREAKDOWN_TOTAL = re.compile(r"共|合计|总计|总额|累计|涉及资金")
#: The word that opens a total's parts in its own sentence (read by the parts recognisers, not as a breakdown).
PARTS_WORD = re.compile(r"其中|具体为|具体是")
#: The transfer-payment report's budget line stated by its items, no total printed with them
#: ("1.预算数:2021年,包含补助18个年度重点项目资金774万元、补助6名传承人记录工作资金240万元、…"):
#: each listed amount (joined by 、) is a part of the budget.
BUDGET_LIST_HEAD = re.compile(r"预算数?[:：][^。；;，,:：]{0,12}[，,]?\s*(?:包含|包括)[:：]?")
#: A change stated against the year's first budget ("比年初预算增加758.97万元"): an adjustment of the total.
ADJUSTMENT_VS_INITIAL = re.compile(r"比年初(?:预算|批复)数?(?:增加|减少|调增|调减)$")

# --------------------------------------------------------------------------- money detail tables
# (extract/money_table.py: a table that itemises money by recipient or use, 资金使用明细 / 补助资金
# 分配表: 序号 | 培训机构 | … | 补助资金 |; pipeline/readers/flat_tables.py keeps it as a table)

#: The header of a money column (补助资金, 金额(万元), 拨付经费 …).
DETAIL_MONEY_COLUMN = re.compile(r"(?:资金|金额|经费)(?:[(（][^()（）]{0,12}[)）])?$")
#: The header of the column that names each item (培训机构, 单位名称, 项目名称, 资金用途 …).
DETAIL_NAME_COLUMN = re.compile(r"名称|机构$|单位$|用途|内容|明细|对象$")
#: A column formula printed under the header ("⑧=④*⑦"): the column is the product of two others.
DETAIL_FORMULA = re.compile(r"^(?P<col>[①-⑳])\s*[=＝]\s*(?P<a>[①-⑳])\s*[*×xX]\s*(?P<b>[①-⑳])$")
