"""Python's garbage collection only in the GUI thread.

Automatic collection runs in whichever thread happens to allocate, and the training thread allocates all
the time: a Qt object caught in a reference cycle would then be destroyed from the wrong thread, which
crashes Qt. So automatic collection is off and a timer in the GUI thread collects instead (as pyqtgraph's
GarbageCollector does).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot


class GuiThreadCollector(QObject):
    def __init__(self, interval_ms: int = 1000, parent: QObject | None = None):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        gc.disable()
        self._timer.start(interval_ms)

    @Slot()
    def _on_timer_timeout(self) -> None:
        """Collect the generations whose counts passed their thresholds, as automatic collection would."""
        counts = gc.get_count()
        for generation in range(3):
            if counts[generation] <= self._thresholds[generation]:
                break
            gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()


def freeze_long_lived() -> None:
    """Collect once, then leave everything alive now (torch's modules: ~200,000 objects) out of later
    collections. Call when torch has loaded and before a run: otherwise the first collections during training
    scan all of them, a 100 ms stall of the GUI thread each. No collection first: it takes 90 ms of the start,
    to free a few hundred objects (which are kept)."""
    gc.freeze()
