"""A run's folder: config.toml, metrics.jsonl (one line per finished epoch), model.pt and samples/.

The database holds the same epochs; the run's StoreWriter writes both (see writer.py), the database first.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from playground.core.config import TrainConfig, to_toml
from playground.core.errors import PlaygroundError
from playground.core.store.location import runs_dir
from playground.core.store.records import MODEL_FILE
from playground.core.training.callbacks import Callback
from playground.core.training.events import SamplesEvent

CONFIG_FILE, METRICS_FILE, SAMPLES_DIR = "config.toml", "metrics.jsonl", "samples"
__all__ = ["CONFIG_FILE", "METRICS_FILE", "MODEL_FILE", "SAMPLES_DIR", "SampleWriter", "append_metrics",
           "default_run_dir", "read_metrics", "remove_run_files", "start_run_dir", "write_metrics"]


def default_run_dir(config: TrainConfig, root: Path | None = None) -> Path:
    """A new folder under the runs folder, named by time, architecture and dataset."""
    root = root or runs_dir()
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{config.arch}-{config.dataset}"
    folder, n = root / stem, 1
    while folder.exists():  # two runs started within a second
        n += 1
        folder = root / f"{stem}-{n}"
    return folder


def start_run_dir(path: str | os.PathLike, config: TrainConfig, resuming: bool = False) -> Path:
    """Create the folder (absolute) and write the complete config; a fresh run starts an empty metrics file."""
    folder = Path(path).absolute()
    if not resuming and (folder / MODEL_FILE).exists():
        raise PlaygroundError(f"{folder} already holds a run (model.pt); choose a new --out, "
                              "or continue that run with --resume")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / CONFIG_FILE, to_toml(config))
        if not resuming:
            write_atomic(folder / METRICS_FILE, "")
    except OSError as e:  # a file in the way, no permission, a full disk
        raise PlaygroundError(f"cannot write the run folder {path}: {e.strerror or e}; choose another --out") from None
    return folder


def write_metrics(folder: Path, rows: list[dict[str, Any]]) -> None:
    """metrics.jsonl holding exactly these epochs, replaced in one step (a kill never leaves half a line)."""
    write_atomic(folder / METRICS_FILE, "".join(json.dumps(r) + "\n" for r in rows))


def append_metrics(folder: Path, row: dict[str, Any]) -> None:
    """One epoch's line at the end of metrics.jsonl, in a single write."""
    with open(folder / METRICS_FILE, "a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")


def read_metrics(folder: str | os.PathLike) -> list[dict]:
    path = Path(folder) / METRICS_FILE
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class SampleWriter(Callback):
    """Writes what the model made at each epoch's end: a generative run's sample grid to samples/epoch-001.png,
    a language model's writing to samples/epoch-001.txt, ..."""

    def __init__(self, folder: Path):
        self.folder = folder / SAMPLES_DIR

    def on_samples(self, event: SamplesEvent) -> None:
        from playground.core.images import grid, save_png

        path = self.folder / f"epoch-{event.epoch:03d}.{'txt' if event.text else 'png'}"
        try:
            if event.text:
                self.folder.mkdir(parents=True, exist_ok=True)
                write_atomic(path, event.text)
            else:
                save_png(grid(event.images), path)
        except OSError as e:  # a full disk, a folder gone or made read-only
            raise PlaygroundError(f"cannot write {path}: {e.strerror or e}; free some disk space or choose "
                                  "another --out") from None


RUN_FILES = (CONFIG_FILE, METRICS_FILE, MODEL_FILE)


def remove_run_files(folder: Path) -> bool:
    """Delete what playground wrote in a run folder, and the folder once empty; True when it is gone.

    Only the run's own files go: a folder that also holds other files (someone's --out ~/work) keeps them."""
    if not folder.is_dir():
        return True
    for name in RUN_FILES:
        (folder / name).unlink(missing_ok=True)
    shutil.rmtree(folder / SAMPLES_DIR, ignore_errors=True)
    for leftover in folder.glob("*.tmp"):  # a write cut short by a kill
        leftover.unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:
        return False
    return True


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then os.replace it: readers see the old file or the new one."""
    tmp = temporary_beside(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def temporary_beside(path: Path) -> Path:
    """A fresh name beside `path` for a file about to replace it (made with the usual permissions, unlike
    mkstemp's owner-only ones)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
