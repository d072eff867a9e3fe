"""Shared test setup: MNIST from ../shared/data, no downloads, offscreen Qt."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PLAYGROUND_OFFLINE"] = "1"  # nothing may download in tests
_SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if "PLAYGROUND_DATA_DIR" not in os.environ and _SHARED_DATA.is_dir():
    os.environ["PLAYGROUND_DATA_DIR"] = str(_SHARED_DATA)


@pytest.fixture
def mnist_dir() -> Path:
    """The folder that holds MNIST/raw; tests that need MNIST skip without it."""
    path = Path(os.environ.get("PLAYGROUND_DATA_DIR", ""))
    if not (path / "MNIST" / "raw").is_dir():
        pytest.skip("MNIST not found; set PLAYGROUND_DATA_DIR to a folder with MNIST/raw")
    return path
