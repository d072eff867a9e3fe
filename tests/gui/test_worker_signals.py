"""The worker's signals: throttled at the source, every loss delivered, epoch ends always through."""

from __future__ import annotations

from guitest import Recorder

from playground.core.config import TrainConfig
from playground.core.training import events
from playground.core.training.control import RunControl
from playground.core.training.events import EpochMetrics, RunFinished, StepEvent
from playground.gui.training.training_worker import TrainingWorker, _SignalCallback


def test_a_flood_of_steps_becomes_at_most_30_signals_per_second_with_every_loss(qtbot):
    worker = TrainingWorker(TrainConfig(), RunControl())
    steps, epochs = Recorder(worker.reported, events.StepEvent), Recorder(worker.reported, events.EpochMetrics)
    callback = _SignalCallback(worker)
    for i in range(1, 5001):  # far faster than 30 per second
        callback.on_event(StepEvent(1, i, 5000, {"loss": (float(i),)}, {"lr": 0.1}, 1.0, 0.0, 0.0))
        if i % 1000 == 0:
            callback.on_event(EpochMetrics(i // 1000, {"train_loss": 0.1, "test_loss": 0.1}, {"lr": 0.1}, 1.0, 1.0))
    callback.on_event(RunFinished("completed", 5, 1.0))
    assert len(steps.events) <= 2 + 5 * 2  # one at the start, then only epoch ends flush (the loop took < 1/30 s)
    assert [v for e in steps.events for v in e.losses["loss"]] == [float(i) for i in range(1, 5001)]
    assert [e.epoch for e in epochs.events] == [1, 2, 3, 4, 5]


def test_the_worker_reports_a_run_in_order_from_its_thread(qtbot):
    from PySide6.QtCore import QThread

    worker = TrainingWorker(TrainConfig(arch="linear", dataset="blobs", epochs=2), RunControl())
    thread = QThread()
    worker.moveToThread(thread)
    started, epochs = Recorder(worker.reported, events.RunStarted), Recorder(worker.reported, events.EpochMetrics)
    done = Recorder(worker.finished)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    with qtbot.waitSignal(thread.finished, timeout=60_000):
        thread.start()
    thread.wait()
    qtbot.waitUntil(lambda: bool(done.events))
    assert started.events[0].task == "classification" and [e.epoch for e in epochs.events] == [1, 2]
    assert done.events[0].status == "completed"
