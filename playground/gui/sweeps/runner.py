"""A sweep from the app: its trials run in worker processes (`playground sweep --join`), never in the app's
process; a BackgroundJobs thread makes the study, starts them, and reads the sweep once a second while they
run, so the GUI thread only swaps in what was read. Stop sends each worker SIGTERM (it stops its trial at the
next step and queues its settings again), and kills one that has not ended after STOP_GRACE_S."""

from __future__ import annotations

import subprocess
import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from playground.gui.sweeps.reading import ReadJob, Started, StartJob, SweepReader, SweepState
from playground.gui.views.background import BackgroundJobs

POLL_MS = 1000
STOP_GRACE_S = 30.0
CLOSE_GRACE_S = 3.0  # closing the window waits this long for the workers before killing them


class SweepRunner(QObject):
    started = Signal(str)  # the sweep's name: its workers run
    updated = Signal(object, bool)  # SweepState, whether its workers still run
    ended = Signal(str)  # the workers have ended; what to tell the user
    failed = Signal(str)  # the sweep could not start

    def __init__(self, storage_url: str | None = None, poll_ms: int = POLL_MS, parent: QObject | None = None):
        super().__init__(parent)
        self.storage_url = storage_url  # None: the SQLite file beside the run store
        self.name = ""
        self.workers: list[subprocess.Popen] = []
        self._url = ""
        self._starting = self._stopping = self._last_sent = False
        self._stop_deadline = 0.0
        self._jobs = BackgroundJobs(SweepReader(), "sweep-reader", self, torch_threads=False)
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        self._timer = QTimer(self, interval=poll_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def active(self) -> bool:
        """Starting, running or stopping a sweep."""
        return self._starting or bool(self.workers)

    def start(self, spec: Any) -> None:
        """Make the sweep's study and start spec.workers worker processes (off the GUI thread)."""
        if self.active:
            raise RuntimeError("a sweep is already running")
        self._starting, self._stopping, self._last_sent = True, False, False
        self._jobs.submit(StartJob(spec, self.storage_url))

    def stop(self) -> None:
        """SIGTERM to every worker; the timer kills the ones still alive after STOP_GRACE_S."""
        if self._stopping or not self.workers:
            return
        self._stopping, self._stop_deadline = True, time.monotonic() + STOP_GRACE_S
        for worker in self.workers:
            if worker.poll() is None:
                worker.terminate()

    def shutdown(self) -> None:
        """The window closes: stop the workers (killed after CLOSE_GRACE_S) and the reading thread."""
        self._timer.stop()
        if self.workers:
            from playground.core.sweeps import stop_workers

            stop_workers(self.workers, CLOSE_GRACE_S)
            self.workers = []
        self._jobs.close()

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self._last_sent:
            return
        alive = [w for w in self.workers if w.poll() is None]
        if self._stopping and alive and time.monotonic() > self._stop_deadline:
            for worker in alive:
                worker.kill()
        self._last_sent = not alive
        self._jobs.submit(ReadJob(self.name, self._url, last=not alive))

    @Slot(object, object)
    def _on_jobs_done(self, job: Any, result: Any) -> None:
        if isinstance(result, Started):
            self._starting = False
            self.name, self._url, self.workers = result.name, result.storage_url, result.workers
            self._timer.start()
            self.started.emit(result.name)
            self._jobs.submit(ReadJob(self.name, self._url))
        elif isinstance(result, SweepState):
            self.updated.emit(result, not result.last)
            if result.last:
                self._finish()

    @Slot(str)
    def _on_jobs_failed(self, message: str) -> None:
        if self._starting:
            self._starting = False
            self.failed.emit(message.partition(": ")[2] or message)
        elif self._last_sent and self.workers:  # the final reading failed: end all the same
            self._finish()

    def _finish(self) -> None:
        self._timer.stop()
        codes = [w.returncode for w in self.workers]
        self.workers = []
        resume = f"`playground sweep {self.name} --resume` goes on with it"
        if self._stopping:
            self.ended.emit(f"Sweep {self.name} stopped; {resume}.")
        elif any(code != 0 for code in codes):
            self.ended.emit(f"A worker of sweep {self.name} ended with exit code "
                            f"{next(c for c in codes if c != 0)} (see the terminal); {resume}.")
        else:
            self.ended.emit(f"Sweep {self.name} ended.")
