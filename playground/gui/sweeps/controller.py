"""Sweeps in the app: Run › Sweep… opens the dialog over the form's settings, Start hands the sweep to the
SweepRunner (worker processes), and each reading goes to the Sweep view and, for the best trials' curves, to the
plots (the session's overlays). "Use the best settings" puts the best trial's settings into the form.

Testable without a window: handed the settings panel (config, set_config), the session (set_overlays), the
status bar, the messages, and `view()`, which builds the Sweep view if need be and brings it forward."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from playground.gui.sweeps.runner import SweepRunner


class SweepController(QObject):
    def __init__(self, settings: Any, session: Any, status: Any, messages: Any, view: Callable[[], Any],
                 dialog_parent: QWidget | None = None, storage_url: str | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._settings, self._session, self._status, self._messages = settings, session, status, messages
        self._view_of, self._dialog_parent = view, dialog_parent
        self._connected: Any = None  # the view whose signals reach this controller
        self.dialog: Any = None  # the dialog open now (kept: Python owns it)
        self.menu: Any = None  # Run › Sweep… and Stop sweep (wiring.SweepMenu), kept with the controller
        self.overlaid: tuple[Any, ...] = ()  # the best trials' runs this controller put on the plots
        self.runner = SweepRunner(storage_url, parent=self)
        self.runner.started.connect(self._on_runner_started)
        self.runner.updated.connect(self._on_runner_updated)
        self.runner.ended.connect(self._on_runner_ended)
        self.runner.failed.connect(self._on_runner_failed)

    @property
    def active(self) -> bool:
        return self.runner.active

    # -- commands -----------------------------------------------------------------------------------------------
    @Slot()
    def open_dialog(self) -> None:
        """Run › Sweep…: the dialog over the form's settings (window-modal, not blocking the event loop)."""
        if self.active:
            self._status.showMessage("A sweep is running: stop it first (Run › Stop sweep)", 6000)
            return
        from playground.gui.sweeps.dialog import SweepDialog

        self.dialog = SweepDialog(self._settings.config(), self._dialog_parent)
        self.dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog.open()

    def start(self, spec: Any) -> None:
        """Start this (resolved) sweep in worker processes; the Sweep view follows it."""
        if self.active:
            return
        view = self._view()
        view.show_starting(spec)
        self.runner.start(spec)
        self._status.showMessage(f"Starting sweep {spec.name}: {spec.trials} trials, {spec.workers} worker(s)…",
                                 8000)

    @Slot()
    def stop(self) -> None:
        if self.runner.workers:
            self.runner.stop()
            self._status.showMessage(f"Stopping sweep {self.runner.name}…", 8000)

    @Slot()
    def use_best(self) -> bool:
        """The best trial's settings into the form (over the form's others); False before a trial has ended."""
        from playground.core.sweeps import apply_params

        params = self._view().best_params()
        if params is None:
            return False
        self._settings.set_config(apply_params(self._settings.config(), params))
        shown = ", ".join(f"{k} = {_short(v)}" for k, v in params.items())
        self._status.showMessage(f"The best trial's settings are in the form: {shown}", 10000)
        return True

    def shutdown(self) -> None:
        self.runner.shutdown()

    # -- the dialog, the runner, the view ---------------------------------------------------------------------
    @Slot()
    def _on_dialog_accepted(self) -> None:
        spec = self.dialog.spec() if self.dialog is not None else None
        if spec is not None:
            self.start(spec)

    @Slot(str)
    def _on_runner_started(self, name: str) -> None:
        self._status.showMessage(f"Sweep {name}: its workers run; the Sweep view fills as trials end", 8000)

    @Slot(object, bool)
    def _on_runner_updated(self, state: Any, running: bool) -> None:
        view = self._view(forward=False)
        view.show_state(state, running)
        if view.overlay.isChecked():
            self._overlay(state.best_runs)

    @Slot(str)
    def _on_runner_ended(self, message: str) -> None:
        self._view(forward=False).show_stopped(message)
        self._status.showMessage(message, 10000)

    @Slot(str)
    def _on_runner_failed(self, message: str) -> None:
        self._view(forward=False).show_stopped(f"The sweep did not start: {message}")
        self._messages.error("Cannot start the sweep", message)

    @Slot()
    def _on_view_use_best_requested(self) -> None:
        self.use_best()

    @Slot()
    def _on_view_stop_requested(self) -> None:
        self.stop()

    @Slot(bool)
    def _on_view_overlay_toggled(self, on: bool) -> None:
        state = self._view(forward=False).state
        self._overlay(state.best_runs if on and state is not None else ())

    def _overlay(self, runs: tuple[Any, ...]) -> None:
        """The best trials over the plots, in place of the ones put there before (the user's own overlays stay)."""
        if runs == self.overlaid:
            return
        mine = {r.run_id for r in self.overlaid}
        others = tuple(r for r in self._session.overlays if r.run_id not in mine)
        self.overlaid = tuple(runs)
        self._session.set_overlays(others + self.overlaid)

    def _view(self, forward: bool = True) -> Any:
        view = self._view_of(forward)
        if view is not self._connected:
            self._connected = view
            view.use_best_requested.connect(self._on_view_use_best_requested)
            view.stop_requested.connect(self._on_view_stop_requested)
            view.overlay_toggled.connect(self._on_view_overlay_toggled)
        return view


def _short(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)
