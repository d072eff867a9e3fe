"""SessionModel: what the window shows, apart from how it shows it (after ndv's models).

It holds the current (or last) run and the model opened from a file, and announces every change with a
psygnal signal. Only the GUI thread changes it: the run controller feeds it the worker's events, and every view
that subscribes gets them, the weight snapshots included (the views that want snapshots say so, and the
controller asks the run for them as often as the most eager of them wants).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from psygnal import Signal, SignalInstance

from playground.core.config import TrainConfig
from playground.core.models.spec import CLASSIFICATION
from playground.core.training import events as e


class Phase(StrEnum):
    IDLE = "idle"
    LOADING = "loading"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"


class RunRecord:
    """One run as the window knows it: its settings and the events that have arrived, by type: the latest of
    each, and every one of the types that keep a history (Event.kept: epochs, notices, knob changes)."""

    def __init__(self, config: TrainConfig, continues: RunRecord | None = None, history: tuple[Any, ...] = ()):
        self.config = config
        self.continues = continues  # the RunRecord this one goes on from (+1 epoch), whose curves it extends
        self.history = tuple(history)  # EpochMetrics of the epochs it goes on from (a continued run)
        self.result: Any = None  # RunResult, when it finished or stopped (it holds the final checkpoint)
        self._latest: dict[type, Any] = {}
        self._kept: dict[type, list[Any]] = {}

    def add(self, event: e.Event) -> None:
        self._latest[type(event)] = event
        if event.kept:
            self._kept.setdefault(type(event), []).append(event)

    def latest(self, kind: type) -> Any:
        """The last event of this type, or None."""
        return self._latest.get(kind)

    def all(self, kind: type) -> list[Any]:
        """Every event of a type that keeps a history, in order."""
        return self._kept.setdefault(kind, [])

    started = property(lambda self: self.latest(e.RunStarted))
    last_step = property(lambda self: self.latest(e.StepEvent))
    finished = property(lambda self: self.latest(e.RunFinished))
    failure = property(lambda self: self.latest(e.RunFailed))
    evaluation = property(lambda self: self.latest(e.EvaluationEvent))
    epochs = property(lambda self: self.all(e.EpochMetrics))
    notices = property(lambda self: self.all(e.RunNotice))
    knob_changes = property(lambda self: self.all(e.KnobChange))

    @property
    def run_id(self) -> str:
        return self.started.run_id if self.started is not None else ""

    @property
    def checkpoint(self) -> Any:
        return self.result.checkpoint if self.result is not None else None


@dataclass(frozen=True)
class StoredRun:
    """A run of the run store (or a run folder) that the window shows without training it: opened, followed
    live while another process trains it, or overlaid on the plots in `colour`."""

    name: str
    folder: str
    kind: str = CLASSIFICATION  # the name of its kind (playground.core.kinds)
    epochs_planned: int = 0
    epochs: tuple[Any, ...] = ()  # EpochMetrics
    run_id: str = ""
    colour: tuple[int, int, int] = (0, 0, 0)


@dataclass(frozen=True)
class ChosenInput:
    """One input for the inside views: `tensor` is 1 x C x H x W, normalised as the model was trained (a torch
    tensor), `pixels` the H x W uint8 picture of it, `source` where it came from ("your drawing", "test image 42")."""

    tensor: Any
    pixels: Any
    source: str
    label: int | None = None  # its true class, where known


class SessionModel:
    """The run's events arrive through `record` and go to whoever subscribed to their type: `on(StepEvent)` is
    the signal of every step event, `on(RunStarted)` of the start, and so on for any event type."""

    phase_changed = Signal(str)
    run_starting = Signal(object)  # TrainConfig: a run was launched; views forget the last one
    run_ended = Signal()  # its thread has ended: idle again
    input_chosen = Signal(object)  # ChosenInput: what the inside view looks at (a drawn digit, a test image)
    model_opened = Signal(object)  # (path, ModelInfo): a model the user opened, for drawing and the inside views
    stored_run_shown = Signal(object)  # StoredRun: its epochs become the plots' current curves (opened, followed)
    followed_epoch = Signal(object)  # EpochMetrics: the followed run finished another epoch
    following_changed = Signal(object)  # the StoredRun now followed, or None when following ended
    overlays_changed = Signal(object)  # tuple[StoredRun, ...]: runs drawn over the plots, each in its colour

    def __init__(self) -> None:
        self.phase = Phase.IDLE
        self.run: RunRecord | None = None
        self.last_completed: RunRecord | None = None  # the last run that left a model (finished or stopped)
        self.latest_snapshot: Any = None
        self.opened: tuple[str, Any] | None = None
        self.chosen_input: ChosenInput | None = None
        self._snapshot_wants: dict[str, int] = {}
        self.following: StoredRun | None = None  # a run another process trains, whose folder the window reads
        self.overlays: tuple[StoredRun, ...] = ()
        self._event_signals: dict[type, SignalInstance] = {}

    # -- the run, as the controller reports it ---------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.phase != Phase.IDLE

    def set_phase(self, phase: Phase) -> None:
        if phase != self.phase:
            self.phase = phase
            self.phase_changed.emit(str(phase))

    def begin_run(self, config: TrainConfig, continues: RunRecord | None = None, history: tuple = ()) -> None:
        self.run = RunRecord(config, continues=continues, history=tuple(history))
        self.latest_snapshot = None
        self.set_phase(Phase.LOADING)
        self.run_starting.emit(config)

    def on(self, kind: type) -> SignalInstance:
        """The signal of the run's events of this type (a playground.core.training.events class)."""
        if kind not in self._event_signals:
            self._event_signals[kind] = SignalInstance((object,), name=kind.__name__)
        return self._event_signals[kind]

    def record(self, event: e.Event) -> None:
        """A worker event, in the order it came: kept in the run's record, then told to its type's subscribers."""
        if self.run is not None:
            self.run.add(event)
        if isinstance(event, e.WeightsSnapshot):
            self.latest_snapshot = event
        if (signal := self._event_signals.get(type(event))) is not None:
            signal.emit(event)

    def record_result(self, result: Any) -> None:
        """The worker's RunResult: a finished or stopped run's model becomes the one to save."""
        if self.run is not None and result is not None and getattr(result, "checkpoint", None) is not None:
            self.run.result = result
            self.last_completed = self.run

    def end_run(self) -> None:
        self.set_phase(Phase.IDLE)
        self.run_ended.emit()

    # -- models opened from files ----------------------------------------------------------------------------
    def open_model(self, path: str, info: Any) -> None:
        self.opened = (path, info)
        self.model_opened.emit(self.opened)

    # -- runs of the run store: shown, followed, overlaid ------------------------------------------------------
    def show_stored_run(self, run: StoredRun) -> None:
        """Its curves replace the plots' current ones (the window's own run is over, or another is followed)."""
        self.stored_run_shown.emit(run)

    def follow(self, run: StoredRun | None) -> None:
        """Start following `run` (its epochs so far become the current curves), or stop following (None)."""
        self.following = run
        if run is not None:
            self.show_stored_run(run)
        self.following_changed.emit(run)

    def add_followed_epoch(self, epoch: Any) -> None:
        if self.following is not None:
            self.following = replace(self.following, epochs=(*self.following.epochs, epoch))
            self.followed_epoch.emit(epoch)

    def set_overlays(self, runs: tuple[StoredRun, ...]) -> None:
        self.overlays = tuple(runs)
        self.overlays_changed.emit(self.overlays)

    # -- the input the inside views look at -------------------------------------------------------------------
    def choose_input(self, chosen: ChosenInput) -> None:
        self.chosen_input = chosen
        self.input_chosen.emit(chosen)

    # -- who wants the training model's weights, and how often ----------------------------------------------
    def want_snapshots(self, consumer: str, every_ms: int | None) -> None:
        """`consumer` wants a snapshot every `every_ms` while a run goes (None: no longer)."""
        if every_ms is None:
            self._snapshot_wants.pop(consumer, None)
        else:
            self._snapshot_wants[consumer] = every_ms

    @property
    def snapshot_interval_ms(self) -> int | None:
        """How often the run should be asked for weights: as often as the most eager consumer wants."""
        return min(self._snapshot_wants.values()) if self._snapshot_wants else None
