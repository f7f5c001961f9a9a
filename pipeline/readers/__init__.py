"""Readers: one backend per input kind, each turning a file into a `Document`.

`read_document` sniffs the file's bytes (not its extension) to pick the backend, and never raises
for a bad file: it returns a Document with status `failed` and a reason a person understands.
Inside a `page_progress(callback)` block, a reader that reads pages by OCR reports each one;
inside a `cpu_cores(n)` block it uses at most n cores.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

from pipeline.models import Document
from pipeline.readers.errors import ReadError

# the suffixes a folder scan picks up; content sniffing, not the suffix, decides how a file is read
SUPPORTED_SUFFIXES = set(
    ".txt .html .htm .docx .doc .wps .xlsx .xlsm .xls .et .ods .pdf .png .jpg .jpeg .tif .tiff".split()
)

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


_cores: ContextVar[int | None] = ContextVar("cpu_cores", default=None)


@contextlib.contextmanager
def cpu_cores(cores: int | None) -> Iterator[None]:
    """Let a reader inside this block use at most `cores` CPU cores (None: the machine's): a batch
    reading N files at once gives each its share, so that OCR pools and threads do not add up to
    N times the machine."""
    token = _cores.set(cores)
    try:
        yield
    finally:
        _cores.reset(token)


def cores_available() -> int:
    """The cores a reader may use: the share of the enclosing `cpu_cores` block, else every core
    this process may run on."""
    return _cores.get() or len(os.sched_getaffinity(0))


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
        return _zip_kind(data, suffix)
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _ole_kind(data)
    head = data[:2048].lstrip().lower()
    if suffix in {".html", ".htm"} or head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "txt"


# zip member (or mimetype) → kind: Office Open XML and OpenDocument packages
_ZIP_MARKERS = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
)
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.text": "odt",
}


def _zip_kind(data: bytes, suffix: str) -> str:
    """docx, xlsx, ods (or pptx, odt, which are refused) by the package's members. A zip that cannot
    be opened is taken for what its suffix says (xlsx, ods, else docx), a foreign zip for a docx,
    so that each is refused with that reader's reasons."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, NotImplementedError):
        return {".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods"}.get(suffix, "docx")
    for marker, kind in _ZIP_MARKERS:
        if marker in names:
            return kind
    return _ODF_MIMETYPES.get(mimetype, "docx")


def _ole_kind(data: bytes) -> str:
    """doc or xls by the compound file's streams (WordDocument vs Workbook/Book: .wps and .et are
    the same containers); `encrypted` for a password-protected Office Open XML file; else `ole`."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {entry[0] for entry in ole.listdir(streams=True, storages=False)}
    except Exception:  # olefile raises a variety of errors on a damaged directory
        return "encrypted" if "EncryptedPackage".encode("utf-16-le") in data else "ole"
    if "EncryptedPackage" in streams:
        return "encrypted"
    if "WordDocument" in streams:
        return "doc"
    if streams & {"Workbook", "Book"}:
        return "xls"
    return "ole"


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
    if fmt == "encrypted":
        raise ReadError("password-protected Office document: remove the password and save it again")
    if fmt == "ole":
        raise ReadError("damaged or unknown legacy Office file (OLE compound file without a Word or Excel stream)")
    if fmt in {"pptx", "odt"}:
        raise ReadError(f"unsupported file type {fmt}: save it as .docx or .pdf")
    if fmt in {"xlsx", "ods"}:
        from pipeline.readers.spreadsheet import read_spreadsheet

        check_zip(data, fmt)
        return read_spreadsheet(data, doc_id, path, fmt)
    if fmt == "xls":
        from pipeline.readers.spreadsheet import read_spreadsheet

        return read_spreadsheet(data, doc_id, path, fmt)
    if fmt == "doc":
        from pipeline.readers.legacy import read_legacy_word

        return read_legacy_word(data, doc_id, path)
    if fmt in {"txt", "html"}:
        from pipeline.readers.text import read_text

        return read_text(data, doc_id, path, fmt)
    if fmt == "docx":
        from pipeline.readers.docx import read_docx

        check_zip(data, fmt)
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


def check_zip(data: bytes, kind: str) -> None:
    """Refuse a zip package (docx, xlsx, ods) that is corrupt or would expand beyond the limit."""
    from pipeline.limits import MAX_UNZIPPED_MB

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError(f"not a valid {kind}: zip is corrupt or truncated") from exc
    with archive:
        names = set(archive.namelist())
        expanded = sum(info.file_size for info in archive.infolist())
    if kind == "docx" and "word/document.xml" not in names:
        raise ReadError("not a Word document: zip has no word/document.xml")
    if expanded > MAX_UNZIPPED_MB * 1024 * 1024:
        raise ReadError(
            f"zip bomb: {kind} expands to {expanded / 1024 / 1024:.0f} MB, more than the {MAX_UNZIPPED_MB} MB limit"
        )
