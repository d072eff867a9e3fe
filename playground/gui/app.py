"""`playground` with no arguments: the desktop app.

Only PySide6 is imported before the window is shown; pyqtgraph (about a second) and torch (a few seconds)
load after, the latter in the background, so the window is on screen at once.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from playground.gui import display_check
from playground.gui.settings_store import APPLICATION, ORGANIZATION


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
    code = app.exec()
    collector.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
