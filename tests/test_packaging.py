"""The wheel a user installs carries what the code loads at run time: the prompt files, the
review template and the gazetteer of divisions (an editable install would hide their absence)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_prompts_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("jixiao-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    prompts = {f"prompts/{p.name}" for p in (ROOT / "prompts").glob("*.md")}
    assert prompts and prompts <= names
    assert "pipeline/templates/review.html" in names
    assert "extract/divisions.tsv" in names
