"""Where datasets live: --data-dir, else PLAYGROUND_DATA_DIR, else a per-user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from playground.core.errors import DatasetError

ENV_VAR = "PLAYGROUND_DATA_DIR"
HOME_VAR = "PLAYGROUND_HOME"  # replaces the per-user folder (tests, a portable install)


def user_data_dir() -> Path:
    """The per-user data folder of this platform (~/.local/share/playground/data, ~/Library/Application
    Support/playground/data, %LOCALAPPDATA%\\playground\\data), as platformdirs knows it."""
    return app_data_dir() / "data"


def app_data_dir() -> Path:
    """playground's own per-user folder: datasets, the run store, saved networks and drawings live under it
    ($PLAYGROUND_HOME where it is set)."""
    if os.environ.get(HOME_VAR):
        return Path(os.environ[HOME_VAR]).expanduser().absolute()
    return platformdirs.user_data_path("playground", appauthor=False)


def resolve_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data directory to use; a directory the user named must exist and be readable."""
    if explicit:
        return _checked(Path(explicit), "--data-dir")
    if os.environ.get(ENV_VAR):
        return _checked(Path(os.environ[ENV_VAR]), ENV_VAR)
    path = user_data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _checked(path: Path, source: str) -> Path:
    path = path.expanduser()
    if path.exists() and not path.is_dir():
        raise DatasetError(f"data directory {path} (from {source}) is a file, not a folder; "
                           f"point {source} at the folder that holds your datasets")
    if not path.is_dir():
        raise DatasetError(f"data directory {path} (from {source}) does not exist; "
                           f"create it or point {source} at the folder that holds your datasets")
    if not os.access(path, os.R_OK | os.X_OK):
        raise DatasetError(f"data directory {path} (from {source}) cannot be read; fix its permissions")
    return path


def downloads_allowed() -> bool:
    """Downloads are off where PLAYGROUND_OFFLINE is set (tests, air-gapped machines)."""
    return os.environ.get("PLAYGROUND_OFFLINE", "") in ("", "0")
