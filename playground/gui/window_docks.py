"""The window's docks: Settings and Model summary on the left, the views into the model on the right, tabbed.

Each dock has an object name (saveState/restoreState find docks by name) and starts with a placeholder until
its view is built after the first paint.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

LEFT = (("settings", "Settings"), ("summary", "Model summary"))
# the runs of the run store, under the plots
BOTTOM = (("runs", "Runs"),)
# the views into the model, tabbed on the right in this order; the first is in front
RIGHT = (("draw", "Draw"), ("samples", "Samples"), ("evaluation", "Evaluation"), ("inside", "Inside"),
         ("boundary", "Boundary"), ("health", "Layer health"))


class WindowDocks:
    def __init__(self, window: QMainWindow, settings: QWidget, summary: QWidget):
        self._window = window
        self.docks: dict[str, QDockWidget] = {}
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        for (name, title), widget in zip(LEFT, (settings, summary)):
            window.addDockWidget(left, self._make(name, title, widget))  # the summary under the settings
        first = None
        for name, title in RIGHT:
            dock = self._make(name, title, _placeholder(f"Loading the {title.lower()} panel…"))
            window.addDockWidget(right, dock)
            if first is None:
                first = dock
            else:
                window.tabifyDockWidget(first, dock)
        first.raise_()
        window.setCorner(Qt.Corner.BottomLeftCorner, left)  # the settings keep their height; the runs table
        # spans the plots and the views on the right, which have height to spare
        for name, title in BOTTOM:
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea,
                                 self._make(name, title, _placeholder(f"Loading the {title.lower()} panel…")))
        window.resize(_initial_size())
        window.resizeDocks([self.docks["settings"], self.docks["summary"]], [600, 240], Qt.Orientation.Vertical)
        window.resizeDocks([self.docks["runs"]], [230], Qt.Orientation.Vertical)

    def _make(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title)
        dock.setObjectName(f"{name}Dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.docks[name] = dock
        return dock

    def put(self, name: str, widget: QWidget) -> None:
        self.docks[name].setWidget(widget)

    def bring_forward(self, name: str) -> None:
        self.docks[name].show()
        self.docks[name].raise_()

    def give_the_plots_room(self) -> None:
        self._window.resizeDocks([self.docks["settings"], self.docks["draw"]], [310, 400], Qt.Orientation.Horizontal)

    def all(self) -> list[QDockWidget]:
        return list(self.docks.values())


def _placeholder(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def _initial_size() -> QSize:
    """Most of the screen, up to 1680 x 1050: the plots get the width the docks leave."""
    screen = QGuiApplication.primaryScreen()
    room = screen.availableSize() if screen is not None else QSize(1400, 900)
    return QSize(min(1680, int(room.width() * 0.95)), min(1050, int(room.height() * 0.95)))
