"""Finding the bundled resources (presets, the pretrained model) in a checkout or an installed copy."""

from __future__ import annotations

import sys
from pathlib import Path

_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "resources",  # a checkout or an editable install
    Path(sys.prefix) / "share" / "playground" / "resources",  # a wheel's data files
)


def resources_dir() -> Path:
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    return _CANDIDATES[0]


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
