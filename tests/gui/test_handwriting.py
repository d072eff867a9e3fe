"""Teach it your handwriting: "It was a …" saves the digit, Adapt makes a model of yours, Reset goes back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from synthetic_input import draw_stroke

from playground.core.inference.adapt import AdaptSettings
from playground.core.inference.bundled import adapted_model_path
from playground.gui.drawing.panel import DrawingPanel

VERTICAL_ONE = [(0.52 - 0.08 * i / 30, 0.12 + 0.76 * i / 30) for i in range(31)]
QUICK = AdaptSettings(steps=30, mnist_pool=500, variants=40)  # the GUI's part; tests/core checks the learning


@pytest.fixture
def home(monkeypatch, tmp_path):
    monkeypatch.setenv("PLAYGROUND_HOME", str(tmp_path))
    return tmp_path


def _panel(qtbot) -> DrawingPanel:
    panel = DrawingPanel()
    qtbot.addWidget(panel)
    panel.resize(860, 560)
    panel.show()
    qtbot.waitUntil(panel.has_model, timeout=30_000)
    return panel


def _draw(panel: DrawingPanel, qtbot) -> None:
    with qtbot.waitSignal(panel.prediction_updated, check_params_cb=lambda p: p is not None):
        draw_stroke(panel.canvas, VERTICAL_ONE)


def test_it_was_a_digit_joins_the_personal_set(home, qtbot):
    panel = _panel(qtbot)
    assert panel.teach.isVisible()  # the bundled digit model is in use
    _draw(panel, qtbot)
    qtbot.mouseClick(panel.findChild(QPushButton, "itWas7Button"), Qt.MouseButton.LeftButton)
    assert (home / "my-handwriting" / "7" / "001.png").is_file()
    assert panel.canvas.is_empty() and panel.teach.count_label.text() == "Your digits: 1"
    assert not panel.findChild(QPushButton, "itWas7Button").isEnabled()  # nothing drawn: nothing to save


def test_adapt_then_reset_to_the_bundled_model(home, qtbot, mnist_dir):
    panel = _panel(qtbot)
    for _ in range(3):
        _draw(panel, qtbot)
        panel.teach.record(7)
    with qtbot.waitSignal(panel.teach.adapted, timeout=120_000) as blocker:
        assert panel.teach.adapt(QUICK)
    qtbot.waitUntil(lambda: not panel.teach.running(), timeout=10_000)
    result = blocker.args[0]
    assert result.personal_count == 3 and result.mnist_count == 2000
    assert "Your 3 digits (it learnt from them)" in panel.teach.result_label.text()
    assert "adapted to your handwriting" in panel.model_description() and adapted_model_path().is_file()
    assert "adapted to your handwriting" in _panel(qtbot).model_description()  # loaded at start from now on
    qtbot.mouseClick(panel.findChild(QPushButton, "resetModelButton"), Qt.MouseButton.LeftButton)
    assert "Model: the bundled model (" in panel.model_description() and not adapted_model_path().exists()
    assert (home / "my-handwriting" / "7").is_dir()  # your digits stay, to adapt again


def test_adapting_without_digits_says_what_to_do(home, qtbot):
    panel = _panel(qtbot)
    assert not panel.teach.adapt()
    assert "click what it was" in panel.teach.result_label.text()
