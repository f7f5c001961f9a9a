"""Readers: one backend per input kind, each turning a file into a `Document`.

`read_document` sniffs the file's bytes (not its extension) to pick the backend, and never raises
for a bad file: it returns a Document with status `failed` and a reason a person understands.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.models import Document
from pipeline.readers.errors import ReadError

SUPPORTED_SUFFIXES = {".txt", ".html", ".htm", ".docx", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sniff_format(data: bytes, suffix: str) -> str:
    """The input kind from the content; the suffix only breaks ties for plain text."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .doc / .xls: not supported
    head = data[:2048].lstrip().lower()
    if suffix in {".html", ".htm"} or head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "txt"


def read_document(path: str | Path) -> Document:
    """Read any supported file into a Document; a bad file gives status `failed` with a reason."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Document(
            doc_id=file_hash(str(path).encode()),
            path=str(path),
            format="unknown",
            status="failed",
            error=f"cannot read file: {exc.strerror or exc}",
        )
    doc_id = file_hash(data)
    fmt = sniff_format(data, path.suffix.lower())
    try:
        return _read(fmt, data, doc_id, str(path))
    except ReadError as exc:
        return Document(doc_id=doc_id, path=str(path), format=fmt, status="failed", error=str(exc))
    except Exception as exc:  # a reader bug must not stop the batch
        return Document(
            doc_id=doc_id,
            path=str(path),
            format=fmt,
            status="failed",
            error=f"unreadable {fmt} file ({type(exc).__name__}: {exc})",
        )


def _read(fmt: str, data: bytes, doc_id: str, path: str) -> Document:
    if not data:
        raise ReadError("empty file (0 bytes)")
    if fmt == "ole":
        raise ReadError("legacy binary Word/Excel file (.doc/.xls) is not supported; save it as .docx")
    if fmt in {"txt", "html"}:
        from pipeline.readers.text import read_text

        return read_text(data, doc_id, path, fmt)
    if fmt == "docx":
        from pipeline.readers.docx import read_docx

        return read_docx(data, doc_id, path)
    if fmt == "pdf":
        from pipeline.readers.pdf import read_pdf

        return read_pdf(data, doc_id, path)
    if fmt == "image":
        return Document(
            doc_id=doc_id, path=path, format="image", status="needs_ocr", error="image file: text must be read by OCR"
        )
    raise ReadError(f"unsupported file type {fmt}")
