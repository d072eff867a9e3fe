"""One run as the window shows it: starts the worker, receives its signals in the GUI thread, and keeps
controls, plots and status bar in step with the run's state (loading, running, paused, stopping, idle)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.core.training.events import EpochMetrics, LoadProgress, RunFailed, RunFinished, RunStarted, StepEvent
from playground.gui import formatting
from playground.gui.dialogs import OfflineDatasetDialog, show_message
from playground.gui.run_launcher import RunHandle, launch_run

if TYPE_CHECKING:
    from playground.core.config import TrainConfig
    from playground.gui.main_window import MainWindow


class RunPresenter(QObject):
    ended = Signal()  # the run's thread has finished; the window is idle again
    dataset_suggested = Signal(str)  # the user picked a no-download dataset after a failed download

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self._w = window
        self.handle: RunHandle | None = None
        self.last_result = None  # RunResult of the last run that finished or stopped (it holds the checkpoint)
        self.last_failure: RunFailed | None = None

    @property
    def active(self) -> bool:
        return self.handle is not None

    @property
    def last_checkpoint(self):
        return self.last_result.checkpoint if self.last_result is not None else None

    def start(self, config: TrainConfig) -> None:
        w = self._w
        self.last_failure = None
        w.plot_area.show_plots().start_run(0, config.epochs, DATASET_CATALOGUE[config.dataset].task)
        w.controls.set_state("loading")
        w.controls.show_loading(f"Loading {config.dataset}", 0, 0)
        w.status.clear_run()
        w.status.showMessage(f"Training {config.arch} on {config.dataset}…")
        w.drawing.set_training(True)
        self.handle = launch_run(config, self, w.drawing)  # built by now: see MainWindow.build_slow_parts

    def stop(self) -> None:
        if self.handle is not None and not self.handle.stopping:
            self.handle.stopping = True
            self.handle.control.stop()
            self._w.controls.set_state("stopping")
            self._w.status.showMessage("Stopping after this step…")

    def toggle_pause(self) -> None:
        h = self.handle
        if h is None or h.stopping:
            return
        h.paused = not h.paused
        (h.control.pause if h.paused else h.control.resume)()
        self._w.controls.set_state("paused" if h.paused else "running")
        self._w.status.showMessage("Paused: press Resume to carry on" if h.paused else "Training…")

    def request_weights(self) -> None:
        if self.handle is not None:
            self.handle.control.request_weights()  # thread-safe; the trainer answers at the next batch

    def refuse(self, problems: list[tuple[str, str]]) -> None:
        """Settings that cannot run: say why, start nothing."""
        text = "\n\n".join(m for _, m in problems)
        show_message(self._w, "These settings cannot be trained", f"Training did not start:\n\n{text}")
        self._w.status.showMessage("Fix the settings marked in red, then press Train", 8000)

    # -- the worker's signals (queued into the GUI thread) --------------------------------------------------

    @Slot(object)
    def _on_worker_load_progress(self, event: LoadProgress) -> None:
        self._w.controls.show_loading(event.message, event.done, event.total)

    @Slot(object)
    def _on_worker_run_started(self, event: RunStarted) -> None:
        w, epochs = self._w, self.handle.config.epochs
        w.plot_area.show_plots().start_run(event.total_steps, epochs, event.task, event.loss_names)
        w.status.show_device(event.device)
        w.controls.set_state("paused" if self.handle.paused else "running")
        w.controls.show_progress(event.start_epoch * event.steps_per_epoch, event.total_steps, float("nan"))
        w.status.showMessage(f"Training {self.handle.config.arch} on {formatting.count(event.train_size)} "
                             f"samples, {formatting.count(event.num_params)} parameters")

    @Slot(object)
    def _on_worker_step(self, event: StepEvent) -> None:
        w = self._w
        w.plot_area.show_plots().add_steps(event)
        w.status.show_step(event, self.handle.config.epochs)
        w.controls.show_progress(event.step, event.total_steps, event.remaining_s)

    @Slot(object)
    def _on_worker_epoch_end(self, m: EpochMetrics) -> None:
        self._w.plot_area.show_plots().add_epoch(m)
        accuracy = f"test accuracy {formatting.percent(m.test_accuracy)}, " if m.test_accuracy is not None else ""
        self._w.status.showMessage(f"Epoch {m.epoch}: {accuracy}test loss {m.test_loss:.4g}")

    @Slot(object)
    def _on_worker_run_finished(self, event: RunFinished) -> None:
        last = event.metrics[-1] if event.metrics else None
        score = f", test accuracy {formatting.percent(last.test_accuracy)}" if last and last.test_accuracy else ""
        verb = "Finished" if event.reason == "completed" else "Stopped; kept"
        text = f"{verb} {event.epochs_done} epoch(s) in {formatting.duration(event.seconds)}{score}"
        self._w.status.showMessage(text + ". Ctrl+S saves the model.")

    @Slot(object)
    def _on_worker_failed(self, event: RunFailed) -> None:
        self.last_failure = event
        config = self.handle.config
        self._w.status.showMessage(f"Training failed: {event.message}", 15000)
        if event.kind == "dataset" and DATASET_CATALOGUE[config.dataset].needs_download:
            dialog = OfflineDatasetDialog(config.dataset, event.message, self._w)
            dialog.dataset_chosen.connect(self.dataset_suggested)
            dialog.open()
        else:
            show_message(self._w, "Training failed", event.message, event.details)

    @Slot(object)
    def _on_worker_finished(self, result: object) -> None:
        if result is not None and getattr(result, "checkpoint", None) is not None:
            self.last_result = result
        self._w.plot_area.show_plots().refresh(force=True)

    @Slot()
    def _on_thread_finished(self) -> None:
        self.handle.release()
        self.handle = None
        self._w.controls.set_state("idle")
        self._w.status.clear_run()
        self._w.drawing.set_training(False)
        self.ended.emit()
