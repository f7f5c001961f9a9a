"""Typed models passed from stage to stage: Document (ingest), facts (extract), Finding (validate).

One model per concept. Every fact carries a `Provenance` that points at the exact place in the
source (page, table/row/col or character span) and the raw text it was read from. Numbers keep the
decimals they were printed with so validators can compare them as intervals.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Method = Literal["table", "rule", "llm", "ocr"]
Severity = Literal["error", "warning", "info"]
DocStatus = Literal["ok", "failed", "needs_ocr"]


# --------------------------------------------------------------------------- ingest


class Cell(BaseModel):
    """One cell of a table grid. A merged cell appears once, with its spans."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str
    page: int | None = None
    char_start: int | None = None  # span of `text` in Document.text (None if not laid out there)
    char_end: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # x0, y0, x1, y1 on the page
    confidence: float | None = None  # OCR confidence, when read by OCR


class Table(BaseModel):
    """A table as a cell grid with spans; `pages` lists every page it covers."""

    index: int
    n_rows: int
    n_cols: int
    cells: list[Cell]
    pages: list[int] = Field(default_factory=list)
    char_start: int | None = None
    char_end: int | None = None

    def grid(self) -> list[list[Cell | None]]:
        """Rows × cols; a merged cell fills every position it covers (same object)."""
        grid: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.rowspan, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.colspan, self.n_cols)):
                    grid[r][c] = cell
        return grid

    def cell_at(self, row: int, col: int) -> Cell | None:
        return self.grid()[row][col]

    def overlaps(self, start: int, end: int) -> bool:
        """The text span [start, end) shares characters with the table's (False without a span)."""
        if self.char_start is None or self.char_end is None:
            return False
        return start < self.char_end and self.char_start < end


class Block(BaseModel):
    """A paragraph or a table in reading order, with its character span in Document.text."""

    index: int
    kind: Literal["paragraph", "table"]
    page: int | None = None
    char_start: int
    char_end: int
    table: int | None = None  # Table.index when kind == "table"
    bbox: tuple[float, float, float, float] | None = None  # on its page, for a paragraph read by OCR
    confidence: float | None = None  # OCR confidence of a paragraph (the lowest of its text boxes)


class Page(BaseModel):
    number: int  # 1-based
    char_start: int
    char_end: int
    width: float | None = None
    height: float | None = None
    has_text: bool = True
    image_count: int = 0


class Document(BaseModel):
    """A source file read into one canonical text plus its layout (pages, blocks, tables)."""

    doc_id: str  # sha256 of the file bytes
    path: str
    format: str  # txt, html, docx, pdf, image
    status: DocStatus = "ok"
    error: str | None = None
    text: str = ""
    pages: list[Page] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    encoding: str | None = None

    def page_of(self, offset: int) -> int | None:
        """The page number holding a character offset (None for page-less formats)."""
        for page in self.pages:
            if page.char_start <= offset < page.char_end:
                return page.number
        return None


# --------------------------------------------------------------------------- provenance


class Provenance(BaseModel):
    """Where a value came from: the exact source place and the raw text read there."""

    doc_id: str
    method: Method
    raw: str  # the source text the value was read from, verbatim
    page: int | None = None
    block: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    confidence: float | None = None


class Number(BaseModel):
    """A number as printed: its value in the stored unit and the decimals it was printed with.

    `scale` is the factor from the printed unit to the stored one (1e-4 for 元 → 万元), so the
    printed precision ±½·10^-decimals becomes ±½·10^-decimals·scale in the stored unit.
    """

    value: float
    decimals: int = 0
    scale: float = 1.0

    @property
    def half_width(self) -> float:
        return 0.5 * 10 ** (-self.decimals) * self.scale

    @property
    def interval(self) -> tuple[float, float]:
        return (self.value - self.half_width, self.value + self.half_width)

    def agrees(self, other: Number) -> bool:
        """The two printed intervals overlap (not merely touch): 2481.78 agrees with 2481.775."""
        lo = max(self.interval[0], other.interval[0])
        hi = min(self.interval[1], other.interval[1])
        return lo < hi - 1e-12


# --------------------------------------------------------------------------- facts


class Amount(BaseModel):
    """A department-level money amount (万元) or rate (%).

    `key` is a gold-schema field (initial_budget, full_year_budget, executed, execution_rate_pct,
    basic_expenditure, project_expenditure, income_general_public, income_gov_fund, income_other)
    or a descriptive key for other mentions. `primary` marks the one fact chosen for a main field.
    """

    id: str = ""
    key: str
    number: Number
    unit: Literal["万元", "%"] = "万元"
    source: Literal["form", "narrative", "indicator", "table"] = "form"
    primary: bool = False
    label: str = ""  # the label text the amount was found under
    prov: Provenance
    project_id: str | None = None  # the project whose form it was read from (None: the document's own)


class Indicator(BaseModel):
    """One row of an indicator table (一级/二级/三级指标 …)."""

    id: str = ""
    table_seq: int  # which indicator table in the document (0, 1, …)
    table_kind: Literal["form", "completed", "uncompleted", "other", "narrative"] = "form"
    row_seq: int  # row order inside that indicator table
    level1: str | None = None
    level2: str | None = None
    level3: str | None = None
    target: str | None = None
    actual: str | None = None
    weight: Number | None = None
    score: Number | None = None
    deviation_reason: str | None = None
    prov: Provenance  # the row (table/row) or its span
    cells: dict[str, Provenance] = Field(default_factory=dict)  # field name -> cell provenance
    project_id: str | None = None  # the project whose form holds the row (None: the document's own form)


class SectionScore(BaseModel):
    """A level-1 (or level-2) section weight, with its score where the document states one."""

    id: str = ""
    level1: str
    level2: str | None = None
    weight: Number | None = None
    score: Number | None = None
    prov: Provenance
    cells: dict[str, Provenance] = Field(default_factory=dict)  # "weight" / "score" -> where each was read
    project_id: str | None = None  # the project whose form states it (None: the document's own)


class Project(BaseModel):
    """A project-level self-evaluation (项目支出绩效自评): one form, or one item of the narrative.

    A project read from a form is a scope of its own: its indicator rows, sections and cost
    amounts carry its id (`project_id`), and rules compare quantities within it. A narrative item
    that restates a form's project names it in `restates` and is not a project of its own.
    """

    id: str = ""
    name: str
    initial_budget: Number | None = None  # 年初预算数 of the funds row
    budget: Number | None = None  # 全年预算数 (年初预算数 where no other is stated)
    executed: Number | None = None
    rate_pct: Number | None = None  # 执行率 as printed
    funds_weight: Number | None = None  # 分值 of the funds row
    funds_score: Number | None = None  # 得分 of the funds row
    score: Number | None = None  # 总分 得分
    total_weight: Number | None = None  # 总分 分值
    title: str | None = None  # the form's printed heading
    source: Literal["form", "narrative"] = "narrative"  # a 自评表 of its own, or an item of the running text
    document_form: bool = False  # the form is the document itself: its funds row gives the main amounts
    restates: str | None = None  # id of the form project a narrative item restates
    prov: Provenance
    cells: dict[str, Provenance] = Field(default_factory=dict)  # field -> where it was read, when not all in `prov`


class LineItem(BaseModel):
    """An itemised amount under a parent subtotal (其中：… X万元；…)."""

    id: str = ""
    parent: str
    name: str
    number: Number
    prov: Provenance


class TotalScore(BaseModel):
    id: str = ""
    number: Number
    weight: Number | None = None  # the 总分 分值 column where the form has one
    prov: Provenance


class Mention(BaseModel):
    """A quantity stated in running text: value, unit (亩, 万亩, 个, 件, %, 万元 …) and its label.

    Validators use mentions to compare the narrative with tables (same quantity stated twice,
    unit mismatches, counts vs items listed).
    """

    id: str = ""
    kind: Literal["quantity", "count", "garbled"] = "quantity"
    label: str = ""  # text just before the number, e.g. "守住" / "专项业务费项目"
    number: Number | None = None
    unit: str = ""
    prov: Provenance


class DisclosureCell(BaseModel):
    """One amount of a standard 部门预算/决算 table (收入支出决算总表 …): the table kind, the row's
    label and 功能/经济分类 code (201 / 20101 / 2010101), the column header, in 万元."""

    id: str = ""
    table_kind: str  # summary, income, expenditure, fiscal_summary, gp_expenditure, gp_basic …
    phase: Literal["决算", "预算"] = "决算"
    table_seq: int  # which standard table of the document (a table split over pages is one)
    title: str = ""
    row_label: str = ""  # whitespace and leading ordinals removed (一、一般公共服务支出 → 一般公共服务支出)
    row_key: str = ""  # canonical total row (total, grand_total, income_total …) or ""
    code: str = ""  # full classification code, e.g. 2010601 or 30101
    column: str = ""  # the column's header cells joined top-down with "/"
    column_key: str = ""  # canonical column (total, basic, project, fiscal, budget, final …)
    number: Number
    prov: Provenance


class DisclosureFigure(BaseModel):
    """A figure the 情况说明 states about a label: an amount, a change (增加/减少 X万元, signed), a
    change or share or completion rate (%), or 持平 (no number). `section` is the heading's table
    kind; `base` says what a rate is of (initial / full_year budget, the share's whole)."""

    id: str = ""
    kind: Literal[
        "amount",
        "change",
        "change_pct",
        "share_pct",
        "rate_pct",
        "flat",
        "budget",
        "name",
        "purpose",
        "items",
        "vs_budget",
    ]
    label: str
    section: str = ""
    base: str = ""
    sentence: int = 0  # which sentence of the narrative (。；) states it
    inherited: bool = False  # the label is the subject of an earlier clause, not printed before the figure
    number: Number | None = None
    prov: Provenance


class Facts(BaseModel):
    """Everything extracted from one document."""

    doc_id: str
    department: str | None = None
    region: str | None = None
    year: int | None = None
    amounts: list[Amount] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    sections: list[SectionScore] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    line_items: list[LineItem] = Field(default_factory=list)
    total_score: TotalScore | None = None
    mentions: list[Mention] = Field(default_factory=list)
    disclosure_cells: list[DisclosureCell] = Field(default_factory=list)
    disclosure_figures: list[DisclosureFigure] = Field(default_factory=list)

    def project_scopes(self) -> set[str]:
        """Ids of the projects whose forms are scopes apart from the document's own: every
        project form of a file binding several forms, not the one form that is the document."""
        return {p.id for p in self.projects if p.source == "form" and not p.document_form}

    def all_facts(self) -> list[BaseModel]:
        facts: list[BaseModel] = [
            *self.amounts,
            *self.indicators,
            *self.sections,
            *self.projects,
            *self.line_items,
            *self.mentions,
            *self.disclosure_cells,
            *self.disclosure_figures,
        ]
        if self.total_score is not None:
            facts.append(self.total_score)
        return facts


# --------------------------------------------------------------------------- findings


class Finding(BaseModel):
    """An internal contradiction or suspicious value found by a validation rule."""

    rule: str
    severity: Severity
    message: str  # in Chinese; English in message_en (both rendered from pipeline/i18n)
    message_en: str = ""
    reported: float | None = None
    computed: float | None = None
    difference: float | None = None
    values: list[float] = Field(default_factory=list)  # every number the finding is about
    fact_ids: list[str] = Field(default_factory=list)
