"""Where the network view's neurons go, and its connections painted: one line per weight between the drawn
neurons, red positive and blue negative, wider and darker for larger. A few hundred antialiased lines take tens
of milliseconds, so the background thread paints them into a transparent QImage (QPainter on a QImage is safe
off the GUI thread) and the canvas lays that over its background; after a resize it paints them itself until
the next picture comes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPen

MARGIN, TITLE_H, LABEL_W = 8.0, 18.0, 34.0
POSITIVE, NEGATIVE = (178, 24, 43), (33, 102, 172)  # as the neurons' colours (colours.diverging)
LEVELS = 8  # line widths: one pen each, all its lines in one call
FAINT = 0.05  # weights below this share of the layer's largest are not drawn (they would not show)


def neuron_layout(width: float, height: float, counts: list[int]) -> tuple[list[list[QRectF]], QRectF]:
    """Where each neuron of each column goes, and the large picture's square on the right."""
    side = max(60.0, min(height - 2 * MARGIN - TITLE_H, width * 0.38))
    big = QRectF(width - MARGIN - side, MARGIN + TITLE_H, side, side)
    left, right = MARGIN + LABEL_W, big.left() - 3 * MARGIN
    step_x = max(1.0, (right - left) / max(1, len(counts)))
    top, room = MARGIN + TITLE_H, height - 2 * MARGIN - TITLE_H - 14
    tile = max(6.0, min(44.0, step_x * 0.42, room / (max(counts, default=1) * 1.25)))
    rects = []
    for c, count in enumerate(counts):
        x = left + step_x * c + (step_x - tile) / 2
        y0 = top + (room - (count * 1.25 - 0.25) * tile) / 2
        rects.append([QRectF(x, y0 + i * 1.25 * tile, tile, tile) for i in range(count)])
    return rects, big


def paint_wires(painter: QPainter, rects: list[list[QRectF]], weights: list[np.ndarray | None]) -> None:
    """The connections between consecutive columns; weights[c]: column c's neurons x column c-1's."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for c in range(1, len(rects)):
        w = weights[c]
        if w is None or w.size == 0:
            continue
        share = np.abs(w) / (float(np.abs(w).max()) or 1.0)
        buckets: dict[tuple[bool, int], list[QLineF]] = {}
        for j, target in enumerate(rects[c]):
            end = QPointF(target.left(), target.center().y())
            for i, source in enumerate(rects[c - 1]):
                if share[j, i] >= FAINT:
                    key = (bool(w[j, i] > 0), min(LEVELS - 1, int(share[j, i] * LEVELS)))
                    buckets.setdefault(key, []).append(QLineF(QPointF(source.right(), source.center().y()), end))
        for (positive, level), lines in buckets.items():
            strength = (level + 0.5) / LEVELS
            colour = QColor(*(POSITIVE if positive else NEGATIVE), int(40 + 200 * strength))
            painter.setPen(QPen(colour, 0.4 + 3.6 * strength))
            painter.drawLines(lines)


def wires_image(size: tuple[int, int], counts: list[int], weights: list[np.ndarray | None]) -> QImage:
    """The connections of a canvas of this size, on a transparent image (any thread)."""
    image = QImage(max(1, size[0]), max(1, size[1]), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    paint_wires(painter, neuron_layout(size[0], size[1], counts)[0], weights)
    painter.end()
    return image
