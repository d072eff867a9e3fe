"""The central area: a friendly empty state until the first run, then the live plots.

The plots need pyqtgraph (a second to import), so the app can create them after the window is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

if TYPE_CHECKING:
    from playground.gui.plots.panel import PlotsPanel

SHOW_AFTER_MS = 250  # a run still loading its data by then shows the plots (and what will appear in them)
EMPTY_TEXT = (
    "<p style='font-size:15pt; color:#444'>Choose a model and dataset, then press <b>Train</b> (Ctrl+Enter)</p>"
    "<p style='color:#666'>New here? Keep <b>seed-cnn</b> on <b>mnist</b> and press Train: in about a minute "
    "a small convolutional network learns to read handwritten digits.<br>Or pick <b>mlp</b> on <b>spiral</b> "
    "for a run of a few seconds that needs no download.</p>"
    "<p style='color:#666'>The plots show the loss falling step by step, the test accuracy after each epoch "
    "and the learning rate.<br>Then draw a digit in the <b>Draw</b> panel to see what the network thinks.</p>")


class PlotArea(QStackedWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setMargin(24)
        self.addWidget(self.empty)
        self.plots: PlotsPanel | None = None
        self._show_soon = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self._show_soon.timeout.connect(self._on_show_soon_timeout)

    def build_plots(self) -> PlotsPanel:
        """Create the plots (imports pyqtgraph) unless they exist; they show once a run starts."""
        if self.plots is None:
            from playground.gui.plots.panel import PlotsPanel

            self.plots = PlotsPanel()
            self.addWidget(self.plots)
        return self.plots

    def show_plots(self) -> PlotsPanel:
        plots = self.build_plots()
        self.setCurrentWidget(plots)
        return plots

    def on_run_starting(self, config: object) -> None:
        """The session's run_starting: the plots replace the empty state once the run has started, or after
        SHOW_AFTER_MS of loading. Their first paint (40 ms of the GUI thread) then overlaps the run's first step,
        not its setup, which needs the GIL too: the first point comes sooner."""
        self._show_soon.start()

    @Slot(object)
    def on_run_started(self, event: object) -> None:
        self._show_soon.stop()
        self.show_plots()

    @Slot()
    def _on_show_soon_timeout(self) -> None:
        self.show_plots()

    @Slot(object)
    def on_overlays_changed(self, overlays: tuple) -> None:
        """Runs drawn over the plots (a sweep's best trials, say) show the plots, even before any run here."""
        if overlays:
            self.show_plots()
