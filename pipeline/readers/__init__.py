"""Readers: one backend per input kind, each turning a file into a `Document`.

`read_document` sniffs the file's bytes (not its extension) to pick the backend, and never raises
for a bad file: it returns a Document with status `failed` and a reason a person understands.
Inside a `page_progress(callback)` block, a reader that reads pages by OCR reports each one.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

from pipeline.models import Document
from pipeline.readers.errors import ReadError

# .doc/.xls are listed so that a folder scan gives them a row: content sniffing decides how they are read
SUPPORTED_SUFFIXES = set(".txt .html .htm .docx .doc .xls .pdf .png .jpg .jpeg .tif .tiff".split())

Progress = Callable[[int, int], None]  # (pages read, pages to read)
_progress: ContextVar[Progress | None] = ContextVar("page_progress", default=None)


@contextlib.contextmanager
def page_progress(callback: Progress) -> Iterator[None]:
    """Report `callback(pages_read, pages_to_read)` for the pages OCR'd inside this block: once
    with 0 before the first page, then after every page."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


def progress_callback() -> Progress | None:
    """The callback of the enclosing `page_progress` block, if any."""
    return _progress.get()


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_file(path: Path) -> str:
    """file_hash of a file's bytes, read in chunks (the file may be too large to load)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


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
    except MemoryError:
        return Document(
            doc_id=doc_id, path=str(path), format=fmt, status="failed", error="ran out of memory while reading the file"
        )
    except RecursionError:
        return Document(
            doc_id=doc_id, path=str(path), format=fmt, status="failed", error="structure nested too deeply to read"
        )
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
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ReadError("password-protected Office document: remove the password and save it as .docx")
        raise ReadError("legacy binary Word/Excel file (.doc/.xls) is not supported; save it as .docx")
    if fmt in {"txt", "html"}:
        from pipeline.readers.text import read_text

        return read_text(data, doc_id, path, fmt)
    if fmt == "docx":
        from pipeline.readers.docx import read_docx

        check_zip(data)
        return read_docx(data, doc_id, path)
    if fmt == "pdf":
        from pipeline.readers.mixed import ocr_scanned_pages
        from pipeline.readers.ocr import ocr_if_needed
        from pipeline.readers.pdf import read_pdf

        doc = read_pdf(data, doc_id, path)  # a scan is left needs_ocr; scanned pages among text pages, empty
        return ocr_if_needed(doc, data) if doc.status == "needs_ocr" else ocr_scanned_pages(doc, data)
    if fmt == "image":
        from pipeline.readers.ocr import ocr_if_needed

        pending = Document(
            doc_id=doc_id, path=path, format="image", status="needs_ocr", error="image file: text must be read by OCR"
        )
        return ocr_if_needed(pending, data)
    raise ReadError(f"unsupported file type {fmt}")


def check_zip(data: bytes) -> None:
    """Refuse a zip that is corrupt, is another Office format, or would expand beyond the limit."""
    from pipeline.limits import MAX_UNZIPPED_MB

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError("not a docx: zip is corrupt or truncated") from exc
    with archive:
        names = set(archive.namelist())
        expanded = sum(info.file_size for info in archive.infolist())
    if "word/document.xml" not in names:
        for marker, kind in (
            ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
            ("ppt/presentation.xml", "a PowerPoint file (.pptx)"),
        ):
            if marker in names:
                raise ReadError(f"not a Word document: it is {kind}")
        raise ReadError("not a Word document: zip has no word/document.xml")
    if expanded > MAX_UNZIPPED_MB * 1024 * 1024:
        raise ReadError(
            f"zip bomb: docx expands to {expanded / 1024 / 1024:.0f} MB, more than the {MAX_UNZIPPED_MB} MB limit"
        )
