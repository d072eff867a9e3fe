"""The Data view and the table chooser: the counts of MNIST (from its own label file) and of a CSV file, a grid
filterable by class, points, text, problems shown with their fix; the CSV picker's preview and column choice."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.core.config import TrainConfig
from playground.gui.session import SessionModel
from playground.gui.views.data_compute import Images, Points, Problem, Table, Text

pd = pytest.importorskip("pandas")
LOAD_MS = 60_000  # MNIST decoded from its idx files, with torch imported in the view's thread


@pytest.fixture
def view(qtbot):
    from playground.gui.views.data_view import DataView

    v = DataView(SessionModel())
    qtbot.addWidget(v)
    v.show()
    yield v
    v.shutdown()


def shown(qtbot, view, config, kind):
    view.show_dataset(config)
    qtbot.waitUntil(lambda: isinstance(view.result, kind | Problem) and view._shown_key == _key(config),
                    timeout=LOAD_MS)
    assert isinstance(view.result, kind), getattr(view.result, "message", view.result)
    return view.result


def _key(config):
    from playground.gui.views.data_compute import data_key

    return data_key(config)


def table(tmp_path, n=120) -> Path:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"id": np.arange(n), "height": rng.normal(170, 10, n),
                          "colour": rng.choice(["red", "blue"], n), "label": rng.choice(["cat", "dog", "fish"], n)})
    frame.loc[[2, 3, 5], "height"] = np.nan
    path = tmp_path / "pets.csv"
    frame.to_csv(path, index=False)
    return path


def test_mnist_shows_60000_images_and_the_count_of_each_class(qtbot, view, mnist_dir):
    raw = (mnist_dir / "MNIST" / "raw" / "train-labels-idx1-ubyte").read_bytes()
    labels = np.frombuffer(raw, dtype=np.uint8, offset=8)
    result = shown(qtbot, view, TrainConfig(), Images)
    assert result.counts.train == 60_000 and result.counts.test == 10_000
    assert result.counts.per_class == tuple(np.bincount(labels, minlength=10))
    counts = view.images.counts
    assert [counts.item(k, 1).text() for k in range(10)] == [f"{n:,}" for n in np.bincount(labels)]
    assert "60,000 training and 10,000 test images, 10 classes" in view.header.text()
    assert set(view.images.shown_classes()) == {str(k) for k in range(10)}
    view.images.filter.setCurrentIndex(view.images.filter.findData(3))
    assert set(view.images.shown_classes()) == {"3"} and len(view.images.shown_classes()) == 40
    assert view.images.filter.currentText() == f"3 ({np.sum(labels == 3):,})"


def test_a_csv_shows_its_rows_and_a_summary_of_each_column(qtbot, view, tmp_path):
    path = table(tmp_path)
    result = shown(qtbot, view, TrainConfig(dataset="csv", arch="mlp", data_file=str(path)), Table)
    assert result.rows == 120 and view.table.rows.model().rowCount() == 120
    summary = {s.name: s for s in result.summaries}
    assert (summary["height"].count, summary["height"].missing, summary["height"].kind) == (117, 3, "number")
    assert dict(summary["label"].top) == pd.read_csv(path)["label"].value_counts().to_dict()
    assert view.table.summary.rowCount() == 4 and view.table.summary.item(1, 3).text() == "3"
    assert "120 rows × 4 columns" in view.header.text()
    view.table.summary.setCurrentCell(3, 0)
    assert "label (category)" in view.table.histogram.plotItem.titleLabel.text
    assert view.table.bars is not None


def test_points_are_a_scatter_coloured_by_class_and_text_shows_its_vocabulary(qtbot, view):
    result = shown(qtbot, view, TrainConfig(dataset="blobs", arch="mlp"), Points)
    assert len(view.plot.items) == 3 and sum(result.counts.per_class) == result.counts.train
    text = shown(qtbot, view, TrainConfig(dataset="shakespeare", arch="gpt"), Text)
    assert len(text.vocabulary) == 65 and "Vocabulary: 65 characters" in view.text.vocabulary.text()
    assert view.text.excerpt.toPlainText().startswith("First Citizen")


def test_problems_are_shown_with_their_fix(qtbot, view, tmp_path):
    view.show_dataset(TrainConfig(dataset="csv", arch="mlp"))
    qtbot.waitUntil(lambda: isinstance(view.result, Problem), timeout=5000)
    assert "choose it in the settings" in view.message.text()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"%PDF-1.4 not a table")
    shown_problem = TrainConfig(dataset="csv", arch="mlp", data_file=str(bad))
    view.show_dataset(shown_problem)
    qtbot.waitUntil(lambda: view._shown_key == _key(shown_problem) and isinstance(view.result, Problem)
                    and "PDF" in view.result.message, timeout=10_000)
    assert "save the spreadsheet as CSV" in view.message.text() and view.pages.currentWidget() is view.message


def test_the_csv_picker_previews_the_file_and_chooses_a_target(qtbot, tmp_path):
    from playground.gui.settings.settings_panel import SettingsPanel

    path = table(tmp_path)
    panel = SettingsPanel()
    qtbot.addWidget(panel)
    try:
        panel.set_config(TrainConfig(dataset="csv", arch="mlp", data_file=str(path)))
        columns = panel.table
        assert not columns.isHidden()
        qtbot.waitUntil(lambda: columns.preview.model() is not None, timeout=10_000)
        assert columns.preview.model().rowCount() == 20 and columns.preview.model().columnCount() == 4
        assert columns.target.currentText() == "label" and panel.config().target == "label"
        assert panel.config().features == [] and not panel.problems()
        columns.target.setCurrentIndex(columns.target.findText("colour"))
        assert panel.config().target == "colour"
        names = [columns.features.item(i).text() for i in range(columns.features.count())]
        assert names == ["id", "height", "label"]
        columns.features.item(0).setCheckState(Qt.CheckState.Unchecked)
        columns.task.setCurrentIndex(columns.task.findData("classification"))
        config = panel.config()
        assert (config.features, config.task) == (["height", "label"], "classification")
    finally:
        panel.shutdown()


def test_the_csv_picker_says_what_is_wrong_with_a_file(qtbot, tmp_path, monkeypatch):
    from playground.core.data.tables import read
    from playground.gui.settings.settings_panel import SettingsPanel

    monkeypatch.setattr(read, "MAX_BYTES", 1000)  # the head is read whatever the size; a run would refuse it
    path = table(tmp_path)
    panel = SettingsPanel()
    qtbot.addWidget(panel)
    try:
        panel.set_config(TrainConfig(dataset="csv", arch="mlp", data_file=str(path), target="label"))
        qtbot.waitUntil(lambda: panel.table.preview.model() is not None, timeout=10_000)
        assert any("over the 0 MB a run reads" in m for _, m in panel.problems())
        panel.data_file.set_path(os.fspath(tmp_path / "missing.csv"))
        qtbot.waitUntil(lambda: panel.table.problem is not None and "does not exist" in panel.table.problem,
                        timeout=10_000)
        assert any("does not exist" in m for f, m in panel.problems() if f == "data_file")
    finally:
        panel.shutdown()


def test_the_window_has_one_data_view_that_follows_the_settings(qtbot, window):
    from PySide6.QtWidgets import QWidget

    window.build_slow_parts()
    views = window.findChildren(QWidget, "dataView")
    assert len(views) == 1 and window.docks.docks["data"].widget() is views[0]
    window.docks.bring_forward("data")
    window.settings_panel.switch_dataset("moons")
    qtbot.waitUntil(lambda: isinstance(views[0].result, Points), timeout=LOAD_MS)
    assert views[0].result.counts.dataset == "moons" and len(views[0].plot.items) == 2


def test_the_window_trains_a_regression_on_the_target_chosen_in_the_picker(qtbot, window, tmp_path):
    from guitest import RUN_MS, configure

    configure(window, dataset="csv", data_file=str(table(tmp_path)), epochs=3)
    columns = window.settings_panel.table
    qtbot.waitUntil(lambda: columns.target.count() == 4, timeout=10_000)
    columns.target.setCurrentIndex(columns.target.findText("height"))  # numbers: a regression
    assert not window.settings_panel.problems()
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.train.click()
    result = window.session.last_completed.result
    assert "test_r2" in result.metrics[-1].values and result.checkpoint.config.target == "height"
