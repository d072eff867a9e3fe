"""What an epoch plot will show, and when, written across it while it has nothing to draw.

Before the first epoch ends, an empty plot with a -0.4..0.4 axis only puzzles: the note says what appears there
and about when, from the run's own pace; its value axis is hidden until there is a value to read.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel

from playground.gui import formatting

WHEN_IDLE = "at the end of each epoch of a run"


class EmptyNote(QObject):
    """A centred label over `plot`, shown while it is empty (set_empty) and kept centred as the plot resizes."""

    def __init__(self, plot: pg.PlotWidget, what: str):
        super().__init__(plot)
        self._plot, self._what = plot, what
        self.label = QLabel(plot, objectName=f"{plot.objectName()}EmptyNote", wordWrap=True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setStyleSheet("color: #777; background: transparent;")
        self._empty, self._when = False, WHEN_IDLE
        self.set_when(WHEN_IDLE)
        self.set_empty(True)
        plot.installEventFilter(self)

    def set_when(self, when: str) -> None:
        self._when = when
        self.label.setText(f"{self._what} appear here {when}." if self._what else "")
        self._place()

    def set_what(self, what: str) -> None:
        """What the plot will show (plural, as in 'Points for each epoch's accuracy'); '' for nothing."""
        self._what = what
        self.set_when(self._when)

    def set_empty(self, empty: bool) -> None:
        if empty == self._empty:
            return
        self._empty = empty
        self.label.setVisible(empty)
        self._plot.getAxis("left").setStyle(showValues=not empty)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        width = max(120, self._plot.width() - 80)
        self.label.setFixedWidth(width)
        self.label.adjustSize()
        self.label.move((self._plot.width() - width) // 2, (self._plot.height() - self.label.height()) // 2)


def first_epoch_in(step: int, total_steps: int, epochs: int, remaining_s: float) -> str:
    """'when' for a note: the end of epoch 1 from the run's pace so far ('in about 0:41')."""
    per_epoch = total_steps / max(1, epochs)
    left = per_epoch - step
    if left <= 0 or total_steps <= step or remaining_s != remaining_s:  # NaN: no pace yet
        return "when the first epoch ends"
    return f"when the first epoch ends, in about {formatting.duration(remaining_s * left / (total_steps - step))}"
