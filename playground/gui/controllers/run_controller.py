"""One run at a time: starts the worker, hears its one event signal in the GUI thread and feeds the session
model, and keeps the run controls in step (loading, running, paused, stopping, idle).

The plots, the other views and the status bar (RunStatus) subscribe to the session model; this controller knows
none of them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.core.training import events as e
from playground.gui.controllers.run_status import RunStatus
from playground.gui.session import Phase, SessionModel
from playground.gui.training.run_launcher import RunHandle, launch_run

if TYPE_CHECKING:
    from playground.core.config import TrainConfig

WEIGHTS_TICK_MS = 50  # how often the controller checks whether a view is due a weight snapshot


class RunController(QObject):
    launched = Signal()  # a run was started (Train, +1 epoch, or Continue in the Runs panel)
    ended = Signal()  # the run's thread has finished; the window is idle again
    dataset_suggested = Signal(str)  # the user picked a no-download dataset after a failed download

    def __init__(self, session: SessionModel, controls: Any, status: Any, messages: Any,
                 launcher: Callable[..., RunHandle] = launch_run, parent: QObject | None = None):
        """controls: RunControls; status: RunStatusBar; messages: WindowMessages (or fakes with their methods)."""
        super().__init__(parent)
        self.session, self._controls, self._status, self._messages = session, controls, status, messages
        self._launch = launcher
        self.handle: RunHandle | None = None
        self.step_delay_s = 0.0  # slow motion, kept from run to run
        self.tensorboard_dir: Path | None = None  # Run › TensorBoard: each run also writes event files there
        self._weights_asked_at = 0.0
        self._weights_timer = QTimer(self, interval=WEIGHTS_TICK_MS)
        self._weights_timer.timeout.connect(self._on_weights_timer_timeout)
        self.run_status = RunStatus(session, controls, status)
        session.on(e.RunStarted).connect(self._on_run_started)
        session.on(e.EpochMetrics).connect(self._on_epoch_ended)
        session.on(e.RunFailed).connect(self._on_run_failed)

    @property
    def active(self) -> bool:
        return self.handle is not None

    @property
    def last_checkpoint(self) -> Any:
        last = self.session.last_completed
        return last.checkpoint if last is not None else None

    # -- commands ---------------------------------------------------------------------------------------------
    def start(self, config: TrainConfig) -> None:
        if self.handle is not None:
            return  # one run at a time
        self.session.begin_run(config)
        self._launch_run(config, None, None, f"Training {config.arch} on {config.dataset}…")

    def continue_run(self) -> bool:
        """+1 epoch: the last finished run goes on for one more epoch, its optimizer and schedule as they were."""
        last = self.session.last_completed
        if self.handle is not None or last is None or last.checkpoint is None:
            return False
        checkpoint = last.checkpoint
        config = checkpoint.config.replace(epochs=checkpoint.epoch + 1)
        self.session.begin_run(config, continues=last, history=(*last.history, *last.epochs))
        self._launch_run(config, checkpoint, last.run_id or None, f"Epoch {checkpoint.epoch + 1} of the last run…")
        return True

    def resume_stored(self, run_id: str, config: TrainConfig, history: tuple = ()) -> bool:
        """Continue the stored run `run_id` from its last checkpoint up to config.epochs, with these settings
        (an explicit new learning rate among them); its epochs and step count go on."""
        if self.handle is not None:
            return False
        self.session.begin_run(config, history=history)
        self._launch_run(config, None, run_id, f"Continuing the run from epoch {len(history) + 1}…")
        return True

    def _launch_run(self, config: TrainConfig, resume_from: Any, resume_run: str | None, message: str) -> None:
        from playground.core.recorded import Recording

        self._controls.set_state("loading")
        self._controls.show_loading(f"Loading {config.dataset}", 0, 0)
        self._status.clear_run()
        self._status.clear_notices()
        self._status.showMessage(message)
        recording = Recording(resume=resume_run, resume_checkpoint=resume_from, tensorboard=self.tensorboard_dir,
                              strict=False)
        self.handle = self._launch(config, recording)
        self.handle.control.step_delay_s = self.step_delay_s
        self._connect(self.handle)
        self.handle.start()
        # the views' first weights one interval after the start: building a model from them in the GUI thread
        # (15 ms) would come between the first step and its point on the plot
        self._weights_asked_at = time.monotonic()
        self._weights_timer.start()
        self.launched.emit()

    def _connect(self, handle: RunHandle) -> None:
        handle.worker.reported.connect(self._on_worker_event)
        handle.worker.finished.connect(self._on_worker_finished)
        handle.thread.finished.connect(self._on_thread_finished)

    def stop(self, reason: str = "stopped") -> None:
        h = self.handle
        if h is not None and not h.stopping:
            h.stopping = True
            h.control.stop(reason)
            self.session.set_phase(Phase.STOPPING)
            self._controls.set_state("stopping")
            self._status.showMessage("Stopping after this step…")

    def toggle_pause(self) -> None:
        h = self.handle
        if h is None or h.stopping:
            return
        h.paused = not h.paused
        (h.control.pause if h.paused else h.control.resume)()
        self.session.set_phase(Phase.PAUSED if h.paused else Phase.RUNNING)
        self._controls.set_state("paused" if h.paused else "running")
        self._status.showMessage("Paused: press Resume to carry on" if h.paused else "Training…")

    def set_knob(self, name: str, value: float, network: str = "") -> None:
        """A live knob: the run applies it between two steps (RunControl is thread-safe)."""
        if self.handle is not None and not self.handle.stopping:
            self.handle.control.set_knob(name, value, network)

    def step_once(self) -> None:
        """Hold the run and train exactly one more batch."""
        h = self.handle
        if h is not None and not h.stopping:
            h.paused = True
            h.control.step_once()
            self.session.set_phase(Phase.PAUSED)
            self._controls.set_state("paused")
            self._status.showMessage("One step: press Step again, or Resume to carry on")

    def finish_epoch(self) -> None:
        """Train to the end of this epoch, then hold."""
        h = self.handle
        if h is not None and not h.stopping:
            h.paused, h.finishing_epoch = False, True
            h.control.finish_epoch()
            self.session.set_phase(Phase.RUNNING)
            self._controls.set_state("running")
            self._status.showMessage("Training to the end of this epoch, then holding…")

    def set_step_delay(self, seconds: float) -> None:
        self.step_delay_s = seconds
        if self.handle is not None:
            self.handle.control.step_delay_s = seconds

    def request_weights(self) -> None:
        if self.handle is not None:
            self.handle.control.request_weights()  # thread-safe; the trainer answers at the next batch

    def refuse(self, problems: list[tuple[str, str]]) -> None:
        """Settings that cannot run: say why, start nothing."""
        text = "\n\n".join(m for _, m in problems)
        self._messages.error("These settings cannot be trained", f"Training did not start:\n\n{text}")
        self._status.showMessage("Fix the settings marked in red, then press Train", 8000)

    @Slot()
    def _on_weights_timer_timeout(self) -> None:
        interval = self.session.snapshot_interval_ms
        now = time.monotonic()
        if interval is not None and now - self._weights_asked_at >= interval / 1000:
            self._weights_asked_at = now
            self.request_weights()

    # -- the worker's signals (queued into the GUI thread) --------------------------------------------------
    @Slot(object)
    def _on_worker_event(self, event: e.Event) -> None:
        self.session.record(event)

    # -- what this controller does with the session's events --------------------------------------------------
    def _on_run_started(self, event: e.RunStarted) -> None:
        if self.handle is None:
            return
        paused = self.handle.paused
        self.session.set_phase(Phase.PAUSED if paused else Phase.RUNNING)
        self._controls.set_state("paused" if paused else "running")

    def _on_epoch_ended(self, m: e.EpochMetrics) -> None:
        if self.handle is not None and self.handle.finishing_epoch:  # +1 epoch while training: hold here
            self.handle.finishing_epoch, self.handle.paused = False, True
            self.session.set_phase(Phase.PAUSED)
            self._controls.set_state("paused")

    def _on_run_failed(self, event: e.RunFailed) -> None:
        if self.handle is None:
            return
        config = self.handle.config
        if event.kind == "dataset" and DATASET_CATALOGUE[config.dataset].needs_download:
            dialog = self._messages.offline_dataset(config.dataset, event.message)
            dialog.dataset_chosen.connect(self._on_offline_dataset_chosen)
        else:
            self._messages.error("Training failed", event.message, event.details)

    @Slot(str)
    def _on_offline_dataset_chosen(self, name: str) -> None:
        self.dataset_suggested.emit(name)

    @Slot(object)
    def _on_worker_finished(self, result: object) -> None:
        self.session.record_result(result)

    @Slot()
    def _on_thread_finished(self) -> None:
        self._weights_timer.stop()
        self.handle.release()
        self.handle = None
        self._controls.set_state("idle", can_continue=self.last_checkpoint is not None)
        self._status.clear_run()
        self.session.end_run()
        self.ended.emit()
