"""A grid of small grayscale images, enlarged with sharp pixels; clicking one picks it (for a latent walk, or
to show a misclassified image in the inside view)."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

GAP = 2


class ImageGrid(QWidget):
    cell_clicked = Signal(int)

    def __init__(self, name: str, columns: int = 8, cell: int = 56, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.columns, self.cell = columns, cell
        self._images: np.ndarray | None = None
        self._qimages: list[QImage] = []
        self.marked: list[int] = []  # highlighted cells, in the order they were picked
        self.captions: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(self.columns * 12, 40)

    def set_images(self, images: np.ndarray | None, captions: list[str] | None = None) -> None:
        """N x H x W uint8 (white ink on black), or None for an empty grid."""
        self._images = None if images is None else np.ascontiguousarray(images, dtype=np.uint8)
        self.captions = list(captions or [])
        self._qimages = [] if self._images is None else [
            QImage(im.data, im.shape[1], im.shape[0], im.shape[1], QImage.Format.Format_Grayscale8)
            for im in self._images]
        self.updateGeometry()
        self.update()

    def images(self) -> np.ndarray | None:
        return self._images

    def count(self) -> int:
        return 0 if self._images is None else len(self._images)

    def sizeHint(self) -> QSize:
        rows = max(1, math.ceil(max(1, self.count()) / self.columns))
        return QSize(self.columns * (self.cell + GAP), rows * (self.cell + GAP))

    def _side(self) -> float:
        return max(4.0, min(self.cell * 2.0, (self.width() - GAP) / self.columns - GAP))

    def cell_rect(self, index: int) -> QRectF:
        side = self._side()
        row, col = divmod(index, self.columns)
        return QRectF(GAP + col * (side + GAP), GAP + row * (side + GAP), side, side)

    def index_at(self, x: float, y: float) -> int | None:
        for i in range(self.count()):
            if self.cell_rect(i).contains(x, y):
                return i
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().x(), event.position().y())
        if index is not None:
            self.cell_clicked.emit(index)
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        for i, image in enumerate(self._qimages):
            target = self.cell_rect(i)
            painter.fillRect(target, Qt.GlobalColor.black)
            painter.drawImage(target, image)
            if i in self.marked:
                painter.setPen(QPen(QColor(255, 127, 14), 3))
                painter.drawRect(target.adjusted(1, 1, -1, -1))
        painter.end()
