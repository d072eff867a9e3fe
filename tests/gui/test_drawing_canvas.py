"""The ink canvas, driven by mouse events."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent
from synthetic_input import draw_stroke, send_mouse, to_widget

from playground.gui.drawing.canvas import DrawCanvas

VERTICAL = [(0.5, 0.15 + 0.7 * i / 20) for i in range(21)]
HORIZONTAL = [(0.2 + 0.6 * i / 20, 0.5) for i in range(21)]


@pytest.fixture
def canvas(qtbot) -> DrawCanvas:
    widget = DrawCanvas()
    qtbot.addWidget(widget)
    widget.resize(300, 300)
    widget.show()
    return widget


def _ink_columns(canvas: DrawCanvas) -> np.ndarray:
    return np.flatnonzero(canvas.ink_array().max(axis=0) > 128)


def test_a_mouse_stroke_leaves_thick_white_ink(canvas: DrawCanvas, qtbot):
    with qtbot.waitSignal(canvas.stroke_finished):
        draw_stroke(canvas, VERTICAL)
    ink = canvas.ink_array()
    assert ink.shape == (300, 300) and ink.dtype == np.uint8
    assert canvas.stroke_count() == 1 and ink.max() == 255
    width = len(_ink_columns(canvas))
    assert width == pytest.approx(canvas.pen_width(), abs=2)
    assert set(np.unique(ink)) - {0, 255}, "edges are antialiased"


def test_moves_without_a_pressed_button_draw_nothing(canvas: DrawCanvas):
    for x, y in VERTICAL:
        send_mouse(canvas, QEvent.Type.MouseMove, to_widget(canvas, x, y), pressed=False)
    assert canvas.is_empty() and canvas.ink_array().max() == 0


def test_undo_removes_the_last_stroke_and_clear_removes_all(canvas: DrawCanvas):
    draw_stroke(canvas, VERTICAL)
    one_stroke = canvas.ink_array().copy()
    draw_stroke(canvas, HORIZONTAL)
    canvas.undo()
    assert canvas.stroke_count() == 1
    assert np.array_equal(canvas.ink_array(), one_stroke)
    canvas.clear()
    assert canvas.is_empty() and canvas.ink_array().max() == 0


def test_the_drawing_and_the_pen_scale_with_the_canvas(canvas: DrawCanvas):
    draw_stroke(canvas, HORIZONTAL)
    small_pen = canvas.pen_width()
    canvas.resize(600, 600)  # a visible widget gets its resize event at once
    assert canvas.pen_width() == pytest.approx(2 * small_pen)
    rows = np.flatnonzero(canvas.ink_array().max(axis=1) > 128)
    assert len(rows) == pytest.approx(canvas.pen_width(), abs=2)
    assert canvas.stroke_count() == 1


def test_the_square_is_centred_in_a_wide_widget(canvas: DrawCanvas):
    canvas.resize(500, 300)
    assert canvas.square().width() == 300 and canvas.square().x() == 100
    draw_stroke(canvas, [(0.0, 0.5), (1.0, 0.5)])
    columns = _ink_columns(canvas)
    assert columns[0] == 0 and columns[-1] == 299
