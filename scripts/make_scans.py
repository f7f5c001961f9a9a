"""Make scanned versions of the sample PDFs: image-only PDFs like a stamped form run through a scanner.

Every page of `data/samples/<stem>.pdf` is rendered at 150 dpi grayscale, rotated by a small angle
(up to ±1.5°, fixed per page from a hash of the file name and page so runs are reproducible), given
sensor noise and a little uneven background, and stored as a grayscale JPEG (artefacts included) in
an image-only PDF `data/samples/scans/<stem>.pdf` with no text layer.

Run: `.venv/bin/python scripts/make_scans.py [stem-prefix …]`.
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SCANS = SAMPLES / "scans"
DPI = 150
MAX_ANGLE = 1.5
JPEG_QUALITY = 35
FIXED_DATE = time.gmtime(1735689600)  # 2025-01-01: the same bytes on every run


def page_seed(stem: str, page: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{stem}:{page}".encode()).digest()[:8], "big")


def scan_page(image: Image.Image, seed: int) -> Image.Image:
    """One rendered page as a scanner would return it: tilted, noisy, slightly uneven."""
    rng = np.random.default_rng(seed)
    angle = float(rng.uniform(-MAX_ANGLE, MAX_ANGLE))
    tilted = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    pixels = np.asarray(tilted, dtype=np.float32)
    h, w = pixels.shape
    shade = np.linspace(0, rng.uniform(4, 12), w, dtype=np.float32)[None, :]  # uneven lighting
    noise = rng.normal(0, 3, (h, w)).astype(np.float32)
    specks = rng.random((h, w)) < 0.0004  # dust
    pixels = pixels - shade + noise
    pixels[specks] = rng.uniform(0, 120, int(specks.sum()))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def make_scan(pdf_path: Path) -> Path:
    pdf = pdfium.PdfDocument(str(pdf_path))
    pages = [
        scan_page(pdf[i].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"), page_seed(pdf_path.stem, i))
        for i in range(len(pdf))
    ]
    SCANS.mkdir(parents=True, exist_ok=True)
    out = SCANS / pdf_path.name
    pages[0].save(
        out,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=DPI,
        quality=JPEG_QUALITY,
        creationDate=FIXED_DATE,
        modDate=FIXED_DATE,
        producer="jixiao make_scans",
    )
    return out


def main(prefixes: list[str]) -> None:
    for pdf_path in sorted(SAMPLES.glob("*.pdf")):
        if prefixes and not any(pdf_path.stem.startswith(p) for p in prefixes):
            continue
        out = make_scan(pdf_path)
        print(f"{out.relative_to(SAMPLES.parent.parent)}: {out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main(sys.argv[1:])
