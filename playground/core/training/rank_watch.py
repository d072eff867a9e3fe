"""Which rank went silent: each rank counts its heartbeats in the rendezvous store, from a thread.

When a collective fails (a peer's connection closed, or the process group's timeout passed), the error does
not say which rank is gone. The counters do: the ranks whose counter stands still for a few beats are the
ones that stopped. Counting, not time stamps, so that the machines' clocks need not agree.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

INTERVAL_S = 0.5
STILL_BEATS = 3  # a counter that has not moved for this many beats belongs to a rank that is gone


class RankWatch:
    def __init__(self, store, rank: int, world_size: int, prefix: str):
        self.store, self.rank, self.world_size, self.prefix = store, rank, world_size, prefix
        self._lock = threading.Lock()  # one store connection, two threads
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="playground-rank-heartbeat", daemon=True)

    @classmethod
    def start(cls, rank: int, world_size: int, restart: int) -> RankWatch:
        """A watch on torchrun's store (MASTER_ADDR:MASTER_PORT); one that knows nothing where it cannot connect."""
        import torch.distributed as dist

        try:
            store = dist.TCPStore(os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"]), is_master=False,
                                  timeout=timedelta(seconds=10), wait_for_workers=False)
        except (KeyError, ValueError, RuntimeError):
            store = None
        watch = cls(store, rank, world_size, f"playground/heartbeat/{restart}/")
        if store is not None:
            watch._thread.start()
        return watch

    def silent_ranks(self) -> list[int] | None:
        """The other ranks whose heartbeat has stopped, after watching for a few beats; None if unknown."""
        if self.store is None:
            return None
        try:
            before = self._counts()
            time.sleep(STILL_BEATS * INTERVAL_S)
            after = self._counts()
        except RuntimeError:  # the store is gone with the process that held it: rank 0 when torchrun is not used
            return [0] if self.rank != 0 else None
        return [r for r in range(self.world_size) if r != self.rank and after[r] == before[r]] or None

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2 * INTERVAL_S)

    def _counts(self) -> list[int]:
        with self._lock:
            return [self.store.add(f"{self.prefix}{r}", 0) for r in range(self.world_size)]

    def _beat(self) -> None:
        key = f"{self.prefix}{self.rank}"
        while True:
            try:
                with self._lock:
                    self.store.add(key, 1)
            except RuntimeError:  # the store went away: the run is ending
                return
            if self._stop.wait(INTERVAL_S):
                return
