"""Shared fixtures: paths to the bundled samples and gold annotations."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return GOLD
