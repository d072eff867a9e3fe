"""The Evaluation view's parts without a window: what it says when it does not apply, the words of a cell,
the table model's roles and colours, the background work, and the view's reaction to the session's runs."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.core.analysis.confusion import Confusion
from playground.core.config import TrainConfig
from playground.core.training.events import EvaluationEvent
from playground.gui.session import SessionModel
from playground.gui.views import evaluation_texts as texts
from playground.gui.views.confusion_table import COUNT_ROLE, SHARE_ROLE, ConfusionTableModel, cell_colours
from playground.gui.views.evaluation_jobs import EvaluationJob, EvaluationWork
from playground.gui.views.evaluation_panel import EvaluationPanel

DIGITS = tuple("0123456789")


def test_the_view_says_plainly_when_it_does_not_apply():
    assert texts.not_applicable("classification", "seed-cnn", "mnist") is None
    assert "predicts a number, not a class" in texts.not_applicable("regression", "mlp", "sine")
    for task in ("gan", "vae"):
        assert f"a {task.upper()}: it draws digits" in texts.not_applicable(task, task, "mnist")
    assert "Evaluate" in texts.NO_RUN and "File › Open model" in texts.NO_RUN


def test_a_cell_says_what_was_read_as_what():
    seven_as_two = texts.cell_tooltip(412, 1028, "7", "2", False)
    assert seven_as_two == "412 sevens were read as 2 (40.1% of them); click to see them"
    assert texts.cell_tooltip(1, 10, "Coat", "Shirt", False).startswith("1 sample of Coat was read as Shirt")
    assert texts.cell_tooltip(3, 10, "6", "5", False).startswith("3 sixes were read as 5")
    assert texts.cell_tooltip(980, 1000, "0", "0", True) == "980 of 1,000 zeros read right (98.0%)"
    assert texts.gallery_title((7, 2), DIGITS, 12, 12) == "true 7, read as 2: 12 images"
    assert texts.gallery_title(None, DIGITS, 100, 190) == "All 190 mistakes, most confident first (the first 100 shown)"
    assert texts.caption("T-shirt/top", "Shirt", 0.973) == "T-shirt/top → Shirt\n97.3% sure"


def test_the_table_model_gives_counts_shares_colours_and_names(qapp):
    counts = np.array([[50, 2, 0], [10, 30, 0], [0, 0, 0]])
    model = ConfusionTableModel()
    model.set_confusion(Confusion(counts, ("cat", "dog", "owl")))
    assert (model.rowCount(), model.columnCount()) == (3, 3)
    assert model.data(model.index(1, 0)) == 10 and model.data(model.index(1, 0), SHARE_ROLE) == 0.25
    assert model.headerData(1, Qt.Orientation.Horizontal) == "dog"
    assert "75.0% read right" in model.headerData(1, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    model.set_percent(True)
    assert model.data(model.index(1, 0)) == "25%" and model.data(model.index(0, 1)) == "3.8%"
    assert model.data(model.index(1, 0), COUNT_ROLE) == 10 and model.data(model.index(2, 2)) == "0"
    rgb = cell_colours(counts, Confusion(counts, ("a", "b", "c")).normalised())
    assert tuple(rgb[2, 2]) == (255, 255, 255), "an empty cell stays white"
    assert rgb[0, 0, 2] > rgb[0, 0, 0], "the diagonal is blue"
    assert rgb[1, 0, 0] > rgb[1, 0, 2] and tuple(rgb[1, 0]) != (255, 255, 255), "the worst mistake is red"
    ink = model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole)
    assert ink.name() == "#ffffff", "light text on the dark diagonal"


def test_the_background_work_sums_up_points_without_images():
    rng = np.random.default_rng(1)
    true, predicted = rng.integers(0, 3, 150), rng.integers(0, 3, 150)
    event = EvaluationEvent(2, true, predicted, rng.random(150).astype(np.float32), ("0", "1", "2"), "blobs")
    config = TrainConfig(arch="mlp", dataset="blobs", device="cpu", dataset_options={"samples": 600})
    result = EvaluationWork()(EvaluationJob("mlp on blobs", event, config, cell=(0, 1)))
    assert result.confusion.total == 150 and result.confusion.counts[0, 1] == ((true == 0) & (predicted == 1)).sum()
    assert result.gallery.pixels is None and result.gallery.total == result.confusion.counts[0, 1]


@pytest.fixture
def panel(qtbot):
    view = EvaluationPanel(SessionModel())
    qtbot.addWidget(view)
    yield view
    view.shutdown()


def test_the_view_follows_the_sessions_runs(qtbot, panel):
    session = panel.session
    assert texts.NO_RUN in panel.empty.text() and not panel.toolbar.evaluate.isEnabled()
    session.begin_run(TrainConfig(arch="gan", dataset="mnist"))
    assert "a GAN: it draws digits" in panel.empty.text()
    session.begin_run(TrainConfig(arch="seed-cnn", dataset="mnist"))
    assert "appear at the end of epoch 1" in panel.empty.text()
    event = EvaluationEvent(1, np.array([0, 1, 1]), np.array([0, 1, 0]), np.ones(3, np.float32), ("0", "1"), "blobs")
    session.begin_run(TrainConfig(arch="mlp", dataset="blobs", device="cpu"))
    session.record(event)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=10_000)
    assert panel.model.rowCount() == 2 and "66.7% of 3 test samples right" in panel.content.title.text()
    assert "points, not images" in panel.content.gallery_label.text()
    session.begin_run(TrainConfig(arch="mlp", dataset="sine"))
    assert panel.result is None and panel.model.rowCount() == 0, "a new run forgets the last one's matrix"
