"""A gallery of test images with a caption under each (true → predicted, and how sure the model was).

An ImageGrid whose cells keep a fixed size and flow into as many columns as the width allows, grey or colour,
growing downwards (it sits in a scroll area); clicking an image picks it, as in the grid.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QWidget

from playground.gui.views.image_grid import GAP, ImageGrid

CAPTION_LINES = 2


class CaptionedGallery(ImageGrid):
    def __init__(self, name: str, cell: int = 64, parent: QWidget | None = None):
        super().__init__(name, columns=1, cell=cell, parent=parent)
        self.tooltips: list[str] = []
        self._caption_font = QFont(self.font())
        self._caption_font.setPointSizeF(max(6.5, self.font().pointSizeF() * 0.8))
        self.setMouseTracking(True)

    def set_images(self, images: np.ndarray | None, captions: list[str] | None = None,
                   tooltips: list[str] | None = None) -> None:
        """N x H x W (grey) or N x H x W x 3 (colour) uint8, or None; a caption (lines split by \\n) per image."""
        self._images = None if images is None else np.ascontiguousarray(images, dtype=np.uint8)
        self.captions, self.tooltips = list(captions or []), list(tooltips or [])
        self._qimages = [] if self._images is None else [_qimage(im) for im in self._images]
        self.marked = []
        self._fit_height()
        self.update()

    # -- geometry: fixed cells, as many columns as fit ----------------------------------------------------
    def _caption_height(self) -> int:
        return QFontMetrics(self._caption_font).height() * CAPTION_LINES + 2

    def _columns_for(self, width: int) -> int:
        return max(1, (width - GAP) // (self.cell + GAP))

    def height_for(self, width: int) -> int:
        rows = math.ceil(self.count() / self._columns_for(width)) if self.count() else 0
        return GAP + rows * (self.cell + self._caption_height() + GAP)

    def _fit_height(self) -> None:
        self.columns = self._columns_for(self.width())
        self.setMinimumHeight(max(40, self.height_for(self.width())))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._columns_for(event.size().width()) != self.columns:
            self._fit_height()

    def sizeHint(self) -> QSize:
        width = 6 * (self.cell + GAP) + GAP
        return QSize(width, max(40, self.height_for(width)))

    def cell_rect(self, index: int) -> QRectF:
        row, col = divmod(index, self.columns)
        return QRectF(GAP + col * (self.cell + GAP), GAP + row * (self.cell + self._caption_height() + GAP),
                      self.cell, self.cell)

    def index_at(self, x: float, y: float) -> int | None:
        for i in range(self.count()):  # the caption belongs to its image
            if self.cell_rect(i).adjusted(0, 0, 0, self._caption_height()).contains(x, y):
                return i
        return None

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            index = self.index_at(event.pos().x(), event.pos().y())
            self.setToolTip(self.tooltips[index] if index is not None and index < len(self.tooltips) else "")
        return super().event(event)

    # -- painting -----------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.setFont(self._caption_font)
        visible = QRectF(event.rect())
        for i, image in enumerate(self._qimages):
            target = self.cell_rect(i)
            if not target.adjusted(0, 0, 0, self._caption_height()).intersects(visible):
                continue
            painter.fillRect(target, Qt.GlobalColor.black)
            painter.drawImage(target, image)
            if i in self.marked:
                painter.setPen(QPen(QColor(255, 127, 14), 3))
                painter.drawRect(target.adjusted(1, 1, -1, -1))
            if i < len(self.captions):
                self._draw_caption(painter, target, self.captions[i])
        painter.end()

    def _draw_caption(self, painter: QPainter, image_rect: QRectF, caption: str) -> None:
        metrics = painter.fontMetrics()
        painter.setPen(self.palette().windowText().color())
        for line, text in enumerate(caption.split("\n")[:CAPTION_LINES]):
            rect = QRectF(image_rect.left() - GAP / 2, image_rect.bottom() + 1 + line * metrics.height(),
                          image_rect.width() + GAP, metrics.height())
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
            painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, elided)


def _qimage(image: np.ndarray) -> QImage:
    """A QImage over the array's memory (the grid keeps the array alive)."""
    h, w = image.shape[:2]
    if image.ndim == 3:
        return QImage(image.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    return QImage(image.data, w, h, w, QImage.Format.Format_Grayscale8)
