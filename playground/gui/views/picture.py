"""One RGB image, enlarged with sharp pixels to the widget's width (keeping its shape, up to a largest scale)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class Picture(QWidget):
    def __init__(self, name: str, max_scale: float = 8.0, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.max_scale = max_scale
        self._array: np.ndarray | None = None
        self._image: QImage | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(0)

    def set_image(self, rgb: np.ndarray | None) -> None:
        """H x W x 3 uint8, or None for nothing. The array is kept (QImage reads it in place)."""
        self._array = None if rgb is None else np.ascontiguousarray(rgb, dtype=np.uint8)
        a = self._array
        self._image = None if a is None else QImage(a.data, a.shape[1], a.shape[0], 3 * a.shape[1],
                                                    QImage.Format.Format_RGB888)
        self._fit()
        self.update()

    def array(self) -> np.ndarray | None:
        return self._array

    def _scale(self, width: int) -> float:
        if self._array is None:
            return 0.0
        return min(self.max_scale, max(1, width) / self._array.shape[1])

    def _fit(self) -> None:
        height = 0 if self._array is None else int(round(self._array.shape[0] * self._scale(self.width())))
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(320, self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image is None:
            return
        scale = self._scale(self.width())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)  # pixels stay pixels
        painter.drawImage(QRectF(0, 0, self._image.width() * scale, self._image.height() * scale), self._image)
        painter.end()
