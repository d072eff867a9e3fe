"""Shared test setup: MNIST from ../shared/data, no downloads, offscreen Qt, a run store of the session's own."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PLAYGROUND_OFFLINE"] = "1"  # nothing may download in tests
_SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if "PLAYGROUND_DATA_DIR" not in os.environ and _SHARED_DATA.is_dir():
    os.environ["PLAYGROUND_DATA_DIR"] = str(_SHARED_DATA)
# runs the tests record (every `playground train` is recorded) never reach the user's own store
_RUNS_DIR = tempfile.mkdtemp(prefix="playground-test-runs-")
os.environ["PLAYGROUND_RUNS_DIR"] = _RUNS_DIR
atexit.register(shutil.rmtree, _RUNS_DIR, True)


@pytest.fixture
def mnist_dir() -> Path:
    """The folder that holds MNIST/raw; tests that need MNIST skip without it."""
    path = Path(os.environ.get("PLAYGROUND_DATA_DIR", ""))
    if not (path / "MNIST" / "raw").is_dir():
        pytest.skip("MNIST not found; set PLAYGROUND_DATA_DIR to a folder with MNIST/raw")
    return path
