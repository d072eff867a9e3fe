"""What the runs table shows of a RunRecord, column by column: the text, the value it sorts by, a tooltip;
and the colours of the statuses (Qt-free)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playground.core.models.catalogue import ARCH_CATALOGUE
from playground.core.optimizer_settings import network_settings
from playground.gui import formatting

# the statuses people must notice: a run still going, one whose process died, one that failed
STATUS_COLOURS = {"running": ((21, 101, 192), (227, 240, 253)), "interrupted": ((183, 95, 0), (255, 240, 219)),
                  "failed": ((183, 28, 28), (253, 228, 228)), "stopped": ((90, 90, 90), None),
                  "completed": ((27, 110, 50), None)}  # (text, background)
STATUS_TIPS = {"running": "Training now, in this app or in another process",
               "completed": "Trained every epoch it was asked for",
               "stopped": "Stopped by hand; Continue trains it further",
               "interrupted": "Its process ended without finishing it (killed, crashed, closed); its finished "
                              "epochs and last checkpoint are kept, Continue goes on from there",
               "failed": "Ended by an error (the tooltip of its status says which)"}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any]
    tip: str


def settings_text(r: Any) -> str:
    """The hyperparameters that tell runs apart: lr 0.001, batch 64, adam, cosine, wd 0.0005."""
    c = r.config
    if networks := _network_settings(c):  # a GAN: each network's own optimizer, not the run-wide fields
        return ", ".join([*(f"{n} {s.optimizer} {s.lr:g}" for n, s in networks.items()),
                          f"batch {c.get('batch_size', '?')}"])
    parts = [f"lr {c.get('lr', 0):g}", f"batch {c.get('batch_size', '?')}", *([c["optimizer"]] if "optimizer" in c
                                                                                else [])]
    if c.get("schedule", "none") != "none":
        parts.append(str(c["schedule"]))
    if c.get("weight_decay"):
        parts.append(f"wd {c['weight_decay']:g}")
    if c.get("augment"):
        parts.append("augment")
    return ", ".join(parts)


def _network_settings(config: dict) -> dict:
    info = ARCH_CATALOGUE.get(config.get("arch", ""))
    if info is None or not info.networks:
        return {}
    try:
        return network_settings(info.network_defaults(), dict(config.get("optimizers") or {}))
    except (TypeError, ValueError, AttributeError):  # a record written by another version: the plain text
        return {}


def best_text(r: Any) -> str:
    """'98.06% @3' for a classifier, 'loss 0.0410 @5' otherwise; '–' before the first epoch."""
    best = r.best
    if best.value is None:
        return "–"
    if best.metric == "test_accuracy":
        return f"{best.value * 100:.2f}% @{best.epoch}"
    if best.metric == "val_loss":
        return f"val {best.value:.4g} @{best.epoch}"
    return f"loss {best.value:.4g} @{best.epoch}"


def _best_sort(r: Any) -> tuple:
    best = r.best
    if best.value is None:
        return (2, 0.0)
    return (0, -best.value) if best.metric == "test_accuracy" else (1, best.value)  # best first, ascending


def _name_tip(r: Any) -> str:
    note = f"\n\nNote: {r.notes}" if r.notes else ""
    return f"{r.name} (id {r.id})\nFolder: {r.folder}\nDevice: {r.device or '–'}{note}"


COLUMNS = (
    Column("plot", "Plot", lambda r: "", lambda r: 0, "Tick to draw this run's epoch curves over the plots"),
    Column("name", "Name", lambda r: r.name + (" ✎" if r.notes else ""), lambda r: r.name.lower(),
           "The run's name: double-click it (or F2) to rename it; right-click a run for a note (✎ marks one)"),
    Column("status", "Status", lambda r: r.status, lambda r: r.status, "running, completed, stopped, interrupted "
           "or failed"),
    Column("best", "Best", best_text, _best_sort,
           "The best epoch: the highest test accuracy of a classifier, else the lowest test loss"),
    Column("arch", "Architecture", lambda r: r.arch, lambda r: r.arch, "The network"),
    Column("dataset", "Dataset", lambda r: r.dataset, lambda r: r.dataset, "What it learnt from"),
    Column("settings", "Settings", settings_text, settings_text, "Learning rate, batch size, optimizer, schedule"),
    Column("epochs", "Epochs", lambda r: f"{r.epochs_done}/{r.epochs_planned}", lambda r: r.epochs_done,
           "Epochs finished, of those planned"),
    Column("duration", "Duration", lambda r: formatting.duration(r.duration_s()), lambda r: r.duration_s(),
           "Time spent training, over every session of the run"),
    Column("kind", "Kind", lambda r: r.kind, lambda r: r.kind, "classification, regression, gan or vae"),
    Column("started", "Started", lambda r: time.strftime("%Y-%m-%d %H:%M", time.localtime(r.started_at)),
           lambda r: r.started_at, "When the run was started"),
)
COLUMN = {c.key: i for i, c in enumerate(COLUMNS)}


def tooltip(column: Column, r: Any) -> str:
    if column.key == "name":
        return _name_tip(r)
    if column.key == "status":
        return r.message or STATUS_TIPS.get(r.status, "")
    if column.key == "best" and r.best.value is not None:
        return f"{r.best.metric} {r.best.value:.4g} at epoch {r.best.epoch}"
    if column.key == "settings":
        return "\n".join(f"{k} = {v}" for k, v in r.hyperparameters.items())
    return column.tip


def haystack(r: Any) -> str:
    """What the filter box searches: every column's text, the notes, the id and the folder."""
    return " ".join([*(c.text(r) for c in COLUMNS), r.notes, r.id, str(r.folder)]).lower()
