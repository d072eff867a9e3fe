"""The network, painted: columns of neurons (each a small picture of its output over the plane) joined by their
weights (red positive, blue negative, wider for larger), and on the right one picture large: the output's
decision boundary, or the neuron under the mouse. A network that is not drawn as neurons is painted as a stack
of blocks with their output shapes.

Everything arrives finished from the background thread (network_compute); painting only scales small images
and draws a few hundred lines.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from playground.gui.views.colours import CLASS_COLOURS
from playground.gui.views.network_compute import NetworkResult
from playground.gui.views.network_wires import LABEL_W, MARGIN, TITLE_H, neuron_layout, paint_wires

BLOCK_H, BLOCK_W, BLOCK_GAP = 24.0, 290.0, 5.0
RIGHT_MIDDLE = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _qimage(rgb: np.ndarray) -> QImage:
    """An RGB array as a QImage of its own (a copy: the array may go)."""
    a = np.ascontiguousarray(rgb, dtype=np.uint8)
    return QImage(a.data, a.shape[1], a.shape[0], 3 * a.shape[1], QImage.Format.Format_RGB888).copy()


class NetworkCanvas(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("networkCanvas")
        self.setMouseTracking(True)  # hover shows a neuron large
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.result: NetworkResult | None = None
        self.hovered: tuple[int, int] | None = None  # (column, neuron) under the mouse
        self._images: list[list[QImage]] = []
        self._output: QImage | None = None

    def sizeHint(self) -> QSize:
        return QSize(420, 320)

    def set_result(self, result: NetworkResult | None) -> None:
        self.result = result
        self._images = [[_qimage(i) for i in c.images] for c in result.columns] if result else []
        self._output = _qimage(result.output) if result is not None and result.output is not None else None
        if self.hovered is not None and not self._valid(self.hovered):
            self.hovered = None
        self.update()

    def _valid(self, at: tuple[int, int]) -> bool:
        return at[0] < len(self._images) and at[1] < len(self._images[at[0]])

    def _layout(self) -> tuple[list[list[QRectF]], QRectF]:
        return neuron_layout(self.width(), self.height(), [len(c) for c in self._images])

    # -- hover -----------------------------------------------------------------------------------------------
    def neuron_at(self, pos: QPointF) -> tuple[int, int] | None:
        if not self._images:
            return None
        rects, _ = self._layout()
        for c, column in enumerate(rects):
            for i, rect in enumerate(column):
                if rect.contains(pos):
                    return c, i
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        at = self.neuron_at(event.position())
        if at != self.hovered:
            self.hovered = at
            self.update()

    def leaveEvent(self, event: object) -> None:
        if self.hovered is not None:
            self.hovered = None
            self.update()

    def large(self) -> tuple[QImage | None, str]:
        """The large picture and its caption: the neuron under the mouse, else the output."""
        r = self.result
        if r is None or not self._images:
            return None, ""
        if self.hovered is not None:
            c, i = self.hovered
            column = r.columns[c]
            name = f"input {column.labels[i]}" if c == 0 else f"{column.title}, neuron {column.labels[i]}"
            return self._images[c][i], f"{name}: its output over the plane"
        if self._output is not None:
            return self._output, "the output: the decision boundary"
        return self._images[-1][0], "the output over the plane"

    # -- painting --------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._images:
            self._paint_neurons(painter)
        elif self.result is not None and self.result.blocks:
            self._paint_blocks(painter)
        painter.end()

    def _paint_neurons(self, painter: QPainter) -> None:
        r = self.result
        rects, big = self._layout()
        wires = r.wires
        if wires is not None and (wires.width(), wires.height()) == (self.width(), self.height()):
            painter.drawImage(0, 0, wires)
        else:  # resized since it was computed: paint them here until the next picture
            paint_wires(painter, rects, [c.weights for c in r.columns])
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.setPen(QPen(QColor(90, 90, 90), 1))
        for c, column in enumerate(rects):
            self._paint_title(painter, r.columns[c], column)
            for i, rect in enumerate(column):
                painter.drawImage(rect, self._images[c][i])
                painter.drawRect(rect)
                if c == 0:
                    painter.drawText(QRectF(rect.left() - LABEL_W, rect.top(), LABEL_W - 3, rect.height()),
                                     RIGHT_MIDDLE, r.columns[0].labels[i])
            if self.hovered is not None and self.hovered[0] == c:
                painter.setPen(QPen(QColor(0, 0, 0), 2.5))
                painter.drawRect(column[self.hovered[1]])
                painter.setPen(QPen(QColor(90, 90, 90), 1))
        self._paint_large(painter, big)

    def _paint_title(self, painter: QPainter, column: object, rects: list[QRectF]) -> None:
        if not rects:
            return
        x = rects[0].center().x()
        title = f"{column.title} ({column.total})" if column.title != "inputs" else "inputs"
        painter.drawText(QRectF(x - 60, MARGIN, 120, TITLE_H), Qt.AlignmentFlag.AlignCenter, title)
        if column.total > len(rects):
            below = rects[-1].bottom() + 2
            painter.drawText(QRectF(x - 60, below, 120, 14), Qt.AlignmentFlag.AlignCenter,
                             f"+{column.total - len(rects)} more")

    def _paint_large(self, painter: QPainter, big: QRectF) -> None:
        image, caption = self.large()
        if image is None:
            return
        painter.drawImage(big, image)
        painter.setPen(QPen(QColor(60, 60, 60), 1))
        painter.drawRect(big)
        painter.drawText(QRectF(big.left(), big.bottom() + 2, big.width(), 30),
                         Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, caption)
        painter.drawText(QRectF(big.left(), MARGIN, big.width(), TITLE_H), Qt.AlignmentFlag.AlignCenter,
                         "hover a neuron to see it here")
        if self.hovered is None:
            self._paint_points(painter, big)

    def _paint_points(self, painter: QPainter, big: QRectF) -> None:
        r = self.result
        if r.points is None or r.bounds is None:
            return
        b = r.bounds
        xs = big.left() + (r.points[:, 0] - b.x0) / (b.x1 - b.x0) * big.width()
        ys = big.bottom() - (r.points[:, 1] - b.y0) / (b.y1 - b.y0) * big.height()
        classes = r.classes.astype(int)
        for k in np.unique(classes):  # one call per class: hundreds of antialiased dots are slow one by one
            chosen = classes == k
            colour = QColor(*(int(v) for v in CLASS_COLOURS[k % len(CLASS_COLOURS)]))
            painter.setPen(QPen(colour, 4.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawPoints(QPolygonF([QPointF(x, y) for x, y in zip(xs[chosen], ys[chosen])]))

    def _paint_blocks(self, painter: QPainter) -> None:
        per_column = max(1, int((self.height() - 2 * MARGIN) // (BLOCK_H + BLOCK_GAP)))
        painter.setPen(QPen(QColor(70, 90, 120), 1))
        for n, block in enumerate(self.result.blocks):
            col, row = divmod(n, per_column)
            rect = QRectF(MARGIN + col * (BLOCK_W + 2 * BLOCK_GAP), MARGIN + row * (BLOCK_H + BLOCK_GAP),
                          BLOCK_W, BLOCK_H)
            painter.setBrush(QColor(225, 233, 245) if block.kind != "input" else QColor(240, 240, 240))
            painter.drawRoundedRect(rect, 5, 5)
            params = f"  · {block.params:,} weights" if block.params else ""
            painter.drawText(rect.adjusted(8, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter,
                             f"{block.kind}  →  {block.shape}{params}")
        painter.setBrush(Qt.BrushStyle.NoBrush)
