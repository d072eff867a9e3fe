"""Stop, pause and weight requests for a run, safe to call from any thread."""

from __future__ import annotations

import threading


class RunControl:
    """Checked by the Trainer at every batch boundary; never kills a thread."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared while paused
        self._running.set()
        self._weights = threading.Event()
        self.stop_reason = "stopped"

    def stop(self, reason: str = "stopped") -> None:
        """End the run at the next batch boundary; `reason` is what it ends as ("stopped", or "interrupted" for a
        signal or a closing app)."""
        if not self._stop.is_set():
            self.stop_reason = reason
        self._stop.set()
        self._running.set()  # a paused run must wake up to stop

    def interrupt(self) -> None:
        self.stop("interrupted")

    def pause(self) -> None:
        if not self._stop.is_set():
            self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def request_weights(self) -> None:
        """Ask for a WeightsSnapshot at the next batch boundary."""
        self._weights.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def take_weights_request(self) -> bool:
        if self._weights.is_set():
            self._weights.clear()
            return True
        return False

    def wait_while_paused(self, timeout: float | None = None) -> None:
        self._running.wait(timeout)
