"""What happens once the window is on screen: the slow widgets (plots, drawing panel), then torch in the
background, so that the window shows at once and the first Train click finds torch ready."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from playground.gui.gui_gc import freeze_long_lived

if TYPE_CHECKING:
    from playground.gui.main_window import MainWindow

FALLBACK_MS = 300  # begin even if no paint was seen (a window that is shown but covered)


class Startup(QObject):
    ready = Signal()  # torch has loaded: devices listed, model summary shown
    idle = Signal()  # the warm-up thread has ended (the window may close)

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self._w = window
        self._begun = False
        self._thread: QThread | None = None
        self.is_ready = False

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def on_shown(self) -> None:
        QTimer.singleShot(FALLBACK_MS, self.begin)

    def on_painted(self) -> None:
        if not self._begun:
            QTimer.singleShot(0, self.begin)  # after this paint has reached the screen

    @Slot()
    def begin(self) -> None:
        if self._begun:
            return
        self._begun = True
        self._w.build_slow_parts()
        if not self._w.close_requested:
            from playground.gui.warmup import start_warmup

            self._w.status.showMessage("Loading PyTorch…")
            self._thread = start_warmup(self)

    @Slot(object)
    def _on_warmup_ready(self, devices: list) -> None:
        freeze_long_lived()
        w = self._w
        w.settings_panel.set_devices(devices)
        w.summary.set_torch_ready()
        w.status.show_device(w.settings_panel.device.currentData())
        w.status.showMessage("Ready: press Train (Ctrl+Enter)", 5000)
        self.is_ready = True
        self.ready.emit()

    @Slot(str)
    def _on_warmup_failed(self, message: str) -> None:
        self._w.status.showMessage(message)

    @Slot()
    def _on_warmup_thread_finished(self) -> None:
        self._thread.wait()  # finished is emitted just before the thread ends
        self._thread = None
        self.idle.emit()
