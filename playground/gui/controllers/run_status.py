"""What the status bar and the progress bar say about the run, from the session's events: loading, the start,
each step's figures, epochs, knob changes, warnings and the end. It decides nothing about the run itself."""

from __future__ import annotations

from typing import Any

from playground.core.training import events as e
from playground.gui import formatting
from playground.gui.session import SessionModel


class RunStatus:
    def __init__(self, session: SessionModel, controls: Any, status: Any):
        """controls: RunControls; status: RunStatusBar (or fakes with their methods)."""
        self.session, self._controls, self._status = session, controls, status
        for kind, handler in ((e.LoadProgress, self._on_load_progress), (e.RunStarted, self._on_run_started),
                              (e.StepEvent, self._on_step), (e.EpochMetrics, self._on_epoch),
                              (e.KnobChange, self._on_knob), (e.RunNotice, self._on_notice),
                              (e.RunFinished, self._on_finished), (e.RunFailed, self._on_failed)):
            session.on(kind).connect(handler)

    def _on_load_progress(self, event: e.LoadProgress) -> None:
        self._controls.show_loading(event.message, event.done, event.total)

    def _on_run_started(self, event: e.RunStarted) -> None:
        self._status.show_device(event.device)
        self._status.set_unit(event.unit)
        self._controls.show_progress(event.start_epoch * event.steps_per_epoch, event.total_steps, float("nan"))
        self._status.showMessage(f"Training {event.config['arch']} on {formatting.count(event.train_size)} "
                                 f"{event.unit}, {formatting.count(event.num_params)} parameters")

    def _on_step(self, event: e.StepEvent) -> None:
        self._status.show_step(event, self.session.run.config.epochs if self.session.run else 0)
        self._controls.show_progress(event.step, event.total_steps, event.remaining_s)

    def _on_epoch(self, m: e.EpochMetrics) -> None:
        self._status.showMessage(f"Epoch {m.epoch}: {formatting.epoch_summary(m)}")

    def _on_knob(self, event: e.KnobChange) -> None:
        where = f" of the {event.network}" if event.network else ""
        self._status.showMessage(f"Step {formatting.count(event.step)}: {event.name}{where} "
                                 f"{event.old:g} → {event.new:g}", 8000)

    def _on_notice(self, event: e.RunNotice) -> None:
        self._status.show_notice(event)  # stays until the next run
        where = "Run store" if event.kind == "store" else f"Warning at step {formatting.count(event.step)}"
        self._status.showMessage(f"{where}: {event.message}", 20000)

    def _on_finished(self, event: e.RunFinished) -> None:
        if event.reason != "completed" and not event.steps_done and not event.metrics:  # stopped while loading
            self._status.showMessage("Stopped before training began: nothing was trained")
            return
        last = event.metrics[-1] if event.metrics else None
        score = f", {formatting.epoch_summary(last)}" if last is not None else ""
        verb = "Finished" if event.reason == "completed" else "Stopped; kept"
        text = f"{verb} {event.epochs_done} epoch(s) in {formatting.duration(event.seconds)}{score}"
        self._status.showMessage(text + ". Ctrl+S saves the model.")

    def _on_failed(self, event: e.RunFailed) -> None:
        self._status.showMessage(f"Training failed: {event.message}", 15000)
