"""Per-class accuracy as a list of bars: how often each true class is read right, the weakest in red.

Beside the matrix it is one column of bars; under it (a narrow dock) as many columns as the width holds.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

ROW = 18
TITLE = 20
MAX_NAME_WIDTH = 90
BAR_AND_LABEL = 112
LABEL_WIDTH = 52
COLUMN_GAP = 16
_GOOD, _WEAK, _TRACK = QColor(31, 119, 180), QColor(214, 39, 40), QColor(232, 232, 232)


class ClassAccuracyBars(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("perClassAccuracy")
        self.names: tuple[str, ...] = ()
        self.accuracy = np.zeros(0)
        self._name_width = 20
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.setToolTip("Per-class accuracy: the share of each true class that the model reads right")

    def set_accuracy(self, names: tuple[str, ...], accuracy: np.ndarray) -> None:
        self.names, self.accuracy = tuple(names), np.asarray(accuracy, np.float64)
        widths = [self.fontMetrics().horizontalAdvance(n) for n in self.names]
        self._name_width = min(MAX_NAME_WIDTH, max(widths, default=12) + 8)
        self.updateGeometry()
        self.update()

    def text(self) -> list[str]:
        """What the bars say, one line per class (for export and tests)."""
        return [f"{n}: {'–' if math.isnan(a) else f'{100 * a:.1f}%'}" for n, a in zip(self.names, self.accuracy)]

    def _column_width(self) -> int:
        return self._name_width + BAR_AND_LABEL

    def columns_for(self, width: int) -> int:
        return max(1, min(len(self.names), (width + COLUMN_GAP) // (self._column_width() + COLUMN_GAP)))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return TITLE + math.ceil(max(1, len(self.names)) / self.columns_for(width)) * ROW + 4

    def sizeHint(self) -> QSize:
        return QSize(self._column_width(), TITLE + max(1, len(self.names)) * ROW)

    def minimumSizeHint(self) -> QSize:
        return QSize(self._column_width(), TITLE + 2 * ROW)

    def _weakest(self) -> int:
        """The class read right least often, where the classes differ at all."""
        known = self.accuracy[~np.isnan(self.accuracy)]
        if len(known) < 2 or known.min() == known.max():
            return -1
        return int(np.nanargmin(self.accuracy))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().windowText().color())
        painter.drawText(QRectF(0, 0, self.width(), TITLE), Qt.AlignmentFlag.AlignLeft, "Per-class accuracy")
        if len(self.names):
            columns = self.columns_for(self.width())
            per_column = math.ceil(len(self.names) / columns)
            row = min(ROW * 1.6, max(12.0, (self.height() - TITLE) / per_column))
            width = (self.width() - (columns - 1) * COLUMN_GAP) / columns
            weakest = self._weakest()
            for i, (name, accuracy) in enumerate(zip(self.names, self.accuracy)):
                column, r = divmod(i, per_column)
                rect = QRectF(column * (width + COLUMN_GAP), TITLE + r * row, width, row)
                self._draw_row(painter, rect, name, accuracy, i == weakest)
        painter.end()

    def _draw_row(self, painter: QPainter, rect: QRectF, name: str, accuracy: float, weakest: bool) -> None:
        painter.setPen(self.palette().windowText().color())
        elided = painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, self._name_width - 6)
        painter.drawText(QRectF(rect.left(), rect.top(), self._name_width, rect.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)
        width = max(10.0, rect.width() - self._name_width - LABEL_WIDTH)
        track = QRectF(rect.left() + self._name_width, rect.top() + 3, width, rect.height() - 6)
        painter.fillRect(track, _TRACK)
        if not math.isnan(accuracy):
            painter.fillRect(QRectF(track.left(), track.top(), track.width() * accuracy, track.height()),
                             _WEAK if weakest else _GOOD)
        painter.drawText(QRectF(track.right() + 2, rect.top(), LABEL_WIDTH - 2, rect.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                         "–" if math.isnan(accuracy) else f"{100 * accuracy:.1f}%")
