"""Training on your drawn classes through the app's ordinary run path: a TrainingWorker on a QThread of its own
running recorded_fit (so the run is in the Runs panel and its model.pt can be opened later), never the GUI thread.

It tells its owner of progress (the epoch), of the trained model (the checkpoint's path and a ready Predictor)
or of a failure (a message that names the fix).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from playground.core.training import events as e
from playground.gui.training.run_launcher import RunHandle, launch_run


class MyClassesTraining(QObject):
    """One training at a time; `start` returns False while one goes."""

    progress = Signal(int, int)  # epochs done, epochs in all
    trained = Signal(str, object)  # the checkpoint's path, a Predictor
    failed = Signal(str)
    ended = Signal()  # its thread has ended: a new training may start

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._handle: RunHandle | None = None
        self._folder = ""
        self._message = ""

    def running(self) -> bool:
        return self._handle is not None

    def start(self, root: Path, epochs: int | None = None) -> bool:
        from playground.core.data.my_drawings import training_config
        from playground.core.recorded import Recording

        if self._handle is not None:
            return False
        config = training_config(root) if epochs is None else training_config(root, epochs=epochs)
        self._folder, self._message = "", ""
        self._handle = launch_run(config, Recording(strict=False))
        self._handle.worker.reported.connect(self._on_worker_reported)
        self._handle.worker.finished.connect(self._on_worker_finished)
        self._handle.thread.finished.connect(self._on_thread_finished)
        self._handle.start()
        return True

    def stop(self) -> None:
        """Ask the run to stop (the window closes); `ended` follows once its thread is done."""
        if self._handle is not None:
            self._handle.control.stop()

    def wait(self, timeout_ms: int) -> None:
        if self._handle is not None:
            self._handle.thread.wait(timeout_ms)

    @Slot(object)
    def _on_worker_reported(self, event: Any) -> None:
        if isinstance(event, e.RunStarted):
            self._folder = event.folder
        elif isinstance(event, e.EpochMetrics) and self._handle is not None:
            self.progress.emit(event.epoch, self._handle.config.epochs)
        elif isinstance(event, e.RunFailed):
            self._message = event.message

    @Slot(object)
    def _on_worker_finished(self, result: Any) -> None:
        checkpoint = getattr(result, "checkpoint", None)
        if checkpoint is None or getattr(result, "status", "") != "completed":
            self.failed.emit(self._message or getattr(result, "message", "") or "the training was stopped")
            return
        from playground.core.inference.predictor import Predictor
        from playground.core.store import MODEL_FILE

        path = Path(self._folder) / MODEL_FILE if self._folder else None
        if path is None or not path.is_file():  # the run store refused the run: the model is kept all the same
            path = _keep(checkpoint)
        self.trained.emit(str(path), Predictor.from_checkpoint(path, "your classes", ckpt=checkpoint))

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._handle is not None:
            self._handle.release()
            self._handle = None
        self.ended.emit()


def _keep(checkpoint: Any) -> Path:
    """An unrecorded run's model, in the per-user folder (a small file: written here, in milliseconds)."""
    from playground.core.checkpoint import save_checkpoint
    from playground.core.data.paths import app_data_dir

    path = app_data_dir() / "models" / "my-classes.pt"
    save_checkpoint(path, checkpoint)
    return path
