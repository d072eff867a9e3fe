"""One recorded run, for the CLI, the app and every trial of a sweep: `recorded_fit` records the run in the run
store, attaches what writes it down (the store's writer and metrics.jsonl, the checkpoint, the samples of each
epoch, TensorBoard's files, the STOP file that stops it), and trains it with the caller's callbacks after those.

The CLI records strictly: a store that cannot record the run is an error. The app records leniently
(`strict=False`): the problem is told through `warn`, and the run trains on unrecorded, except a resume of a
stored run, which needs its record. Under torchrun it runs on rank 0; the other ranks train without recording.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playground.core.config import TrainConfig
from playground.core.errors import PlaygroundError
from playground.core.training.callbacks import Callback, CallbackList
from playground.core.training.control import RunControl
from playground.core.training.events import Event
from playground.core.training.ranks import SINGLE, Ranks

log = logging.getLogger(__name__)
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Recording:
    """How a run is recorded: where its folder goes (a new one in the runs folder by default), the run it goes
    on from (an id, a name, a folder or a model.pt; or a Checkpoint already in hand), its name in the store, a
    TensorBoard folder (the run writes into DIR/<run name>), and whether a store problem is an error."""

    out: str | Path | None = None
    resume: str | Path | None = None
    resume_checkpoint: Any = None  # a Checkpoint to go on from, read by the caller (the app's +1 epoch)
    name: str | None = None
    tensorboard: Path | None = None
    strict: bool = True
    sweep: tuple[str, int] | None = None  # a sweep's trial: (the sweep's name, the trial's number)


@dataclass
class RecordedResult:
    result: Any  # the Trainer's RunResult
    run: Any = None  # the store's RecordedRun (its id, folder and checkpoint path); None when unrecorded


def recorded_fit(config: TrainConfig, callbacks: list[Callback], control: RunControl, recording: Recording,
                 warn: Warn | None = None, ranks: Ranks = SINGLE,
                 started: Callable[[Any], None] | None = None) -> RecordedResult:
    """Record the run and train it; `started(run)` hears of the store's record before training begins (a caller
    that may be interrupted needs the run's folder)."""
    from playground.core.training.trainer import Trainer

    warn = warn or _log_warning
    store, run = _start(config, recording, warn)
    try:
        if run is not None and started is not None:
            started(run)
        writers = _writers(run, control, recording, warn) if run is not None else []
        # the store's writer first: when anyone hears of an epoch, the store holds it
        result = Trainer().fit(config, CallbackList([*writers, *callbacks]), control,
                               checkpoint_path=run.checkpoint_path if run is not None else None,
                               resume_from=_resume_from(recording, run), run_id=run.id if run is not None else "",
                               ranks=ranks)
    finally:
        if store is not None:
            store.close()
    return RecordedResult(result, run)


def _start(config: TrainConfig, recording: Recording, warn: Warn) -> tuple[Any, Any]:
    """(the open store, the run recorded in it), or (None, None) for a lenient recording the store refused."""
    from playground.core.store import RunStore, start_run

    store = None
    try:
        store = RunStore.open()
        return store, start_run(store, config, recording.out, recording.resume, recording.name, recording.sweep)
    except PlaygroundError as e:
        if store is not None:
            store.close()
        if recording.strict or (recording.resume is not None and recording.resume_checkpoint is None):
            raise
        warn(f"this run is not recorded in the run store ({e}); it trains on, but will not be listed in Runs")
        return None, None


def _resume_from(recording: Recording, run: Any) -> Any:
    if recording.resume_checkpoint is not None:
        return recording.resume_checkpoint
    if run is not None:
        return run.resume_from
    return recording.resume


def _writers(run: Any, control: RunControl, recording: Recording, warn: Warn) -> list[Callback]:
    from playground.core.run_follow import StopFileWatch
    from playground.core.store import SampleWriter

    writers: list[Callback] = [run.writer(), SampleWriter(run.folder)]
    if recording.tensorboard is not None:
        writers += _tensorboard(Path(recording.tensorboard) / run.record.name, recording.strict, warn)
    if not recording.strict:
        writers = [Guarded(w, what, warn) for w, what in zip(writers, ("the run store", "the samples",
                                                                        "TensorBoard"))]
    return [*writers, StopFileWatch(run.folder, control)]


def _tensorboard(log_dir: Path, strict: bool, warn: Warn) -> list[Callback]:
    try:
        from playground.core.tensorboard import TensorBoardWriter

        return [TensorBoardWriter(log_dir)]
    except PlaygroundError as e:
        if strict:
            raise
        warn(f"no TensorBoard files for this run: {e}")
        return []


class Guarded(Callback):
    """A callback whose failure must not end the run: the first one is told through `warn` and the callback
    is dropped for the rest of the run (a store that failed once would fail at every epoch)."""

    def __init__(self, inner: Callback, what: str, warn: Warn):
        self.inner, self.what, self._warn = inner, what, warn
        self.failed = False

    def on_event(self, event: Event) -> None:
        if self.failed:
            return
        try:
            self.inner.on_event(event)
        except (PlaygroundError, OSError) as e:
            self.failed = True
            log.warning("%s failed: %s", self.what, e)
            self._warn(f"{self.what} stopped recording this run ({e}); training goes on")


def _log_warning(message: str) -> None:
    log.warning("%s", message)
