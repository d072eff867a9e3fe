"""Starting one run: a fresh worker and QThread, wired finished -> quit -> deleteLater, and a handle to control it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread

from playground.gui.training_worker import TrainingWorker

if TYPE_CHECKING:
    from playground.core.config import TrainConfig
    from playground.core.training.control import RunControl

# worker signal -> name of the receiver's @Slot that handles it (in the GUI thread)
WORKER_SLOTS = {
    "load_progress": "_on_worker_load_progress", "run_started": "_on_worker_run_started",
    "step": "_on_worker_step", "epoch_end": "_on_worker_epoch_end", "run_finished": "_on_worker_run_finished",
    "failed": "_on_worker_failed", "finished": "_on_worker_finished",
}


@dataclass
class RunHandle:
    config: TrainConfig
    control: RunControl  # thread-safe: stop, pause, resume, request_weights from the GUI thread
    worker: TrainingWorker
    thread: QThread
    paused: bool = False
    stopping: bool = False

    def release(self) -> None:
        """After the thread's finished signal: wait out its last instructions so the QThread dies stopped."""
        self.thread.wait()


def launch_run(config: TrainConfig, receiver: QObject, weights_receiver: QObject) -> RunHandle:
    """Start training `config` in a new thread; the receiver's _on_worker_* slots get its signals and
    _on_thread_finished is called once the thread has ended."""
    from playground.core.training.control import RunControl

    control = RunControl()
    worker = TrainingWorker(config, control)
    thread = QThread()
    thread.setObjectName("playground-training")
    worker.moveToThread(thread)
    for signal_name, slot_name in WORKER_SLOTS.items():
        getattr(worker, signal_name).connect(getattr(receiver, slot_name))
    worker.weights.connect(weights_receiver.on_weights)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.finished.connect(worker.deleteLater)
    thread.finished.connect(receiver._on_thread_finished)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return RunHandle(config, control, worker, thread)
