"""The hooks through which a run reports; subclass and override what you need."""

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
