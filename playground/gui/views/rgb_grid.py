"""A grid of small RGB pictures (rows x columns, each row labelled), enlarged with sharp pixels; clicking one
picks it. The Attention view shows one heatmap per layer (row) and head (column) in it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

GAP, LABEL_W = 3, 26


class RgbGrid(QWidget):
    cell_clicked = Signal(int, int)  # row, column

    def __init__(self, name: str, cell: int = 64, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.cell = cell
        self._arrays: list[list[np.ndarray]] = []
        self._images: list[list[QImage]] = []
        self.marked: tuple[int, int] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # every row whole

    def set_pictures(self, pictures: list[list[np.ndarray]]) -> None:
        """[row][column] of H x W x 3 uint8 arrays (kept: QImage reads them in place)."""
        self._arrays = [[np.ascontiguousarray(p, dtype=np.uint8) for p in row] for row in pictures]
        self._images = [[QImage(a.data, a.shape[1], a.shape[0], 3 * a.shape[1], QImage.Format.Format_RGB888)
                         for a in row] for row in self._arrays]
        self.updateGeometry()
        self.update()

    def shape(self) -> tuple[int, int]:
        return len(self._images), max((len(r) for r in self._images), default=0)

    def sizeHint(self) -> QSize:
        rows, cols = self.shape()
        return QSize(LABEL_W + max(1, cols) * (self.cell + GAP), GAP + max(1, rows) * (self.cell + GAP))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _side(self) -> float:
        """At most `cell` pixels, so that the rows always fit the height the grid asks for."""
        _, cols = self.shape()
        return max(8.0, min(float(self.cell), (self.width() - LABEL_W - GAP) / max(1, cols) - GAP))

    def cell_rect(self, row: int, col: int) -> QRectF:
        side = self._side()
        return QRectF(LABEL_W + col * (side + GAP), GAP + row * (side + GAP), side, side)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        for r, row in enumerate(self._images):
            for c in range(len(row)):
                if self.cell_rect(r, c).contains(event.position()):
                    self.cell_clicked.emit(r, c)
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        for r, row in enumerate(self._images):
            first = self.cell_rect(r, 0)
            painter.drawText(QRectF(0, first.y(), LABEL_W - 4, first.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"L{r + 1}")
            for c, image in enumerate(row):
                target = self.cell_rect(r, c)
                painter.drawImage(target, image)
                painter.setPen(QPen(QColor(255, 127, 14), 3) if (r, c) == self.marked else QColor(200, 200, 200))
                painter.drawRect(target)
        painter.end()
