"""The Sweep view's plots (pyqtgraph): the best value so far against the trial number, the metric against each
varied setting, parallel coordinates, and optuna's importance of each setting. Each takes a SweepState and
redraws from it; a choice of values (a list, words) is placed by its index and labelled with its value."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGridLayout, QWidget

GREY, BLUE, RED = (150, 150, 150), (31, 119, 180), (214, 39, 40)
SCATTER_COLUMNS = 2


def plot_widget(name: str, title: str, x: str, y: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(title=title, background="w")
    plot.setObjectName(name)
    for axis in ("left", "bottom"):
        plot.getAxis(axis).enableAutoSIPrefix(False)  # an accuracy reads 0.65, never 650 (x0.001)
    plot.setLabel("bottom", x)
    plot.setLabel("left", y)
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setMinimumHeight(140)
    return plot


def finished(trials: Any) -> list[Any]:
    """Trials with a finite value: complete, and pruned at their last reported epoch."""
    return [t for t in trials if t.state in ("complete", "pruned") and t.value is not None and math.isfinite(t.value)]


def positions(param: Any, values: list[Any]) -> tuple[np.ndarray, list[tuple[float, str]]]:
    """Where each value of the setting goes on an axis, and the ticks that name a choice's values."""
    if param.kind != "choice":
        return np.array(values, dtype=float), []
    keys = [json.dumps(c, sort_keys=True) for c in param.choices]
    xs = [keys.index(json.dumps(v, sort_keys=True)) if json.dumps(v, sort_keys=True) in keys else -1 for v in values]
    return np.array(xs, dtype=float), [(i, _short(c)) for i, c in enumerate(param.choices)]


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return text if len(text) <= 14 else text[:13] + "…"


class BestSoFarPlot:
    """Every finished trial's value (pruned ones in red) and the best so far as a step line."""

    def __init__(self, metric: str = "metric"):
        self.widget = plot_widget("sweepBestPlot", "Best so far", "trial", metric)
        self.widget.addLegend(offset=(-10, -10))  # bottom right: the best values are on top
        self._points = self.widget.plot([], [], pen=None, symbol="o", symbolSize=7, symbolBrush=GREY,
                                        symbolPen=None, name="trials")
        self._pruned = self.widget.plot([], [], pen=None, symbol="x", symbolSize=8, symbolBrush=RED,
                                        symbolPen=None, name="pruned")
        self._best = self.widget.plot([], [], pen=pg.mkPen(BLUE, width=2), name="best so far")

    def show_summary(self, summary: Any) -> None:
        spec = summary.spec
        self.widget.setLabel("left", f"{spec.metric} ({'higher' if spec.direction == 'maximize' else 'lower'} "
                                     "is better)")
        done = sorted(finished(summary.trials), key=lambda t: t.number)
        complete = [t for t in done if t.state == "complete"]  # (grey dots; the pruned are red crosses)
        pruned = [t for t in done if t.state == "pruned"]
        self._points.setData([t.number for t in complete], [t.value for t in complete])
        self._pruned.setData([t.number for t in pruned], [t.value for t in pruned])
        self._best.setData(*staircase(done, spec.direction))


def staircase(done: list[Any], direction: str) -> tuple[list[float], list[float]]:
    """The best complete value so far as a step line, from the first complete trial to the last finished one."""
    pick = max if direction == "maximize" else min
    xs: list[float] = []
    ys: list[float] = []
    best = None
    for t in done:
        if t.state == "complete":
            new = t.value if best is None else pick(best, t.value)
            if best is not None and new != best:
                xs.append(t.number)
                ys.append(best)
            best = new
        if best is not None:
            xs.append(t.number)
            ys.append(best)
    return xs, ys


class ImportancePlot:
    """optuna's importance of each varied setting, as horizontal bars, most important on top."""

    def __init__(self) -> None:
        self.widget = plot_widget("sweepImportancePlot", "Importance of each setting", "importance", "")
        self.widget.setXRange(0, 1)
        self._bars: pg.BarGraphItem | None = None
        self.values: dict[str, float] = {}

    def show_importances(self, importances: dict[str, float]) -> None:
        if importances == self.values:
            return
        self.values = dict(importances)
        if self._bars is not None:
            self.widget.removeItem(self._bars)
            self._bars = None
        names = list(reversed(importances))  # the first (most important) at the top
        if not names:
            self.widget.setTitle("Importance of each setting (after 3 complete trials)")
            return
        self.widget.setTitle("Importance of each setting (optuna)")
        self._bars = pg.BarGraphItem(x0=0, y=np.arange(len(names)), height=0.6,
                                     width=[importances[n] for n in names], brush=pg.mkBrush(BLUE))
        self.widget.addItem(self._bars)
        axis = self.widget.getAxis("left")
        axis.setTicks([[(i, n) for i, n in enumerate(names)]])
        axis.setWidth(min(240, 8 * max(len(n) for n in names)))  # a name wider than the axis is not drawn
        self.widget.setYRange(-0.6, len(names) - 0.4)


class ParamScatters(QWidget):
    """One small scatter per varied setting: the metric against its value (a log axis for a log range)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self.plots: dict[str, pg.PlotWidget] = {}
        self._items: dict[str, pg.PlotDataItem] = {}

    def show_summary(self, summary: Any) -> None:
        space = summary.spec.space
        if list(self.plots) != [p.path for p in space]:
            self._build(space, summary.spec.metric)
        done = finished(summary.trials)
        for param in space:
            xs, _ = positions(param, [t.params.get(param.path) for t in done])
            colours = [BLUE if t.state == "complete" else RED for t in done]
            self._items[param.path].setData(xs, [t.value for t in done], symbolBrush=colours)

    def _build(self, space: Any, metric: str) -> None:
        for plot in self.plots.values():
            self._grid.removeWidget(plot)
            plot.deleteLater()
        self.plots, self._items = {}, {}
        for i, param in enumerate(space):
            plot = plot_widget(f"sweepScatter:{param.path}", param.path, param.path, metric)
            _fit_axis(plot, param)
            self._items[param.path] = plot.plot([], [], pen=None, symbol="o", symbolSize=7, symbolPen=None)
            self.plots[param.path] = plot
            self._grid.addWidget(plot, i // SCATTER_COLUMNS, i % SCATTER_COLUMNS)


class ParallelCoordinates:
    """One vertical axis per varied setting and one for the metric, each scaled to 0..1 (a log range on a log
    scale); one line per finished trial, coloured from poor (grey) to good (blue)."""

    def __init__(self) -> None:
        self.widget = plot_widget("sweepParallelPlot", "Parallel coordinates", "", "scaled value (0 to 1)")
        self._lines: list[pg.PlotDataItem] = []

    def show_summary(self, summary: Any) -> None:
        for line in self._lines:
            self.widget.removeItem(line)
        self._lines = []
        spec, done = summary.spec, finished(summary.trials)
        columns = [_scaled(p, [t.params.get(p.path) for t in done]) for p in spec.space]
        values = np.array([t.value for t in done], dtype=float)
        columns.append(_unit(values))
        self.widget.getAxis("bottom").setTicks([[(i, p.path) for i, p in enumerate(spec.space)]
                                                + [(len(spec.space), spec.metric)]])
        self.widget.setXRange(-0.3, len(spec.space) + 0.3)  # the last axis's name shows
        goodness = columns[-1] if spec.direction == "maximize" else 1 - columns[-1]
        for row, good in enumerate(goodness):
            colour = tuple(int(g + (b - g) * good) for g, b in zip(GREY, BLUE, strict=True))
            ys = [column[row] for column in columns]
            self._lines.append(self.widget.plot(list(range(len(ys))), ys, pen=pg.mkPen(colour, width=1.5)))


def _fit_axis(plot: pg.PlotWidget, param: Any) -> None:
    """The setting's whole range on the x axis (a log one for a log range), a choice's values named."""
    if param.kind == "choice":
        _, ticks = positions(param, [])
        plot.getAxis("bottom").setTicks([ticks])
        plot.setXRange(-0.5, len(param.choices) - 0.5)
    elif param.kind == "log_uniform":
        plot.setLogMode(x=True)
        low, high = math.log10(param.low), math.log10(param.high)
        plot.setXRange(low, high)
        decades = range(math.floor(low), math.ceil(high) + 1)  # pyqtgraph's own log labels crowd two decades
        plot.getAxis("bottom").setTicks([[(k, f"{10.0 ** k:g}") for k in decades], []])
    else:
        plot.setXRange(param.low, param.high)


def _scaled(param: Any, values: list[Any]) -> np.ndarray:
    xs, _ = positions(param, values)
    if param.kind == "choice":
        return xs / max(1, len(param.choices) - 1)
    low, high = param.low, param.high
    if param.kind == "log_uniform":
        xs, low, high = np.log10(xs), math.log10(low), math.log10(high)
    return (xs - low) / (high - low) if high > low else np.zeros_like(xs)


def _unit(values: np.ndarray) -> np.ndarray:
    if len(values) == 0 or values.max() == values.min():
        return np.full(len(values), 0.5)
    return (values - values.min()) / (values.max() - values.min())
