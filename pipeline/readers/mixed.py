"""PDFs with text pages and scanned pages: the scanned pages read by OCR and spliced in page order.

The PDF reader lays out the text layer and leaves a page that has images but no text empty
(`has_text` false). Those pages are read by OCR (one pool for all of them); each run of
consecutive scanned pages is assembled like a scanned PDF (a table going on over its pages is one
table) and takes the place of its empty pages. The canonical text stays pages joined by form
feeds, every block, table and cell keeps its page, and what OCR read keeps its box and confidence
(so the extractors give it method `ocr`).
"""

from __future__ import annotations

from pipeline.models import Document, Table
from pipeline.readers.ocr import PageLayout, Source, assemble, missing_ocr_package, ocr_pages


def ocr_scanned_pages(doc: Document, data: bytes) -> Document:
    """`doc` (a PDF read from its text layer) with its scanned pages read by OCR.

    Without OCR installed the text pages are kept and the error says which pages were not read.
    """
    numbers = [page.number for page in doc.pages if not page.has_text and page.image_count]
    if not numbers or doc.status != "ok":
        return doc
    if missing := missing_ocr_package():
        listed = ", ".join(map(str, numbers))
        return doc.model_copy(update={"error": f"scanned pages {listed} not read: OCR not installed ({missing})"})
    layouts = ocr_pages(Source("pdf", data, only=[n - 1 for n in numbers]))
    parts = {run[0].number: assemble(run, doc.doc_id, doc.path, "pdf") for run in _runs(layouts)}
    return splice(doc, parts)


def _runs(layouts: list[PageLayout]) -> list[list[PageLayout]]:
    """Pages grouped into runs of consecutive page numbers."""
    runs: list[list[PageLayout]] = []
    for page in layouts:
        if runs and runs[-1][-1].number + 1 == page.number:
            runs[-1].append(page)
        else:
            runs.append([page])
    return runs


def splice(doc: Document, parts: dict[int, Document]) -> Document:
    """`doc` with each part (keyed by its first page) in place of its pages, spans shifted to fit."""
    out = doc.model_copy(update={"text": "", "pages": [], "blocks": [], "tables": []})
    pieces: list[str] = []
    length = 0
    by_number = {page.number: page for page in doc.pages}
    i = 0
    while i < len(doc.pages):
        part = parts.get(doc.pages[i].number)
        if part is None:
            source, start, end, pages = doc, doc.pages[i].char_start, doc.pages[i].char_end, [doc.pages[i]]
        else:
            source, start, end, pages = part, 0, len(part.text), part.pages
        i += len(pages)
        if pieces:
            pieces.append("\f")
            length += 1
        pieces.append(source.text[start:end])
        shift = length - start
        length += end - start
        numbers = {page.number for page in pages}
        for page in pages:  # the PDF's page record (size, images), the spans of the text placed
            out.pages.append(
                by_number[page.number].model_copy(
                    update={"char_start": page.char_start + shift, "char_end": page.char_end + shift}
                )
            )
        _move(source, numbers, shift, out)
    out.text = "".join(pieces)
    return out


def _move(source: Document, numbers: set[int], shift: int, out: Document) -> None:
    """Copy the tables and blocks of `source` on pages `numbers` into `out`, spans shifted."""
    indices: dict[int, int] = {}
    for table in source.tables:
        if table.pages and table.pages[0] in numbers:
            indices[table.index] = len(out.tables)
            out.tables.append(_table(table, len(out.tables), shift))
    for block in source.blocks:
        if block.page in numbers:
            out.blocks.append(
                block.model_copy(
                    update={
                        "index": len(out.blocks),
                        "char_start": block.char_start + shift,
                        "char_end": block.char_end + shift,
                        "table": indices.get(block.table) if block.table is not None else None,
                    }
                )
            )


def _table(table: Table, index: int, shift: int) -> Table:
    cells = [
        cell.model_copy(update={"char_start": _plus(cell.char_start, shift), "char_end": _plus(cell.char_end, shift)})
        for cell in table.cells
    ]
    return table.model_copy(
        update={
            "index": index,
            "cells": cells,
            "char_start": _plus(table.char_start, shift),
            "char_end": _plus(table.char_end, shift),
        }
    )


def _plus(offset: int | None, shift: int) -> int | None:
    return None if offset is None else offset + shift
