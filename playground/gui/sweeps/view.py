"""The Sweep view (objectName sweepView): a sweep's trials as they end, the best value so far, the metric
against each varied setting, parallel coordinates and optuna's importances; "Use the best settings" puts the
best trial's settings into the form. It only shows: the SweepController starts, reads and stops the sweep."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from playground.gui.sweeps.plots import BestSoFarPlot, ImportancePlot, ParallelCoordinates, ParamScatters
from playground.gui.sweeps.table import TrialsTable

EMPTY = ("Run › Sweep… tries many settings at once: tick the settings to vary (the learning rate, the batch size, "
         "the width of the network…), give their ranges, and each trial trains as a run of its own, in processes "
         "beside the app. Their results fill this view as they end: which settings did best, and which mattered.")


class SweepView(QWidget):
    use_best_requested = Signal()
    stop_requested = Signal()
    overlay_toggled = Signal(bool)  # draw the best trials' curves over the plots

    def __init__(self, session: Any = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sweepView")
        self.state: Any = None  # the last SweepState shown
        self.empty = QLabel(EMPTY, objectName="sweepEmptyNote", wordWrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #555; padding: 24px;")
        self.headline = QLabel(objectName="sweepHeadline", wordWrap=True)
        self.use_best = QPushButton("Use the best settings", objectName="useBestButton", enabled=False)
        self.use_best.setToolTip("Put the best trial's settings into the form (the other settings stay)")
        self.stop = QPushButton("Stop sweep", objectName="stopSweepButton", enabled=False)
        self.stop.setToolTip("Stop the workers; each stopped trial runs again when the sweep goes on "
                             "(playground sweep NAME --resume)")
        self.overlay = QCheckBox("best trials on the plots", objectName="sweepOverlayCheck", checked=True)
        self.table = TrialsTable()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)  # the plots come with the first sweep (60 ms of the app's start)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)
        self.use_best.clicked.connect(self.use_best_requested)
        self.stop.clicked.connect(self.stop_requested)
        self.overlay.toggled.connect(self.overlay_toggled)

    def _show_content(self) -> None:
        if self.pages.count() == 1:
            self.best_plot, self.importance = BestSoFarPlot(), ImportancePlot()
            self.scatters, self.parallel = ParamScatters(), ParallelCoordinates()
            self.pages.addWidget(self._content())
        self.pages.setCurrentIndex(1)

    def _content(self) -> QWidget:
        content = QWidget()
        buttons = QHBoxLayout()
        for widget in (self.use_best, self.stop, self.overlay):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        self.tabs = QTabWidget(objectName="sweepTabs")
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.scatters)
        for widget, title in ((self.table, "Trials"), (self.best_plot.widget, "Best so far"), (scroll, "Settings"),
                              (self.parallel.widget, "Parallel"), (self.importance.widget, "Importance")):
            self.tabs.addTab(widget, title)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.headline)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        return content

    # -- what the controller shows ------------------------------------------------------------------------------
    def show_starting(self, spec: Any) -> None:
        self._show_content()
        self.state = None
        self.headline.setText(f"<b>{spec.name}</b>: starting {spec.workers} worker process(es)… "
                              f"{spec.describe().partition(': ')[2]}")
        self.use_best.setEnabled(False)
        self.stop.setEnabled(True)

    def show_state(self, state: Any, running: bool) -> None:
        self._show_content()
        unchanged = self.state is not None and (self.state.summary, self.state.importances) == (
            state.summary, state.importances)
        self.state = state
        summary = state.summary
        self.headline.setText(_headline(summary, running))
        self.use_best.setEnabled(summary.best is not None)
        self.stop.setEnabled(running)
        if unchanged:
            return  # most readings of a second find no trial ended: nothing to redraw
        self.table.show_summary(summary)
        self.best_plot.show_summary(summary)
        self.scatters.show_summary(summary)
        self.parallel.show_summary(summary)
        self.importance.show_importances(state.importances)

    def show_stopped(self, message: str) -> None:
        self.stop.setEnabled(False)
        if message:
            self.headline.setText(f"{self.headline.text()}<br>{message}")

    def best_params(self) -> dict[str, Any] | None:
        best = self.state.summary.best if self.state is not None else None
        return None if best is None else dict(best.params)

    @Slot()
    def shutdown(self) -> None:
        """The window closes: the controller stops the workers; nothing of the view's own runs."""


def _headline(summary: Any, running: bool) -> str:
    spec, counts = summary.spec, summary.counts()
    ended = counts["complete"] + counts["pruned"] + counts["failed"]
    parts = [f"{counts[s]} {s}" for s in ("complete", "pruned", "failed", "running") if counts[s]]
    state = "running" if running else "ended"
    best = "" if summary.best is None else \
        f"; best {spec.metric} {summary.best.value:.4g} (trial {summary.best.number})"
    return f"<b>{spec.name}</b> ({state}): {ended} of {spec.trials} trials ended ({', '.join(parts) or 'none yet'})" \
           + best
