"""Provenance builders: a table cell, or a character span of the document text."""

from __future__ import annotations

from pipeline.models import Cell, Document, Provenance, Table


def cell_prov(doc: Document, table: Table, cell: Cell) -> Provenance:
    """The cell as the source of a value; `raw` is the cell text verbatim."""
    page = cell.page if cell.page is not None else _page(doc, cell.char_start)
    return Provenance(
        doc_id=doc.doc_id,
        method="table",
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
    """A slice of `doc.text` as the source of a value (method 'rule')."""
    return Provenance(
        doc_id=doc.doc_id,
        method="rule",
        raw=doc.text[start:end],
        page=_page(doc, start),
        char_start=start,
        char_end=end,
    )


def _page(doc: Document, offset: int | None) -> int | None:
    return None if offset is None else doc.page_of(offset)
