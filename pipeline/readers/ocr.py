"""Scanned PDFs and images → Document, by offline OCR with tables rebuilt from their ruling lines.

Pages are rendered with pypdfium2 (200 dpi colour) or loaded from the image (every frame of a
TIFF), their red seals read out and deskewed (`grid.py`), read by `rapidocr` with the PP-OCR models
its wheel ships (no download: the models are pinned to the bundled files), turned upright when
they lie on their side or upside down (`upright_turns`), and searched for ruled tables. Each OCR box goes to the
table cell holding its centre; the rest become paragraphs in reading order, with wrapped lines
joined. A table that ends a page and goes on, as wide, at the top of the next is one table (column
lines of both parts merged); where its bottom was left open the row split by the page is joined.
`ocr_if_needed` is the readers' hook: a document left `needs_ocr` (a scanned PDF, an image) is read
here, and stays `needs_ocr` if OCR finds no text.

The canonical text is laid out like the docx reader's: one line per paragraph, a table's rows on
separate lines with cells joined by tabs (a merged cell once), pages separated by form feeds. Every
cell keeps its page, its bounding box in page coordinates (PDF points, or pixels for images) and
its OCR confidence (the lowest of its boxes), so a value read badly can be flagged, not trusted.
A page that was turned to be read keeps its number, but its width and height and every box on it
are those of the upright page (a landscape table printed across a portrait sheet, turned a
quarter, is a landscape page): the coordinates in which its text reads left to right.

Pages run in a pool of worker processes (each loads the models once) and are streamed: render,
read, discard the image, so memory does not grow with the page count. Pages read are reported to
the callback of `pipeline.readers.page_progress` (the CLI's progress bar, the per-page time limit).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import cv2
import numpy as np

from pipeline.models import Block, Cell, Document, Page, Table
from pipeline.readers import cores_available, progress_callback
from pipeline.readers.errors import ReadError
from pipeline.readers.grid import Deskewed, GridTable, deskew, drop_seals, find_tables

DPI = 200
MAX_WORKERS = int(os.environ.get("JIXIAO_OCR_WORKERS", "2"))
MAX_SIDE = 2400  # pixels: rapidocr shrinks larger pages before reading them
# Text lines are recognised one at a time: in a batch each is padded to the batch's widest, and
# the recogniser's cost grows faster than the width (a 2,560 px line costs 12× a 320 px one), so
# batches of 6 cost 30–50% more CPU than lines alone on the sample pages (bench/ocr_stages.py).
# Detection stays on the full page: shrunk to 1,600 or 2,000 px it was 2.5× or 1.5× faster but
# lost the small characters of merged 一级指标 cells of a sample form.
REC_BATCH = 1

Box = tuple[float, float, float, float]


# --------------------------------------------------------------------------- per-page results


@dataclass
class Word:
    """One OCR text box on the deskewed page."""

    text: str
    score: float
    box: Box  # pixels of the deskewed image

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]


@dataclass
class TextItem:
    """A paragraph or a table cell's text, with its box in page units and its OCR confidence."""

    text: str
    bbox: Box | None
    confidence: float | None


@dataclass
class CellItem(TextItem):
    row: int = 0
    col: int = 0
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TableItem:
    n_rows: int
    n_cols: int
    cells: list[CellItem]
    xs: list[float]  # column lines in page units
    open_top: bool
    open_bottom: bool


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    items: list[tuple[float, TextItem | TableItem]] = field(default_factory=list)  # (top, item) in reading order


# --------------------------------------------------------------------------- the OCR engine


def make_engine(threads: int):
    """A RapidOCR engine on the PP-OCR models bundled in its wheel (never downloads).

    The text detector runs on OpenVINO, the recogniser on onnxruntime, both reading the wheel's
    ONNX files. On a page OpenVINO detects with about a third less CPU than onnxruntime (same
    scan scores); it recognises no faster and keeps buffers for every line width it has seen, so
    a worker's memory grew past its 4 GB cap within a 20-page scan. Both engines' threads are the
    worker's share of the cores; OpenVINO's are not pinned to cores, as OCR workers of several
    files, each pinning its threads, would all pin the same first cores.
    """
    import rapidocr
    from rapidocr import EngineType, RapidOCR

    models = Path(rapidocr.__file__).parent / "models"
    det, rec = models / "PP-OCRv6_det_small.onnx", models / "PP-OCRv6_rec_small.onnx"
    if not det.is_file() or not rec.is_file():
        raise ReadError("OCR models missing from the rapidocr install (reinstall rapidocr 3.x)")
    return RapidOCR(
        params={
            "Global.use_cls": False,  # its angle classifier turned "95%" into "%96"
            "Global.log_level": "error",
            "Global.max_side_len": MAX_SIDE,
            "Rec.rec_batch_num": REC_BATCH,
            "Det.model_path": str(det),
            "Rec.model_path": str(rec),
            "Det.engine_type": EngineType.OPENVINO,
            "EngineConfig.openvino.inference_num_threads": threads,
            "EngineConfig.openvino.enable_cpu_pinning": False,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


_CJK = "\u3400-\u9fff\u3000-\u303f\uff01-\uff5e"
_PAIR = re.compile(r"[(（]([^()（）]*)[)）]")


def chinese_punctuation(text: str) -> str:
    """ASCII brackets and quotes that OCR reads in Chinese text, as the full-width forms printed there.

    A bracket pair goes full-width when its content or a neighbour is Chinese (（个）, （1） 逐步), and
    so does a lone bracket next to a Chinese character; a straight double quote becomes the curly
    quote that closes an open “ or else opens one. Commas and colons are left as read: reports
    print both widths after Chinese text, and the glyphs are too alike to tell apart.
    """

    def pair(match: re.Match[str]) -> str:
        before = text[match.start() - 1 : match.start()]
        after = text[match.end() :].lstrip(" ")[:1]
        if re.search(f"[{_CJK}]", match.group(1) + before + after):
            return f"（{match.group(1)}）"
        return match.group(0)

    text = _PAIR.sub(pair, text)
    text = re.sub(f"(?<=[{_CJK}])\\(|\\((?=[{_CJK}])", "（", text)
    text = re.sub(f"(?<=[{_CJK}])\\)", "）", text)
    return _curly_quotes(text) if '"' in text and re.search(f"[{_CJK}]", text) else text


def _curly_quotes(text: str) -> str:
    out, open_quote = [], False
    for ch in text:
        if ch == '"':
            ch = "”" if open_quote else "“"
        if ch in "“”":
            open_quote = ch == "“"
        out.append(ch)
    return "".join(out)


def read_words(engine, image: np.ndarray) -> list[Word]:
    result = engine(image)
    if result.boxes is None:
        return []
    words = []
    for poly, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        if text.strip():
            xs, ys = poly[:, 0], poly[:, 1]
            words.append(
                Word(text.strip(), float(score), (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())))
            )
    return words


# --------------------------------------------------------------------------- page orientation

SAMPLE_LINES = 6  # text lines whose recognition decides a page's orientation
SAMPLE_ASPECT = 8  # a sample line is cut to at most this many line heights (recognition time)
TURN_MARGIN = 0.2  # mean recognition score a turn must gain over the page as it lies
UPRIGHT_CUSHION = 0.05  # the page's own scores are of whole lines, the turns' of cut ones


def upright_turns(engine, image: np.ndarray, words: list[Word]) -> int:
    """Quarter turns counter-clockwise (as `np.rot90`) that set the page upright, measured.

    The boxes OCR found tell the direction of the text lines: when lines running down the page
    far outweigh those across it, the page lies on its side (turn 1 or 3), else it is upright or
    upside down (turn 0 or 2). The longest lines are then recognised in each candidate turn,
    and the turn whose mean recognition score beats the page as it lies by `TURN_MARGIN` wins
    (text read upside down or sideways scores about half of text read upright). Lines across the
    page that OCR already read as they lie with a mean score no turn could beat by the margin
    (scores are at most 1) are not read again: the page is upright.
    """
    down = [word for word in words if word.height > 1.5 * word.width]
    across = [word for word in words if word.width > 1.5 * word.height]
    if len(down) >= 3 and sum(w.height for w in down) > 2 * sum(w.width for w in across):
        sample, turns = down, (0, 1, 3)
    else:
        sample, turns = across, (0, 2)
    sample = sorted(sample, key=lambda wd: -max(wd.width, wd.height))[:SAMPLE_LINES]
    if not sample:
        return 0
    if turns == (0, 2) and np.mean([word.score for word in sample]) >= 1 - TURN_MARGIN + UPRIGHT_CUSHION:
        return 0
    crops = [_line_crop(image, word.box) for word in sample]
    try:
        scores = engine.recognize_txt([np.ascontiguousarray(np.rot90(c, k)) for k in turns for c in crops]).scores
    except Exception:  # rapidocr raises its own error class when nothing is recognised
        return 0
    mean = {k: float(np.mean(scores[i * len(crops) : (i + 1) * len(crops)])) for i, k in enumerate(turns)}
    best = max(turns, key=mean.__getitem__)
    return best if mean[best] >= mean[0] + TURN_MARGIN else 0


def _line_crop(image: np.ndarray, box: Box) -> np.ndarray:
    """A text line's pixels as the 3-channel image the recogniser takes, cut to `SAMPLE_ASPECT`."""
    x0, y0, x1, y1 = (int(v) for v in box)
    crop = image[max(0, y0) : y1 + 1, max(0, x0) : x1 + 1]
    h, w = crop.shape[:2]
    crop = crop[: SAMPLE_ASPECT * w] if h > w else crop[:, : SAMPLE_ASPECT * h]
    return cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)


# --------------------------------------------------------------------------- one page


def layout_page(pixels: np.ndarray, number: int, engine, unit: float) -> PageLayout:
    """OCR one page image (grayscale, or RGB with seals to read out); `unit` converts pixels to
    page units (72/dpi for PDFs). A page lying on its side or upside down is read turned upright."""
    gray = drop_seals(pixels) if pixels.ndim == 3 else pixels
    straight = deskew(gray)
    words = read_words(engine, straight.image)
    turns = upright_turns(engine, straight.image, words)
    if turns:
        gray = np.ascontiguousarray(np.rot90(gray, turns))
        straight = deskew(gray)
        words = read_words(engine, straight.image)
    tables = find_tables(straight.image)
    h, w = gray.shape
    page = PageLayout(number=number, width=w * unit, height=h * unit)
    loose = [word for word in words if not any(_inside(word, table.box) for table in tables)]
    for table in tables:
        inside = [word for word in words if _inside(word, table.box)]
        page.items.append((table.box[1], _table_item(table, inside, straight, unit)))
    for top, paragraph in _paragraphs(loose, straight, unit):
        page.items.append((top, paragraph))
    page.items.sort(key=lambda item: item[0])
    return page


def _centre(word: Word) -> tuple[float, float]:
    x0, y0, x1, y1 = word.box
    return (x0 + x1) / 2, (y0 + y1) / 2


def _inside(word: Word, box: tuple[int, int, int, int]) -> bool:
    cx, cy = _centre(word)
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _page_box(box: Box, straight: Deskewed, unit: float) -> Box:
    x0, y0, x1, y1 = straight.to_original(box)
    return (round(x0 * unit, 2), round(y0 * unit, 2), round(x1 * unit, 2), round(y1 * unit, 2))


def _union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _table_item(table: GridTable, words: list[Word], straight: Deskewed, unit: float) -> TableItem:
    cells = []
    for cell in table.cells:
        mine = [word for word in words if _inside(word, cell.box)]
        text = _join_lines(_lines(mine), right_edge=cell.box[2])
        box = _union([word.box for word in mine]) if mine else tuple(map(float, cell.box))
        cells.append(
            CellItem(
                text=text,
                bbox=_page_box(box, straight, unit),
                confidence=round(min(word.score for word in mine), 4) if mine else None,
                row=cell.row,
                col=cell.col,
                rowspan=cell.rowspan,
                colspan=cell.colspan,
            )
        )
    return TableItem(
        n_rows=table.n_rows,
        n_cols=table.n_cols,
        cells=cells,
        xs=[x * unit for x in table.xs],
        open_top=table.open_top,
        open_bottom=table.open_bottom,
    )


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into text lines (vertical overlap), top to bottom, each left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda wd: _centre(wd)[1]):
        cy = _centre(word)[1]
        for line in lines:
            y0, y1 = min(wd.box[1] for wd in line), max(wd.box[3] for wd in line)
            if y0 < cy < y1 and abs(cy - (y0 + y1) / 2) < 0.35 * max(word.height, y1 - y0):
                line.append(word)
                break
        else:
            lines.append([word])
    return [
        sorted(line, key=lambda wd: wd.box[0]) for line in sorted(lines, key=lambda ln: min(wd.box[1] for wd in ln))
    ]


def _line_text(line: list[Word]) -> str:
    parts = [line[0].text]
    for prev, word in zip(line, line[1:], strict=False):
        gap = word.box[0] - prev.box[2]
        parts.append((" " if gap > 1.5 * max(prev.height, word.height) else "") + word.text)
    return "".join(parts)


_SENTENCE_END = "。！？；：:;!?"
_ITEM_START = re.compile(
    r"^(（?[一二三四五六七八九十\d]{1,3}[）)、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|第[一二三四五六七八九十]+)"
)


def _wraps(prev: list[Word], line: list[Word], right_edge: float) -> bool:
    """Whether `line` continues `prev` (a wrapped line) in text whose lines end at `right_edge`.

    A line that runs to the edge wraps; so does one that stops a few characters short (a long
    number pushed to the next line) unless it ends a sentence or the next line starts a new item.
    """
    height = max(wd.height for wd in prev)
    end = prev[-1].box[2]
    if end >= right_edge - 2.0 * height:
        return True
    return (
        end >= right_edge - 8.0 * height
        and prev[-1].text[-1:] not in _SENTENCE_END
        and not _ITEM_START.match(line[0].text)
    )


def _join_lines(lines: list[list[Word]], right_edge: float) -> str:
    """Lines of one cell or paragraph, a wrapped line joined to the next without a break."""
    text = ""
    for i, line in enumerate(lines):
        if i:
            text += "" if _wraps(lines[i - 1], line, right_edge) else "\n"
        text += _line_text(line)
    return chinese_punctuation(text)


def _paragraphs(words: list[Word], straight: Deskewed, unit: float) -> list[tuple[float, TextItem]]:
    """Loose words as paragraphs: consecutive close lines joined where one wraps into the next."""
    lines = _lines(words)
    if not lines:
        return []
    right = max(line[-1].box[2] for line in lines)
    groups: list[list[list[Word]]] = []
    for line in lines:
        if groups:
            prev = groups[-1][-1]
            gap = min(wd.box[1] for wd in line) - max(wd.box[3] for wd in prev)
            if gap < 0.8 * max(wd.height for wd in prev) and _wraps(prev, line, right):
                groups[-1].append(line)
                continue
        groups.append([line])
    items = []
    for group in groups:
        members = [wd for line in group for wd in line]
        box = _union([wd.box for wd in members])
        text = _join_lines(group, right_edge=right)
        confidence = round(min(wd.score for wd in members), 4)
        items.append((box[1] * unit, TextItem(text, _page_box(box, straight, unit), confidence)))
    return items


# --------------------------------------------------------------------------- page sources


@dataclass
class Source:
    """The bytes of a scanned PDF or image; pages are produced one at a time."""

    kind: str  # "pdf" or "image"
    data: bytes
    only: list[int] | None = None  # 0-based indices of the pages to read; None: every page

    def indices(self) -> list[int]:
        """The 0-based indices of the pages to read."""
        if self.only is not None:
            return self.only
        if self.kind == "pdf":
            import pypdfium2 as pdfium

            return list(range(len(pdfium.PdfDocument(self.data))))
        return list(range(getattr(self._image(), "n_frames", 1)))

    def _image(self):
        from PIL import Image

        return Image.open(io.BytesIO(self.data))

    def render(self, index: int) -> tuple[np.ndarray, float]:
        """Page `index` (0-based) as pixels (RGB; grayscale where the image has no colour), and the
        size of a pixel in page units."""
        if self.kind == "pdf":
            import pypdfium2 as pdfium

            page = pdfium.PdfDocument(self.data)[index]
            image = page.render(scale=DPI / 72).to_pil()
            return np.asarray(image.convert("RGB" if image.mode != "L" else "L")), 72 / DPI
        image = self._image()
        image.seek(index)
        return np.asarray(image.convert("RGB" if image.mode not in ("1", "L", "I;16") else "L")), 1.0


_worker: dict = {}


def _init_worker(source: Source, threads: int) -> None:
    _worker["source"] = source
    _worker["engine"] = make_engine(threads)


def _init_worker_from_file(kind: str, path: str, only: list[int] | None, threads: int) -> None:
    _init_worker(Source(kind, Path(path).read_bytes(), only), threads)


def _worker_page(index: int) -> PageLayout:
    gray, unit = _worker["source"].render(index)
    return layout_page(gray, index + 1, _worker["engine"], unit)


def pool_size(pages: int) -> tuple[int, int]:
    """OCR worker processes for `pages` pages, and OCR engine threads per worker, on the cores this
    reader may use (`pipeline.readers.cpu_cores`): one process per core up to `MAX_WORKERS`, the
    cores left over as threads."""
    cores = cores_available()
    workers = max(1, min(MAX_WORKERS, pages, cores))
    return workers, max(1, cores // workers)


def ocr_pages(source: Source) -> list[PageLayout]:
    """The source's pages, read in parallel worker processes (in-process for one page), in order."""
    indices = source.indices()
    total = len(indices)
    report = progress_callback()
    if report:
        report(0, total)
    workers, threads = pool_size(total)
    pages: list[PageLayout] = []
    with contextlib.ExitStack() as stack:
        if workers == 1:
            _init_worker(source, threads)
            results: Iterator[PageLayout] = map(_worker_page, indices)
        else:
            # The workers read the file from disk rather than through their start-up pipe: a worker
            # that dies while starting then breaks the pool (an error) instead of leaving this
            # process blocked on a full pipe.
            spill = stack.enter_context(tempfile.NamedTemporaryFile(suffix=f".{source.kind}"))
            spill.write(source.data)
            spill.flush()
            pool = ProcessPoolExecutor(
                workers,
                mp_context=get_context("spawn"),
                initializer=_init_worker_from_file,
                initargs=(source.kind, spill.name, source.only, threads),
            )
            stack.callback(pool.shutdown, cancel_futures=True)
            results = pool.map(_worker_page, indices)
        stack.callback(_worker.clear)
        try:
            for page in results:
                pages.append(page)
                if report:
                    report(len(pages), total)
        except BrokenProcessPool as exc:
            raise ReadError(f"an OCR worker process stopped ({exc}); {len(pages)} of {total} pages read") from exc
    return pages


# --------------------------------------------------------------------------- document assembly


def ocr_if_needed(pending: Document, data: bytes) -> Document:
    """The document read by OCR when its reader left it `needs_ocr` (a scan or an image).

    It stays `needs_ocr`, with the reason, when OCR finds no text or is not installed.
    """
    if pending.status != "needs_ocr":
        return pending
    try:
        doc = read_ocr(data, pending.doc_id, pending.path, pending.format)
    except ImportError as exc:
        return pending.model_copy(update={"error": f"{pending.error}; OCR not installed ({exc.name})"})
    return doc if doc.text.strip() else pending


OCR_PACKAGES = ("rapidocr", "openvino", "onnxruntime")  # the OCR pipeline and models, and the engines running them


def missing_ocr_package() -> str | None:
    """The first of `OCR_PACKAGES` that is not installed, or None."""
    return next((name for name in OCR_PACKAGES if importlib.util.find_spec(name) is None), None)


def read_ocr(data: bytes, doc_id: str, path: str, kind: str) -> Document:
    """A scanned PDF (`kind` "pdf") or an image file (`kind` "image") read by OCR."""
    if missing := missing_ocr_package():
        raise ImportError(f"{missing} is not installed", name=missing)
    return assemble(ocr_pages(Source(kind, data)), doc_id, path, kind)


def assemble(pages: list[PageLayout], doc_id: str, path: str, kind: str) -> Document:
    """Lay the pages out as one canonical text with blocks and tables (spans into the text)."""
    writer = _Writer(Document(doc_id=doc_id, path=path, format=kind), pages)
    for element in _logical_items(pages):
        if isinstance(element, _Logical):
            writer.table(element)
        else:
            writer.paragraph(*element)
    return writer.finish()


@dataclass
class _Placed:
    """A cell placed on the column grid of its logical table."""

    item: CellItem
    row: int
    col: int
    colspan: int
    page: int


@dataclass
class _Logical:
    """A table as read, possibly continued over following pages."""

    xs: list[float]
    n_rows: int
    cells: list[_Placed]
    page: int


def _logical_items(pages: list[PageLayout]) -> list[_Logical | tuple[int, TextItem]]:
    """Paragraphs and tables in reading order, a table continued on the next page joined to it."""
    sequence: list[_Logical | tuple[int, TextItem]] = []
    ending: tuple[_Logical, bool] | None = None  # the table ending the previous page, open-bottomed?
    for page in pages:
        for k, (_, item) in enumerate(page.items):
            if isinstance(item, TableItem):
                if k == 0 and ending and _same_width(ending[0].xs, item.xs):
                    _continue(ending[0], item, page.number, join_row=ending[1] and item.open_top)
                    continue
                table = _Logical(xs=[], n_rows=0, cells=[], page=page.number)
                _continue(table, item, page.number, join_row=False)
                sequence.append(table)
            else:
                sequence.append((page.number, item))
        last = page.items[-1][1] if page.items else None
        ending = (
            (sequence[-1], last.open_bottom)
            if isinstance(last, TableItem) and isinstance(sequence[-1], _Logical)
            else None
        )
    return sequence


def _same_width(xs: list[float], other: list[float]) -> bool:
    width = max(xs[-1] - xs[0], 1.0)
    return abs(xs[0] - other[0]) < 0.02 * width and abs(xs[-1] - other[-1]) < 0.02 * width


def _continue(table: _Logical, item: TableItem, page: int, join_row: bool) -> None:
    """Append `item`'s rows to `table` on the union of both column grids; a row split by the page is joined."""
    shift = table.xs[0] - item.xs[0] if table.xs else 0.0
    incoming = [x + shift for x in item.xs]
    xs = _union_lines(table.xs, incoming, tolerance=0.01 * max(incoming[-1] - incoming[0], 1.0))

    def nearest(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    for placed in table.cells:
        c0, c1 = nearest(table.xs[placed.col]), nearest(table.xs[placed.col + placed.colspan])
        placed.col, placed.colspan = c0, max(c1 - c0, 1)
    table.xs = xs
    last = table.n_rows - 1
    row0 = last if join_row and table.n_rows else table.n_rows
    for cell in sorted(item.cells, key=lambda c: (c.row, c.col)):
        c0 = nearest(incoming[cell.col])
        c1 = max(nearest(incoming[cell.col + cell.colspan]), c0 + 1)
        if cell.row == 0 and row0 == last:
            above = next((p for p in table.cells if p.col == c0 and p.row <= last < p.row + p.item.rowspan), None)
            if above is not None:
                _join_cells(above, cell, page, rowspan=last - above.row + cell.rowspan)
                continue
        table.cells.append(_Placed(cell, row0 + cell.row, c0, c1 - c0, page))
    table.n_rows = row0 + item.n_rows


def _union_lines(a: list[float], b: list[float], tolerance: float) -> list[float]:
    """Column lines of two grids merged, lines closer than `tolerance` counted once."""
    merged: list[float] = []
    for x in sorted([*a, *b]):
        if merged and x - merged[-1] < tolerance:
            continue
        merged.append(x)
    return merged


def _join_cells(above: _Placed, below: CellItem, page: int, rowspan: int) -> None:
    """Join the two parts of a cell split by a page break (no separator, as printed)."""
    first = above.item
    scores = [s for s in (first.confidence, below.confidence) if s is not None]
    if not first.text and below.text:
        above.page, bbox = page, below.bbox
    else:
        bbox = first.bbox
    above.item = CellItem(
        text=first.text + below.text,
        bbox=bbox,
        confidence=min(scores) if scores else None,
        row=first.row,
        col=first.col,
        rowspan=rowspan,
        colspan=first.colspan,
    )


class _Writer:
    """Appends paragraphs and table rows to the text, with form feeds between pages."""

    def __init__(self, doc: Document, pages: list[PageLayout]) -> None:
        self.doc = doc
        self.layouts = {page.number: page for page in pages}
        self.numbers = [page.number for page in pages]
        self.text = ""
        self.current = 0  # index into self.numbers
        self.starts = [0]

    def _to_page(self, number: int) -> None:
        while self.numbers[self.current] < number:
            self.text += "\f"
            self.current += 1
            self.starts.append(len(self.text))

    def paragraph(self, page: int, item: TextItem) -> None:
        self._to_page(page)
        for line in item.text.split("\n"):
            start = len(self.text)
            self.text += line + "\n"
            self.doc.blocks.append(
                Block(
                    index=len(self.doc.blocks),
                    kind="paragraph",
                    page=page,
                    char_start=start,
                    char_end=start + len(line),
                    bbox=item.bbox,
                    confidence=item.confidence,
                )
            )

    def table(self, logical: _Logical) -> None:
        self._to_page(logical.page)
        table = Table(index=len(self.doc.tables), n_rows=logical.n_rows, n_cols=len(logical.xs) - 1, cells=[])
        table.char_start = len(self.text)
        for r in range(logical.n_rows):
            row = sorted((p for p in logical.cells if p.row == r), key=lambda p: p.col)
            if row:
                self._to_page(min(p.page for p in row))
            for k, placed in enumerate(row):
                if k:
                    self.text += "\t"
                start = len(self.text)
                self.text += placed.item.text
                table.cells.append(
                    Cell(
                        row=r,
                        col=placed.col,
                        rowspan=placed.item.rowspan,
                        colspan=placed.colspan,
                        text=placed.item.text,
                        page=placed.page,
                        char_start=start,
                        char_end=len(self.text),
                        bbox=placed.item.bbox,
                        confidence=placed.item.confidence,
                    )
                )
            self.text += "\n"
        table.char_end = len(self.text) - 1
        table.pages = sorted({p.page for p in logical.cells} | {logical.page})
        self.doc.tables.append(table)
        self.doc.blocks.append(
            Block(
                index=len(self.doc.blocks),
                kind="table",
                page=logical.page,
                char_start=table.char_start,
                char_end=table.char_end,
                table=table.index,
            )
        )

    def finish(self) -> Document:
        if self.numbers:
            self._to_page(self.numbers[-1])
        ends = [*(s - 1 for s in self.starts[1:]), len(self.text)]
        for number, start, end in zip(self.numbers, self.starts, ends, strict=True):
            layout = self.layouts[number]
            self.doc.pages.append(
                Page(
                    number=number,
                    char_start=start,
                    char_end=end,
                    width=round(layout.width, 2),
                    height=round(layout.height, 2),
                    has_text=False,
                    image_count=1,
                )
            )
        self.doc.text = self.text
        return self.doc
