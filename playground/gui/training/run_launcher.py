"""Starting one run: a fresh worker and QThread, wired finished -> quit, the worker deleted in the GUI thread,
and a handle to control it.

The caller connects the worker's signals to its own @Slot methods (typed connections, in the GUI thread) and
then calls `start()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QThread

from playground.gui.training.training_worker import TrainingWorker

if TYPE_CHECKING:
    from playground.core.config import TrainConfig
    from playground.core.recorded import Recording
    from playground.core.training.control import RunControl


@dataclass
class RunHandle:
    config: TrainConfig
    control: RunControl  # thread-safe: stop, pause, resume, request_weights from the GUI thread
    worker: TrainingWorker
    thread: QThread
    paused: bool = False
    stopping: bool = False
    finishing_epoch: bool = False  # +1 epoch pressed while it trains: hold at the epoch's end

    def start(self) -> None:
        # connected last: the caller's finished slot must run before the thread is deleted
        self.thread.finished.connect(self.thread.deleteLater)
        self.thread.start()

    def release(self) -> None:
        """After the thread's finished signal: wait out its last instructions so the QThread dies stopped; the
        worker, handed back to the GUI thread at its end, is deleted here (gui_thread.py says why)."""
        self.thread.wait()
        self.worker.deleteLater()


def launch_run(config: TrainConfig, recording: Recording | None = None) -> RunHandle:
    """A worker for `config` on a new thread, not yet started: connect its signals, then call start().
    recording: how the run store records it and what it goes on from (None: unrecorded)."""
    from playground.core.training.control import RunControl

    control = RunControl()
    worker = TrainingWorker(config, control, recording)
    thread = QThread()
    thread.setObjectName("playground-training")
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    return RunHandle(config, control, worker, thread)
