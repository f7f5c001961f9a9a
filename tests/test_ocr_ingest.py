"""Scans through `ingest` as the CLI runs them: page progress from the worker process, the per-page
time allowance, and PDFs mixing text pages with scanned pages. Real OCR on pages of the scanned
fixtures (each run reads one or two pages, a few seconds each)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest

from pipeline.limits import Limits
from pipeline.readers.mixed import splice
from pipeline.readers.ocr import CellItem, PageLayout, TableItem, TextItem, assemble
from pipeline.readers.pdf import read_pdf
from pipeline.run import Result, RunOptions, ingest

ROOT = Path(__file__).resolve().parent.parent
SEED = "003_8d36f83c1eb61d9b.pdf"
TEXT_PDF = ROOT / "data" / "samples" / SEED
SCAN_PDF = ROOT / "data" / "samples" / "scans" / SEED


def _pdf(path: Path, pages: list[tuple[Path, int]]) -> Path:
    """A PDF of the given (source file, 0-based page) pages, in order."""
    out = pdfium.PdfDocument.new()
    for source, index in pages:
        out.import_pages(pdfium.PdfDocument(source), [index])
    out.save(path)
    return path


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two scanned pages of seed 003 (its indicator table and where it goes on) as one scanned PDF."""
    return _pdf(tmp_path_factory.mktemp("scan") / "scan.pdf", [(SCAN_PDF, 1), (SCAN_PDF, 2)])


def jixiao(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI with its progress bar drawn as on a terminal; output captured without escape codes."""
    env = {**os.environ, "TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": "160"}
    run = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, cwd=ROOT, env=env
    )
    run.stdout, run.stderr = (re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out) for out in (run.stdout, run.stderr))
    return run


def _rows(db: Path) -> dict[str, tuple[str, str | None, int | None]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT regexp_extract(path, '[^/]+$'), status, error, pages FROM documents").fetchall()
    finally:
        con.close()
    return {name: (status, error, pages) for name, status, error, pages in rows}


# --------------------------------------------------------------------------- progress and the per-page allowance


def test_ingest_reports_every_ocr_page_from_the_worker_and_the_allowance_lets_it_finish(
    scan: Path, tmp_path: Path
) -> None:
    """1 s per file could not read two pages (the OCR models alone take longer to load): 60 s per
    page on top lets the file finish, and the worker process reports each page as it is read."""
    seen: list[tuple[str, int, int]] = []
    results: list[Result] = []
    options = RunOptions(limits=Limits(max_seconds=1, seconds_per_page=60))
    db = tmp_path / "j.duckdb"
    ingest(
        [scan],
        db,
        options,
        on_result=lambda path, result: results.append(result),
        on_progress=lambda path, done, total: seen.append((path.name, done, total)),
    )
    assert seen == [("scan.pdf", 0, 2), ("scan.pdf", 1, 2), ("scan.pdf", 2, 2)]
    [result] = results
    assert (result.doc.status, result.doc.error, len(result.doc.pages)) == ("ok", None, 2)
    assert _rows(db) == {"scan.pdf": ("ok", None, 2)}


def test_cli_progress_bar_shows_the_ocr_pages(scan: Path, tmp_path: Path) -> None:
    run = jixiao("ingest", str(scan), "--db", str(tmp_path / "j.duckdb"), "--no-llm", "--max-seconds", "1")
    assert run.returncode == 0, run.stderr
    for page in (1, 2):
        assert f"scan.pdf: OCR page {page}/2" in run.stderr
    assert "1 files: 1 ok" in run.stderr


def test_too_small_a_limit_still_fails_the_file_with_its_reason(scan: Path, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(scan, folder / "a_scan.pdf")
    shutil.copy(ROOT / "data" / "samples" / "003_8d36f83c1eb61d9b.txt", folder / "b_after.txt")
    db = tmp_path / "j.duckdb"
    run = jixiao(
        "ingest", str(folder), "--db", str(db), "--no-llm", "--max-seconds", "1", "--max-seconds-per-page", "0.5"
    )
    assert run.returncode == 1
    reason = r"took longer than [\d.]+ s \(time limit: 1 s \+ 0\.5 s per OCR page; [01] of 2 pages read\)"
    assert re.search(rf"failed {re.escape(str(folder / 'a_scan.pdf'))}: {reason}", run.stderr), run.stderr
    rows = _rows(db)
    assert rows["b_after.txt"][0] == "ok"
    status, error, _ = rows["a_scan.pdf"]
    assert status == "failed" and re.fullmatch(reason, error)


def test_limits_are_documented_in_help() -> None:
    help_text = jixiao("ingest", "--help").stdout
    assert "--max-seconds-per-page" in help_text and "30" in help_text


# --------------------------------------------------------------------------- mixed PDFs


def test_mixed_pdf_reads_its_scanned_page_by_ocr_in_page_order(tmp_path: Path) -> None:
    """Seed 003 with its second page (the indicator table) replaced by that page of the scan."""
    mixed = _pdf(tmp_path / "mixed.pdf", [(TEXT_PDF, 0), (SCAN_PDF, 1), (TEXT_PDF, 2)])
    seen: list[tuple[int, int]] = []
    db = tmp_path / "j.duckdb"
    ingest([mixed], db, RunOptions(), on_progress=lambda path, done, total: seen.append((done, total)))
    assert seen == [(0, 1), (1, 1)]  # only the scanned page is read by OCR
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT status, pages FROM documents").fetchall() == [("ok", 3)]
    text = con.execute("SELECT text FROM doc_text").fetchone()[0]
    assert text.count("\f") == 2

    def indicator(level3: str) -> tuple:
        return con.execute(
            "SELECT target, actual, method, page, confidence, char_start, char_end FROM indicators WHERE level3 = ?",
            [level3],
        ).fetchone()

    # page 2, read by OCR: values with their page and confidence, their span inside page 2 of the text
    target, actual, method, page, confidence, start, end = indicator("用地报批（项）")
    assert (target, actual, method, page) == ("14", "14", "ocr", 2)
    assert confidence > 0.9
    pages = text.split("\f")
    page2_start = len(pages[0]) + 1
    assert page2_start <= start < end <= page2_start + len(pages[1])
    cell = con.execute(
        "SELECT text, page, confidence FROM table_cells WHERE text = '1.4' AND page = 2"
    ).fetchone()  # 不动产登记（万件） actual
    assert cell is not None and cell[2] > 0.9
    # pages 1 and 3 keep their text layer
    assert con.execute("SELECT method, page FROM amounts WHERE raw = '4229.37' LIMIT 1").fetchone() == ("table", 1)
    assert indicator("群众满意度情况")[2:4] == ("table", 3)
    assert pages[0].startswith("附件2\n2024年度部门整体支出绩效自评表")
    con.close()


def test_splice_puts_each_run_of_scanned_pages_in_their_place(tmp_path: Path) -> None:
    """Two scanned pages first (one run, a table going on over both), a text page, a scanned page
    last. The scanned pages get stand-ins laid out as OCR output would be (no OCR runs here); every
    span must point at its own text on its own page."""
    mixed = _pdf(tmp_path / "mixed.pdf", [(SCAN_PDF, 0), (SCAN_PDF, 1), (TEXT_PDF, 2), (SCAN_PDF, 2)])
    doc = read_pdf(mixed.read_bytes(), "d", str(mixed))
    assert [(p.has_text, p.image_count > 0) for p in doc.pages] == [
        (False, True),
        (False, True),
        (True, False),
        (False, True),
    ]

    def table(*values: str) -> TableItem:
        cells = [CellItem(v, (1.0, 1.0, 2.0, 2.0), 0.95, row=0, col=k) for k, v in enumerate(values)]
        return TableItem(1, 2, cells, [10.0, 60.0, 110.0], open_top=False, open_bottom=False)

    run = [  # a table going on from page 1 to page 2, then a paragraph
        PageLayout(1, 595, 842, [(5.0, TextItem("扫描页一", (1, 1, 9, 9), 0.9)), (20.0, table("A", "1"))]),
        PageLayout(2, 595, 842, [(5.0, table("B", "2")), (90.0, TextItem("扫描页二", (1, 90, 9, 99), 0.8))]),
    ]
    last = [PageLayout(4, 595, 842, [(5.0, TextItem("扫描页四", (1, 1, 9, 9), 0.7))])]
    out = splice(doc, {1: assemble(run, "d", "m.pdf", "pdf"), 4: assemble(last, "d", "m.pdf", "pdf")})

    pages = out.text.split("\f")
    assert [p.number for p in out.pages] == [1, 2, 3, 4] and len(pages) == 4
    assert pages[0] == "扫描页一\nA\t1\n" and pages[1] == "B\t2\n扫描页二\n" and pages[3] == "扫描页四\n"
    assert pages[2] == doc.text.split("\f")[2]  # the text page as the PDF reader read it
    for page, text in zip(out.pages, pages, strict=True):
        assert out.text[page.char_start : page.char_end] == text
    assert [t.pages for t in out.tables] == [[1, 2], [3]]
    for table_ in out.tables:
        for cell in table_.cells:
            assert out.text[cell.char_start : cell.char_end] == cell.text
            assert out.page_of(cell.char_start) == cell.page
    for block in out.blocks:
        assert out.page_of(block.char_start) == block.page
        if block.kind == "table":
            assert out.tables[block.table].char_start == block.char_start
    assert [(b.page, b.confidence) for b in out.blocks if b.kind == "paragraph" and b.page != 3] == [
        (1, 0.9),
        (2, 0.8),
        (4, 0.7),
    ]
