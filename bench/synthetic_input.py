"""Drawing on a canvas with real mouse events, for tests, benchmarks and demos.

QTest.mouseMove does not carry the pressed button on every platform, so the events are built here
with their buttons and delivered with QApplication.sendEvent, exactly as a mouse would deliver them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from playground.gui.drawing.canvas import DrawCanvas

_LEFT = Qt.MouseButton.LeftButton
_NONE = Qt.MouseButton.NoButton


def send_mouse(widget: QWidget, kind: QEvent.Type, pos: QPointF, pressed: bool) -> None:
    """One mouse event at pos (widget coordinates); pressed says whether the left button is down after it."""
    button = _NONE if kind == QEvent.Type.MouseMove else _LEFT
    event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, _LEFT if pressed else _NONE,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def to_widget(canvas: DrawCanvas, x: float, y: float) -> QPointF:
    """Canvas-relative coordinates (0..1 across the drawing square) -> widget coordinates."""
    square = canvas.square()
    return QPointF(square.x() + x * square.width(), square.y() + y * square.height())


def draw_stroke(canvas: DrawCanvas, points: Sequence[tuple[float, float]]) -> None:
    """Press at the first point, move through the rest, release at the last (canvas-relative coordinates)."""
    if not points:
        return
    positions = [to_widget(canvas, x, y) for x, y in points]
    send_mouse(canvas, QEvent.Type.MouseButtonPress, positions[0], True)
    for pos in positions[1:]:
        send_mouse(canvas, QEvent.Type.MouseMove, pos, True)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, positions[-1], False)


def draw_strokes(canvas: DrawCanvas, strokes: Iterable[Sequence[tuple[float, float]]]) -> None:
    for stroke in strokes:
        draw_stroke(canvas, stroke)
