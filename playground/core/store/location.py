"""Where the run store lives: $PLAYGROUND_RUNS_DIR, else `runs` in playground's per-user data folder.

That folder holds the database and the folders of runs started without --out.
"""

from __future__ import annotations

import os
from pathlib import Path

from playground.core.data.paths import app_data_dir

RUNS_DIR_VAR = "PLAYGROUND_RUNS_DIR"
DATABASE_FILE = "runs.db"


def runs_dir() -> Path:
    """The store's folder (absolute; not created here)."""
    explicit = os.environ.get(RUNS_DIR_VAR)
    folder = Path(explicit).expanduser() if explicit else app_data_dir() / "runs"
    return folder.absolute()


def database_path(folder: str | os.PathLike | None = None) -> Path:
    return Path(folder).absolute() / DATABASE_FILE if folder is not None else runs_dir() / DATABASE_FILE
