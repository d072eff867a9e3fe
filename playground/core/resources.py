"""Finding the bundled resources (presets, the pretrained model) in a checkout or an installed copy."""

from __future__ import annotations

import site
import sys
from pathlib import Path


def resources_dirs() -> list[Path]:
    """Candidate resources folders, most specific first."""
    return [
        Path(__file__).resolve().parents[2] / "resources",  # a checkout or an editable install
        Path(sys.prefix) / "share" / "playground",  # pyproject's data-files, in a venv or system install
        Path(site.getuserbase()) / "share" / "playground",  # ... or after `pip install --user`
    ]


def resource_path(*parts: str) -> Path:
    """The first existing resources/<parts>, else where a checkout would have it."""
    for folder in resources_dirs():
        candidate = folder.joinpath(*parts)
        if candidate.exists():
            return candidate
    return resources_dirs()[0].joinpath(*parts)
