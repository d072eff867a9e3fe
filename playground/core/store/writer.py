"""StoreWriter: the one writer of a run, a Callback that the CLI and the app's worker attach to Trainer.fit.

It keeps the database and the run folder's metrics.jsonl in step: an epoch is committed to the database
first (one transaction with the run's new summary), then its line is appended to metrics.jsonl (one small
write, which a kill does not cut in half). A kill between the two leaves the file one epoch behind;
`RunStore.repair()` then rewrites it from the database, as `start_run` does when a run is resumed.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from playground.core.errors import PlaygroundError, StoreError
from playground.core.store.folder import METRICS_FILE, append_metrics
from playground.core.store.store import RunStore
from playground.core.training.callbacks import Callback
from playground.core.training.events import EpochMetrics, RunFailed, RunFinished, RunStarted, StepEvent

log = logging.getLogger(__name__)
HEARTBEAT_EVERY_S = 2.0  # how often a running run tells the store it is alive (and how far it has got)


class StoreWriter(Callback):
    def __init__(self, store: RunStore, run_id: str, folder: str | Path):
        self.store, self.run_id, self.folder = store, run_id, Path(folder)
        self.steps_done = 0
        self._last_beat = 0.0

    def on_start(self, event: RunStarted) -> None:
        self.steps_done = event.start_epoch * event.steps_per_epoch
        self.store.started(self.run_id, event.device, event.task, self.steps_done)
        self._last_beat = time.monotonic()

    def on_step(self, event: StepEvent) -> None:
        self.steps_done = event.step
        now = time.monotonic()
        if now - self._last_beat >= HEARTBEAT_EVERY_S:
            self._last_beat = now
            self.store.heartbeat(self.run_id, self.steps_done)

    def on_epoch_end(self, event: EpochMetrics) -> None:
        row = event.to_dict()
        self.store.add_epoch(self.run_id, row, self.steps_done)
        try:
            append_metrics(self.folder, row)
        except OSError as e:
            raise PlaygroundError(f"cannot write {self.folder / METRICS_FILE}: {e.strerror or e}; free some disk "
                                  "space or check the folder's permissions (the run store has the epoch)") from None

    def on_finished(self, event: RunFinished) -> None:
        self.store.finish(self.run_id, event.reason, event.steps_done)

    def on_failed(self, event: RunFailed) -> None:
        try:
            self.store.finish(self.run_id, "failed", None, event.message)
        except StoreError as e:  # the run's own failure is the message to show; this one goes to the log
            log.warning("could not record the failure of run %s: %s", self.run_id, e)
