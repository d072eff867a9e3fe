"""Throttling the trainer's reports at their source, so the GUI gets at most ~30 signals per second (Qt-free).

Step events are merged, never dropped: a merged event carries every loss since the last one sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from playground.core.training.events import LoadProgress, StepEvent

MAX_SIGNALS_PER_S = 30


class StepMerger:
    """Holds step events back until `interval_s` has passed since the last one let through."""

    def __init__(self, interval_s: float = 1 / MAX_SIGNALS_PER_S, clock: Callable[[], float] = time.monotonic):
        self.interval_s = interval_s
        self._clock = clock
        self._pending: StepEvent | None = None
        self._last_sent = float("-inf")

    def add(self, event: StepEvent) -> StepEvent | None:
        """The event to send now (with every loss held back before it), or None to wait."""
        if self._pending is not None:
            held = self._pending.losses
            event = replace(event, losses={k: held.get(k, ()) + v for k, v in event.losses.items()})
        self._pending = event
        now = self._clock()
        if now - self._last_sent < self.interval_s:
            return None
        self._last_sent = now
        return self.flush()

    def flush(self) -> StepEvent | None:
        """Whatever is held back (before an epoch end or the end of the run), or None."""
        pending, self._pending = self._pending, None
        return pending


class ProgressLimiter:
    """Lets a download or decoding progress report through when its message changes, it ends, or time has passed."""

    def __init__(self, interval_s: float = 1 / MAX_SIGNALS_PER_S, clock: Callable[[], float] = time.monotonic):
        self.interval_s = interval_s
        self._clock = clock
        self._last_sent = float("-inf")
        self._last_message = ""

    def allow(self, event: LoadProgress) -> bool:
        now = self._clock()
        done = event.total > 0 and event.done >= event.total
        if event.message != self._last_message or done or now - self._last_sent >= self.interval_s:
            self._last_sent, self._last_message = now, event.message
            return True
        return False
