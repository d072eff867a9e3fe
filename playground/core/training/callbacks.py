"""The hooks through which a run reports; subclass and override what you need.

Under torchrun only rank 0 reports: the Trainer passes its callback through `for_rank` once, so every callback
attached to a run, now or later (files, the run store, TensorBoard, the terminal), runs on rank 0 alone, as
Lightning's `rank_zero_only` does. A callback that must run on every rank (one that steers the run rather than
writing about it) sets `all_ranks = True`.
"""

from __future__ import annotations

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


class Callback:
    all_ranks = False  # True: runs on every rank of a distributed run, not on rank 0 alone

    def on_load_progress(self, event: LoadProgress) -> None: ...
    def on_start(self, event: RunStarted) -> None: ...
    def on_step(self, event: StepEvent) -> None: ...
    def on_epoch_end(self, event: EpochMetrics) -> None: ...
    def on_weights(self, event: WeightsSnapshot) -> None: ...
    def on_notice(self, event: RunNotice) -> None: ...
    def on_samples(self, event: SamplesEvent) -> None: ...
    def on_evaluation(self, event: EvaluationEvent) -> None: ...
    def on_layer_health(self, event: LayerHealth) -> None: ...
    def on_knob(self, event: KnobChange) -> None: ...
    def on_finished(self, event: RunFinished) -> None: ...
    def on_failed(self, event: RunFailed) -> None: ...


class CallbackList(Callback):
    """Forwards every hook to each callback in turn."""

    def __init__(self, callbacks: list[Callback]):
        self.callbacks = list(callbacks)

    def _each(self, hook: str, event: object) -> None:
        for callback in self.callbacks:
            getattr(callback, hook)(event)

    def on_load_progress(self, event: LoadProgress) -> None: self._each("on_load_progress", event)
    def on_start(self, event: RunStarted) -> None: self._each("on_start", event)
    def on_step(self, event: StepEvent) -> None: self._each("on_step", event)
    def on_epoch_end(self, event: EpochMetrics) -> None: self._each("on_epoch_end", event)
    def on_weights(self, event: WeightsSnapshot) -> None: self._each("on_weights", event)
    def on_notice(self, event: RunNotice) -> None: self._each("on_notice", event)
    def on_samples(self, event: SamplesEvent) -> None: self._each("on_samples", event)
    def on_evaluation(self, event: EvaluationEvent) -> None: self._each("on_evaluation", event)
    def on_layer_health(self, event: LayerHealth) -> None: self._each("on_layer_health", event)
    def on_knob(self, event: KnobChange) -> None: self._each("on_knob", event)
    def on_finished(self, event: RunFinished) -> None: self._each("on_finished", event)
    def on_failed(self, event: RunFailed) -> None: self._each("on_failed", event)


def for_rank(callback: Callback, rank: int) -> Callback:
    """The part of `callback` that runs on `rank`: all of it on rank 0, else only what is marked all_ranks."""
    if rank == 0 or callback.all_ranks:
        return callback
    if isinstance(callback, CallbackList):
        kept = [c for c in (for_rank(c, rank) for c in callback.callbacks) if type(c) is not Callback]
        return CallbackList(kept)
    return Callback()
