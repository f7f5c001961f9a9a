"""Legacy Word (.doc) and WPS Writer (.wps) files: converted to .docx by LibreOffice, then read
by the docx reader.

The conversion runs `soffice --headless --convert-to docx` on a copy of the bytes in a temporary
folder (the input file is never opened by LibreOffice), with its own throw-away user profile (so
parallel conversions do not share a lock) and a time limit; the whole process group is killed when
it runs over. The Document keeps the original file's doc_id and path, so provenance points at the
.doc, and its format says `doc`.

LibreOffice is a system package (`make office`, or `apt-get install libreoffice-writer-nogui`);
where it is missing, the file fails with a reason saying how to install it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pipeline.models import Document
from pipeline.readers.errors import ReadError

CONVERT_SECONDS = 120  # a one-page .doc converts in ~3 s, most of it LibreOffice starting
INSTALL_HINT = "install LibreOffice: `make office` or `apt-get install libreoffice-writer-nogui`"


def soffice() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy_word(data: bytes, doc_id: str, path: str) -> Document:
    """Read a .doc/.wps by converting it to .docx; raise ReadError when it cannot be converted."""
    from pipeline.readers.docx import read_docx

    docx_bytes = convert(data, suffix=_suffix(path), target="docx")
    try:
        doc = read_docx(docx_bytes, doc_id, path)
    except ReadError as exc:
        raise ReadError(f"legacy Word file converted by LibreOffice, but {exc}") from exc
    return doc.model_copy(update={"format": "doc"})


def convert(data: bytes, suffix: str, target: str, seconds: float = CONVERT_SECONDS) -> bytes:
    """The bytes of `data` (a file ending in `suffix`) converted by LibreOffice to `target`."""
    program = soffice()
    if program is None:
        raise ReadError(f"legacy Office file ({suffix}) needs LibreOffice to be read: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as tmp:
        work = Path(tmp)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        out_dir = work / "out"
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        output = _run(command, seconds, cwd=work)
        converted = out_dir / f"input.{target}"
        if not converted.is_file() or converted.stat().st_size == 0:
            detail = output.strip().splitlines()[-1] if output.strip() else "no output file"
            raise ReadError(f"LibreOffice could not convert this {suffix} file ({detail})")
        return converted.read_bytes()


def _run(command: list[str], seconds: float, cwd: Path) -> str:
    """Run LibreOffice in its own process group; kill the group when it runs past `seconds`."""
    env = {**os.environ, "HOME": str(cwd), "SAL_USE_VCLPLUGIN": "svp"}
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ReadError(f"LibreOffice did not finish converting within {seconds:.0f} s") from exc
    return output.decode("utf-8", "replace")


def _suffix(path: str) -> str:
    """The original suffix when it is one LibreOffice knows for Word files, else .doc."""
    suffix = Path(path).suffix.lower()
    return suffix if suffix in {".doc", ".wps", ".dot", ".wpt"} else ".doc"
