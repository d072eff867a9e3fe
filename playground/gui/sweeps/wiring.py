"""The window's sweep parts, built and wired in one place: Run › Sweep… and Run › Stop sweep, and the
SweepController over the settings form, the session and the Sweep dock (declared in dock_declarations).
Cheap to build: the dialog and the view import the core's sweeps (optuna, torch) only when used."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from playground.gui.sweeps.controller import SweepController

if TYPE_CHECKING:
    from playground.gui.main_window import MainWindow


class SweepMenu(QObject):
    """Run › Sweep… and Run › Stop sweep, enabled as the sweep starts and ends."""

    def __init__(self, window: MainWindow, controller: SweepController):
        super().__init__(window)
        self.controller = controller
        self.sweep = QAction("S&weep…", window)
        self.sweep.setStatusTip("Try many settings at once: each trial a run, in worker processes")
        self.stop = QAction("Stop s&weep", window)
        self.stop.setStatusTip("Stop the sweep's workers (it can go on later: playground sweep NAME --resume)")
        self.stop.setEnabled(False)
        menu = window.actions.run_menu
        menu.addSeparator()
        menu.addActions([self.sweep, self.stop])
        self.sweep.triggered.connect(controller.open_dialog)
        self.stop.triggered.connect(controller.stop)
        controller.runner.started.connect(self._on_runner_started)
        controller.runner.ended.connect(self._on_runner_ended)

    @Slot(str)
    def _on_runner_started(self, _name: str) -> None:
        self.stop.setEnabled(True)

    @Slot(str)
    def _on_runner_ended(self, _message: str) -> None:
        self.stop.setEnabled(False)


def build_sweeps(window: MainWindow) -> SweepController:
    def view(forward: bool = True) -> Any:
        window.build_slow_parts()  # the Sweep view is built with the other views, after the first paint
        if forward:
            window.docks.bring_forward("sweep")
        return window.docks.views["sweep"]

    controller = SweepController(window.settings_panel, window.session, window.status, window.messages, view,
                                 window, parent=window)
    controller.menu = SweepMenu(window, controller)
    return controller
