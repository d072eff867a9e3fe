"""The ink canvas: thick, smooth, antialiased white strokes on black, as in MNIST.

Strokes are kept as points in canvas-relative coordinates (0..1 across the square), so undo and resizes
re-render them exactly. The pen width is a fixed fraction of the square's side, so that a digit drawn
large on the canvas has MNIST's stroke width once reduced to 20 pixels. Pens and touch screens arrive as the mouse
events Qt synthesises from them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

# pen width / canvas side. Measured: digits 35-85% of the canvas tall then carry MNIST's mean ink (0.127 vs
# 0.131 of full white over the 28x28 image); 0.11 gave 0.160 and closed the loops of some 8s and 6s.
PEN_FRACTION = 0.08
Stroke = list[QPointF]


class DrawCanvas(QWidget):
    """A square drawing area (centred in the widget) that emits `changed` whenever its ink changes."""

    changed = Signal()
    stroke_finished = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("drawCanvas")
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAccessibleName("Drawing canvas")
        self._strokes: list[Stroke] = []
        self._drawing = False
        self._hint = "Draw a digit here"
        self.pen_fraction = PEN_FRACTION
        self._ink = self._blank_image()

    # --- the public API -------------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self._strokes

    def stroke_count(self) -> int:
        return len(self._strokes)

    def clear(self) -> None:
        self._drawing = False
        if self._strokes:
            self._strokes.clear()
            self._rerender()

    def undo(self) -> None:
        """Remove the last stroke (the one being drawn, if any)."""
        self._drawing = False
        if self._strokes:
            self._strokes.pop()
            self._rerender()

    def add_stroke(self, points: Sequence[tuple[float, float]]) -> None:
        """A whole stroke in canvas-relative coordinates (0..1 from the top-left corner of the square)."""
        self._drawing = False
        if points:
            self._strokes.append([QPointF(x, y) for x, y in points])
            self._rerender()
            self.stroke_finished.emit()

    def set_hint(self, text: str) -> None:
        """The text shown on an empty canvas (a hint, or why drawing is off)."""
        self._hint = text
        self.update()

    def ink_array(self) -> np.ndarray:
        """The ink as a grayscale uint8 array (rows x columns, device pixels): a view, valid until the next change."""
        image = self._ink
        rows = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
        return rows.reshape(image.height(), image.bytesPerLine())[:, :image.width()]

    def square(self) -> QRectF:
        """The drawing square in widget coordinates."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) // 2, (self.height() - side) // 2, side, side)  # whole pixels: crisp

    def pen_width(self) -> float:
        return self.pen_fraction * self.square().width()

    def sizeHint(self) -> QSize:
        return QSize(340, 340)

    # --- events ---------------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self.isEnabled():
            return super().mousePressEvent(event)
        self._drawing = True
        self._strokes.append([self._to_canvas(event.position())])
        self._draw_last_piece()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._drawing or not event.buttons() & Qt.MouseButton.LeftButton:
            return super().mouseMoveEvent(event)
        point = self._to_canvas(event.position())
        stroke = self._strokes[-1]
        if point == stroke[-1]:
            return
        stroke.append(point)
        self._draw_last_piece()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._drawing:
            return super().mouseReleaseEvent(event)
        self._drawing = False
        self.stroke_finished.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._ink = self._blank_image()
        self._render_strokes()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        square = self.square()
        painter.drawImage(square, self._ink)
        if self.is_empty() or not self.isEnabled():
            self._paint_hint(painter, square)
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.drawRect(square.adjusted(0, 0, -1, -1))
        painter.end()

    # --- rendering ------------------------------------------------------------------------------------------
    def _blank_image(self) -> QImage:
        ratio = self.devicePixelRatioF()
        side = max(1, round(self.square().width() * ratio))
        image = QImage(side, side, QImage.Format.Format_Grayscale8)
        image.setDevicePixelRatio(ratio)
        image.fill(0)
        return image

    def _to_canvas(self, pos: QPointF) -> QPointF:
        square = self.square()
        return QPointF((pos.x() - square.x()) / square.width(), (pos.y() - square.y()) / square.height())

    def _rerender(self) -> None:
        self._ink.fill(0)
        self._render_strokes()
        self.update()
        self.changed.emit()

    def _render_strokes(self) -> None:
        painter = self._ink_painter()
        for stroke in self._strokes:
            for i in range(len(stroke)):
                _draw_piece(painter, stroke, i)
        painter.end()

    def _draw_last_piece(self) -> None:
        stroke = self._strokes[-1]
        painter = self._ink_painter()
        dirty = _draw_piece(painter, stroke, len(stroke) - 1)
        painter.end()
        side = self.square().width()
        margin = self.pen_width() / 2 + 2
        rect = QRectF(dirty.x() * side, dirty.y() * side, dirty.width() * side, dirty.height() * side)
        self.update(rect.adjusted(-margin, -margin, margin, margin).translated(self.square().topLeft()).toRect())
        self.changed.emit()

    def _ink_painter(self) -> QPainter:
        """A painter on the ink image in canvas-relative coordinates, with the round white pen."""
        painter = QPainter(self._ink)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = self._ink.width() / self._ink.devicePixelRatio()
        painter.scale(side, side)
        pen = QPen(QColor(255, 255, 255), self.pen_fraction)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        return painter

    def _paint_hint(self, painter: QPainter, square: QRectF) -> None:
        """A short hint, large, on an empty canvas; when drawing is off, the reason, smaller, on grey."""
        enabled = self.isEnabled()
        if not enabled:
            painter.fillRect(square, QColor(60, 60, 60))
        painter.setPen(QColor(150, 150, 150) if enabled else QColor(225, 225, 225))
        font = painter.font()
        font.setPointSizeF(max(10.0, square.width() / (22 if enabled else 36)))
        painter.setFont(font)
        box = square.adjusted(square.width() * 0.08, 0, -square.width() * 0.08, 0)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._hint)


def _draw_piece(painter: QPainter, stroke: Stroke, i: int) -> QRectF:
    """Draw the part of a stroke that point i adds; returns the area it touched (canvas coordinates).

    The line is smoothed by quadratic curves through the midpoints of successive points, with each
    point as the control; a straight tail reaches the newest point so that the ink never lags the pen.
    """
    p = stroke[i]
    if i == 0:  # a dot as wide as the pen (drawPoint with a scaled pen is not round on every backend)
        radius = painter.pen().widthF() / 2
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255))
        painter.drawEllipse(p, radius, radius)
        painter.restore()
        return QRectF(p, p)
    prev = stroke[i - 1]
    mid = (prev + p) / 2
    if i == 1:
        painter.drawLine(stroke[0], p)
        return QRectF(stroke[0], p).normalized()
    start = (stroke[i - 2] + prev) / 2
    path = QPainterPath(start)
    path.quadTo(prev, mid)
    path.lineTo(p)
    painter.drawPath(path)
    return path.boundingRect()
