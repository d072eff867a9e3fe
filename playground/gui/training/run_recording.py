"""Recording an app run in the run store, from the worker's thread: the same start_run and StoreWriter as the
CLI's, so a run from the app and one from `playground train` read back alike.

The worker opens its own RunStore (an SQLite connection belongs to the thread that made it) and closes it when
the run ends. The store is a record of the run, not a condition for it: when it cannot be opened or written,
the run trains on and the user is told why (one notice), except for a resume, which needs the run's record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playground.core.errors import PlaygroundError
from playground.core.training.callbacks import Callback

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordingPlan:
    """How the app records a run: in the store (the default location), continuing `resume_run` (an id) if
    given, with TensorBoard files under `tensorboard_dir` if given."""

    resume_run: str | None = None
    tensorboard_dir: Path | None = None


@dataclass
class Recording:
    """What Trainer.fit gets: the run's id, where its checkpoint goes, what it resumes from, the callbacks."""

    run_id: str = ""
    folder: Path | None = None
    checkpoint_path: Path | None = None
    resume_from: Any = None  # a path, or the Checkpoint the caller already holds
    callbacks: list[Callback] = field(default_factory=list)
    store: Any = None

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def begin_recording(plan: RecordingPlan, config: Any, control: Any, resume_from: Any,
                    warn: Callable[[str], None]) -> Recording:
    """Record the run as running (in this thread). A resume of a stored run that cannot start raises a
    PlaygroundError (its message names the fix); any other store problem is passed to `warn` and the run goes
    on unrecorded."""
    from playground.core.run_follow import StopFileWatch
    from playground.core.store import RunStore, start_run

    recording = Recording(resume_from=resume_from)
    try:
        recording.store = RunStore.open()
        run = start_run(recording.store, config, resume=plan.resume_run)
    except PlaygroundError as e:
        recording.close()
        if plan.resume_run is not None and resume_from is None:
            raise
        warn(f"this run is not recorded in the run store ({e}); it trains on, but will not be listed in Runs")
        return recording
    recording.run_id, recording.folder, recording.checkpoint_path = run.id, run.folder, run.checkpoint_path
    if resume_from is None:
        recording.resume_from = run.resume_from
    recording.callbacks = [Guarded(run.writer(), "the run store", warn), StopFileWatch(run.folder, control)]
    if plan.tensorboard_dir is not None:
        recording.callbacks.append(_tensorboard(plan.tensorboard_dir / run.record.name, warn))
    return recording


def _tensorboard(log_dir: Path, warn: Callable[[str], None]) -> Callback:
    try:
        from playground.core.tensorboard import TensorBoardWriter

        return Guarded(TensorBoardWriter(log_dir), "TensorBoard", warn)
    except PlaygroundError as e:
        warn(f"no TensorBoard files for this run: {e}")
        return Callback()


class Guarded(Callback):
    """A callback whose failure must not end the run: the first one is told through `warn` and the callback
    is dropped for the rest of the run (a store that failed once would fail at every epoch)."""

    def __init__(self, inner: Callback, what: str, warn: Callable[[str], None]):
        self.inner, self.what, self._warn = inner, what, warn
        self.failed = False

    def _call(self, hook: str, event: Any) -> None:
        if self.failed:
            return
        try:
            getattr(self.inner, hook)(event)
        except (PlaygroundError, OSError) as e:
            self.failed = True
            log.warning("%s failed: %s", self.what, e)
            self._warn(f"{self.what} stopped recording this run ({e}); training goes on")

    def on_start(self, event: Any) -> None: self._call("on_start", event)
    def on_step(self, event: Any) -> None: self._call("on_step", event)
    def on_epoch_end(self, event: Any) -> None: self._call("on_epoch_end", event)
    def on_samples(self, event: Any) -> None: self._call("on_samples", event)
    def on_finished(self, event: Any) -> None: self._call("on_finished", event)
    def on_failed(self, event: Any) -> None: self._call("on_failed", event)
