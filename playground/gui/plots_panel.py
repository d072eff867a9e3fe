"""Live plots of a run: training loss per step (raw and smoothed), loss and accuracy per epoch, learning rate.

Slots append to preallocated numpy buffers; a timer pushes them to the curves ten times a second, so the
cost of drawing does not grow with the rate of events. Imports pyqtgraph: load it after the window is shown.
"""

from __future__ import annotations

import csv
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QGridLayout, QWidget

from playground.core.training.events import EpochMetrics, StepEvent
from playground.gui.plot_hover import HoverReadout
from playground.gui.series import Series, Smoother

pg.setConfigOptions(background="w", foreground="#333", antialias=True)

_BLUE, _ORANGE, _PURPLE = (31, 119, 180), (255, 127, 14), (148, 103, 189)
_EXTRA_COLOURS = ((44, 160, 44), (214, 39, 40), (140, 86, 75), (227, 119, 194), (23, 190, 207))
LOSS_LABELS = {"loss": "loss", "g_loss": "generator", "d_loss": "discriminator", "recon": "reconstruction",
               "kl": "KL"}
REFRESH_MS = 100
LR_REDRAW_S = 0.5


class PlotsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.steps, self.smoothed, self.lr = Series(), Series(), Series()
        self.epoch_series = {k: Series(64) for k in ("train_loss", "test_loss", "train_acc", "test_acc")}
        self.epochs: list[EpochMetrics] = []
        self._smoother = Smoother()
        self.loss_names: tuple[str, ...] = ("loss",)  # what the task reports; the first is self.steps
        self.extra_losses: dict[str, tuple[Series, Series, Smoother]] = {}
        self.loss_plot = _plot("lossPlot", "Loss per step", "step", "training loss (log scale)")
        self.loss_plot.setLogMode(y=True)  # the first steps' loss would flatten everything after them
        self.epoch_loss_plot = _plot("epochLossPlot", "Loss per epoch", "epoch", "loss")
        self.accuracy_plot = _plot("accuracyPlot", "Accuracy per epoch", "epoch", "accuracy (%)", legend_at_bottom=True)
        self.lr_plot = _plot("lrPlot", "Learning rate", "step", "learning rate")
        self._curves = self._make_curves()
        self._hovers = self._make_hovers()
        grid = QGridLayout(self)
        grid.addWidget(self.loss_plot, 0, 0)
        grid.addWidget(self.epoch_loss_plot, 0, 1)
        grid.addWidget(self.accuracy_plot, 1, 0)
        grid.addWidget(self.lr_plot, 1, 1)
        self._steps_dirty = self._lr_dirty = self._epochs_dirty = False
        self._epochs = 1  # of the run being drawn
        self._lr_drawn_at = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    def _make_curves(self) -> dict[str, pg.PlotDataItem]:
        c = {
            "raw": self.loss_plot.plot(name="loss (each step)", pen=pg.mkPen((*_BLUE, 70), width=1)),
            "smoothed": self.loss_plot.plot(name="smoothed", pen=pg.mkPen(_BLUE, width=2)),
            "lr": self.lr_plot.plot(name="learning rate", pen=pg.mkPen(_PURPLE, width=2)),
        }
        for prefix, plot in (("loss", self.epoch_loss_plot), ("acc", self.accuracy_plot)):
            for split, color in (("train", _BLUE), ("test", _ORANGE)):
                c[f"{split}_{prefix}"] = plot.plot(name=split, pen=pg.mkPen(color, width=2), symbol="o",
                                                   symbolSize=7, symbolBrush=color, symbolPen=None)
        for name in ("raw", "smoothed", "lr"):  # long curves: draw only what is in view, at most a peak per pixel
            c[name].setClipToView(True)
            c[name].setDownsampling(auto=True, method="peak")
        return c

    def _make_hovers(self) -> list[HoverReadout]:
        e = self.epoch_series
        return [
            HoverReadout(self.loss_plot, "step", [("loss", self.steps, ".4g"), ("smoothed", self.smoothed, ".4g")]),
            HoverReadout(self.epoch_loss_plot, "epoch", [("train", e["train_loss"], ".4g"),
                                                         ("test", e["test_loss"], ".4g")]),
            HoverReadout(self.accuracy_plot, "epoch", [("train", e["train_acc"], ".2f"),
                                                       ("test", e["test_acc"], ".2f")]),
            HoverReadout(self.lr_plot, "step", [("learning rate", self.lr, ".3g")]),
        ]

    def attach(self, session) -> PlotsPanel:
        """Draw the session's runs: every step, epoch and end it announces."""
        session.run_starting.connect(self.on_run_starting)
        session.run_started.connect(self.on_run_started)
        session.steps_added.connect(self.add_steps)
        session.epoch_ended.connect(self.add_epoch)
        session.run_ended.connect(self.on_run_ended)
        return self

    def on_run_starting(self, config) -> None:
        from playground.core.data.catalogue import DATASET_CATALOGUE
        from playground.core.models.catalogue import arch_task

        self._epochs = config.epochs
        self.start_run(0, config.epochs, arch_task(config.arch, DATASET_CATALOGUE[config.dataset].task))

    def on_run_started(self, event) -> None:
        self.start_run(event.total_steps, self._epochs, event.task, event.loss_names)

    def on_run_ended(self) -> None:
        self.refresh(force=True)

    def start_run(self, total_steps: int, epochs: int, task: str, loss_names: tuple[str, ...] = ("loss",)) -> None:
        """Forget the previous run and scale the axes for this one."""
        for s in (self.steps, self.smoothed, self.lr, *self.epoch_series.values()):
            s.clear()
        self.epochs.clear()
        self._smoother.reset()
        self._set_loss_names(loss_names)
        for plot in (self.loss_plot, self.lr_plot):
            plot.setXRange(0, max(1, total_steps), padding=0.02)
            plot.enableAutoRange(axis="y")
        for plot in (self.epoch_loss_plot, self.accuracy_plot):
            plot.setXRange(1, max(2, epochs), padding=0.05)
            spacing = _epoch_tick_spacing(epochs)
            plot.getAxis("bottom").setTickSpacing(major=spacing, minor=spacing)
            plot.enableAutoRange(axis="y")
        self.accuracy_plot.setTitle("Accuracy per epoch" if task == "classification" else f"Accuracy (none for {task})")
        self.refresh(force=True)

    def _set_loss_names(self, names: tuple[str, ...]) -> None:
        """The main loss is drawn as today; every other loss the task reports gets a smoothed curve of its own."""
        for name in self.extra_losses:
            self.loss_plot.removeItem(self._curves.pop(f"loss:{name}"))
        self.extra_losses = {}
        self.loss_names = tuple(names) or ("loss",)
        for i, name in enumerate(self.loss_names[1:]):
            colour = _EXTRA_COLOURS[i % len(_EXTRA_COLOURS)]
            curve = self.loss_plot.plot(name=LOSS_LABELS.get(name, name), pen=pg.mkPen(colour, width=2))
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
            self._curves[f"loss:{name}"] = curve
            self.extra_losses[name] = (Series(), Series(), Smoother())

    @Slot(object)
    def add_steps(self, event: StepEvent) -> None:
        losses = np.asarray(event.losses[self.loss_names[0]], dtype=np.float64)
        xs = np.arange(event.step - len(losses) + 1, event.step + 1, dtype=np.float64)
        self.steps.extend(xs, losses)
        self.smoothed.extend(xs, self._smoother.feed(losses))
        for name, (raw, smooth, smoother) in self.extra_losses.items():
            values = np.asarray(event.losses.get(name, ()), dtype=np.float64)
            if len(values) == len(xs):
                raw.extend(xs, values)
                smooth.extend(xs, smoother.feed(values))
        self.lr.append(event.step, event.lr)
        self._steps_dirty = self._lr_dirty = True

    @Slot(object)
    def add_epoch(self, m: EpochMetrics) -> None:
        self.epochs.append(m)
        main = self.loss_names[0]
        for key, value in (("train_loss", m.get(f"train_{main}")), ("test_loss", m.test_loss),
                           ("train_acc", m.train_accuracy), ("test_acc", m.test_accuracy)):
            if value is not None:
                self.epoch_series[key].append(m.epoch, value * (100 if key.endswith("acc") else 1))
        self._epochs_dirty = True

    @Slot()
    def refresh(self, force: bool = False) -> None:
        """Push what changed to the curves: on the timer, and with force=True when a run starts or ends.

        Every setData repaints its plot, which costs the GUI thread milliseconds: the epoch plots change only
        at epoch ends, and the learning rate is redrawn twice a second at most.
        """
        if self._steps_dirty or force:
            self._curves["raw"].setData(self.steps.x, self.steps.y)
            self._curves["smoothed"].setData(self.smoothed.x, self.smoothed.y)
            for name, (_, smooth, _) in self.extra_losses.items():
                self._curves[f"loss:{name}"].setData(smooth.x, smooth.y)
            self._steps_dirty = False
        now = time.monotonic()
        if (self._lr_dirty and now - self._lr_drawn_at >= LR_REDRAW_S) or force:
            self._curves["lr"].setData(self.lr.x, self.lr.y)
            self._lr_drawn_at, self._lr_dirty = now, False
        if self._epochs_dirty or force:
            for key, series in self.epoch_series.items():
                self._curves[key].setData(series.x, series.y)
            self._epochs_dirty = False

    def export_png(self, path: str) -> bool:
        return self.grab().save(path, "PNG")

    def export_steps_csv(self, path: str) -> None:
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["step", "loss", "smoothed_loss"])
            out.writerows(zip(self.steps.x.astype(int), self.steps.y, self.smoothed.y))

    def export_epochs_csv(self, path: str) -> None:
        rows = [m.to_dict() for m in self.epochs]
        fields = list(dict.fromkeys(k for row in rows for k in row))
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(fields)
            out.writerows([["" if row.get(k) is None else row[k] for k in fields] for row in rows])


def _epoch_tick_spacing(epochs: int) -> int:
    """Whole epochs between ticks, from 1, 2, 5, 10, 20, 50, ...: at most about 8 ticks."""
    spacing = 1
    while epochs / spacing > 8:
        spacing = spacing * 5 // 2 if str(spacing)[0] == "2" else spacing * 2
    return spacing


def _plot(name: str, title: str, x_label: str, y_label: str, legend_at_bottom: bool = False) -> pg.PlotWidget:
    plot = pg.PlotWidget(title=title)
    plot.setObjectName(name)
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)
    for side in ("left", "bottom"):
        plot.getAxis(side).enableAutoSIPrefix(False)  # "loss (x0.001)" would only confuse
    plot.addLegend(offset=(-10, -10 if legend_at_bottom else 10))  # away from where the curves go
    plot.setMenuEnabled(True)  # right click: View All, and pyqtgraph's own Export… (PNG, SVG, CSV)
    return plot
