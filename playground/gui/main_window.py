"""The main window: settings and the model summary on the left, Train / Pause / Stop and the live plots in the
middle, the drawing panel on the right, a status bar below (each side panel is a dock: View shows it again).

The window builds the views, a Qt-free SessionModel (the run, its events, its snapshots) and the controllers,
each handed the views it drives: RunController (one run at a time, a TrainingWorker on its own QThread, see
run_launcher), Startup (the slow parts and torch after the first paint), FileController (File and Help menus).
Views subscribe to the session. torch is imported only after the window is shown (see Startup).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow, QScrollArea, QVBoxLayout, QWidget

from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.core.kinds import kind_for
from playground.core.training import events
from playground.gui.controllers.files import FileController
from playground.gui.controllers.run_controller import RunController
from playground.gui.controllers.startup import Startup
from playground.gui.controls import RunControls
from playground.gui.dialogs import WindowMessages
from playground.gui.layers.wiring import LayerEditorWiring
from playground.gui.menus import build_menus
from playground.gui.plots.area import PlotArea
from playground.gui.runs_wiring import build_runs
from playground.gui.session import SessionModel
from playground.gui.settings import settings_store
from playground.gui.settings.live_knobs import LiveKnobs
from playground.gui.settings.model_summary import ModelSummaryView
from playground.gui.settings.settings_panel import SettingsPanel
from playground.gui.status import RunStatusBar
from playground.gui.sweeps.wiring import build_sweeps
from playground.gui.training.data_prefetch import DataPrefetch
from playground.gui.views.background import view_threads_ended
from playground.gui.window_docks import WindowDocks

if TYPE_CHECKING:
    from playground.gui.drawing.panel import DrawingPanel


class MainWindow(QMainWindow):
    """`lazy=True` (the app) builds the plots (pyqtgraph takes a second to import) and the drawing panel (it
    starts loading a model) once the window is on screen; the default builds everything now, as tests expect."""

    training_finished = Signal()  # once per run, when it has ended for any reason and the window is idle
    torch_ready = Signal()  # torch has loaded in the background: devices listed, model summary shown

    def __init__(self, parent: QWidget | None = None, *, lazy: bool = False):
        super().__init__(parent)
        self.setWindowTitle("playground · learn deep learning with PyTorch")
        self.session = SessionModel()
        self.settings_panel = SettingsPanel()
        self.summary = ModelSummaryView()
        self.drawing: DrawingPanel | None = None  # built with the plots, see build_slow_parts
        self.views: list[QWidget] = []  # the other views into the model, also built there
        self.controls = RunControls()
        self.plot_area = PlotArea()
        self.status = RunStatusBar()
        self.setStatusBar(self.status)
        self.docks = self._build_layout()
        self.layer_editor = LayerEditorWiring(self.settings_panel, self.docks, self)  # custom networks' layers
        self.messages = WindowMessages(self)
        self.files = FileController(self.session, self.settings_panel, self._plots, self.status, self.messages, self,
                                    self.load_checkpoint, self)
        self.actions = build_menus(self, self.docks.all())
        self.run_controller = RunController(self.session, self.controls, self.status, self.messages, parent=self)
        self.runs = build_runs(self)  # the Runs dock, following runs, exports (the store opens after the paint)
        self.sweeps = build_sweeps(self)  # Run › Sweep…: trials in worker processes, shown in the Sweep dock
        self.knobs = LiveKnobs(self.settings_panel, self)
        self.startup = Startup(self.build_slow_parts, self._closing, self.settings_panel, self.summary, self.status,
                               self)
        self.prefetch = DataPrefetch(self.settings_panel, self.startup, self.session, self)  # before a Train click
        self.close_requested = False
        self._shown = False
        self._layout_restored = False
        self._connect()
        self._restore_settings()
        self._set_running(False)
        if not lazy:
            self.build_slow_parts()
        self._on_settings_changed()

    # -- layout -------------------------------------------------------------------------------------------------

    def _build_layout(self) -> WindowDocks:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.controls)
        layout.addWidget(self.plot_area, 1)
        self.setCentralWidget(central)
        scroll = QScrollArea()
        scroll.setWidget(self.settings_panel)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)
        return WindowDocks(self, {"settings": scroll, "summary": self.summary})

    def _connect(self) -> None:
        self.controls.train.clicked.connect(self._on_train_triggered)
        self.controls.pause.clicked.connect(self._on_pause_triggered)
        self.controls.stop.clicked.connect(self._on_stop_triggered)
        self.controls.step.clicked.connect(self._on_step_triggered)
        self.controls.more.clicked.connect(self._on_more_triggered)
        self.controls.delay.valueChanged.connect(self._on_delay_changed)
        self.knobs.changed.connect(self._on_knobs_changed)
        self.settings_panel.changed.connect(self._on_settings_changed)
        self.startup.ready.connect(self.torch_ready)
        self.run_controller.launched.connect(self._on_run_controller_launched)
        self.run_controller.ended.connect(self._on_run_controller_ended)
        self.run_controller.dataset_suggested.connect(self._on_run_controller_dataset_suggested)
        self.session.run_starting.connect(self.plot_area.on_run_starting)
        self.session.overlays_changed.connect(self.plot_area.on_overlays_changed)

    # -- startup: the window first, then torch, the plots and the drawing panel (see Startup) ---------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.docks.keep_tab_names()
        if not self._shown:
            self._shown = True
            self.startup.on_shown()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.startup.on_painted()

    def build_slow_parts(self) -> None:
        """The plots and the views of every dock (once; the app calls this after the first paint)."""
        if self.drawing is not None:
            return
        if not self._layout_restored:  # the plots get the room the docks do not need
            self.docks.give_the_plots_room()
        self.plot_area.build_plots().attach(self.session)
        views = self.docks.build_views(self.session)
        self.drawing = views["draw"]
        self.views = [view for name, view in views.items() if name != "draw"]
        self.session.on(events.RunStarted).connect(self._on_session_run_started)
        self.session.on(events.RunStarted).connect(self.plot_area.on_run_started)
        self.runs.start()
        self._on_settings_changed()

    def _on_session_run_started(self, event) -> None:
        self.docks.bring_forward(event.spec.kind.front_view(event.spec))  # what this kind of model shows best

    def _plots(self):
        return self.plot_area.plots

    def _closing(self) -> bool:
        """Closing or closed: a warm-up not begun yet never begins."""
        return self.close_requested or not self.isVisible()

    @property
    def is_ready(self) -> bool:
        """torch has loaded (a run can start before: it then waits for torch in its own thread)."""
        return self.startup.is_ready

    # -- settings -------------------------------------------------------------------------------------------

    @Slot()
    def _on_settings_changed(self) -> None:
        panel = self.settings_panel
        config = panel.config()
        dataset = DATASET_CATALOGUE[config.dataset]
        shape = kind_for(config.arch, config.dataset).planned_input(config)
        self.summary.request(config.arch, config.arch_options, shape, dataset.num_outputs, dataset.inputs,
                             config.layers)
        if self.drawing is not None:
            self.drawing.set_dataset(config.dataset, panel.input_shape())
        if (data_view := self.docks.views.get("data")) is not None:
            data_view.show_dataset(config)  # a look at the data before any run

    @Slot(str)
    def _on_run_controller_dataset_suggested(self, name: str) -> None:
        """The offline dialog chose a generated dataset."""
        self.status.showMessage(self.settings_panel.switch_dataset(name) + ": press Train", 8000)

    def _restore_settings(self) -> None:
        settings = settings_store.open_settings()
        config = settings_store.load_config(settings)
        if config is not None:
            self.settings_panel.set_config(config)
        geometry, state = settings_store.load_layout(settings)
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self._layout_restored = self.restoreState(state)

    def save_settings(self) -> None:
        settings = settings_store.open_settings()
        settings_store.save_config(settings, self.settings_panel.config())
        settings_store.save_layout(settings, self.saveGeometry(), self.saveState())
        settings.sync()

    # -- runs -----------------------------------------------------------------------------------------------

    @Slot()
    def _on_train_triggered(self) -> None:
        if self.run_controller.active:
            return
        problems = self.settings_panel.problems()
        if problems:
            self.run_controller.refuse(problems)
            return
        self.save_settings()
        self.build_slow_parts()  # the run reports to the plots and the drawing panel
        self._set_running(True)
        self.run_controller.start(self.settings_panel.config())

    @Slot()
    def _on_pause_triggered(self) -> None:
        self.run_controller.toggle_pause()

    @Slot()
    def _on_stop_triggered(self) -> None:
        self.run_controller.stop()

    @Slot()
    def _on_step_triggered(self) -> None:
        self.run_controller.step_once()

    @Slot()
    def _on_more_triggered(self) -> None:
        if self.run_controller.active:
            self.run_controller.finish_epoch()
        elif self.run_controller.continue_run():
            self._set_running(True)

    @Slot(int)
    def _on_delay_changed(self, ms: int) -> None:
        self.run_controller.set_step_delay(ms / 1000)

    @Slot(str, float, str)
    def _on_knobs_changed(self, name: str, value: float, network: str) -> None:
        self.run_controller.set_knob(name, value, network)

    def _set_running(self, running: bool) -> None:
        self.knobs.set_running(running)
        self.actions.train.setEnabled(not running)
        self.actions.pause.setEnabled(running)
        self.actions.stop.setEnabled(running)
        self.actions.step.setEnabled(running)

    @Slot()
    def _on_run_controller_launched(self) -> None:
        self._set_running(True)

    @Slot()
    def _on_run_controller_ended(self) -> None:
        self._set_running(False)
        self.training_finished.emit()
        self._close_if_requested()

    # -- models -----------------------------------------------------------------------------------------------

    def load_checkpoint(self, path: str) -> None:
        """Draw against the model in this checkpoint; raises CheckpointError (with a message) if it cannot."""
        self.build_slow_parts()
        info = self.drawing.load_checkpoint(path)
        self.session.open_model(path, info)
        where = info.spec.kind.front_view(info.spec, opened=True)
        self.docks.bring_forward(where)
        shown = f": see the {self.docks.docks[where].windowTitle()} panel" if where in self.docks.docks else ""
        self.status.showMessage(f"Loaded {path}{shown}", 8000)

    def save_model(self, path: str) -> None:
        """Save the last finished or stopped run's model; raises OSError or CheckpointError if it cannot."""
        self.files.save_model(path)

    @Slot()
    def _on_quit_triggered(self) -> None:
        self.close()

    # -- closing ----------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """A run still going: stop it (as interrupted), and close once its thread has ended. The torch warm-up
        is not waited for: it holds nothing of the user's, and app.main sees to its thread."""
        if self.run_controller.active:
            self.close_requested = True
            self.run_controller.stop("interrupted")
            self.status.showMessage("Stopping the run before closing…")
            event.ignore()
            return
        self.startup.cancel()
        self.save_settings()
        self.runs.shutdown()
        self.sweeps.shutdown()  # its workers stop (their trials run again on resume)
        self.settings_panel.shutdown()  # a table's preview may still be read
        self.layer_editor.shutdown()
        self.prefetch.shutdown()
        for view in self.views:
            view.shutdown()
        if self.drawing is not None:
            self.drawing.shutdown()  # adapting to handwriting stops
        super().closeEvent(event)

    def wait_for_background(self, timeout_ms: int) -> bool:
        """After closing: True once the torch warm-up and the bundled model's loading have ended, waiting up to
        timeout_ms in all."""
        deadline = time.monotonic() + timeout_ms / 1000
        if not self.startup.wait(timeout_ms) or not view_threads_ended():
            return False
        return self.drawing is None or self.drawing.loading_ended(max(0.0, deadline - time.monotonic()))

    def _close_if_requested(self) -> None:
        if self.close_requested and not self.run_controller.active and self.isVisible():
            QTimer.singleShot(0, self.close)
