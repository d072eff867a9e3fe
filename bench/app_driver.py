"""Driving the real app window from a measuring script: start it as the app does, wait for torch, press Train,
and hand every step the window receives to the script (used by gui_responsiveness.py and app_throughput.py)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Slot
from PySide6.QtWidgets import QApplication

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def settle(app: QApplication, until: Callable[[], object], timeout_s: float) -> bool:
    """Process events until `until()` holds or timeout_s pass, then a few more turns (for screenshots, which
    need a painted window; measuring scripts wait in the event loop instead)."""
    deadline = time.monotonic() + timeout_s
    while not until() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(20):
        app.processEvents()
    return bool(until())


def make_app() -> QApplication:
    """A QApplication with settings in a temporary folder (the user's own are untouched) and the app's
    garbage-collection policy; MNIST from ../shared/data unless PLAYGROUND_DATA_DIR says otherwise."""
    if not os.environ.get("PLAYGROUND_DATA_DIR") and SHARED_DATA.is_dir():
        os.environ["PLAYGROUND_DATA_DIR"] = str(SHARED_DATA)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication(sys.argv[:1])
    from playground.gui.gui_gc import GuiThreadCollector

    app.collector = GuiThreadCollector(parent=app)
    return app


class TrainingDriver(QObject):
    """Shows a MainWindow, presses Train with `config` once torch is ready, and calls on_step(event) in the
    GUI thread for each step signal, after the window's own slot has handled it."""

    def __init__(self, config, on_step: Callable[[object], None]):
        super().__init__()
        from playground.gui.main_window import MainWindow

        self.window = MainWindow()
        self.window.settings_panel.set_config(config)
        self.window.show()
        self._on_step_callback = on_step

    def start(self) -> None:
        QTimer.singleShot(0, self._press_train_when_ready)

    @Slot()
    def _press_train_when_ready(self) -> None:
        if not self.window.is_ready:
            QTimer.singleShot(100, self._press_train_when_ready)
            return
        problems = self.window.settings_panel.problems()
        if problems:
            raise SystemExit(f"these settings cannot run: {problems}")
        self.window.controls.train.click()
        self.window.run_controller.handle.worker.reported.connect(self._on_worker_step)
        self.window.run_controller.handle.worker.failed.connect(self._on_worker_failed)

    @Slot(object)
    def _on_worker_step(self, event: object) -> None:
        from playground.core.training.events import StepEvent

        if isinstance(event, StepEvent):
            self._on_step_callback(event)

    @Slot(object)
    def _on_worker_failed(self, event: object) -> None:
        print(f"the run failed: {event.message}", file=sys.stderr)
        self.failed = True

    failed = False

    def stop(self) -> None:
        self.window.run_controller.stop()
