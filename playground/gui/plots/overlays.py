"""Runs of the run store drawn over the epoch plots, to compare them with each other and with the current run:
test loss (solid) and train loss (dashed) per epoch, and test accuracy, each run in its own colour; the legend
names every curve, with the run's best epoch, which a star in its colour marks."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from playground.gui.session import StoredRun


def epoch_values(run: StoredRun) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """x (epochs) and y of each overlaid figure: test_loss, train_loss, test_acc (in %)."""
    out = {}
    for key in ("test_loss", "train_loss", "test_acc"):
        points = [(m.epoch, _value(m, key)) for m in run.epochs]
        points = [(x, y) for x, y in points if y is not None]
        out[key] = (np.array([x for x, _ in points], dtype=float), np.array([y for _, y in points], dtype=float))
    return out


def _value(m, key: str) -> float | None:
    if key == "test_acc":
        return None if m.test_accuracy is None else m.test_accuracy * 100
    if key == "train_loss" and m.train_loss is None:  # a GAN or VAE: its first loss
        return next((v for k, v in m.values.items() if k.startswith("train_") and "accuracy" not in k), None)
    return m.get(key)


class EpochOverlays:
    def __init__(self, loss_plot: pg.PlotWidget, accuracy_plot: pg.PlotWidget):
        self._plots = {"loss": loss_plot, "acc": accuracy_plot}
        self.runs: tuple[StoredRun, ...] = ()
        self.values: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}  # run id -> epoch_values
        self._items: dict[str, list[tuple[pg.PlotWidget, pg.GraphicsObject]]] = {}

    def set_runs(self, runs: tuple[StoredRun, ...]) -> None:
        """Draw exactly these runs (the ones already drawn keep their items unless their epochs changed)."""
        wanted = {r.run_id: r for r in runs}
        for run_id in list(self._items):
            old = next(r for r in self.runs if r.run_id == run_id)
            if wanted.get(run_id) != old:
                self._remove(run_id)
        for run in runs:
            if run.run_id not in self._items:
                self._add(run)
        self.runs = tuple(runs)

    def max_epoch(self) -> int:
        xs = [x for v in self.values.values() for x, _ in v.values() if len(x)]
        return int(max(x.max() for x in xs)) if xs else 0

    def loss_values(self) -> list[np.ndarray]:
        return [v[k][1] for v in self.values.values() for k in ("test_loss", "train_loss")]

    def _add(self, run: StoredRun) -> None:
        values = self.values[run.run_id] = epoch_values(run)
        colour, items = run.colour, []
        higher = len(values["test_acc"][0]) > 0
        best = _best(*values["test_acc"], higher=True) if higher else _best(*values["test_loss"], higher=False)
        note = "" if best is None else f" (best {best[1]:.2f}% @{best[0]:g})" if higher else \
            f" (best {best[1]:.4g} @{best[0]:g})"
        # one legend entry per run and plot: the dashed train loss goes with its test loss
        train = " / train (dashed)" if len(values["train_loss"][0]) else ""
        for key, plot_name, label, style in (("test_loss", "loss", f"test{train}", Qt.PenStyle.SolidLine),
                                             ("train_loss", "loss", None, Qt.PenStyle.DashLine),
                                             ("test_acc", "acc", "test", Qt.PenStyle.SolidLine)):
            x, y = values[key]
            if len(x) == 0:
                continue
            extra = note if (plot_name == "acc") == higher else ""
            plot = self._plots[plot_name]
            curve = plot.plot(x, y, name=None if label is None else f"{run.name} {label}{extra}",
                              pen=pg.mkPen(colour, width=2, style=style), symbol=None if label is None else "t",
                              symbolSize=6, symbolBrush=colour, symbolPen=None)
            curve.setZValue(-5)  # under the current run's curves
            items.append((plot, curve))
        if best is not None:
            star = pg.ScatterPlotItem([best[0]], [best[1]], symbol="star", size=13, brush=pg.mkBrush(colour),
                                      pen=pg.mkPen(60, 60, 60))
            star.setZValue(40)
            plot = self._plots["acc" if higher else "loss"]
            plot.addItem(star)
            items.append((plot, star))
        self._items[run.run_id] = items

    def _remove(self, run_id: str) -> None:
        for plot, item in self._items.pop(run_id, []):
            plot.removeItem(item)
        self.values.pop(run_id, None)


def _best(x: np.ndarray, y: np.ndarray, higher: bool) -> tuple[float, float] | None:
    if len(y) == 0 or not np.isfinite(y).any():
        return None
    i = int(np.nanargmax(y) if higher else np.nanargmin(y))
    return float(x[i]), float(y[i])
