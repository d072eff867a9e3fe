"""Runs driven through the window as a user would: Train, Pause/Resume, Stop, close during a run, faults."""

from __future__ import annotations

import pytest
from guitest import RUN_MS, Recorder, configure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from playground.core.errors import CheckpointError
from playground.core.training import events
from playground.gui.dialogs import OfflineDatasetDialog


def _points(plot_widget) -> int:
    """Points of the curves (PlotDataItems; the best-epoch star is a marker, not a curve)."""
    items = plot_widget.getPlotItem().listDataItems()
    return sum(len(item.xData) for item in items if getattr(item, "xData", None) is not None)


def _press_train(qtbot, window):
    qtbot.mouseClick(window.controls.train, Qt.MouseButton.LeftButton)
    assert window.run_controller.active, "Train did not start a run"
    return window.run_controller.handle


def _wait_for_steps(qtbot, window):
    """Until the window has shown some steps (so the run is past loading and Pause is enabled)."""
    qtbot.waitUntil(lambda: len(window.plot_area.plots.steps) > 0, timeout=RUN_MS)


def test_train_to_the_end_fills_the_plots(qtbot, window):
    configure(window, epochs=3)
    finished = Recorder(_press_train(qtbot, window).worker.reported, events.RunFinished)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        pass
    assert not window.run_controller.active and window.controls.train.isEnabled()
    assert finished.events[0].reason == "completed" and finished.events[0].epochs_done == 3
    plots = window.plot_area.plots
    steps_per_epoch = (int(2000 * 0.75)) // 32
    assert len(plots.steps) == 3 * steps_per_epoch, "every step's loss reached the plot buffers"
    assert _points(plots.loss_plot) >= 2 * 3 * steps_per_epoch  # raw and smoothed curves
    assert _points(plots.accuracy_plot) == 2 * 3  # train and test accuracy, per epoch
    assert window.run_controller.last_checkpoint is not None
    assert window.actions.save_model.isEnabled()


def test_stop_midway_keeps_what_was_measured(qtbot, window, tmp_path):
    configure(window, epochs=500)
    stopped = Recorder(_press_train(qtbot, window).worker.reported, events.RunFinished)
    _wait_for_steps(qtbot, window)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        qtbot.mouseClick(window.controls.stop, Qt.MouseButton.LeftButton)
    assert stopped.events[0].reason == "stopped" and stopped.events[0].epochs_done < 500
    assert len(window.plot_area.plots.steps) > 0
    window.save_model(str(tmp_path / "stopped.pt"))
    assert (tmp_path / "stopped.pt").stat().st_size > 0


def test_pause_holds_the_run_and_resume_continues_it(qtbot, window):
    configure(window, epochs=500)
    handle = _press_train(qtbot, window)
    _wait_for_steps(qtbot, window)
    qtbot.mouseClick(window.controls.pause, Qt.MouseButton.LeftButton)
    assert handle.control.paused and window.controls.pause.text() == "Resume"
    qtbot.wait(300)  # the step in flight ends; then nothing moves
    held = len(window.plot_area.plots.steps)
    qtbot.wait(300)
    assert len(window.plot_area.plots.steps) == held, "a paused run went on training"
    qtbot.mouseClick(window.controls.pause, Qt.MouseButton.LeftButton)
    assert not handle.control.paused and window.controls.pause.text() == "Pause"
    qtbot.waitUntil(lambda: len(window.plot_area.plots.steps) > held, timeout=RUN_MS)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        qtbot.mouseClick(window.controls.stop, Qt.MouseButton.LeftButton)


def test_closing_the_window_during_a_run_stops_it_and_closes(qtbot, window):
    configure(window, epochs=500)
    handle = _press_train(qtbot, window)
    _wait_for_steps(qtbot, window)
    thread = handle.thread
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert window.run_controller.handle is None
    with pytest.raises(RuntimeError):
        thread.isRunning()  # deleted after it finished (deleteLater), never while running


def test_a_diverging_run_fails_with_a_message_and_the_next_run_starts(qtbot, window):
    configure(window, dataset="sine", optimizer="sgd", lr=10.0, momentum=0.99, epochs=20)
    failed = Recorder(_press_train(qtbot, window).worker.failed)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        pass
    assert failed.events[0].kind == "nan" and "Lower the learning rate" in failed.events[0].message
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "Lower the learning rate" in boxes[0].text()
    boxes[0].close()
    configure(window, dataset="sine", epochs=1)
    _press_train(qtbot, window)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        pass
    assert window.session.run.failure is None


def test_a_missing_download_offers_the_generated_datasets(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))  # an empty folder, and PLAYGROUND_OFFLINE=1
    configure(window, arch="seed-cnn", dataset="mnist")
    failed = Recorder(_press_train(qtbot, window).worker.failed)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        pass
    assert failed.events[0].kind == "dataset" and str(tmp_path) in failed.events[0].message
    dialog = window.findChild(OfflineDatasetDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.choose("moons")
    config = window.settings_panel.config()
    assert (config.dataset, config.arch) == ("moons", "mlp")  # a CNN cannot take 2-D points
    assert window.settings_panel.problems() == []


def test_settings_that_cannot_work_are_refused_before_training(qtbot, window):
    configure(window, arch="seed-cnn", dataset="spiral")
    assert any("needs images" in m for _, m in window.settings_panel.problems())
    assert window.settings_panel.problem_label.isVisible()
    qtbot.mouseClick(window.controls.train, Qt.MouseButton.LeftButton)
    assert not window.run_controller.active
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "needs images" in boxes[0].text()
    boxes[0].close()


def test_a_views_wish_for_weights_reaches_the_run_and_the_snapshots_come_back(qtbot, window):
    configure(window, epochs=500)
    handle = _press_train(qtbot, window)
    _wait_for_steps(qtbot, window)
    got = Recorder(handle.worker.reported, events.WeightsSnapshot)
    window.docks.bring_forward("draw")  # over the Boundary view, which a run on 2-D points brings forward
    assert window.session.snapshot_interval_ms is None, "drawing is off for 2-D points: no view wants weights"
    received = Recorder(None)
    window.session.on(events.WeightsSnapshot).connect(received.record)
    window.session.want_snapshots("a view", 100)
    # a snapshot the Boundary asked for may still be on its way; it reaches the session, not `got`; and each
    # snapshot reaches the two recorders by two queued calls
    def passed_on() -> list:
        return [r for r in received.events if any(r is g for g in got.events)]

    qtbot.waitUntil(lambda: len(passed_on()) >= 2, timeout=RUN_MS)  # again and again, not once
    assert got.events[0].states["model"] and got.events[0].spec.arch == "mlp"
    assert passed_on()[:2] == got.events[:2] and got.events[1].step > got.events[0].step
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()


def test_opening_a_file_that_is_no_model_raises_a_checkpoint_error(window, tmp_path):
    bad = tmp_path / "not-a-model.pt"
    bad.write_text("hello")
    with pytest.raises(CheckpointError):
        window.load_checkpoint(str(bad))


def test_mnist_seed_cnn_trains_saves_and_draws(qtbot, window, tmp_path, mnist_dir):
    """End to end on MNIST, where it matters: the real data and model, stopped after a few steps."""
    configure(window, arch="seed-cnn", dataset="mnist", epochs=1, batch_size=64)
    _press_train(qtbot, window)
    _wait_for_steps(qtbot, window)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()
    assert len(window.plot_area.plots.steps) > 0
    window.save_model(str(tmp_path / "mnist.pt"))
    window.load_checkpoint(str(tmp_path / "mnist.pt"))  # the drawing panel takes it
