"""OCR worker processes that die while starting (a broken install, a script whose module code
exits in a child): the read fails with a reason instead of hanging the batch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCAN = ROOT / "data" / "samples" / "scans" / "003_8d36f83c1eb61d9b.pdf"
SCRIPT = """
import sys
if __name__ == "__mp_main__":  # in a spawned OCR worker: die while starting
    sys.exit(3)
from pipeline.readers import read_document
doc = read_document({scan!r})
print(doc.status, doc.error)
"""


def test_workers_dying_at_start_fail_the_file_not_hang(tmp_path: Path) -> None:
    script = tmp_path / "dying_workers.py"
    script.write_text(SCRIPT.format(scan=str(SCAN)), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    status, _, error = done.stdout.strip().partition(" ")
    assert status == "failed" and error.startswith("an OCR worker process stopped"), done.stdout


def test_a_file_read_in_a_batch_of_n_gets_its_share_of_the_cores(monkeypatch) -> None:
    """`jixiao ingest --workers N` gives each file read at once cores ÷ N: its OCR pool and
    OCR engine threads fit in that share instead of each claiming the whole machine."""
    import os

    from pipeline.readers import cpu_cores, ocr
    from pipeline.run import LocalReaders, RunOptions, _process_args

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)))
    monkeypatch.setattr(ocr, "MAX_WORKERS", 2)
    assert LocalReaders(4, RunOptions())._options.cores == 2
    assert LocalReaders(4, RunOptions(), at_once=1)._options.cores == 8  # a batch of one file: all of them
    assert LocalReaders(16, RunOptions())._options.cores == 1
    assert ocr.pool_size(pages=100) == (2, 4)  # outside a batch: the machine
    with cpu_cores(2):
        assert ocr.pool_size(pages=100) == (2, 1)
    with cpu_cores(1):
        assert ocr.pool_size(pages=100) == (1, 1)  # read in-process, one thread
    assert ocr.pool_size(pages=1) == (1, 8)

    seen = []
    monkeypatch.setattr("pipeline.run.process", lambda path, options: seen.append(ocr.pool_size(100)))
    _process_args((Path("x.pdf"), RunOptions(cores=1)), None)
    assert seen == [(1, 1)]


def test_the_ocr_detector_runs_on_openvino_in_the_worker_share_of_the_cores() -> None:
    """The text detector runs on OpenVINO with the threads it is given, not pinned to cores (OCR
    workers of several files would otherwise pin the same first cores)."""
    from pipeline.readers import ocr

    engine = ocr.make_engine(threads=1)
    engine._load_det_model()  # rapidocr loads its models on first use
    compiled = engine.text_det.session.session.get_compiled_model()
    assert compiled.get_property("INFERENCE_NUM_THREADS") == 1
    assert compiled.get_property("ENABLE_CPU_PINNING") is False
