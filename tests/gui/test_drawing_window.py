"""Drawing through the main window, finding the widgets by their object names as automated checks do."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from synthetic_input import draw_stroke

from playground.core.inference.bundled import bundled_model_path

ONE = [(0.5, 0.15 + 0.7 * i / 25) for i in range(26)]


def test_draw_a_one_in_the_window_with_an_opened_checkpoint(window, qtbot, tmp_path: Path):
    path = tmp_path / "digits.pt"
    path.write_bytes(bundled_model_path().read_bytes())
    window.load_checkpoint(str(path))
    canvas = window.findChild(QWidget, "drawCanvas")
    label = window.findChild(QLabel, "predictionLabel")
    assert "digits.pt" in window.drawing.model_description()
    draw_stroke(canvas, ONE)
    qtbot.waitUntil(lambda: label.text().startswith("1"), timeout=2000)
    qtbot.mouseClick(window.findChild(QPushButton, "clearButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: label.text() == "", timeout=2000)
    assert canvas.is_empty()
