"""The Evaluation dock in the window, after real runs: seed-cnn on MNIST adds up to the test set and its
accuracy, a regression run is told the view does not apply, and the last run is evaluated on demand."""

from __future__ import annotations

import numpy as np
from guitest import RUN_MS, configure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView, QWidget

from playground.gui import formatting
from playground.gui.views.evaluation_panel import EvaluationPanel

MNIST_RUN_MS = 240_000  # one epoch of seed-cnn on a busy 2-core machine


def _panel(window) -> EvaluationPanel:
    return window.docks.docks["evaluation"].widget()


def _matrix(window) -> np.ndarray:
    model = window.findChild(QTableView, "confusionMatrix").model()
    k = model.rowCount()
    return np.array([[model.data(model.index(t, p)) for p in range(k)] for t in range(k)], dtype=np.int64)


def test_after_one_epoch_of_seed_cnn_on_mnist_the_matrix_adds_up(qtbot, window, mnist_dir):
    configure(window, arch="seed-cnn", dataset="mnist", epochs=1, batch_size=64)
    panel = _panel(window)
    with qtbot.waitSignal(window.training_finished, timeout=MNIST_RUN_MS):
        window.controls.train.click()
    qtbot.waitUntil(lambda: panel.result is not None, timeout=RUN_MS)
    counts = _matrix(window)
    accuracy = window.session.run.epochs[-1].test_accuracy
    assert counts.shape == (10, 10) and counts.sum() == 10_000
    assert np.trace(counts) / 10_000 == accuracy
    assert formatting.percent(accuracy) in window.status.currentMessage()
    header = window.findChild(QTableView, "confusionMatrix").model().headerData(7, Qt.Orientation.Horizontal)
    assert header == "7"
    gallery = window.findChild(QWidget, "misclassifiedGallery")
    assert gallery.count() == min(100, 10_000 - np.trace(counts))
    shown = panel.result.gallery.probability
    assert (np.diff(shown) <= 0).all(), "the most confident mistakes first"


def test_a_regression_run_says_the_view_does_not_apply(qtbot, window):
    configure(window, dataset="sine", epochs=1)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.train.click()
    panel = _panel(window)
    assert panel.result is None and panel.model.rowCount() == 0
    assert "predicts a number, not a class" in panel.empty.text() and not panel.toolbar.evaluate.isEnabled()


def test_the_last_run_is_evaluated_on_demand(qtbot, window, digit_shapes):
    configure(window, dataset="image-folder", epochs=1, batch_size=16,
              dataset_options={"path": str(digit_shapes), "size": 28, "grayscale": True})
    panel = _panel(window)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.train.click()
    qtbot.waitUntil(lambda: panel.result is not None, timeout=RUN_MS)
    at_epoch_end = _matrix(window)
    first = panel.result
    assert panel.toolbar.evaluate.isEnabled()
    qtbot.mouseClick(panel.toolbar.evaluate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.result is not first, timeout=RUN_MS)
    assert np.array_equal(_matrix(window), at_epoch_end), "the final weights are those of the last epoch"
