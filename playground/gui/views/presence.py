"""Is a view on screen? Shown, and in front of its dock's tab group.

A dock behind another tab keeps its widget "visible" (isVisible() stays True, only its region is empty), so
a view that computes only while seen must also follow its dock's visibilityChanged. A view shown or hidden
is reported once the window has settled (a zero timer): at startup every tabbed dock is shown, and all but
the front one are put behind at once; a tab switch is reported at once.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QDockWidget, QWidget


class Presence(QObject):
    changed = Signal()  # on_screen may have changed

    def __init__(self, view: QWidget):
        super().__init__(view)
        self._view = view
        self._dock: QDockWidget | None = None
        self._in_front = True  # outside a dock, or until the dock says otherwise
        self._settle = QTimer(self, singleShot=True, interval=0)
        self._settle.timeout.connect(self.changed)
        view.installEventFilter(self)

    @property
    def on_screen(self) -> bool:
        return self._view.isVisible() and self._in_front

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Show, QEvent.Type.Hide):
            self._settle.start()
        elif kind == QEvent.Type.ParentChange:
            self._follow(self._view.parentWidget())
        return False

    def _follow(self, parent: QWidget | None) -> None:
        if self._dock is not None:
            self._dock.visibilityChanged.disconnect(self._on_dock_visibility_changed)
        self._dock = parent if isinstance(parent, QDockWidget) else None
        if self._dock is not None:
            self._dock.visibilityChanged.connect(self._on_dock_visibility_changed)
            # put into a dock after the window was shown: behind another tab its region is empty already
            self._in_front = not self._dock.visibleRegion().isEmpty()
            self._settle.start()

    @Slot(bool)
    def _on_dock_visibility_changed(self, visible: bool) -> None:
        if visible != self._in_front:
            self._in_front = visible
            self.changed.emit()  # at once: a tab switch is a settled state
