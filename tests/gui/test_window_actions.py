"""Menus, shortcuts, exports, hover read-outs and download progress of the main window."""

from __future__ import annotations

import csv
import math

from guitest import RUN_MS, configure
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeySequence

from playground.core.training.events import LoadProgress


def test_the_usual_shortcuts_are_on_the_actions(window):
    a = window.actions
    assert QKeySequence("Ctrl+Return") in a.train.shortcuts()
    assert a.stop.shortcut() == QKeySequence("Esc")
    assert a.save_model.shortcut() == QKeySequence("Ctrl+S")
    assert a.open_model.shortcut() == QKeySequence("Ctrl+O")
    assert a.quit.shortcut() == QKeySequence("Ctrl+Q")


def test_ctrl_enter_trains_and_esc_stops(qtbot, window):
    configure(window, epochs=500)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.run_controller.active
    qtbot.waitUntil(lambda: len(window.plot_area.plots.steps) > 0, timeout=RUN_MS)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.session.last_completed.result.status == "stopped"


def test_plots_export_to_png_and_csv(qtbot, window, tmp_path):
    configure(window, epochs=2)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.train.click()
    plots = window.plot_area.plots
    assert plots.export_png(str(tmp_path / "plots.png")) and (tmp_path / "plots.png").stat().st_size > 1000
    plots.export_steps_csv(str(tmp_path / "steps.csv"))
    plots.export_epochs_csv(str(tmp_path / "epochs.csv"))
    steps = list(csv.DictReader((tmp_path / "steps.csv").read_text().splitlines()))
    epochs = list(csv.DictReader((tmp_path / "epochs.csv").read_text().splitlines()))
    assert len(steps) == len(plots.steps) and steps[0]["step"] == "1"
    assert [e["epoch"] for e in epochs] == ["1", "2"] and float(epochs[-1]["test_accuracy"]) > 0


def test_hovering_the_loss_plot_shows_the_nearest_values(qtbot, window):
    configure(window, epochs=1)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.train.click()
    plot = window.plot_area.plots.loss_plot
    view = plot.getPlotItem().vb
    log_loss = math.log10(float(window.plot_area.plots.steps.y[9]))  # the loss axis is logarithmic
    # the axes fit the final curves once the event loop has run
    qtbot.waitUntil(lambda: view.sceneBoundingRect().contains(view.mapViewToScene(QPointF(10, log_loss))))
    scene_pos = view.mapViewToScene(QPointF(10, log_loss))
    plot.scene().sigMouseMoved.emit(scene_pos)
    readout = window.plot_area.plots._hovers[0]._label
    assert readout.isVisible() and readout.textItem.toPlainText().startswith("step 10")


def test_download_progress_shows_in_the_progress_bar(window):
    window.run_controller._on_worker_event(LoadProgress("Downloading train-images-idx3-ubyte", 5, 10))
    bar = window.controls.progress
    assert bar.isVisible() and bar.value() == 5 and bar.maximum() == 10
    assert "Downloading" in bar.format()
    window.controls.set_state("idle")
