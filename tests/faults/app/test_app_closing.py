"""Closing the window in any phase ends the app within 2 s: while torch loads, while a dataset downloads,
while training, while the Evaluation view evaluates. (The exports, PNG and CSV, are written in the GUI thread
in milliseconds: a close cannot arrive during one.)"""

from __future__ import annotations

import time

import pytest
from appkit import CLOSE_S, app_process, wait_for_line

CLOSE_WHILE_TORCH_LOADS = """
import sys, tempfile, time
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
app = QApplication(sys.argv)

def close_while_loading():
    w = next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")
    if not w.startup.busy:  # the warm-up thread has not begun yet
        QTimer.singleShot(20, close_while_loading)
        return
    QTimer.singleShot(int(sys.argv[1]), lambda: (print("CLOSE", w.startup.busy, time.time(), flush=True), w.close()))

QTimer.singleShot(0, close_while_loading)
from playground.gui.app import main
sys.exit(main())
"""


@pytest.mark.parametrize("into_warmup_ms", [300])  # inside `import torch` (seconds on a busy machine)
def test_closing_while_torch_loads_exits_within_2_s(into_warmup_ms):
    app = app_process(CLOSE_WHILE_TORCH_LOADS, str(into_warmup_ms))
    _, busy, closed_at = wait_for_line(app, "CLOSE").split()
    _, err = app.communicate(timeout=60)
    took = time.time() - float(closed_at)
    assert busy == "True", "torch had loaded already: nothing was tested"
    assert app.returncode == 0, err
    assert "QThread" not in err and "Traceback" not in err, err
    assert took <= CLOSE_S, f"the app took {took:.2f} s to exit"
