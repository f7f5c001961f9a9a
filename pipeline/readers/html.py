"""HTML reader (stdlib `html.parser`): block text as paragraphs, `<table>` as cell grids.

A saved government page is mostly site chrome: navigation, the site header, breadcrumbs, share
buttons, 相关链接, friend-site link lists and the footer. `main_content` removes them before the page
is read, by structure and density (our own, measured on real pages; readability-lxml and
trafilatura were not kept: they return their own text or HTML without the tables' spans and
offsets this reader needs, and pick one article node, dropping the title and date beside it):

* `<nav>`, `<aside>`, `<footer>`, and a `<header>` outside `<article>`/`<main>`;
* an element whose class or id names chrome (main-nav, menu, header, footer, sidebar,
  breadcrumb, bshare, related-links, links, copyright, search, login …; by word, so `relative` or
  `research` are not);
* an element whose text is mostly link text (≥ 50 %): menus, 相关链接 and link lists (a link to
  a file — .pdf, .doc, .xls … — is an attachment of the article, not a link to another page; a
  table cell or row needs three links or more, as a data cell may link its project's name);

unless the element holds a large share of the page's sentences (their 。，；): a wrapper named
`main-nav-layout` around the article is not chrome. A table cell judged chrome is emptied, not
removed, so the grid keeps its shape. A page where nothing but chrome would remain, or which
lxml cannot parse, is read whole.

Charset: a byte-order mark, then valid UTF-8 (the bytes themselves), then the `<meta charset>` or
`http-equiv` declaration (gb2312/gbk read as their superset gb18030), then GB18030.

Scripts, styles and the head are dropped; entities are decoded; runs of whitespace collapse to one
space (except in `<pre>`); `<br>` is a line break inside a paragraph or cell. Cells are placed on
the grid the way browsers do: a cell takes the next column not covered by a rowspan from above.
A table nested in a cell is flattened into that cell's text (rows by newline, cells by a space).

Canonical text: each paragraph on its own line(s); a table as its rows on separate lines with the
cells of a row joined by tabs (a merged cell once, at its first row and column). HTML has no
pages: the document is one page.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pipeline.models import Block, Cell, Document, Page, Table
from pipeline.readers.errors import ReadError

_SKIP = {"script", "style", "head", "noscript", "template", "svg", "object"}
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header",
    "footer", "blockquote", "pre", "dt", "dd", "dl", "hr", "address", "center", "form", "fieldset",
    "nav", "aside", "main", "figure", "figcaption", "caption", "body", "html",
}  # fmt: skip
_MAX_SPAN = 1000
_SPACES = re.compile(r"[ \t\r\n\f]+")


@dataclass
class _HtmlCell:
    text: str
    rowspan: int
    colspan: int


@dataclass
class _HtmlTable:
    rows: list[list[_HtmlCell]] = field(default_factory=list)
    cell: list[str] | None = None  # text parts of the open cell
    spans: tuple[int, int] = (1, 1)

    def close_cell(self) -> None:
        if self.cell is None:
            return
        text = _clean("".join(self.cell))
        if not self.rows:
            self.rows.append([])
        self.rows[-1].append(_HtmlCell(text, *self.spans))
        self.cell = None


def _clean(text: str) -> str:
    """Trim each line of collapsed text and drop blank lines at the ends."""
    lines = [line.strip(" ") for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str | _HtmlTable] = []
        self.paragraph: list[str] = []
        self.tables: list[_HtmlTable] = []  # open tables, innermost last
        self.nested: list[int] = []  # depth of tables opened inside a cell of the outer table
        self.skip = 0
        self.pre = 0

    # ---- text sinks
    def _sink(self) -> list[str] | None:
        if not self.tables:
            return self.paragraph
        return self.tables[-1].cell  # None: text between cells, ignored

    def _write(self, text: str) -> None:
        sink = self._sink()
        if sink is not None:
            sink.append(text)

    def _flush(self) -> None:
        text = _clean("".join(self.paragraph))
        if text:
            self.items.append(text)
        self.paragraph = []

    # ---- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "pre":
            self.pre += 1
        if self.nested and self.nested[-1] > 0:
            self._nested_start(tag)
            return
        if tag == "table":
            if self.tables and self.tables[-1].cell is not None:
                self.nested.append(1)  # flatten into the open cell
                return
            self._flush()
            self.tables.append(_HtmlTable())
        elif tag == "tr" and self.tables:
            self.tables[-1].close_cell()
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            table = self.tables[-1]
            table.close_cell()
            values = dict(attrs)
            table.cell = []
            table.spans = (_span(values.get("rowspan")), _span(values.get("colspan")))
        elif tag == "br":
            self._write("\n")
        elif tag in _BLOCK:
            if self.tables:
                self._write("\n")
            else:
                self._flush()

    def _nested_start(self, tag: str) -> None:
        if tag == "table":
            self.nested[-1] += 1
        elif tag == "tr" or tag in _BLOCK or tag == "br":
            self._write("\n")
        elif tag in ("td", "th"):
            self._write(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
            return
        if self.skip:
            return
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)
        if self.nested and self.nested[-1] > 0:
            if tag == "table":
                self.nested[-1] -= 1
                if self.nested[-1] == 0:
                    self.nested.pop()
            return
        if tag == "table" and self.tables:
            table = self.tables.pop()
            table.close_cell()
            table.rows = [row for row in table.rows if row] or table.rows
            if any(table.rows):
                self.items.append(table)
        elif tag in ("td", "th") and self.tables:
            self.tables[-1].close_cell()
        elif tag in _BLOCK:
            if self.tables:
                self._write("\n")
            else:
                self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._write(data if self.pre else _SPACES.sub(" ", data))

    def close(self) -> None:
        super().close()
        while self.tables:
            self.handle_endtag("table")
        self._flush()


# --------------------------------------------------------------------------- charset

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([-\w:.]+)""", re.IGNORECASE)
_GB = {"gb2312", "gbk", "gb18030", "euc_cn", "hz"}  # read as GB18030, which contains them all


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text and encoding: BOM, else valid UTF-8, else the declared charset, else GB18030."""
    from pipeline.readers.text import decode_text

    declared = declared_charset(data)
    if declared is None or declared == "utf-8" or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data)
    try:
        return data.decode("utf-8"), "utf-8"  # the bytes are UTF-8 whatever the tag says
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(declared), declared
    except (UnicodeDecodeError, LookupError):
        return decode_text(data)


def declared_charset(data: bytes) -> str | None:
    """The charset a `<meta>` tag in the first 4 KB declares, as a Python codec name."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii", "replace")).name
    except LookupError:
        return None
    return "gb18030" if name.replace("-", "_") in _GB else name


def read_html(data: bytes, doc_id: str, path: str) -> Document:
    """Read a saved web page: its charset, then its main content (see the module docstring)."""
    text, encoding = decode_html(data)
    if "\x00" in text[:4096]:
        raise ReadError("binary data, not an HTML page (contains NUL bytes)")
    return html_to_document(main_content(text), doc_id, path, encoding)


# --------------------------------------------------------------------------- site chrome

_CHROME_TAGS = {"nav", "aside", "footer"}
# A class or id token is chrome when one of its -/_ parts starts with a chrome word (main-nav,
# navbar, bsharebox1, related-links; not relative, research), or when the whole token is one of the
# short generic names (header, foot, links, 当前位置 as weizhi/dqwz …), optionally site-/page-/top-.
_CHROME_PART = re.compile(
    r"(?:^|[-_])(?:nav|menu|footer|breadcrumb|crumb|b?share|sidebar|copyright|search|login|friend-?link|relate[ds]?(?![a-z]))",
    re.IGNORECASE,
)
_CHROME_TOKEN = re.compile(
    r"(?:(?:site|page|global|top|g)[-_]?)?"
    r"(?:header|foot|bottom|links?|topbar|toolbar|dh|daohang|weizhi|dqwz|location|position|xglj|xgxx)\d*",
    re.IGNORECASE,
)
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|et|wps|ods|odt|zip|rar|7z)(?:[?#].*)?$", re.IGNORECASE)  # content
_SENTENCE_MARKS = "。，；"
_TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th"}
_MENU_LINKS = 3  # a table part of mostly link text is chrome only with this many links (a menu cell)
_LINK_SHARE = 0.5  # an element this much link text is a menu or a link list
_PROSE_SHARE = 0.3  # an element with this share of the page's sentence marks is content, whatever its name


@dataclass
class _Counts:
    text: int = 0  # characters of text, whitespace excluded
    links: int = 0  # of them inside <a>
    marks: int = 0  # sentence punctuation
    anchors: int = 0  # <a> elements linking to pages (not attachments)


def main_content(text: str) -> str:
    """The page without its site chrome, as HTML (the page itself when nothing is removed)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return text
    counts = _count(root)
    body = root.find("body")
    total = counts.get(body if body is not None else root, _Counts())
    chrome = []
    stack = [body if body is not None else root]
    while stack:
        el = stack.pop()
        if el is not body and _is_chrome(el, counts.get(el, _Counts()), total):
            chrome.append(el)
            continue
        stack.extend(child for child in el if isinstance(child.tag, str))
    if not chrome:
        return text
    kept = total.text - sum(counts[el].text for el in chrome if el in counts)
    if kept <= 0:
        return text  # nothing but chrome: read the page whole
    for el in chrome:
        if el.tag in ("td", "th"):
            tail = el.tail
            el.clear()  # the cell stays, so the grid keeps its shape
            el.tail = tail
        else:
            el.drop_tree()
    return lxml.html.tostring(root, encoding="unicode", method="html")


def _count(root) -> dict:
    """Text, link text and sentence marks under every element, in one pass from the leaves up."""
    counts: dict = {}
    order = [el for el in root.iter() if isinstance(el.tag, str)]
    for el in reversed(order):
        if el.tag in _SKIP:
            counts[el] = _Counts()
            continue
        own = (el.text or "") + "".join(child.tail or "" for child in el)
        c = _Counts(text=len("".join(own.split())), marks=sum(own.count(m) for m in _SENTENCE_MARKS))
        for child in el:
            sub = counts.get(child)
            if sub is not None:
                c.text += sub.text
                c.links += sub.links
                c.marks += sub.marks
                c.anchors += sub.anchors
        if el.tag == "a" and not _ATTACHMENT.search(el.get("href") or ""):
            c.links, c.anchors = c.text, c.anchors + 1
        counts[el] = c
    return counts


def _is_chrome(el, counts: _Counts, total: _Counts) -> bool:
    """Whether an element is site chrome (see the module docstring)."""
    if total.marks and counts.marks >= _PROSE_SHARE * total.marks:
        return False
    if el.tag in _CHROME_TAGS:
        return True
    if el.tag == "header" and not any(a.tag in ("article", "main") for a in el.iterancestors()):
        return True
    tokens = " ".join(filter(None, (el.get("class"), el.get("id")))).split()
    if any(_CHROME_PART.search(token) or _CHROME_TOKEN.fullmatch(token) for token in tokens):
        return True
    if el.tag in _TABLE_PARTS and counts.anchors < _MENU_LINKS:
        return False  # a data cell may link its project name to a page of its own
    return counts.text > 0 and counts.links >= _LINK_SHARE * counts.text and el.tag != "a"


# --------------------------------------------------------------------------- document


def html_to_document(text: str, doc_id: str, path: str, encoding: str | None) -> Document:
    """Parse decoded HTML into a Document with paragraph and table blocks."""
    parser = _Parser()
    parser.feed(text)
    parser.close()
    parts: list[str] = []
    length = 0
    blocks: list[Block] = []
    tables: list[Table] = []

    def emit(piece: str) -> tuple[int, int]:
        nonlocal length
        parts.append(piece)
        length += len(piece)
        return length - len(piece), length

    for item in parser.items:
        if isinstance(item, str):
            start, end = emit(item)
            blocks.append(Block(index=len(blocks), kind="paragraph", page=1, char_start=start, char_end=end))
            emit("\n")
            continue
        table_start = length
        cells = []
        for r, row in enumerate(_place(item.rows)):
            if r:
                emit("\n")
            for k, (col, cell) in enumerate(row):
                if k:
                    emit("\t")
                start, end = emit(cell.text)
                cells.append(
                    Cell(
                        row=r,
                        col=col,
                        rowspan=min(cell.rowspan, len(item.rows) - r),
                        colspan=cell.colspan,
                        text=cell.text,
                        page=1,
                        char_start=start,
                        char_end=end,
                    )
                )
        index = len(tables)
        n_cols = max((c.col + c.colspan for c in cells), default=0)
        tables.append(
            Table(
                index=index,
                n_rows=len(item.rows),
                n_cols=n_cols,
                cells=cells,
                pages=[1],
                char_start=table_start,
                char_end=length,
            )
        )
        blocks.append(
            Block(index=len(blocks), kind="table", page=1, char_start=table_start, char_end=length, table=index)
        )
        emit("\n")
    canonical = "".join(parts)
    return Document(
        doc_id=doc_id,
        path=path,
        format="html",
        text=canonical,
        encoding=encoding,
        pages=[Page(number=1, char_start=0, char_end=len(canonical))],
        blocks=blocks,
        tables=tables,
    )


def _place(rows: list[list[_HtmlCell]]) -> list[list[tuple[int, _HtmlCell]]]:
    """Each row's cells with their grid column, skipping columns covered by rowspans above."""
    covered: set[tuple[int, int]] = set()
    placed: list[list[tuple[int, _HtmlCell]]] = []
    for r, row in enumerate(rows):
        col = 0
        out = []
        for cell in row:
            while (r, col) in covered:
                col += 1
            out.append((col, cell))
            for dr in range(min(cell.rowspan, len(rows) - r)):
                for dc in range(cell.colspan):
                    covered.add((r + dr, col + dc))
            col += cell.colspan
        placed.append(out)
    return placed
