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
        self._committed = self._ink.copy()  # the ink without the newest segment, which the next point may bend
        self._tail = QRectF()

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
        self._committed = self._ink.copy()  # every earlier stroke as drawn, even one whose release was lost
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
        self._committed = self._ink.copy()  # the last segment ends where the pen left: it is settled as drawn
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
            _draw_dot(painter, stroke[0])
            for i in range(1, len(stroke)):
                painter.drawPath(_segment(stroke, i, len(stroke)))
        painter.end()
        self._committed = self._ink.copy()

    def _draw_last_piece(self) -> None:
        """The newest point settles the segment before it (its curve needs the point after); the segment to the
        newest point is drawn as it would end there, over the settled ink, and redrawn when the pen moves on."""
        stroke = self._strokes[-1]
        n = len(stroke)
        painter = QPainter(self._committed)
        self._set_pen(painter)
        dirty = QRectF(self._tail)
        if n == 1:
            dirty = dirty.united(_draw_dot(painter, stroke[0]))
        elif n > 2:
            settled = _segment(stroke, n - 2, n + 1)
            painter.drawPath(settled)
            dirty = dirty.united(settled.boundingRect())
        painter.end()
        painter = self._ink_painter()
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.resetTransform()
        painter.drawImage(0, 0, self._committed)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        self._set_pen(painter)
        self._tail = _segment(stroke, n - 1, n).boundingRect() if n > 1 else QRectF(stroke[0], stroke[0])
        if n > 1:
            painter.drawPath(_segment(stroke, n - 1, n))
        painter.end()
        side = self.square().width()
        dirty = dirty.united(self._tail)
        margin = self.pen_width() / 2 + 2
        rect = QRectF(dirty.x() * side, dirty.y() * side, dirty.width() * side, dirty.height() * side)
        self.update(rect.adjusted(-margin, -margin, margin, margin).translated(self.square().topLeft()).toRect())
        self.changed.emit()

    def _ink_painter(self) -> QPainter:
        """A painter on the ink image in canvas-relative coordinates, with the round white pen."""
        painter = QPainter(self._ink)
        self._set_pen(painter)
        return painter

    def _set_pen(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        image = painter.device()
        side = image.width() / image.devicePixelRatio()
        painter.resetTransform()
        painter.scale(side, side)
        pen = QPen(QColor(255, 255, 255), self.pen_fraction)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)

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


def _draw_dot(painter: QPainter, p: QPointF) -> QRectF:
    """A dot as wide as the pen, where a stroke starts (drawPoint with a scaled pen is not round everywhere)."""
    radius = painter.pen().widthF() / 2
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255))
    painter.drawEllipse(p, radius, radius)
    painter.restore()
    return QRectF(p, p)


def _segment(stroke: Stroke, i: int, known: int) -> QPainterPath:
    """The curve from point i-1 to point i of a stroke of which `known` points are known: a Catmull-Rom spline
    through the points themselves, so that a quick stroke of few points (a touchpad's) comes out round, as the
    writer meant it, rather than as a polygon; for a mouse's dense points it is the polyline, smoothed."""
    p0, p1, p2 = stroke[max(i - 2, 0)], stroke[i - 1], stroke[i]
    p3 = stroke[i + 1] if i + 1 < known else p2
    path = QPainterPath(p1)
    path.cubicTo(p1 + (p2 - p0) / 6, p2 - (p3 - p1) / 6, p2)
    return path
