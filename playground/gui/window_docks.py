"""The window's docks, built from their declarations (dock_declarations.DOCKS): Settings and Model summary on the
left, the views into the model tabbed on the right, the runs below.

Each dock has an object name (saveState/restoreState find docks by name) and starts with a placeholder until
its view is built after the first paint (build_views).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTabBar, QTabWidget, QWidget

from playground.gui.dock_declarations import BOTTOM, DOCKS, LEFT, RIGHT, DockDecl
from playground.gui.session import SessionModel

_AREAS = {LEFT: Qt.DockWidgetArea.LeftDockWidgetArea, RIGHT: Qt.DockWidgetArea.RightDockWidgetArea,
          BOTTOM: Qt.DockWidgetArea.BottomDockWidgetArea}
RIGHT_MIN_WIDTH = 430  # the views' tabs keep their names ("Draw", "Evaluation") when the plots take room


class WindowDocks:
    def __init__(self, window: QMainWindow, own: dict[str, QWidget]):
        """own: the widgets of the docks the window builds itself (settings, summary), by name."""
        self._window = window
        self.docks: dict[str, QDockWidget] = {}
        self.views: dict[str, QWidget] = {}  # the views built by their factories, by dock name
        window.setTabPosition(Qt.DockWidgetArea.RightDockWidgetArea, QTabWidget.TabPosition.North)
        first_right = None
        for decl in DOCKS:
            widget = own.get(decl.name) or _placeholder(f"Loading the {decl.title.lower()} panel…")
            dock = self._make(decl, widget)
            window.addDockWidget(_AREAS[decl.area], dock)
            if decl.area == RIGHT:
                dock.setMinimumWidth(RIGHT_MIN_WIDTH)
                if first_right is None:
                    first_right = dock
                else:
                    window.tabifyDockWidget(first_right, dock)
        first_right.raise_()
        # the settings keep their height; the runs table spans the plots and the views, which have height to spare
        window.setCorner(Qt.Corner.BottomLeftCorner, _AREAS[LEFT])
        window.resize(_initial_size())
        window.resizeDocks([self.docks["settings"], self.docks["summary"]], [600, 240], Qt.Orientation.Vertical)
        window.resizeDocks([self.docks["runs"]], [230], Qt.Orientation.Vertical)

    def _make(self, decl: DockDecl, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(decl.title)
        dock.setObjectName(f"{decl.name}Dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        action = dock.toggleViewAction()
        if decl.shortcut:
            action.setShortcut(QKeySequence(decl.shortcut))
        action.setStatusTip(f"Show or hide the {decl.title} panel")
        self.docks[decl.name] = dock
        return dock

    def build_views(self, session: SessionModel) -> dict[str, QWidget]:
        """Build every declared view (once) and put it in its dock."""
        for decl in DOCKS:
            if decl.factory is not None and decl.name not in self.views:
                self.views[decl.name] = decl.factory(session)
                self.put(decl.name, self.views[decl.name])
        return self.views

    def put(self, name: str, widget: QWidget) -> None:
        self.docks[name].setWidget(widget)

    def bring_forward(self, name: str) -> None:
        if name in self.docks:
            self.docks[name].show()
            self.docks[name].raise_()
            self.keep_tab_names()

    def keep_tab_names(self) -> None:
        """Tabs keep their whole names ("Evaluation", not "Evaluati…"): scroll buttons appear where they do not
        fit. Qt makes the docks' tab bars as docks are tabbed: the window runs this when shown and whenever a
        dock is brought forward."""
        for bar in self._window.findChildren(QTabBar):
            if bar.elideMode() != Qt.TextElideMode.ElideNone:
                bar.setElideMode(Qt.TextElideMode.ElideNone)
                bar.setUsesScrollButtons(True)

    def give_the_plots_room(self) -> None:
        self._window.resizeDocks([self.docks["settings"], self.docks["draw"]], [310, 440], Qt.Orientation.Horizontal)

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
