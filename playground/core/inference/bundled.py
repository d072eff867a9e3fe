"""Where the bundled resources are: next to the package in a checkout, under <prefix>/share when installed."""

from __future__ import annotations

import site
import sys
from pathlib import Path

import playground

BUNDLED_MODEL = "models/mnist-seed-cnn.pt"
BUNDLED_MODEL_LABEL = "the bundled model"


def resources_dirs() -> list[Path]:
    """Candidate resources folders, most specific first."""
    checkout = Path(playground.__file__).resolve().parent.parent / "resources"
    installed = Path(sys.prefix) / "share" / "playground"  # pyproject's data-files put them here
    user = Path(site.getuserbase()) / "share" / "playground"  # ... or here after `pip install --user`
    return [checkout, installed, user]


def bundled_model_path() -> Path | None:
    """The pretrained MNIST model that ships with playground, or None if this installation lacks it."""
    for folder in resources_dirs():
        path = folder / BUNDLED_MODEL
        if path.is_file():
            return path
    return None
