"""What happens once the window is on screen: torch in the background, then the slow widgets (plots, drawing
panel), so that the window shows at once and the first Train click finds both ready."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from playground.gui.gui_gc import freeze_long_lived

FALLBACK_MS = 300  # begin even if no paint was seen (a window that is shown but covered)


class Startup(QObject):
    ready = Signal()  # torch has loaded: devices listed, model summary shown
    idle = Signal()  # the warm-up thread has ended (the window may close)

    def __init__(self, build_slow_parts: Callable[[], None], closing: Callable[[], bool], settings: Any,
                 summary: Any, status: Any, parent: QObject | None = None):
        """settings: SettingsPanel (set_devices, device); summary: ModelSummaryView; status: RunStatusBar."""
        super().__init__(parent)
        self._build_slow_parts, self._closing = build_slow_parts, closing
        self._settings, self._summary, self._status = settings, summary, status
        self._begun = False
        self._thread: QThread | None = None
        self.is_ready = False

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def cancel(self) -> None:
        """The window is closing: the warm-up ends after the stage it is in, without setting anything up."""
        if self._thread is not None:
            self._thread.worker.cancel()

    def wait(self, timeout_ms: int) -> bool:
        """After the event loop has ended: True once no warm-up thread runs (waiting up to timeout_ms)."""
        return self._thread is None or self._thread.wait(timeout_ms)

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
        if self._closing():
            return
        from playground.gui.training.warmup import start_warmup

        self._status.showMessage("Loading PyTorch…")
        self._thread = start_warmup(self)

    @Slot()
    def _on_torch_imported(self) -> None:
        """The slow widgets after torch: their imports (numpy, CUDA's bindings) are then loaded, and building them
        beside torch's import would only slow both (imports hold the GIL). Before Ready, which comes after this."""
        if not self._closing():
            self._build_slow_parts()

    @Slot(object)
    def _on_warmup_ready(self, devices: list) -> None:
        freeze_long_lived()
        self._settings.set_devices(devices)
        self._summary.set_torch_ready()
        self._status.show_device(self._settings.device.currentData())
        self._status.showMessage("Ready: press Train (Ctrl+Enter)", 5000)
        self.is_ready = True
        self.ready.emit()

    @Slot(str)
    def _on_warmup_failed(self, message: str) -> None:
        self._on_torch_imported()  # the window is whole all the same (built once)
        self._status.showMessage(message)

    @Slot()
    def _on_warmup_thread_finished(self) -> None:
        self._thread.wait()  # finished is emitted just before the thread ends
        self._thread = None
        self.idle.emit()
