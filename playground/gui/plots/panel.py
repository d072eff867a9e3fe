"""Live plots of a run: every loss the task reports per step (raw and smoothed), loss and accuracy per epoch,
each optimizer's learning rate; knob changes and the best epoch marked, decimation said out loud.

Slots append to preallocated numpy buffers; a timer pushes them to the curves ten times a second, so the
cost of drawing does not grow with the rate of events. Imports pyqtgraph: load it after the window is shown.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from playground.core.kinds import kind_named
from playground.core.kinds.classifier import KIND as CLASSIFIER
from playground.core.training import events
from playground.core.training.events import EpochMetrics, KnobChange, StepEvent
from playground.gui.plots import export
from playground.gui.plots.empty_note import EmptyNote, first_epoch_in
from playground.gui.plots.epoch_figures import EpochFigures
from playground.gui.plots.hover import HoverReadout
from playground.gui.plots.marks import BestMark, DecimationNote, KnobMarks, fit_constant
from playground.gui.plots.overlays import EpochOverlays
from playground.gui.plots.series import Series
from playground.gui.plots.smoothing import SmoothingControl
from playground.gui.plots.step_curves import StepCurves

pg.setConfigOptions(background="w", foreground="#333", antialias=True)

BLUE, ORANGE, PURPLE, GREEN = (31, 119, 180), (255, 127, 14), (148, 103, 189), (44, 160, 44)
REFRESH_MS = 100
CLASSIFIER_SCORE = CLASSIFIER.score  # until a run says what it learns
LR_REDRAW_S = 0.5


class PlotsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.loss_plot = _plot("lossPlot", "Loss per step", "step", "training loss (log scale)")
        self.loss_plot.setLogMode(y=True)  # the first steps' loss would flatten everything after them
        self.epoch_loss_plot = _plot("epochLossPlot", "Loss per epoch", "epoch", "loss")
        self.accuracy_plot = _plot("accuracyPlot", "Accuracy per epoch", "epoch", "accuracy (%)", legend_at_bottom=True)
        self.lr_plot = _plot("lrPlot", "Learning rate", "step", "learning rate (log scale)")
        self.lr_plot.setLogMode(y=True)  # schedules span decades; a constant rate reads as its value
        self.curves = StepCurves(self.loss_plot, self.lr_plot)
        self.steps, self.smoothed = self.curves.main_raw, self.curves.main_smoothed  # the main loss
        self.epoch_series = {k: Series(64) for k in ("train_loss", "test_loss", "train_acc", "test_acc", "extra_acc")}
        self.figures = EpochFigures(CLASSIFIER_SCORE)
        self.epochs: list[EpochMetrics] = []
        self.knob_changes: list[KnobChange] = []
        self._epoch_curves = self._make_epoch_curves()
        self.knob_marks = KnobMarks([self.lr_plot, self.loss_plot])
        self.best_accuracy = BestMark(self.accuracy_plot, ".2f")
        self.best_loss = BestMark(self.epoch_loss_plot, ".4g")
        self.overlays = EpochOverlays(self.epoch_loss_plot, self.accuracy_plot)
        self.decimation = DecimationNote(self.loss_plot)
        self.smoothing = SmoothingControl(self)
        self.smoothing.changed.connect(self._on_smoothing_changed)
        self._hovers = self._make_hovers()
        self.empty_notes = (EmptyNote(self.epoch_loss_plot, "Points for each epoch's training and test loss"),
                            EmptyNote(self.accuracy_plot, "Points for each epoch's score"))
        self._when = ""
        self._shown_figures: EpochFigures | None = None
        self._set_figures(self.figures)
        self._layout()
        self._epochs = 1
        self._session = None
        self._history: tuple[EpochMetrics, ...] = ()  # the epochs the current curves go on from
        self.current_name = "current run"  # the current curves' run, in the CSV export
        self._steps_dirty = self._lr_dirty = self._epochs_dirty = False
        self._lr_drawn_at = 0.0
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    def _layout(self) -> None:
        grid = QGridLayout()
        for i, plot in enumerate((self.loss_plot, self.epoch_loss_plot, self.accuracy_plot, self.lr_plot)):
            grid.addWidget(plot, i // 2, i % 2)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.smoothing)
        column.addLayout(grid, 1)

    def _make_epoch_curves(self) -> dict[str, pg.PlotDataItem]:
        curves = {}
        for prefix, plot in (("loss", self.epoch_loss_plot), ("acc", self.accuracy_plot)):
            for split, color in (("train", BLUE), ("test", ORANGE), ("extra", PURPLE)):
                if (split, prefix) != ("extra", "loss"):
                    curves[f"{split}_{prefix}"] = plot.plot(name=split, pen=pg.mkPen(color, width=2), symbol="o",
                                                            symbolSize=7, symbolBrush=color, symbolPen=None)
        return curves

    def _make_hovers(self) -> list[HoverReadout]:
        e = self.epoch_series
        return [
            HoverReadout(self.loss_plot, "step", [("loss", self.steps, ".4g"), ("smoothed", self.smoothed, ".4g")]),
            HoverReadout(self.epoch_loss_plot, "epoch", [("train", e["train_loss"], ".4g"),
                                                         ("test", e["test_loss"], ".4g")]),
            HoverReadout(self.accuracy_plot, "epoch", [("train", e["train_acc"], ".2f"),
                                                       ("test", e["test_acc"], ".2f")]),
            HoverReadout(self.lr_plot, "step", [("learning rate", self.curves.lr_series(), ".3g")]),
        ]

    # -- the session's run -----------------------------------------------------------------------------------
    def attach(self, session) -> PlotsPanel:
        """Draw the session's runs: every step, epoch, knob change and end it announces."""
        session.run_starting.connect(self.on_run_starting)
        session.on(events.RunStarted).connect(self.on_run_started)
        session.on(events.StepEvent).connect(self.add_steps)
        session.on(events.EpochMetrics).connect(self.add_epoch)
        session.on(events.KnobChange).connect(self.add_knob_change)
        session.run_ended.connect(self.on_run_ended)
        session.stored_run_shown.connect(self.show_stored_run)
        session.followed_epoch.connect(self.add_epoch)
        session.overlays_changed.connect(self.set_overlays)
        self._session = session
        return self

    def on_run_starting(self, config) -> None:
        from playground.core.kinds import kind_for

        self._epochs = config.epochs
        run = self._session.run if self._session is not None else None
        self._history, self.current_name = (run.history if run is not None else ()), "current run"
        self.start_run(0, config.epochs, kind_for(config.arch, config.dataset).name)

    def on_run_started(self, event) -> None:
        self.start_run(event.total_steps, self._epochs, event.task, event.loss_names)

    def on_run_ended(self) -> None:
        self.refresh(force=True)

    def show_stored_run(self, run) -> None:
        """A StoredRun's epochs as the current curves (its steps are not stored: the step plots stay empty)."""
        self._epochs, self._history, self.current_name = max(1, run.epochs_planned), run.epochs, run.name
        self.start_run(0, self._epochs, run.kind)
        for plot, title in ((self.loss_plot, "Loss per step"), (self.lr_plot, "Learning rate")):
            plot.setTitle(f"{title} (per step: not stored)")  # the store keeps epochs; a live run shows steps

    def set_overlays(self, runs) -> None:
        """Draw these StoredRuns over the epoch plots (an empty tuple removes every overlay)."""
        self.overlays.set_runs(runs)
        self._fit_epoch_axes()
        self._epochs_dirty = True

    def start_run(self, total_steps: int, epochs: int, task: str, loss_names: tuple[str, ...] = ("loss",)) -> None:
        """Forget the previous run and scale the axes for this one."""
        for s in self.epoch_series.values():
            s.clear()
        self.epochs.clear()
        self.knob_changes.clear()
        self.knob_marks.clear()
        self.curves.reset(loss_names, self.smoothing.weight)
        self._set_figures(EpochFigures(kind_named(task).score, loss_names[0]))
        self.loss_plot.setTitle("Loss per step")
        self.lr_plot.setTitle("Learning rate")
        for plot in (self.loss_plot, self.lr_plot):
            plot.setXRange(0, max(1, total_steps), padding=0.02)
            plot.enableAutoRange(axis="y")
        self._fit_epoch_axes()
        self._tell_when("when the first epoch ends" if total_steps else "at the end of each epoch of a run")
        for m in self._history:  # a continued run's curves go on from its earlier epochs
            self.add_epoch(m)
        self.refresh(force=True)

    def _set_figures(self, figures: EpochFigures) -> None:
        """The score plot's title, axis and legend for this kind of model (kept while the kind stays: a legend's
        entries take milliseconds to make, while Train waits for its first point)."""
        if figures == self._shown_figures:
            return
        self.figures = self._shown_figures = figures
        score = figures.score
        self.accuracy_plot.setTitle(score.title if score else "Score per epoch (none for this model)")
        self.accuracy_plot.setLabel("left", score.axis if score else "")
        self.empty_notes[1].set_what(f"Points for each epoch's {_in_sentence(score.title)}" if score else "")
        held = "val" if figures.score and "test" not in figures.score.splits else "test"
        for key, name in figures.labels(held).items():
            plot = self.epoch_loss_plot if key.endswith("loss") else self.accuracy_plot
            curve, legend = self._epoch_curves[key], plot.getPlotItem().legend
            legend.removeItem(curve)
            if name:
                legend.addItem(curve, name)
            curve.setVisible(bool(name))

    def _fit_epoch_axes(self) -> None:
        epochs = max(self._epochs, self.overlays.max_epoch())
        for plot in (self.epoch_loss_plot, self.accuracy_plot):
            plot.setXRange(1, max(2, epochs), padding=0.05)
            spacing = _epoch_tick_spacing(epochs)
            plot.getAxis("bottom").setTickSpacing(major=spacing, minor=spacing)
            plot.enableAutoRange(axis="y")

    @Slot(object)
    def add_steps(self, event: StepEvent) -> None:
        first = not len(self.steps)
        self.curves.add(event)
        self._steps_dirty = self._lr_dirty = True
        if first or self._lr_drawn_at == 0.0:  # the run's first point, or the step after a knob: drawn at once
            self.refresh()
        if not self.epochs:
            self._tell_when(first_epoch_in(event.step, event.total_steps, self._epochs, event.remaining_s))

    def _tell_when(self, when: str) -> None:
        if when != self._when:  # a new text only when the estimate's second changes
            self._when = when
            for note in self.empty_notes:
                note.set_when(when)

    @Slot(object)
    def add_epoch(self, m: EpochMetrics) -> None:
        self.epochs.append(m)
        for key, value in self.figures.values(m).items():
            if value is not None:
                self.epoch_series[key].append(m.epoch, value)
        self._epochs_dirty = True

    @Slot(object)
    def add_knob_change(self, change: KnobChange) -> None:
        self.knob_changes.append(change)
        self._lr_drawn_at = 0.0  # the rate's curve answers the knob at the next refresh, not in half a second
        where = f" ({change.network})" if change.network else ""
        self.knob_marks.add(change.step, f"{change.name}{where} {change.old:.3g} → {change.new:.3g}")

    @Slot(float)
    def _on_smoothing_changed(self, weight: float) -> None:
        self.curves.set_smoothing(weight)
        self._steps_dirty = True

    # -- drawing ---------------------------------------------------------------------------------------------
    @Slot()
    def refresh(self, force: bool = False) -> None:
        """Push what changed to the curves: on the timer, and with force=True when a run starts or ends.

        Every setData repaints its plot, which costs the GUI thread milliseconds: the epoch plots change only
        at epoch ends, and the learning rate is redrawn twice a second at most.
        """
        if self._steps_dirty or force:
            self.curves.draw_losses()
            self.decimation.update(self.steps.x)
            self._steps_dirty = False
        now = time.monotonic()
        if (self._lr_dirty and now - self._lr_drawn_at >= LR_REDRAW_S) or force:
            self.curves.draw_lrs()
            fit_constant(self.lr_plot, self.curves.lr_series().y, log=True)
            self._lr_drawn_at, self._lr_dirty = now, False
        if self._epochs_dirty or force:
            self._draw_epochs()
            self._epochs_dirty = False

    def _draw_epochs(self) -> None:
        e = self.epoch_series
        for key, series in e.items():
            self._epoch_curves[key].setData(series.x, series.y)
        fit_constant(self.epoch_loss_plot, np.concatenate([e["train_loss"].y, e["test_loss"].y,
                                                           *self.overlays.loss_values()]))
        fit_constant(self.accuracy_plot, np.concatenate([e["train_acc"].y, e["test_acc"].y, e["extra_acc"].y]))
        self.empty_notes[0].set_empty(not (len(e["train_loss"].x) or len(e["test_loss"].x) or self.overlays.runs))
        self.empty_notes[1].set_empty(not (len(e["train_acc"].x) or len(e["test_acc"].x) or len(e["extra_acc"].x)
                                           or self.overlays.runs))
        score = self.figures.score
        better = score.higher_is_better if score is not None else None
        self.best_accuracy.update(e["test_acc"].x, e["test_acc"].y if better is not None else e["test_acc"].y[:0],
                                  higher_is_better=bool(better))
        self.best_loss.update(e["test_loss"].x, e["test_loss"].y, higher_is_better=False)

    # -- export ----------------------------------------------------------------------------------------------
    def export_png(self, path: str) -> bool:
        return self.grab().save(path, "PNG")

    def export_steps_csv(self, path: str) -> None:
        export.steps_csv(path, self.curves, self.knob_changes)

    def export_epochs_csv(self, path: str) -> None:
        """Every epoch drawn: the current curves' and each overlaid run's, named in the run column."""
        runs = [(self.current_name, self.epochs), *((r.name, r.epochs) for r in self.overlays.runs)]
        export.epochs_csv(path, runs)


def _in_sentence(title: str) -> str:
    """'Accuracy per epoch' -> 'accuracy'; names such as 'KL divergence' and 'R²' keep their capitals."""
    name = title.removesuffix(" per epoch")
    return name[0].lower() + name[1:] if name[1:2].islower() else name


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
