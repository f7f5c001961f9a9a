"""Provenance builders: a table cell, or a character span of the document text."""

from __future__ import annotations

from pipeline.models import Block, Cell, Document, Provenance, Table


def cell_prov(doc: Document, table: Table, cell: Cell) -> Provenance:
    """The cell as the source of a value; `raw` is the cell text verbatim. A cell read by OCR
    (it carries a confidence) gives method 'ocr'."""
    page = cell.page if cell.page is not None else _page(doc, cell.char_start)
    return Provenance(
        doc_id=doc.doc_id,
        method="ocr" if cell.confidence is not None else "table",
        raw=cell.text,
        page=page,
        table=table.index,
        row=cell.row,
        col=cell.col,
        char_start=cell.char_start,
        char_end=cell.char_end,
        bbox=cell.bbox,
        confidence=cell.confidence,
    )


def span_prov(doc: Document, start: int, end: int) -> Provenance:
    """A slice of `doc.text` as the source of a value (method 'rule', or 'ocr' with the box and
    confidence of the OCR-read paragraph holding it)."""
    block = _block_at(doc, start)
    ocr = block is not None and block.confidence is not None
    return Provenance(
        doc_id=doc.doc_id,
        method="ocr" if ocr else "rule",
        raw=doc.text[start:end],
        page=_page(doc, start),
        block=block.index if block else None,
        char_start=start,
        char_end=end,
        bbox=block.bbox if ocr else None,
        confidence=block.confidence if ocr else None,
    )


def _block_at(doc: Document, offset: int) -> Block | None:
    for block in doc.blocks:
        if block.char_start <= offset < block.char_end:
            return block
    return None


def _page(doc: Document, offset: int | None) -> int | None:
    return None if offset is None else doc.page_of(offset)
