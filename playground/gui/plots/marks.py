"""What the plots mark so that nothing is hidden: knob changes, the best epoch, decimated curves, and axes that
fit a constant series (a flat line at 0.001 must read 0.001, not 0)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

_KNOB_PEN = pg.mkPen((120, 120, 120), width=1, style=Qt.PenStyle.DashLine)


class KnobMarks:
    """A dashed vertical line at each step where a knob moved, labelled 'lr 0.001 → 0.01'."""

    def __init__(self, plots: list[pg.PlotWidget]):
        self._plots = plots
        self._lines: list[tuple[pg.PlotWidget, pg.InfiniteLine]] = []
        self.labels: list[str] = []

    def add(self, step: int, text: str) -> None:
        self.labels.append(text)
        for i, plot in enumerate(self._plots):
            line = pg.InfiniteLine(pos=step, angle=90, movable=False, pen=_KNOB_PEN,
                                   label=text if i == 0 else None,
                                   labelOpts={"position": 0.92, "color": (80, 80, 80), "fill": (255, 255, 255, 200)})
            plot.addItem(line, ignoreBounds=True)
            self._lines.append((plot, line))

    def clear(self) -> None:
        for plot, line in self._lines:
            plot.removeItem(line)
        self._lines, self.labels = [], []


class BestMark:
    """A star on the best epoch (highest accuracy or lowest loss) with its value."""

    def __init__(self, plot: pg.PlotWidget, fmt: str):
        self._fmt = fmt
        self.star = pg.ScatterPlotItem(symbol="star", size=16, brush=pg.mkBrush(255, 200, 0), pen=pg.mkPen(90, 90, 0))
        self.label = pg.TextItem(anchor=(0.5, 1.3), color=(90, 70, 0))
        for item in (self.star, self.label):
            item.setZValue(50)
            plot.addItem(item)
        self.best: tuple[float, float] | None = None

    def update(self, xs: np.ndarray, ys: np.ndarray, higher_is_better: bool) -> None:
        if len(ys) == 0:
            self.star.setData([], [])
            self.label.setText("")
            self.best = None
            return
        i = int(np.nanargmax(ys) if higher_is_better else np.nanargmin(ys))
        self.best = (float(xs[i]), float(ys[i]))
        self.star.setData([xs[i]], [ys[i]])
        self.label.setText(f"best: epoch {int(xs[i])}, {format(ys[i], self._fmt)}")
        # at the first epoch the axis starts there: the label goes to the right of the star, not off the plot
        self.label.setAnchor((0.0 if i == 0 else 0.5, 1.3))
        self.label.setPos(xs[i], ys[i])


class DecimationNote:
    """Says so when a curve has more points in view than pixels: it is drawn with min and max per pixel."""

    def __init__(self, plot: pg.PlotWidget):
        self._plot = plot
        self.text = pg.TextItem(anchor=(0, 0), color=(110, 110, 110))
        self.text.setParentItem(plot.getPlotItem().vb)
        self.text.setPos(6, 4)
        self.factor = 1

    def update(self, xs: np.ndarray) -> None:
        (x0, x1), _ = self._plot.getPlotItem().vb.viewRange()
        width = max(1.0, self._plot.getPlotItem().vb.width())
        visible = int(np.count_nonzero((xs >= x0) & (xs <= x1))) if len(xs) else 0
        self.factor = max(1, math.ceil(visible / width))
        self.text.setText(f"{visible:,} steps on {int(width)} pixels: drawn with min and max per pixel "
                          "(zoom in for every step)" if self.factor > 1 else "")


def fit_constant(plot: pg.PlotWidget, ys: np.ndarray, log: bool = False) -> None:
    """A series that does not change gets an axis around its value, instead of pyqtgraph's ±0.5."""
    finite = ys[np.isfinite(ys)] if len(ys) else ys
    if log:
        finite = finite[finite > 0]
    if len(finite) == 0 or finite.max() - finite.min() > 1e-9 * max(abs(finite.max()), 1e-30):
        if getattr(plot, "fitted_constant", False):  # the series has moved on: back to following it
            plot.fitted_constant = False
            plot.enableAutoRange(axis="y")
        return
    plot.fitted_constant = True
    value = float(finite[0])
    if log:
        plot.setYRange(math.log10(value) - 0.5, math.log10(value) + 0.5, padding=0)
    else:
        half = abs(value) * 0.5 or 0.5
        plot.setYRange(value - half, value + half, padding=0)
