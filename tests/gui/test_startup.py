"""Startup: nothing heavy before the window is shown, and the app exits cleanly (also mid warm-up)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

NO_HEAVY_IMPORTS = """
import sys
import playground.gui.app, playground.gui.main_window
from playground.gui import MainWindow
heavy = [m for m in ("torch", "pyqtgraph", "torchvision") if m in sys.modules]
assert not heavy, f"imported before the window is shown: {heavy}"
"""

QUIT_WHEN_READY = """
import sys, tempfile
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
app = QApplication(sys.argv)
def close_soon():
    window = next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")
    QTimer.singleShot(int(sys.argv[1]), window.close)
QTimer.singleShot(0, close_soon)
from playground.gui.app import main
sys.exit(main())
"""

CLOSE_DURING_A_RUN = """
import sys, tempfile
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
app = QApplication(sys.argv)
def window():
    return next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")
def train_when_ready():
    w = window()
    if not w.is_ready:
        QTimer.singleShot(100, train_when_ready)
        return
    from playground.core.config import TrainConfig
    w.settings_panel.set_config(TrainConfig(arch="mlp", dataset="spiral", epochs=1000))
    w.controls.train.click()
    QTimer.singleShot(1000, w.close)
QTimer.singleShot(0, train_when_ready)
from playground.gui.app import main
sys.exit(main())
"""


TRAIN_BEFORE_TORCH = """
import sys, tempfile
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
app = QApplication(sys.argv)
seen = []
def train_at_once():
    w = next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")
    from playground.core.config import TrainConfig
    w.settings_panel.set_config(TrainConfig(arch="mlp", dataset="spiral", epochs=2))
    seen.append(("torch loaded at the click", "torch" in sys.modules and w.is_ready))
    w.training_finished.connect(app.quit)
    w.controls.train.click()
    seen.append(("plots at the click", w.plot_area.plots is not None))
QTimer.singleShot(0, train_at_once)
from playground.gui.app import main
code = main()
w = next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")
print(seen, w.session.last_completed is not None and w.session.last_completed.finished.reason)
sys.exit(code)
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_importing_the_window_loads_neither_torch_nor_pyqtgraph():
    result = _run(NO_HEAVY_IMPORTS)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("close_after_ms", [50, 1500])  # before the plots exist; while torch loads
def test_the_app_closes_cleanly_while_torch_is_still_loading(close_after_ms):
    result = _run(QUIT_WHEN_READY, str(close_after_ms))
    assert result.returncode == 0, result.stderr
    assert "QThread" not in result.stderr, result.stderr


def test_closing_the_app_during_a_run_stops_it_and_exits_cleanly():
    result = _run(CLOSE_DURING_A_RUN)
    assert result.returncode == 0, result.stderr
    assert "QThread" not in result.stderr, result.stderr


def test_a_train_click_before_torch_has_loaded_runs_once_it_has():
    result = _run(TRAIN_BEFORE_TORCH)
    assert result.returncode == 0, result.stderr
    assert "('torch loaded at the click', False)" in result.stdout, result.stdout  # the click came first
    assert "('plots at the click', True)" in result.stdout, result.stdout  # built then, not after torch
    assert result.stdout.strip().endswith("completed"), result.stdout + result.stderr
