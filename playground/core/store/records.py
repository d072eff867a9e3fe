"""What the store reads back: one RunRecord per run, and the figures that sum a run up (its best epoch)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATUSES = ("running", "completed", "stopped", "failed", "interrupted")
# the settings a runs table shows beside the architecture and the dataset
KEY_HYPERPARAMETERS = ("epochs", "batch_size", "lr", "optimizer", "schedule", "weight_decay", "seed")
MODEL_FILE = "model.pt"


@dataclass(frozen=True)
class Best:
    """The best epoch of a run: the highest test accuracy of a classifier, else the lowest test loss."""

    epoch: int | None = None
    value: float | None = None
    metric: str | None = None  # "test_accuracy" or "test_loss"


# the figure a run is judged by, and which way is up: a language model has no test split, its text's last 10%
# validates it
_RANKED = (("test_accuracy", 1.0), ("test_loss", -1.0), ("val_loss", -1.0))


def best_of(rows: Iterable[dict[str, Any]]) -> Best:
    """The best of metrics.jsonl-style rows in epoch order; Best() before the first epoch, or when no epoch has
    either figure."""
    best = Best()
    for row in rows:
        best = best_after(best, row)
    return best


def best_after(best: Best, row: dict[str, Any]) -> Best:
    """The best once the epoch `row` is added after the epochs that `best` sums up (a tie keeps the earlier)."""
    for rank, (metric, sign) in enumerate(_RANKED):
        value = row.get(metric)
        if not isinstance(value, (int, float)) or value != value:  # absent, or nan
            continue
        current = next((i for i, (m, _) in enumerate(_RANKED) if m == best.metric), len(_RANKED))
        if rank < current or (rank == current and sign * value > sign * best.value):
            return Best(int(row["epoch"]), float(value), metric)
        return best
    return best


@dataclass(frozen=True)
class RunRecord:
    """One run as the store knows it. `status` is what the run is now: a run whose process has died reads as
    "interrupted" even before anyone repairs the database."""

    id: str
    name: str
    kind: str  # classification, regression, gan or vae
    arch: str
    dataset: str
    config: dict[str, Any]
    status: str
    started_at: float  # seconds since the epoch (time.time())
    ended_at: float | None
    device: str
    folder: Path  # absolute
    epochs_done: int = 0
    steps_done: int = 0
    best: Best = field(default_factory=Best)
    final_metrics: dict[str, Any] = field(default_factory=dict)  # the last epoch's row of metrics.jsonl
    notes: str = ""
    message: str = ""  # why a failed run failed
    owner_pid: int | None = None  # the process that writes (wrote) it
    owner_host: str = ""
    heartbeat_at: float | None = None  # the writer's last sign of life
    active_s: float = 0.0  # seconds run in the sessions before the last one (a resume starts a session)
    resumed_at: float | None = None  # when the last session started
    sweep: str = ""  # the sweep this run is a trial of ("" for a run of its own)
    sweep_trial: int | None = None  # its trial number in that sweep

    @property
    def best_metric(self) -> float | None:
        return self.best.value

    @property
    def epochs_planned(self) -> int:
        return int(self.config.get("epochs", 0))

    @property
    def hyperparameters(self) -> dict[str, Any]:
        return {k: self.config[k] for k in KEY_HYPERPARAMETERS if k in self.config}

    @property
    def checkpoint_path(self) -> Path:
        return self.folder / MODEL_FILE

    @property
    def finished(self) -> bool:
        return self.status != "running"

    def duration_s(self, now: float | None = None) -> float:
        """Wall time spent running, over every session (a resume adds one); for a running run, up to now."""
        end = self.ended_at if self.ended_at is not None else (now or time.time())
        session_start = self.resumed_at if self.resumed_at is not None else self.started_at
        return self.active_s + max(0.0, end - session_start)

    def to_json(self) -> dict[str, Any]:
        """A JSON object of the record (what `playground runs --json` prints)."""
        return {
            "id": self.id, "name": self.name, "status": self.status, "kind": self.kind, "arch": self.arch,
            "dataset": self.dataset, "epochs_done": self.epochs_done, "epochs": self.epochs_planned,
            "steps_done": self.steps_done, "best_metric": self.best.value, "best_metric_name": self.best.metric,
            "best_epoch": self.best.epoch, "hyperparameters": self.hyperparameters,
            "started_at": _iso(self.started_at), "ended_at": _iso(self.ended_at),
            "duration_s": round(self.duration_s(), 3), "device": self.device, "folder": str(self.folder),
            "final_metrics": self.final_metrics, "notes": self.notes, "message": self.message,
            "sweep": self.sweep or None, "sweep_trial": self.sweep_trial,
        }


def config_difference(a: dict[str, Any], b: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The settings in which two runs' configs differ, as {"lr": (0.001, 0.01), "arch_options.hidden": ...};
    a setting one of them lacks is None on that side."""
    flat_a, flat_b = _flatten(a), _flatten(b)
    return {k: (flat_a.get(k), flat_b.get(k)) for k in sorted(flat_a.keys() | flat_b.keys())
            if flat_a.get(k) != flat_b.get(k)}


def _flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested settings as dotted keys; a list of tables (a custom network's layers) by position from 1, as its
    messages count them, so that two networks differ only in the layers that do ("layers.3.out_features")."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            flat.update(_flatten({str(i): v for i, v in enumerate(value, 1)}, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _iso(t: float | None) -> str | None:
    return None if t is None else time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(t))


def record_from_row(row: Any, status: str) -> RunRecord:
    """A RunRecord of a `runs` row (sqlite3.Row), with the status its owner's liveness gives it."""
    ended = row["ended_at"]
    if status == "interrupted" and row["status"] == "running":
        ended = row["heartbeat_at"] or row["started_at"]  # it died after its last sign of life
    return RunRecord(
        id=row["id"], name=row["name"], kind=row["kind"], arch=row["arch"], dataset=row["dataset"],
        config=json.loads(row["config"]), status=status, started_at=row["started_at"], ended_at=ended,
        device=row["device"], folder=Path(row["folder"]), epochs_done=row["epochs_done"],
        steps_done=row["steps_done"], best=Best(row["best_epoch"], row["best_metric"], row["best_metric_name"]),
        final_metrics=json.loads(row["final_metrics"] or "{}"), notes=row["notes"], message=row["message"],
        owner_pid=row["owner_pid"], owner_host=row["owner_host"] or "", heartbeat_at=row["heartbeat_at"],
        active_s=row["active_s"], resumed_at=row["resumed_at"], sweep=row["sweep"], sweep_trial=row["sweep_trial"])
