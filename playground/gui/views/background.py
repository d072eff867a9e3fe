"""Work a view needs done off the GUI thread (drawing samples, a decision boundary...), newest job first.

A worker object on its own QThread runs `compute(job)`; jobs submitted while one runs replace each other, so a
view never falls behind the snapshots it is sent. Results come back through `done` to a GUI-thread slot.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)
CLOSE_WAIT_MS = 2000  # the closing bar: the app ends within 2 s in any phase
_STILL_RUNNING: list[tuple[QThread, QObject]] = []  # threads (and workers) of closed views still in a job


class _Worker(QObject):
    done = Signal(object, object)  # (job, result)
    failed = Signal(str)

    def __init__(self, compute: Callable[[Any], Any], torch_threads: bool = True):
        super().__init__()
        self._compute = compute
        self._lock = threading.Lock()
        self._job: Any = None
        self._one_core = not torch_threads  # work without torch (reading the run store) needs no thread setup

    def put(self, job: Any) -> None:
        with self._lock:
            self._job = job

    @Slot()
    def process(self) -> None:
        with self._lock:
            job, self._job = self._job, None
        if job is None:
            return  # a newer wake-up already took it
        if not self._one_core:  # one thread for this view's torch work: training keeps the cores
            from playground.core.inference.threads import predict_on_one_core_here
            from playground.gui.training.thread_priority import lower_current_thread_priority

            lower_current_thread_priority()  # as training does: the GUI thread gets a core when it wakes
            predict_on_one_core_here()
            self._one_core = True
        try:
            self.done.emit(job, self._compute(job))
        except Exception as e:  # a view that cannot draw says so; the app goes on
            log.exception("background view work failed")
            self.failed.emit(f"{type(e).__name__}: {e}")


class BackgroundJobs(QObject):
    """Connect `done(job, result)` and `failed(message)` to @Slot methods; call `submit(job)`; `close()` at the end.
    torch_threads=False: the jobs use no torch (its one-core setup, which imports torch, is skipped)."""

    _wake = Signal()

    def __init__(self, compute: Callable[[Any], Any], name: str, parent: QObject | None = None,
                 torch_threads: bool = True):
        super().__init__(parent)
        self._worker = _Worker(compute, torch_threads)
        self.done, self.failed = self._worker.done, self._worker.failed
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker.moveToThread(self._thread)
        self._wake.connect(self._worker.process)
        # no deleteLater on the thread's finish: the worker would die in that thread, taking the GIL while it
        # holds a Qt lock the GUI thread may wait for (gui/training/gui_thread.py); it goes with this object
        self._started = False
        self._closed = False

    def submit(self, job: Any) -> None:
        if self._closed:
            return  # a timer of a closed view fired: its thread stays stopped
        if not self._started:
            self._thread.start()
            self._started = True
        self._worker.put(job)
        self._wake.emit()

    def close(self, timeout_ms: int = CLOSE_WAIT_MS) -> bool:
        """Stop the thread after the job in progress, waiting up to timeout_ms: a view's job never holds up
        closing the window. False if it is still running (it is kept alive, never destroyed while it runs:
        app.main then leaves without it)."""
        self._closed = True
        if not self._started:
            return True
        self._thread.quit()
        if not self._thread.wait(timeout_ms):
            log.warning("the view thread %r did not end within %d ms", self._thread.objectName(), timeout_ms)
            _STILL_RUNNING.append((self._thread, self._worker))
            return False
        self._started = False
        return True


def view_threads_ended() -> bool:
    """True when no view thread outlived its window's close (see BackgroundJobs.close)."""
    _STILL_RUNNING[:] = [(t, w) for t, w in _STILL_RUNNING if not t.wait(0)]
    return not _STILL_RUNNING
