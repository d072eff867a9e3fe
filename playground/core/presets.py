"""Presets: named TOML files of settings in resources/presets, applied under the user's own flags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playground.core.config import read_toml
from playground.core.errors import ConfigError
from playground.core.resources import resource_path


def preset_files() -> dict[str, Path]:
    folder = resource_path("presets")
    return {p.stem: p for p in sorted(folder.glob("*.toml"))} if folder.is_dir() else {}


def preset_names() -> list[str]:
    return list(preset_files())


def preset_description(name: str) -> str:
    """The first comment line of the preset file."""
    with open(preset_files()[name], encoding="utf-8") as f:
        first = f.readline().strip()
    return first.lstrip("# ") if first.startswith("#") else ""


def load_preset(name: str) -> dict[str, Any]:
    files = preset_files()
    if name not in files:
        raise ConfigError([("preset", f"unknown preset {name!r}; choose one of {', '.join(files) or 'none'}")])
    return read_toml(files[name])


