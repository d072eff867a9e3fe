"""The per-step curves: each loss the task reports, raw (light) and smoothed (dark), and each optimizer's
learning rate, in growing numpy buffers."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyqtgraph as pg

from playground.core.training.events import StepEvent
from playground.gui.plots.series import Series, Smoother

COLOURS = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189), (140, 86, 75), (23, 190, 207))
LR_COLOURS = ((148, 103, 189), (255, 127, 14), (44, 160, 44))
LOSS_LABELS = {"loss": "loss", "g_loss": "generator", "d_loss": "discriminator", "recon": "reconstruction",
               "kl": "KL"}


class StepCurves:
    def __init__(self, loss_plot: pg.PlotWidget, lr_plot: pg.PlotWidget):
        self._loss_plot, self._lr_plot = loss_plot, lr_plot
        self.main_raw, self.main_smoothed = Series(), Series()  # kept across runs: hovers hold them
        self.names: tuple[str, ...] = ("loss",)
        self.raw: dict[str, Series] = {}
        self.smoothed: dict[str, Series] = {}
        self._smoothers: dict[str, Smoother] = {}
        self._curves: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self.lrs: dict[str, Series] = {}
        self._lr_curves: dict[str, pg.PlotDataItem] = {}
        self.weight = 0.95
        self.reset(("loss",), self.weight)

    def reset(self, names: tuple[str, ...], weight: float) -> None:
        """Empty curves for a run with these losses. Curves are kept from run to run where they can be: making
        one (with its legend entry) takes about 5 ms of the GUI thread, while Train waits for its first point."""
        names = tuple(names) or ("loss",)
        if names != self.names or not self._curves:
            for raw, smooth in self._curves.values():
                self._loss_plot.removeItem(raw)
                self._loss_plot.removeItem(smooth)
            self._curves = {n: self._loss_curves(n, COLOURS[i % len(COLOURS)]) for i, n in enumerate(names)}
        self.names, self.weight = names, weight
        self.main_raw.clear()
        self.main_smoothed.clear()
        self.raw = {n: self.main_raw if i == 0 else Series() for i, n in enumerate(self.names)}
        self.smoothed = {n: self.main_smoothed if i == 0 else Series() for i, n in enumerate(self.names)}
        self._smoothers = {n: Smoother(weight) for n in self.names}
        self.lrs = {}  # the learning-rate curves wait, emptied, for the run's first step to name its optimizers
        self.draw_losses()
        for curve in self._lr_curves.values():
            curve.setData([], [])

    def _loss_curves(self, name: str, colour: tuple[int, int, int]) -> tuple[pg.PlotDataItem, pg.PlotDataItem]:
        label = LOSS_LABELS.get(name, name)
        raw = self._loss_plot.plot(name=f"{label} (each step)", pen=pg.mkPen((*colour, 60), width=1))
        smooth = self._loss_plot.plot(name=f"{label}, smoothed", pen=pg.mkPen(colour, width=2))
        for curve in (raw, smooth):  # long curves: draw only what is in view, min and max per pixel
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
        return raw, smooth

    def add(self, event: StepEvent) -> None:
        count = event.count
        xs = np.arange(event.step - count + 1, event.step + 1, dtype=np.float64)
        for name in self.names:
            values = np.asarray(event.losses.get(name, ()), dtype=np.float64)
            if len(values) == count:
                self.raw[name].extend(xs, values)
                self.smoothed[name].extend(xs, self._smoothers[name].feed(values))
        if event.lrs and not self.lrs:
            self._keep_lr_curves(event.lrs)
        for name, rate in event.lrs.items():
            self._lr(name).append(event.step, rate)

    def _keep_lr_curves(self, names: Iterable[str]) -> None:
        """Drop the learning-rate curves of optimizers this run does not have."""
        for name in [n for n in self._lr_curves if n not in names]:
            self._lr_plot.removeItem(self._lr_curves.pop(name))

    def _lr(self, name: str) -> Series:
        if name not in self.lrs:
            if name not in self._lr_curves:
                colour = LR_COLOURS[len(self._lr_curves) % len(LR_COLOURS)]
                label = "learning rate" if name == "lr" else name
                curve = self._lr_plot.plot(name=label, pen=pg.mkPen(colour, width=2))
                curve.setClipToView(True)
                curve.setDownsampling(auto=True, method="peak")
                self._lr_curves[name] = curve
            self.lrs[name] = Series()
        return self.lrs[name]

    def set_smoothing(self, weight: float) -> None:
        """Smooth every curve again with another factor (0 = raw)."""
        self.weight = weight
        for name in self.names:
            raw, smoothed = self.raw[name], self.smoothed[name]
            self._smoothers[name] = Smoother(weight)
            values = self._smoothers[name].feed(raw.y)
            smoothed.clear()
            smoothed.extend(raw.x, values)

    def draw_losses(self) -> None:
        for name, (raw, smooth) in self._curves.items():
            raw.setData(self.raw[name].x, self.raw[name].y)
            smooth.setData(self.smoothed[name].x, self.smoothed[name].y)

    def draw_lrs(self) -> None:
        for name, series in self.lrs.items():
            self._lr_curves[name].setData(series.x, series.y)

    def lr_series(self) -> Series:
        """The first optimizer's rates (an empty series before the first step)."""
        return next(iter(self.lrs.values()), _EMPTY)


_EMPTY = Series(1)
