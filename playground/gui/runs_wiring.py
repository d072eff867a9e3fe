"""The window's run-store parts, built and wired in one place: the Runs dock, the follow bar above the plots,
and their menu entries (File › Export model as, File › Follow run folder…, Run › TensorBoard).

Everything here is cheap to build; the store itself is opened by start(), after the first paint (importing the
store and opening SQLite would otherwise delay the window).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from playground.gui.controllers.exports import ExportController
from playground.gui.controllers.follow_controller import FollowController
from playground.gui.controllers.runs_controller import RunsController
from playground.gui.controllers.tensorboard_setting import TensorBoardSetting
from playground.gui.runs.follow_bar import FollowBar
from playground.gui.runs.panel import RunsPanel
from playground.gui.runs.source import RunsSource

if TYPE_CHECKING:
    from playground.gui.main_window import MainWindow


@dataclass
class RunsParts:
    panel: RunsPanel
    controller: RunsController
    follow: FollowController
    exports: ExportController
    tensorboard: TensorBoardSetting
    started: bool = False

    def start(self) -> None:
        if not self.started:
            self.started = True
            self.controller.start()

    def shutdown(self) -> None:
        self.follow.shutdown()
        self.controller.shutdown()
        self.exports.shutdown()


class _Window:
    """The window's doings that the run-store parts call back (plain callables, never connected to signals)."""

    def __init__(self, window: MainWindow):
        self.window = window
        self._followed_once = False

    def show_plots(self) -> None:
        self.window.build_slow_parts()
        self.window.plot_area.show_plots()

    def follow_model(self, path: str) -> None:
        """The followed run's latest checkpoint for drawing and the inside views; the Draw panel comes forward
        for the first one only (the user may be watching another view)."""
        window = self.window
        if not self._followed_once:
            self._followed_once = True
            window.load_checkpoint(path)
            return
        window.build_slow_parts()
        window.session.open_model(path, window.drawing.load_checkpoint(path))


def build_runs(window: MainWindow) -> RunsParts:
    w, calls = window, _Window(window)
    panel = RunsPanel()
    w.docks.put("runs", panel)
    bar = FollowBar()
    w.centralWidget().layout().insertWidget(1, bar)  # between the run controls and the plots
    source = RunsSource(w, on_screen=w.isVisible)
    follow = FollowController(w.session, bar, w.status, w.messages, calls.follow_model, source.record, w)
    controller = RunsController(w.session, panel, source, w.settings_panel, w.run_controller, follow,
                                w.load_checkpoint, calls.show_plots, w.status, w.messages, w, w)
    exports = ExportController(w.session, panel.selected, w.status, w.messages, w, w)
    tensorboard = TensorBoardSetting(w.run_controller, w.status, w.messages, w, parent=w)
    _add_menus(w, controller, exports, tensorboard)
    return RunsParts(panel, controller, follow, exports, tensorboard)


def _add_menus(window: MainWindow, controller: RunsController, exports: ExportController,
               tensorboard: TensorBoardSetting) -> None:
    file_menu, quit_action = window.actions.file_menu, window.actions.quit
    follow = QAction("&Follow run folder…", window)
    follow.setStatusTip("Watch a run that another process or machine trains in a folder: its curves fill live")
    follow.triggered.connect(controller._on_follow_folder_triggered)
    file_menu.insertMenu(quit_action, exports.build_menu(window))
    file_menu.insertAction(quit_action, follow)
    file_menu.insertSeparator(quit_action)
    window.actions.run_menu.addAction(tensorboard.action)
