"""A bar for each class: its name, its probability as a bar, and the percentage; the top class stands out."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

ROW_HEIGHT = 19
MAX_NAME_FRACTION = 0.4  # of the widget's width, for the class names
PERCENT_WIDTH = 44


class ProbabilityBars(QWidget):
    """Horizontal bars, one row per class, painted directly (cheap to update on every prediction)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("probabilityBars")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._names: tuple[str, ...] = tuple(str(i) for i in range(10))
        self._probs: list[float] = []

    def set_classes(self, names: Sequence[str]) -> None:
        self._names = tuple(names)
        self._probs = []
        self.updateGeometry()
        self.update()

    def set_probabilities(self, probs: Sequence[float]) -> None:
        """One probability per class; an empty sequence shows empty bars."""
        self._probs = [float(p) for p in probs]
        self.update()

    def probabilities(self) -> list[float]:
        return list(self._probs)

    def sizeHint(self) -> QSize:
        return QSize(260, ROW_HEIGHT * max(1, len(self._names)) + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, min(ROW_HEIGHT, 12) * max(1, len(self._names)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        n = max(1, len(self._names))
        row = min(ROW_HEIGHT, self.height() / n)
        top = max(range(len(self._probs)), key=self._probs.__getitem__) if self._probs else -1
        bold = painter.font()
        bold.setBold(True)
        widest = max((QFontMetrics(bold).horizontalAdvance(name) for name in self._names), default=0)
        name_w = min(widest + 10, self.width() * MAX_NAME_FRACTION)
        for i, name in enumerate(self._names):
            p = self._probs[i] if i < len(self._probs) else 0.0
            self._paint_row(painter, QRectF(0, i * row, self.width(), row), name_w, name, p, i == top)
        painter.end()

    def _paint_row(self, painter: QPainter, rect: QRectF, name_w: float, name: str, p: float, is_top: bool) -> None:
        palette = self.palette()
        text = palette.windowText().color()
        accent = palette.highlight().color()
        font = painter.font()
        font.setBold(is_top)
        painter.setFont(font)
        painter.setPen(text)
        name_rect = QRectF(rect.x(), rect.y(), name_w - 6, rect.height())
        elided = painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, int(name_rect.width()))
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, elided)
        track = QRectF(rect.x() + name_w, rect.y() + rect.height() * 0.2,
                       rect.width() - name_w - PERCENT_WIDTH, rect.height() * 0.6)
        painter.fillRect(track, _blend(palette.window().color(), text, 0.08))
        bar = QRectF(track.x(), track.y(), track.width() * min(max(p, 0.0), 1.0), track.height())
        painter.fillRect(bar, accent if is_top else _blend(accent, palette.window().color(), 0.55))
        if self._probs:  # no percentages while there is no answer
            painter.drawText(QRectF(track.right(), rect.y(), PERCENT_WIDTH, rect.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, _percent(p))


def _percent(p: float) -> str:
    if p >= 0.995:
        return "100%"
    return f"{p * 100:.0f}%" if p >= 0.01 or p == 0 else "<1%"


def _blend(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))
