"""How many CPU threads torch trains with: as many as the cores other processes leave free, re-decided while a
run goes.

OpenMP threads meet at a barrier after every operation, so one thread that shares its core with another busy
process holds all of them up: with one core busy elsewhere, two threads ran at 0.27x of their quiet speed and
one thread at 0.77x (bench/RESULTS.md). The governor samples the machine's CPU time and this process's own
(psutil), and sets torch's thread count to the cores the others leave free.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import psutil
import torch

INTERVAL_S = 0.5  # how often the choice is re-made; a sample over a shorter time is mostly noise
SLACK = 0.4  # a core counts as free while others use less than 1 - SLACK of it


def busy_seconds() -> tuple[float, float]:
    """(CPU seconds every process has used, CPU seconds this process has used), since boot."""
    t = psutil.cpu_times()
    total = t.user + t.system + getattr(t, "nice", 0.0) + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0)
    total += getattr(t, "steal", 0.0)  # time the hypervisor gave to other machines is not ours either
    own = psutil.Process().cpu_times()
    return total, own.user + own.system


def threads_for(cores: int, others_busy: float, max_threads: int) -> int:
    """The thread count for `cores` cores of which other processes use `others_busy` (in cores)."""
    free = cores - max(0.0, others_busy)
    return max(1, min(max_threads, math.floor(free + SLACK)))


class ThreadGovernor:
    """Call `poll()` between training steps; it costs one clock read until the interval has passed."""

    def __init__(self, max_threads: int, interval_s: float = INTERVAL_S,
                 sample: Callable[[], tuple[float, float]] = busy_seconds,
                 clock: Callable[[], float] = time.monotonic, cores: int | None = None):
        self.max_threads = max(1, max_threads)
        self.interval_s = interval_s
        self.cores = cores or psutil.cpu_count() or 1
        self._sample, self._clock = sample, clock
        self._last = (clock(), *sample())
        self.threads = self.max_threads
        self.changes = 0  # how often the count moved, for the benchmark's report
        _set_threads(self.threads)

    def poll(self) -> int:
        """Re-decide the thread count if the interval has passed; returns the count in use."""
        now = self._clock()
        if now - self._last[0] < self.interval_s:
            return self.threads
        total, own = self._sample()
        wall = now - self._last[0]
        others = ((total - self._last[1]) - (own - self._last[2])) / wall
        self._last = (now, total, own)
        wanted = threads_for(self.cores, others, self.max_threads)
        if wanted != self.threads:
            self.threads, self.changes = wanted, self.changes + 1
            _set_threads(wanted)
        return self.threads


class FixedThreads:
    """A thread count the user chose: never changed."""

    def __init__(self, threads: int):
        self.threads = threads
        self.changes = 0
        _set_threads(threads)

    def poll(self) -> int:
        return self.threads


def _set_threads(n: int) -> None:
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
