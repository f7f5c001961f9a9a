"""Legacy Word (.doc) and WPS (.wps) files: converted by LibreOffice headless to .docx, then read by
the docx reader; provenance names the original; a missing LibreOffice, a stalled conversion and a
file it cannot convert each fail with a clear reason.

`tests/fixtures/legacy/form.doc` is made by the script beside it. Tests that run LibreOffice are
skipped where it is not installed (`make office` installs it).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sys
from pathlib import Path

import olefile
import pytest

from extract import extract_facts
from pipeline.readers import legacy, read_document, sniff_format

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "legacy" / "form.doc"
needs_office = pytest.mark.skipif(legacy.soffice() is None, reason="LibreOffice is not installed (`make office`)")


def test_a_doc_is_sniffed_by_its_word_stream() -> None:
    assert sniff_format(FIXTURE.read_bytes(), ".xls") == "doc"


@needs_office
def test_doc_is_read_through_libreoffice_with_the_original_as_provenance(tmp_path: Path) -> None:
    source = tmp_path / "自评表.doc"
    shutil.copy(FIXTURE, source)
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    doc = read_document(source)
    assert (doc.status, doc.format, doc.path) == ("ok", "doc", str(source)), doc.error
    assert doc.doc_id == hashlib.sha256(before[0]).hexdigest()
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before  # the input is never touched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["自评表.doc"]  # nothing written beside it
    assert doc.text == (
        "2024年度项目支出绩效自评表\n"
        "项目名称\t农村公路养护项目\n"
        "项目资金（万元）\t全年预算数\t全年执行数\t执行率\n"
        "年度资金总额\t120.00\t114.72\t95.60%\n"
        "说明：执行率=全年执行数/全年预算数。\n"
    )
    table = doc.tables[0]
    assert (table.n_rows, table.n_cols) == (3, 4)
    assert table.cell_at(0, 3).text == "农村公路养护项目" and table.cell_at(0, 1).colspan == 3
    assert table.cell_at(2, 2).text == "114.72"
    for cell in table.cells:
        assert doc.text[cell.char_start : cell.char_end] == cell.text


@needs_office
def test_doc_gives_the_facts_its_docx_gives(tmp_path: Path) -> None:
    sys.path.insert(0, str(FIXTURE.parent))
    from make_legacy import build_docx

    build_docx(tmp_path / "form.docx")
    from_docx = extract_facts(read_document(tmp_path / "form.docx"))
    from_doc = extract_facts(read_document(FIXTURE))
    values = [(a.key, a.number.value, a.prov.raw) for a in from_doc.amounts]
    assert values == [(a.key, a.number.value, a.prov.raw) for a in from_docx.amounts]
    assert ("executed", 114.72, "114.72") in values
    assert all(a.prov.doc_id == read_document(FIXTURE).doc_id for a in from_doc.amounts)


@needs_office
def test_a_wps_writer_file_is_read_like_a_doc(tmp_path: Path) -> None:
    source = tmp_path / "报告.wps"
    shutil.copy(FIXTURE, source)
    doc = read_document(source)
    assert (doc.status, doc.format) == ("ok", "doc"), doc.error
    assert "年度资金总额\t120.00\t114.72\t95.60%" in doc.text


@needs_office
def test_a_doc_libreoffice_cannot_convert_fails_with_its_reason(tmp_path: Path) -> None:
    source = tmp_path / "damaged.doc"
    source.write_bytes(damaged_doc())
    doc = read_document(source)
    assert doc.status == "failed"
    assert doc.error.startswith("LibreOffice could not convert this .doc file")


def test_without_libreoffice_the_reason_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    doc = read_document(FIXTURE)
    assert doc.status == "failed"
    assert "needs LibreOffice" in doc.error and "apt-get install libreoffice-writer-nogui" in doc.error


def test_a_stalled_conversion_is_killed_at_the_time_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stall = tmp_path / "soffice"
    stall.write_text("#!/bin/sh\nsleep 60\n")
    stall.chmod(0o755)
    monkeypatch.setattr(legacy, "soffice", lambda: str(stall))
    with pytest.raises(legacy.ReadError, match=r"did not finish converting within 1 s"):
        legacy.convert(FIXTURE.read_bytes(), ".doc", "docx", seconds=1)


def damaged_doc() -> bytes:
    """The fixture with its WordDocument stream overwritten by random bytes (same size)."""
    import io

    buffer = io.BytesIO(FIXTURE.read_bytes())
    with olefile.OleFileIO(buffer, write_mode=True) as ole:
        size = ole.get_size("WordDocument")
        rng = random.Random(14)
        ole.write_stream("WordDocument", bytes(rng.randrange(256) for _ in range(size)))
    return buffer.getvalue()
