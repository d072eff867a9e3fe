"""The training worker: a QObject moved to a QThread that runs a recorded run (core.recorded.recorded_fit) and
hands every event of it to one signal, `reported`.

It touches no widget. The signal carries the trainer's immutable events (numbers and strings; weight snapshots
are copies no one else holds), step events merged here at the source to at most ~30 per second; the others
pass as they come. The window's session dispatches them by type (SessionModel.record).
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from playground.core.errors import PlaygroundError
from playground.core.training.callbacks import Callback
from playground.core.training.events import Event, LoadProgress, RunFailed, RunFinished, RunNotice, StepEvent
from playground.gui.training.gui_thread import hand_back_to_gui_thread
from playground.gui.training.thread_priority import lower_current_thread_priority
from playground.gui.training.throttle import ProgressLimiter, StepMerger

if TYPE_CHECKING:
    from playground.core.config import TrainConfig
    from playground.core.recorded import Recording
    from playground.core.training.control import RunControl

log = logging.getLogger(__name__)
IMPORT_POLL_S = 0.05
_TRAINING_MODULES = ("torch", "playground.core.training.trainer")  # what the warm-up imports, in this order


class TrainingWorker(QObject):
    """One run. Connect its signals to @Slot methods of objects in the GUI thread, then start `run` in a thread."""

    # every event of the run (core.training.events), in order, steps merged; not named "event": that is the
    # QObject.event virtual Qt calls for every event it delivers (a deleteLater's among them)
    reported = Signal(object)
    failed = Signal(object)  # RunFailed, also sent through `reported`: the message names the problem and the fix
    finished = Signal(object)  # RunResult (None if the worker itself broke); always the last signal

    def __init__(self, config: TrainConfig, control: RunControl, recording: Recording | None = None):
        """recording: how the run store records the run (None: not at all), and what it goes on from."""
        super().__init__()
        self._config = config
        self._control = control
        self._recording = recording

    def stepping_slowly(self) -> bool:
        return self._control.paused or self._control.step_delay_s > 0

    @Slot()
    def run(self) -> None:
        result = None
        try:
            lower_current_thread_priority()  # before torch starts its threads from this one
            if not _wait_for_imports_elsewhere(self._control):  # stopped before torch had loaded
                self.reported.emit(RunFinished(self._control.stop_reason, 0, 0.0))
                return
            result = self._fit()
        except PlaygroundError as e:  # a stored run that cannot be resumed: its record says why
            self._fail(RunFailed(str(e), "checkpoint"))
        except Exception as e:  # a bug, not a user error: report it rather than leave the thread hanging
            log.exception("training worker failed")
            self._fail(RunFailed(f"internal error: {type(e).__name__}: {e}. This is a bug in playground; "
                                 "please report it with the details", "internal", details=traceback.format_exc()))
        finally:
            hand_back_to_gui_thread(self)  # deleted there (deleteLater on finished), never in this thread
            self.finished.emit(result)

    def _fit(self) -> object:
        from playground.core.recorded import recorded_fit  # torch: only ever in the worker thread
        from playground.core.training.trainer import Trainer

        forward = _SignalCallback(self)
        if self._recording is None:
            return Trainer().fit(self._config, forward, self._control)
        return recorded_fit(self._config, [forward], self._control, self._recording, self._warn).result

    def _fail(self, event: RunFailed) -> None:
        self.reported.emit(event)
        self.failed.emit(event)

    def _warn(self, message: str) -> None:
        """A problem with recording the run, which goes on: the window shows it in the status bar."""
        self.reported.emit(RunNotice(message, 0, "store"))


def _wait_for_imports_elsewhere(control: RunControl) -> bool:
    """Train pressed while the warm-up thread still imports torch or the trainer: wait here, where
    a stop (a closing window) ends the wait, instead of inside the import lock, where it cannot (seconds). False
    when stopped."""
    from playground.gui.training.warmup import warming_up

    while warming_up() or any(_being_imported(name) for name in _TRAINING_MODULES):
        if control.stop_requested:
            return False
        time.sleep(IMPORT_POLL_S)
    return True


def _being_imported(name: str) -> bool:
    """Some thread is executing this module's import (importlib marks its spec while it does)."""
    spec = getattr(sys.modules.get(name), "__spec__", None)
    return bool(getattr(spec, "_initializing", False))


class _SignalCallback(Callback):
    """Every event of the run -> the worker's signal, step events merged so the GUI is never flooded."""

    def __init__(self, worker: TrainingWorker):
        self._worker = worker
        self._steps = StepMerger()
        self._progress = ProgressLimiter()

    def on_event(self, event: Event) -> None:
        if isinstance(event, StepEvent):
            if (ready := self._steps.add(event)) is not None:
                self._worker.reported.emit(ready)
            elif self._worker.stepping_slowly():  # one batch or slow motion: each step shows at once
                self._flush_steps()
            return
        if isinstance(event, LoadProgress):
            if self._progress.allow(event):
                self._worker.reported.emit(event)
            return
        self._flush_steps()  # the steps before it come first (a knob's marker after the steps of the old value)
        self._worker.reported.emit(event)
        if isinstance(event, RunFailed):
            self._worker.failed.emit(event)

    def _flush_steps(self) -> None:
        if (pending := self._steps.flush()) is not None:
            self._worker.reported.emit(pending)
