"""Where OCR time goes, per page: render, seal removal, deskew, detection, recognition, orientation,
table grid and the rest of the layout, measured on a few pages of the scanned samples.

Usage: python bench/ocr_stages.py [--pages 4] [--threads 1] [--repeat 1] [--wall] [PDF ...]

Each page is rendered and read by `ocr.layout_page` itself, with its steps wrapped in timers: the
engine's detector and recogniser, `recognize_txt` (orientation), the seal, deskew and table steps;
`ocr_other` is the engine's own work between its models (crops, box sorting), `layout` what is
left of the page. Times are CPU seconds of this process (`--wall`: wall seconds), the best of
`--repeat` runs of each page. With one engine thread the models run in the calling thread, so
CPU seconds do not count the other work of a shared machine; an OCR pool of N such workers on N
free cores reads a page in about (CPU seconds per page) / N of wall time.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.readers import ocr  # noqa: E402

STAGES = ("render", "seals", "deskew", "detect", "recognise", "ocr_other", "orient", "tables", "layout", "total")
CLOCK = time.process_time


class Timed:
    """A callable whose calls add their time to `times[stage]`; other attributes pass through."""

    def __init__(self, function: Callable, stage: str, times: dict[str, float]) -> None:
        self.function, self.stage, self.times = function, stage, times

    def __call__(self, *args, **kwargs):
        start = CLOCK()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.times[self.stage] += CLOCK() - start

    def __getattr__(self, name: str):
        return getattr(self.function, name)


class TimedEngine:
    """The OCR engine with its detector and recogniser timed; recognition asked for by
    `upright_turns` (`recognize_txt`) counts as orientation."""

    def __init__(self, engine, times: dict[str, float]) -> None:
        self.engine, self.times = engine, times
        self.det = Timed(engine.text_det, "detect", times)
        self.rec = Timed(engine.text_rec, "recognise", times)

    def __call__(self, image: np.ndarray):
        self.engine.text_det, self.engine.text_rec = self.det, self.rec
        start, models = CLOCK(), self.times["detect"] + self.times["recognise"]
        try:
            return self.engine(image)
        finally:
            spent = CLOCK() - start - (self.times["detect"] + self.times["recognise"] - models)
            self.times["ocr_other"] += spent
            self.engine.text_det, self.engine.text_rec = self.det.function, self.rec.function

    def recognize_txt(self, crops: list[np.ndarray]):
        start = CLOCK()
        try:
            return self.engine.recognize_txt(crops)
        finally:
            self.times["orient"] += CLOCK() - start


def load_models(engine) -> None:
    """Load both models before anything is timed (the engine loads them on first use)."""
    engine._load_det_model()
    engine._load_rec_model()


def page_stages(engine, source: ocr.Source, index: int) -> dict[str, float]:
    """Seconds per stage of reading page `index` of `source`."""
    times: dict[str, float] = defaultdict(float)
    steps = {"drop_seals": "seals", "deskew": "deskew", "find_tables": "tables"}
    originals = {name: getattr(ocr, name) for name in steps}
    for name, stage in steps.items():
        setattr(ocr, name, Timed(originals[name], stage, times))
    try:
        start = CLOCK()
        pixels, unit = source.render(index)
        times["render"] = CLOCK() - start
        ocr.layout_page(pixels, index + 1, TimedEngine(engine, times), unit)
        times["total"] = CLOCK() - start
    finally:
        for name, function in originals.items():
            setattr(ocr, name, function)
    times["layout"] = times["total"] - sum(times[s] for s in STAGES if s not in ("layout", "total"))
    return times


def sample_pages(pdfs: list[Path], count: int) -> list[tuple[Path, ocr.Source, int]]:
    """`count` pages taken in turn from the PDFs (first pages first): (pdf, source, 0-based index)."""
    sources = [(pdf, ocr.Source("pdf", pdf.read_bytes())) for pdf in pdfs]
    counts = [len(source.indices()) for _, source in sources]
    order = [(k, i) for i in range(max(counts)) for k in range(len(sources)) if i < counts[k]]
    return [(sources[k][0], sources[k][1], i) for k, i in order[:count]]


def measure(pdfs: list[Path], pages: int = 4, threads: int = 1, repeat: int = 1) -> dict:
    """Seconds per stage of each sampled page (the best of `repeat` runs) and their mean."""
    engine = ocr.make_engine(threads)
    load_models(engine)
    rows = {}
    for pdf, source, index in sample_pages(pdfs, pages):
        best = min((page_stages(engine, source, index) for _ in range(repeat)), key=lambda r: r["total"])
        rows[f"{pdf.stem[:20]} p{index + 1}"] = {stage: round(best[stage], 2) for stage in STAGES}
    mean = {stage: round(sum(row[stage] for row in rows.values()) / len(rows), 2) for stage in STAGES}
    return {"clock": "wall" if CLOCK is time.perf_counter else "cpu", "threads": threads, "pages": rows, "mean": mean}


def table(measured: dict) -> list[str]:
    """The measurement as a markdown table, one row per page and the mean."""
    lines = ["| page | " + " | ".join(STAGES) + " |", "|---" * (len(STAGES) + 1) + "|"]
    for name, row in [*measured["pages"].items(), ("**mean per page**", measured["mean"])]:
        lines.append(f"| {name} | " + " | ".join(f"{row[stage]:.2f}" for stage in STAGES) + " |")
    return lines


def main() -> None:
    global CLOCK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--pages", type=int, default=4, help="pages in all, taken in turn from the PDFs")
    parser.add_argument("--threads", type=int, default=1, help="OCR engine threads (an OCR worker's share)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--wall", action="store_true", help="wall seconds instead of CPU seconds")
    args = parser.parse_args()
    if args.wall:
        CLOCK = time.perf_counter
    pdfs = args.pdfs or sorted((ROOT / "data" / "samples" / "scans").glob("*.pdf"))
    measured = measure(pdfs, args.pages, args.threads, args.repeat)
    print(f"{measured['clock']} seconds per stage, {args.threads} engine thread(s)")
    print("\n".join(table(measured)))


if __name__ == "__main__":
    main()
