"""The 28x28 image the model actually sees, enlarged with sharp pixels."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class DigitPreview(QWidget):
    """Shows a small grayscale uint8 image scaled up without smoothing; black when there is none."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("digitPreview")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setToolTip("What the model sees: your drawing cropped, scaled to 20 px and centred "
                        "by its centre of mass in 28×28, as MNIST digits were made")
        self._image: QImage | None = None
        self._pixels: np.ndarray | None = None

    def set_image(self, pixels: np.ndarray | None) -> None:
        if pixels is None:
            self._image = self._pixels = None
        else:
            self._pixels = np.ascontiguousarray(pixels, dtype=np.uint8)  # QImage borrows this buffer
            h, w = self._pixels.shape
            self._image = QImage(self._pixels.data, w, h, w, QImage.Format.Format_Grayscale8)
        self.update()

    def pixels(self) -> np.ndarray | None:
        return self._pixels

    def sizeHint(self) -> QSize:
        return QSize(112, 112)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        side = min(self.width(), self.height())
        target = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter.fillRect(target, Qt.GlobalColor.black)
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(target, self._image)
        painter.setPen(self.palette().mid().color())
        painter.drawRect(target.adjusted(0, 0, -1, -1))
        painter.end()
