"""The Evaluation view on its own, fed through a real SessionModel: known answers over the digit shapes' test
images, a cell click, the way back to all mistakes, a picked image for the inside view, an opened model
evaluated on demand, and the exports."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from guitest import RUN_MS, Recorder
from PySide6.QtCore import QPoint, Qt

from playground.core.analysis.confusion import cell_indices, mistakes
from playground.core.analysis.gallery import to_pixels
from playground.core.config import TrainConfig
from playground.core.training.events import EvaluationEvent
from playground.gui.session import SessionModel
from playground.gui.views.confusion_table import COUNT_ROLE
from playground.gui.views.evaluation_panel import EvaluationPanel


def _shapes_config(folder) -> TrainConfig:
    return TrainConfig(arch="mlp", dataset="image-folder", epochs=1, batch_size=16, device="cpu",
                       dataset_options={"path": str(folder), "size": 28, "grayscale": True})


@pytest.fixture
def panel(qtbot):
    session = SessionModel()
    view = EvaluationPanel(session)
    qtbot.addWidget(view)
    view.resize(520, 900)
    view.show()
    yield view
    view.shutdown()


@pytest.fixture
def known_answers(digit_shapes):
    """The shapes' test split with answers written here: every third ring read as a bar, every fifth bar as
    a ring, each with a probability of its own."""
    from playground.core.data.registry import load_dataset

    config = _shapes_config(digit_shapes)
    data = load_dataset(config.dataset, config.dataset_options, None, config.seed)
    true = data.test_y.numpy()
    predicted = true.copy()
    n = np.arange(len(true))
    predicted[(true == 1) & (n % 3 == 0)] = 0
    predicted[(true == 0) & (n % 5 == 0)] = 1
    probability = np.linspace(0.99, 0.51, len(true)).astype(np.float32)
    event = EvaluationEvent(1, true, predicted, probability, data.class_names, config.dataset)
    return config, data, event


def _counts(model) -> np.ndarray:
    k = model.rowCount()
    return np.array([[model.data(model.index(t, p)) for p in range(k)] for t in range(k)])


def _click_cell(qtbot, table, row: int, column: int) -> None:
    rect = table.visualRect(table.model().index(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _feed(qtbot, panel, config, event) -> None:
    panel.session.begin_run(config)
    panel.session.record(event)
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.event is event, timeout=RUN_MS)


def test_a_cell_click_shows_exactly_that_cells_images(qtbot, panel, known_answers):
    config, data, event = known_answers
    _feed(qtbot, panel, config, event)
    counts = _counts(panel.model)
    assert counts.sum() == len(event.true) and counts[1, 0] > 0 and counts[0, 1] > 0
    assert panel.gallery.count() == counts[0, 1] + counts[1, 0], "at first: all the mistakes"

    _click_cell(qtbot, panel.table, 1, 0)
    qtbot.waitUntil(lambda: panel.result.gallery.cell == (1, 0), timeout=RUN_MS)
    shown = panel.result.gallery.indices
    expected = cell_indices(event.true, event.predicted, 1, 0, event.probability)
    assert shown.tolist() == expected.tolist() and panel.gallery.count() == counts[1, 0]
    assert np.array_equal(panel.gallery.images(), to_pixels(data.test_x[expected.tolist()].numpy(), data.mean,
                                                            data.std))
    assert panel.content.gallery_label.text().startswith(f"true ring, read as bar: {counts[1, 0]} images")
    assert panel.gallery.captions[0].startswith("ring → bar") and panel.table.picked == (1, 0)

    qtbot.mouseClick(panel.content.mistakes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.result.gallery.cell is None, timeout=RUN_MS)
    assert panel.result.gallery.indices.tolist() == mistakes(event.true, event.predicted, event.probability).tolist()


def test_a_picked_image_goes_to_the_inside_view(qtbot, panel, known_answers):
    config, data, event = known_answers
    _feed(qtbot, panel, config, event)
    chosen = Recorder()
    panel.session.input_chosen.connect(chosen.record)
    rect = panel.gallery.cell_rect(1)
    qtbot.mouseClick(panel.gallery, Qt.MouseButton.LeftButton, pos=QPoint(int(rect.center().x()),
                                                                           int(rect.center().y())))
    (picked,) = chosen.events
    n = int(panel.result.gallery.indices[1])
    assert picked.source == f"test image {n}" and picked.label == int(event.true[n])
    assert tuple(picked.tensor.shape) == (1, 1, 28, 28) and np.allclose(picked.tensor[0].numpy(), data.test_x[n])
    assert np.array_equal(picked.pixels, panel.gallery.images()[1]) and panel.gallery.marked == [1]


def test_percent_mode_keeps_the_counts_and_the_exports_write_what_is_shown(qtbot, panel, known_answers, tmp_path,
                                                                           monkeypatch):
    config, _, event = known_answers
    _feed(qtbot, panel, config, event)
    model, counts = panel.model, _counts(panel.model)
    qtbot.mouseClick(panel.toolbar.percent, Qt.MouseButton.LeftButton)
    cell = model.index(1, 0)
    assert model.data(cell).endswith("%") and model.data(cell, COUNT_ROLE) == counts[1, 0]
    assert "rings were read as bar" not in model.data(cell, Qt.ItemDataRole.ToolTipRole)  # not digits: named
    assert f"{counts[1, 0]} samples of ring were read as bar" in model.data(cell, Qt.ItemDataRole.ToolTipRole)

    panel.content.export_matrix_csv(str(tmp_path / "m.csv"))
    rows = list(csv.reader((tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0][:3] == ["true \\ predicted", "bar", "ring"] and [int(v) for v in rows[2][1:3]] == counts[1].tolist()
    asked = iter([str(tmp_path / "m.png"), str(tmp_path / "g.png")])
    monkeypatch.setattr("playground.gui.file_actions.ask_save_path", lambda *args: next(asked))
    for action in panel.toolbar.export.menu().actions()[1:]:
        action.trigger()
    assert (tmp_path / "m.png").stat().st_size > 1000 and (tmp_path / "g.png").stat().st_size > 1000


def test_an_opened_classifier_is_evaluated_on_demand(qtbot, panel, digit_shapes, tmp_path):
    from playground.core.inference.predictor import Predictor
    from playground.core.training.trainer import Trainer

    panel.hide()
    result = Trainer().fit(_shapes_config(digit_shapes), checkpoint_path=tmp_path / "shapes.pt")
    info = Predictor.from_checkpoint(tmp_path / "shapes.pt").info
    panel.session.open_model(str(tmp_path / "shapes.pt"), info)
    assert panel.result is None and "press <b>Evaluate</b>" in panel.empty.text(), "hidden: nothing runs yet"
    qtbot.mouseClick(panel.toolbar.evaluate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=RUN_MS)
    counts = _counts(panel.model)
    assert counts.sum() == 24 and np.trace(counts) / 24 == result.metrics[-1].test_accuracy
    assert "shapes.pt" in panel.content.title.text()


def test_a_model_that_cannot_be_evaluated_says_why(qtbot, panel, tmp_path):
    from playground.core.inference.predictor import ModelInfo
    from playground.core.models.spec import ModelSpec

    (tmp_path / "broken.pt").write_bytes(b"not a model")
    panel.session.open_model(str(tmp_path / "broken.pt"), ModelInfo(ModelSpec("mlp", dataset="mnist"), "broken.pt"))
    qtbot.waitUntil(lambda: "Cannot evaluate" in panel.empty.text(), timeout=RUN_MS)
    assert "not a readable playground checkpoint" in panel.empty.text()
