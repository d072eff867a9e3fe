"""Shared test setup: MNIST from ../shared/data, no downloads, offscreen Qt, a run store of the session's own."""

import atexit
import faulthandler
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# what draws digits as a person would (bench/synthetic_handwriting.py, bench/synthetic_input.py): test helpers,
# kept out of the product package and shared with the bench scripts
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
os.environ["PLAYGROUND_OFFLINE"] = "1"  # nothing may download in tests
_SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if "PLAYGROUND_DATA_DIR" not in os.environ and _SHARED_DATA.is_dir():
    os.environ["PLAYGROUND_DATA_DIR"] = str(_SHARED_DATA)
# runs the tests record (every `playground train` is recorded) never reach the user's own store
_RUNS_DIR = tempfile.mkdtemp(prefix="playground-test-runs-")
os.environ["PLAYGROUND_RUNS_DIR"] = _RUNS_DIR
atexit.register(shutil.rmtree, _RUNS_DIR, True)
# saved networks, drawings and the rest of the per-user folder: the session's own too
_HOME = tempfile.mkdtemp(prefix="playground-test-home-")
os.environ["PLAYGROUND_HOME"] = _HOME
atexit.register(shutil.rmtree, _HOME, True)


HUNG_TEST_S = 600  # far beyond any test's time: a test this long is stuck


@pytest.fixture(autouse=True)
def _a_stuck_test_ends_the_run_with_every_stack():
    """A deadlock that holds the GIL (a Qt lock against it) stops pytest-timeout's own thread too; faulthandler's
    watchdog is C, needs no GIL, prints every thread's stack and ends the process, so CI reports it in minutes."""
    faulthandler.dump_traceback_later(HUNG_TEST_S, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture
def mnist_dir() -> Path:
    """The folder that holds MNIST/raw; tests that need MNIST skip without it."""
    path = Path(os.environ.get("PLAYGROUND_DATA_DIR", ""))
    if not (path / "MNIST" / "raw").is_dir():
        pytest.skip("MNIST not found; set PLAYGROUND_DATA_DIR to a folder with MNIST/raw")
    return path


@pytest.fixture(scope="session")
def digit_shapes(tmp_path_factory) -> Path:
    """120 28x28 grayscale images of two kinds (a bar, a ring) at random places: digits to draw, quickly."""
    import numpy as np
    from PIL import Image, ImageDraw

    root = tmp_path_factory.mktemp("shapes")
    rng = np.random.default_rng(0)
    for kind in ("bar", "ring"):
        (root / kind).mkdir()
        for i in range(60):
            image = Image.new("L", (28, 28), 0)
            draw = ImageDraw.Draw(image)
            x, y = (int(v) for v in rng.integers(6, 14, 2))
            if kind == "bar":
                draw.rectangle([x, y - 4, x + 5, y + 10], fill=255)
            else:
                draw.ellipse([x - 2, y - 2, x + 10, y + 10], outline=255, width=3)
            image.save(root / kind / f"{i}.png")
    return root
