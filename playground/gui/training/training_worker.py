"""The training worker: a QObject moved to a QThread that calls Trainer.fit and turns its callbacks into signals.

It touches no widget. Signals carry the trainer's immutable events (numbers and strings; weight snapshots are
copies no one else holds), throttled here at the source to at most ~30 per second; epoch ends always pass.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from playground.core.errors import PlaygroundError
from playground.core.training.callbacks import Callback, CallbackList
from playground.core.training.events import (
    EpochMetrics,
    EvaluationEvent,
    KnobChange,
    LayerHealth,
    LoadProgress,
    RunFailed,
    RunFinished,
    RunNotice,
    RunStarted,
    SamplesEvent,
    StepEvent,
    WeightsSnapshot,
)
from playground.gui.training.gui_thread import hand_back_to_gui_thread
from playground.gui.training.run_recording import Recording, RecordingPlan, begin_recording
from playground.gui.training.thread_priority import lower_current_thread_priority
from playground.gui.training.throttle import ProgressLimiter, StepMerger

if TYPE_CHECKING:
    from playground.core.config import TrainConfig
    from playground.core.training.control import RunControl

log = logging.getLogger(__name__)
IMPORT_POLL_S = 0.05
_TRAINING_MODULES = ("torch", "playground.core.training.trainer")  # what the warm-up imports, in this order


class TrainingWorker(QObject):
    """One run. Connect its signals to @Slot methods of objects in the GUI thread, then start `run` in a thread."""

    load_progress = Signal(object)  # LoadProgress: downloading or decoding the dataset
    run_started = Signal(object)  # RunStarted
    step = Signal(object)  # StepEvent, with every loss since the previous one
    epoch_end = Signal(object)  # EpochMetrics
    weights = Signal(object)  # WeightsSnapshot, when RunControl.request_weights() asked for one
    samples = Signal(object)  # SamplesEvent: a generative model's drawings at an epoch's end
    notice = Signal(object)  # RunNotice: a warning while the run goes on
    evaluated = Signal(object)  # EvaluationEvent: a classifier's answer for every test sample, at an epoch's end
    layer_health = Signal(object)  # LayerHealth: gradient and weight norms per layer, twice a second
    knob = Signal(object)  # KnobChange: a live knob moved, applied from the next step
    run_finished = Signal(object)  # RunFinished: completed or stopped
    failed = Signal(object)  # RunFailed: message names the problem and the fix
    finished = Signal(object)  # RunResult (None if the worker itself broke); always the last signal

    def __init__(self, config: TrainConfig, control: RunControl, resume_from: object = None,
                 recording: RecordingPlan | None = None):
        """resume_from: a Checkpoint to go on from (+1 epoch), or None; recording: how to record the run in the
        run store (None: not at all)."""
        super().__init__()
        self._config = config
        self._control = control
        self._resume_from = resume_from
        self._plan = recording

    def stepping_slowly(self) -> bool:
        return self._control.paused or self._control.step_delay_s > 0

    @Slot()
    def run(self) -> None:
        result, recording = None, Recording(resume_from=self._resume_from)
        try:
            lower_current_thread_priority()  # before torch starts its threads from this one
            if not _wait_for_imports_elsewhere(self._control):  # stopped before torch had loaded
                self.run_finished.emit(RunFinished(self._control.stop_reason, 0, 0.0))
                return
            from playground.core.training.trainer import Trainer  # torch: only ever in the worker thread

            if self._plan is not None:
                recording = begin_recording(self._plan, self._config, self._control, self._resume_from, self._warn)
            # the store's writer first: when the window hears of an epoch, the store holds it
            callback = CallbackList([*recording.callbacks, _SignalCallback(self)])
            result = Trainer().fit(self._config, callback, self._control, checkpoint_path=recording.checkpoint_path,
                                   resume_from=recording.resume_from, run_id=recording.run_id)
        except PlaygroundError as e:  # a stored run that cannot be resumed: its record says why
            self.failed.emit(RunFailed(str(e), "checkpoint"))
        except Exception as e:  # a bug, not a user error: report it rather than leave the thread hanging
            log.exception("training worker failed")
            self.failed.emit(RunFailed(f"internal error: {type(e).__name__}: {e}. This is a bug in playground; "
                                       "please report it with the details", "internal",
                                       details=traceback.format_exc()))
        finally:
            recording.close()
            hand_back_to_gui_thread(self)  # deleted there (deleteLater on finished), never in this thread
            self.finished.emit(result)

    def _warn(self, message: str) -> None:
        """A problem with recording the run, which goes on: the window shows it in the status bar."""
        self.notice.emit(RunNotice(message, 0, "store"))


def _wait_for_imports_elsewhere(control: RunControl) -> bool:
    """Train pressed while the warm-up thread still imports torch: wait here, where a stop (a closing window)
    ends the wait, instead of inside the import lock, where it cannot (seconds). False when stopped."""
    while any(_being_imported(name) for name in _TRAINING_MODULES):
        if control.stop_requested:
            return False
        time.sleep(IMPORT_POLL_S)
    return True


def _being_imported(name: str) -> bool:
    """Some thread is executing this module's import (importlib marks its spec while it does)."""
    spec = getattr(sys.modules.get(name), "__spec__", None)
    return bool(getattr(spec, "_initializing", False))


class _SignalCallback(Callback):
    """Trainer hooks -> worker signals, merging step events so the GUI is never flooded."""

    def __init__(self, worker: TrainingWorker):
        self._worker = worker
        self._steps = StepMerger()
        self._progress = ProgressLimiter()

    def on_load_progress(self, event: LoadProgress) -> None:
        if self._progress.allow(event):
            self._worker.load_progress.emit(event)

    def on_start(self, event: RunStarted) -> None:
        self._worker.run_started.emit(event)

    def on_step(self, event: StepEvent) -> None:
        if (ready := self._steps.add(event)) is not None:
            self._worker.step.emit(ready)
        elif self._worker.stepping_slowly():  # one batch or slow motion: each step shows at once
            self._flush_steps()

    def on_epoch_end(self, event: EpochMetrics) -> None:
        self._flush_steps()
        self._worker.epoch_end.emit(event)

    def on_weights(self, event: WeightsSnapshot) -> None:
        self._worker.weights.emit(event)

    def on_samples(self, event: SamplesEvent) -> None:
        self._worker.samples.emit(event)

    def on_evaluation(self, event: EvaluationEvent) -> None:
        self._worker.evaluated.emit(event)

    def on_layer_health(self, event: LayerHealth) -> None:
        self._worker.layer_health.emit(event)

    def on_knob(self, event: KnobChange) -> None:
        self._flush_steps()  # the marker goes after the steps trained with the old value
        self._worker.knob.emit(event)

    def on_notice(self, event: RunNotice) -> None:
        self._flush_steps()
        self._worker.notice.emit(event)

    def on_finished(self, event: RunFinished) -> None:
        self._flush_steps()
        self._worker.run_finished.emit(event)

    def on_failed(self, event: RunFailed) -> None:
        self._flush_steps()
        self._worker.failed.emit(event)

    def _flush_steps(self) -> None:
        if (pending := self._steps.flush()) is not None:
            self._worker.step.emit(pending)
