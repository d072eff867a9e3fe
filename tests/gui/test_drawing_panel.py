"""The drawing panel end to end: mouse strokes in, the bundled model's answer out."""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from synthetic_input import draw_stroke

from playground.core.errors import CheckpointError
from playground.gui.drawing.panel import DrawingPanel

VERTICAL_ONE = [(0.52 - 0.08 * i / 30, 0.12 + 0.76 * i / 30) for i in range(31)]
ELLIPSE_ZERO = [(0.5 + 0.26 * np.sin(-t), 0.5 - 0.38 * np.cos(t)) for t in np.linspace(0, 2.1 * np.pi, 60)]


@pytest.fixture
def panel(qtbot) -> DrawingPanel:
    widget = DrawingPanel()
    qtbot.addWidget(widget)
    widget.resize(860, 480)
    widget.show()
    qtbot.waitUntil(widget.has_model, timeout=30_000)
    return widget


def _draw(panel: DrawingPanel, qtbot, stroke) -> np.ndarray:
    with qtbot.waitSignal(panel.prediction_updated, check_params_cb=lambda p: p is not None) as blocker:
        draw_stroke(panel.canvas, stroke)
    return blocker.args[0]


def test_a_vertical_stroke_is_a_one(panel: DrawingPanel, qtbot):
    probs = _draw(panel, qtbot, VERTICAL_ONE)
    assert int(probs.argmax()) == 1
    assert panel.prediction_label.objectName() == "predictionLabel"
    assert panel.prediction_label.text().startswith("1")
    assert panel.confidence_label.text().endswith("% sure")
    assert panel.bars.probabilities() == pytest.approx(list(probs))


def test_an_ellipse_is_a_zero(panel: DrawingPanel, qtbot):
    _draw(panel, qtbot, ELLIPSE_ZERO)
    qtbot.waitUntil(lambda: panel.prediction_label.text().startswith("0"), timeout=2000)


def test_the_preview_shows_the_28x28_input(panel: DrawingPanel, qtbot):
    _draw(panel, qtbot, VERTICAL_ONE)
    pixels = panel.preview.pixels()
    assert pixels.shape == (28, 28) and pixels.max() > 200
    rows = np.flatnonzero(pixels.max(axis=1) > 12)
    assert rows[-1] - rows[0] + 1 == 20  # the longer side was scaled to 20 px


def test_clear_button_and_undo_shortcut(panel: DrawingPanel, qtbot):
    _draw(panel, qtbot, VERTICAL_ONE)
    clear = panel.findChild(type(panel.clear_button), "clearButton")
    with qtbot.waitSignal(panel.prediction_updated, check_params_cb=lambda p: p is None):
        qtbot.mouseClick(clear, Qt.MouseButton.LeftButton)
    assert panel.canvas.is_empty() and panel.prediction_label.text() == ""
    assert panel.preview.pixels() is None
    _draw(panel, qtbot, VERTICAL_ONE)
    _draw(panel, qtbot, ELLIPSE_ZERO)
    panel.canvas.setFocus()
    qtbot.keyClick(panel.canvas, "z", Qt.KeyboardModifier.ControlModifier)
    assert panel.canvas.stroke_count() == 1
    qtbot.keyClick(panel.canvas, Qt.Key.Key_Backspace)
    assert panel.canvas.is_empty()


def test_datasets_that_are_not_28x28_grayscale_turn_drawing_off(panel: DrawingPanel):
    panel.set_dataset("cifar10", (3, 32, 32))
    assert not panel.is_drawing_enabled() and not panel.canvas.isEnabled()
    assert "cifar10" in panel.off_reason() and "28×28 grayscale" in panel.off_reason()
    draw_stroke(panel.canvas, VERTICAL_ONE)
    assert panel.canvas.is_empty()
    panel.set_dataset("fashion-mnist", (1, 28, 28))
    assert panel.is_drawing_enabled() and panel.canvas.isEnabled()


def test_checkpoints_are_loaded_or_refused_with_a_message(panel: DrawingPanel, tmp_path: Path):
    from playground.core.inference.bundled import bundled_model_path

    with pytest.raises(CheckpointError, match="does not exist"):
        panel.load_checkpoint(str(tmp_path / "missing.pt"))
    copy = tmp_path / "my-digits.pt"
    copy.write_bytes(bundled_model_path().read_bytes())
    panel.load_checkpoint(str(copy))
    assert "my-digits.pt" in panel.model_description() and "seed-cnn" in panel.model_description()


def test_synthetic_handwriting_is_read(panel: DrawingPanel):
    """One sample of every style of every digit (bench/handwriting_check.py runs many more)."""
    from synthetic_handwriting import handwriting_set
    from synthetic_input import draw_strokes

    right = []
    for digit in handwriting_set(per_style=1, seed=0):
        panel.canvas.clear()
        draw_strokes(panel.canvas, [stroke.tolist() for stroke in digit.strokes])
        panel.predict_now()
        right.append(panel.prediction_label.text() == str(digit.digit))
    assert sum(right) >= len(right) - 2, f"{sum(right)} of {len(right)} read right"
