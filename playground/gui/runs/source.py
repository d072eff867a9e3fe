"""The run store as the window reads it, without restarting: runs from the CLI, from other windows and from
other machines (a shared folder) appear within a second or two.

Every second the GUI thread asks the store for `PRAGMA data_version` (microseconds), which changes whenever
another connection commits. When it has changed, and every few seconds anyway (a run whose process died turns
interrupted without any commit, and a running run's duration grows), the whole list is read again in a
background thread: with hundreds of runs that read takes tens of milliseconds. Each thread has its own SQLite
connection. Renames, notes and deletions are the user's own clicks and run in the GUI thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from playground.core.errors import PlaygroundError
from playground.gui.views.background import BackgroundJobs

POLL_MS = 1000
FULL_READ_S = 4.0


class _Reader:
    """The background thread's own connection to the store, made there at its first read."""

    def __init__(self) -> None:
        self.store: Any = None

    def read(self, path: Any) -> tuple[list[Any] | None, str]:
        from playground.core.store import RunStore

        try:
            if self.store is None or self.store.path != path:
                self.close()
                self.store = RunStore.open(path)
            return self.store.runs(), ""
        except PlaygroundError as e:
            self.close()
            return None, str(e)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


class RunsSource(QObject):
    """`on_screen()` says whether the window is shown: a window that is not reads nothing and starts no
    thread (one that is never shown, in a test, may be garbage-collected without closing)."""

    changed = Signal(list)  # list[RunRecord], newest first
    problem = Signal(str)  # the store cannot be read: what to do about it

    def __init__(self, parent: QObject | None = None, poll_ms: int = POLL_MS, full_read_s: float = FULL_READ_S,
                 on_screen: Callable[[], bool] | None = None):
        super().__init__(parent)
        self._on_screen = on_screen
        self._closed = False
        self.records: list[Any] = []
        self.store: Any = None  # the GUI thread's connection: data_version, and the user's changes
        self._path: Any = None
        self._version: int | None = None
        self._read_at = float("-inf")
        self._full_read_s = full_read_s
        self._reader = _Reader()
        self._jobs = BackgroundJobs(self._reader.read, "playground-runs-reader", self, torch_threads=False)
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        self._timer = QTimer(self, interval=poll_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        """Open the store (the default location: $PLAYGROUND_RUNS_DIR, else the per-user folder) and poll it."""
        if not self._timer.isActive():
            self._timer.start()
            self._on_timer_timeout()

    @property
    def location(self) -> str:
        return str(self._path.parent) if self._path is not None else ""

    def refresh(self) -> None:
        """Read every run again now (after a change made here, which data_version does not count)."""
        if not self._closed and self._open():
            self._read_at = time.monotonic()
            self._jobs.submit(self._path)

    def record(self, run_id: str) -> Any:
        """The run as last read, or None."""
        return next((r for r in self.records if r.id == run_id), None)

    def shutdown(self) -> None:
        self._closed = True  # for good: a late refresh must not start the thread again
        self._timer.stop()
        self._jobs.close()
        self._reader.close()  # its thread has ended: closing the connection from here is safe
        if self.store is not None:
            self.store.close()
            self.store = None

    def _open(self) -> bool:
        if self.store is not None:
            return True
        from playground.core.store import RunStore

        try:
            self.store = RunStore.open()
        except PlaygroundError as e:
            self.problem.emit(str(e))
            return False
        self._path = self.store.path
        return True

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self._closed or (self._on_screen is not None and not self._on_screen()) or not self._open():
            return
        try:
            version = self.store.data_version()
        except PlaygroundError as e:
            self.problem.emit(str(e))
            return
        if version != self._version or time.monotonic() - self._read_at >= self._full_read_s:
            self._version = version
            self.refresh()

    @Slot(object, object)
    def _on_jobs_done(self, path: Any, result: tuple[list[Any] | None, str]) -> None:
        records, problem = result
        if records is None:
            self.problem.emit(problem)
            return
        self.records = records
        self.changed.emit(records)

    @Slot(str)
    def _on_jobs_failed(self, text: str) -> None:
        self.problem.emit(f"reading the run store failed: {text}. This is a bug in playground; please report it")
