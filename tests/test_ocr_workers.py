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
