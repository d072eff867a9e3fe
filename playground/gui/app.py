"""`playground` with no arguments: the desktop app.

Only PySide6 is imported before the window is shown; pyqtgraph (about a second) and torch (a few seconds)
load after, the latter in the background, so the window is on screen at once. SIGINT and SIGTERM close the
window (stop_signals), and closing never waits for torch to finish loading.
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtWidgets import QApplication

from playground.gui import display_check
from playground.gui.settings.settings_store import APPLICATION, ORGANIZATION
from playground.gui.stop_signals import StopSignals

BACKGROUND_WAIT_MS = 500  # how long an exit waits for the torch warm-up or the bundled model to finish loading


def main() -> int:
    if QApplication.instance() is None and (problem := display_check.problem()) is not None:
        print(f"playground: error: {problem}", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("playground")
    from playground.gui.gui_gc import GuiThreadCollector
    from playground.gui.main_window import MainWindow

    window = MainWindow(lazy=True)
    window.show()
    collector = GuiThreadCollector(parent=app)  # never collect Qt objects from the training thread
    stop_signals = StopSignals(window, app)  # SIGINT and SIGTERM close the window
    code = app.exec()
    stop_signals.restore()
    collector.stop()
    code = stop_signals.exit_status or code
    if not window.wait_for_background(BACKGROUND_WAIT_MS):
        _leave_now(code)
    return code


def _leave_now(code: int) -> None:
    """The window has closed while a thread still loads torch or the bundled model: an import takes seconds
    and cannot be cut short. Nothing of the user's is in it (a run has ended, the settings are saved), and
    Python's own exit would destroy that QThread while it runs, which aborts the process: leave without it."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
