"""A run's folder: config.toml, metrics.jsonl (one line per epoch) and model.pt.

The seed of the run store: the CLI writes it today; the app and run comparison will read it.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from playground.core.config import TrainConfig, to_toml
from playground.core.data.paths import user_data_dir
from playground.core.errors import PlaygroundError
from playground.core.training.callbacks import Callback
from playground.core.training.events import EpochMetrics, SamplesEvent

CONFIG_FILE, METRICS_FILE, MODEL_FILE, SAMPLES_DIR = "config.toml", "metrics.jsonl", "model.pt", "samples"


def default_run_dir(config: TrainConfig) -> Path:
    """A new folder under the per-user runs folder, named by time, architecture and dataset."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return user_data_dir().parent / "runs" / f"{stamp}-{config.arch}-{config.dataset}"


def start_run_dir(path: str | os.PathLike, config: TrainConfig, resuming: bool = False) -> Path:
    """Create the folder and write the complete config; a fresh run starts an empty metrics file."""
    folder = Path(path)
    if not resuming and (folder / MODEL_FILE).exists():
        raise PlaygroundError(f"{folder} already holds a run (model.pt); choose a new --out, "
                              "or continue that run with --resume")
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomic(folder / CONFIG_FILE, to_toml(config))
    if not resuming:
        (folder / METRICS_FILE).write_text("")
    return folder


class MetricsWriter(Callback):
    """Appends one JSON object per finished epoch to metrics.jsonl."""

    def __init__(self, folder: Path):
        self.path = folder / METRICS_FILE

    def on_epoch_end(self, event: EpochMetrics) -> None:
        try:
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps(event.to_dict()) + "\n")
        except OSError as e:  # a full disk, a folder gone or made read-only
            raise PlaygroundError(_cannot_write(self.path, e)) from None


class SampleWriter(Callback):
    """Writes a generative run's sample grid of each epoch to samples/epoch-001.png, ..."""

    def __init__(self, folder: Path):
        self.folder = folder / SAMPLES_DIR

    def on_samples(self, event: SamplesEvent) -> None:
        from playground.core.images import grid, save_png

        path = self.folder / f"epoch-{event.epoch:03d}.png"
        try:
            save_png(grid(event.images), path)
        except OSError as e:
            raise PlaygroundError(_cannot_write(path, e)) from None


def _cannot_write(path: Path, e: OSError) -> str:
    return f"cannot write {path}: {e.strerror or e}; free some disk space or choose another --out"


def read_metrics(folder: str | os.PathLike) -> list[dict]:
    path = Path(folder) / METRICS_FILE
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


