"""The controllers, headless: each is handed fake views and the session model, and drives them through real runs."""

from __future__ import annotations

import time

from fakes import FakeMessages, FakeView
from guitest import RUN_MS, TORCH_READY_MS, Recorder

from playground.core.config import TrainConfig
from playground.core.training import events
from playground.gui.controllers.files import FileController
from playground.gui.controllers.run_controller import RunController
from playground.gui.controllers.startup import Startup
from playground.gui.session import SessionModel

QUICK = TrainConfig(arch="mlp", dataset="spiral", epochs=2, batch_size=32, device="cpu",
                    dataset_options={"samples": 400})


def _controller(qapp):
    session, controls, status, messages = SessionModel(), FakeView(), FakeView(), FakeMessages()
    return RunController(session, controls, status, messages, parent=qapp), session, controls, status, messages


def test_a_run_drives_the_controls_the_status_and_the_session(qtbot, qapp):
    controller, session, controls, status, _ = _controller(qapp)
    phases, epochs = Recorder(), Recorder()
    session.phase_changed.connect(phases.record)
    session.on(events.EpochMetrics).connect(epochs.record)
    with qtbot.waitSignal(controller.ended, timeout=RUN_MS):
        controller.start(QUICK)
        assert controller.active and session.phase == "loading"
    states = [args[0] for args in controls.calls_to("set_state")]
    assert states[0] == "loading" and "running" in states and states[-1] == "idle"
    assert phases.events[0] == "loading" and phases.events[-1] == "idle"
    assert [m.epoch for m in epochs.events] == [1, 2] == [m.epoch for m in session.run.epochs]
    assert any("Finished 2 epoch(s)" in args[0] for args in status.calls_to("showMessage"))
    assert controller.last_checkpoint is not None and not controller.active


def test_refused_settings_start_nothing_and_say_why(qapp):
    controller, session, controls, _, messages = _controller(qapp)
    controller.refuse([("arch", "seed-cnn needs images")])
    assert not controller.active and controls.calls == []
    (title, text), = [args[:2] for args in messages.calls_to("error")]
    assert "cannot be trained" in title and "seed-cnn needs images" in text


def test_a_missing_dataset_offers_the_no_download_sets(qtbot, qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))  # empty, and tests never download
    controller, _, _, _, messages = _controller(qapp)
    suggested = Recorder(controller.dataset_suggested)
    with qtbot.waitSignal(controller.ended, timeout=RUN_MS):
        controller.start(TrainConfig(device="cpu"))
    (dataset, message), = messages.calls_to("offline_dataset")
    assert dataset == "mnist" and "MNIST" in message
    messages.dialog.dataset_chosen.emit("spiral")
    qtbot.waitUntil(lambda: suggested.events == ["spiral"])


def test_stop_and_pause_reach_the_run(qtbot, qapp):
    controller, session, controls, _, _ = _controller(qapp)
    first_step = Recorder()
    session.on(events.StepEvent).connect(first_step.record)
    controller.start(QUICK.replace(epochs=500))
    qtbot.waitUntil(lambda: bool(first_step.events), timeout=RUN_MS)
    controller.toggle_pause()
    assert session.phase == "paused" and controller.handle.control.paused
    with qtbot.waitSignal(controller.ended, timeout=RUN_MS):
        controller.stop()
        assert session.phase == "stopping"
    assert session.run.finished.reason == "stopped" and session.last_completed is session.run


def test_the_first_weights_are_asked_for_one_interval_after_the_start(qtbot, qapp):
    """Not at once: a view building a model from them in the GUI thread would delay the first point."""
    controller, session, _, _, _ = _controller(qapp)
    session.want_snapshots("a view", 300)
    snapshots, steps = Recorder(), Recorder()
    session.on(events.WeightsSnapshot).connect(snapshots.record)
    session.on(events.StepEvent).connect(steps.record)
    started = time.monotonic()
    controller.start(QUICK.replace(epochs=500))
    qtbot.waitUntil(lambda: bool(snapshots.events), timeout=RUN_MS)
    assert time.monotonic() - started >= 0.3 and steps.events, "asked after one interval, not at once"
    with qtbot.waitSignal(controller.ended, timeout=RUN_MS):
        controller.stop()


def test_the_file_controller_says_when_there_is_nothing_to_save_or_export(qapp):
    session, messages, status = SessionModel(), FakeMessages(), FakeView()
    files = FileController(session, FakeView(), lambda: None, status, messages, None, lambda path: None, qapp)
    files._on_save_model_triggered()
    files.export_interactive("png")
    titles = [args[0] for args in messages.calls_to("info")]
    assert titles == ["Nothing to save yet", "Nothing to export yet"]
    files.show_help("getting_started")
    assert len(messages.calls_to("info")) == 3


def test_startup_loads_torch_then_builds_the_slow_parts_then_reports_torch_ready(qtbot, qapp):
    built = []  # whether Ready had been reported when the slow parts were built
    settings = FakeView()
    settings.device = FakeView(currentData="cpu")
    summary, status = FakeView(), FakeView()
    startup = Startup(lambda: built.append(startup.is_ready), lambda: False, settings, summary, status, qapp)
    with qtbot.waitSignal(startup.idle, timeout=TORCH_READY_MS):
        startup.begin()
        assert built == [] and startup.busy  # torch first: the widgets' imports then find numpy loaded
    assert built == [False], "built once, once torch had loaded, before Ready"
    assert startup.is_ready and not startup.busy
    (devices,), = settings.calls_to("set_devices")
    assert devices[0][0] == "cpu"
    assert summary.calls_to("set_torch_ready") == [()]
