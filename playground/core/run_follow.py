"""Following a run from outside it: read its folder as it grows, and ask it to stop.

`RunFollower` polls a run folder that another process (or, through a shared folder, another machine) writes:
new complete lines of metrics.jsonl come back as EpochMetrics, a replaced model.pt as a CheckpointWritten.
It holds no file open between polls, so it never stands in the writer's way. `request_stop` leaves a STOP file
in the folder; `StopFileWatch`, a callback of the run, sees it within half a second and stops the run at its
next step. Qt-free, and independent of the run store, which can build on it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from playground.core.store.folder import METRICS_FILE, MODEL_FILE
from playground.core.training.callbacks import Callback
from playground.core.training.control import RunControl
from playground.core.training.events import EpochMetrics, RunFailed, RunFinished, RunStarted, StepEvent

STOP_FILE = "STOP"
POLL_S = 0.5
HEAD_BYTES = 256


@dataclass(frozen=True)
class CheckpointWritten:
    """model.pt was written (replaced) since the last poll."""

    path: Path
    mtime_ns: int

    def load(self):
        """The checkpoint (torch loads here, not at import)."""
        from playground.core.checkpoint import load_checkpoint

        return load_checkpoint(self.path)


@dataclass(frozen=True)
class MetricsRestarted:
    """metrics.jsonl began again (a new run in the same folder): forget the epochs read so far."""


class RunFollower:
    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self._file: tuple[int, int] | None = None  # (device, inode) of the metrics file being read
        self._offset = 0
        self._partial = b""  # the start of a line the writer has not finished yet
        self._head = b""  # the file's first bytes, to tell when a new run has written it again
        self._checkpoint: tuple[int, int, int] | None = None

    def poll(self) -> list[EpochMetrics | CheckpointWritten | MetricsRestarted]:
        """What is new in the folder since the last poll, epochs first."""
        return [*self._new_epochs(), *self._new_checkpoint()]

    def follow(self, interval_s: float = POLL_S, until: Callable[[], bool] = lambda: False,
               timeout_s: float | None = None) -> Iterator[EpochMetrics | CheckpointWritten | MetricsRestarted]:
        """Poll every `interval_s`, yielding what is new, until `until()` is true or `timeout_s` has passed."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            yield from self.poll()
            if until() or (deadline is not None and time.monotonic() >= deadline):
                return
            time.sleep(interval_s)

    def _new_epochs(self) -> list[EpochMetrics | MetricsRestarted]:
        path = self.folder / METRICS_FILE
        try:
            with open(path, "rb") as f:
                ident = os.fstat(f.fileno())
                head = f.read(len(self._head))
                f.seek(self._offset)
                data = f.read()
        except OSError:  # not there yet, or the shared folder is away for a moment: try at the next poll
            return []
        events: list[EpochMetrics | MetricsRestarted] = []
        # a new run in the folder empties the file and writes it again: another file, or another beginning
        if (ident.st_dev, ident.st_ino) != self._file or head != self._head or ident.st_size < self._offset:
            if self._file is not None:
                events.append(MetricsRestarted())
            self._file, self._offset, self._partial, self._head = (ident.st_dev, ident.st_ino), 0, b"", b""
            return events + self._new_epochs()
        if self._offset == 0:
            self._head = data[:HEAD_BYTES]
        self._offset += len(data)
        *lines, self._partial = (self._partial + data).split(b"\n")
        return events + [m for m in map(_epoch, lines) if m is not None]

    def _new_checkpoint(self) -> list[CheckpointWritten]:
        path = self.folder / MODEL_FILE
        try:
            stat = path.stat()
        except OSError:
            return []
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # written to a temporary file, then os.replace'd
        if key == self._checkpoint:
            return []
        self._checkpoint = key
        return [CheckpointWritten(path, stat.st_mtime_ns)]


def _epoch(line: bytes) -> EpochMetrics | None:
    try:
        return EpochMetrics.from_dict(json.loads(line)) if line.strip() else None
    except (ValueError, KeyError, TypeError):  # a line that is not an epoch's: skip it, keep reading
        return None


def request_stop(folder: str | os.PathLike) -> Path:
    """Ask the run writing `folder` to stop at its next step (it saves that step, as a stop in the app does)."""
    path = Path(folder) / STOP_FILE
    tmp = path.with_name(f".{STOP_FILE}.{os.getpid()}.tmp")
    tmp.write_text(f"stop requested at {time.strftime('%Y-%m-%d %H:%M:%S')}\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


class StopFileWatch(Callback):
    """Stops the run when a STOP file appears in its folder; looks at most every `interval_s`, between steps.
    The file stays while the run winds down and goes when it has ended; one older than the watch (left from an
    earlier run of this folder) is removed at the start. Under torchrun it runs on rank 0, whose stop every rank
    follows at the same step."""

    def __init__(self, folder: str | os.PathLike, control: RunControl, interval_s: float = POLL_S,
                 clock: Callable[[], float] = time.monotonic):
        self.path, self.control, self.interval_s, self.clock = Path(folder) / STOP_FILE, control, interval_s, clock
        self._last = float("-inf")
        self._created = time.time()

    def on_start(self, event: RunStarted) -> None:
        try:
            if self.path.stat().st_mtime < self._created:  # a request to an earlier run of this folder
                self.path.unlink(missing_ok=True)
        except OSError:
            pass

    def on_step(self, event: StepEvent) -> None:
        now = self.clock()
        if now - self._last < self.interval_s:
            return
        self._last = now
        if self.path.exists():
            self.control.stop()

    def on_finished(self, event: RunFinished) -> None:
        self.path.unlink(missing_ok=True)

    def on_failed(self, event: RunFailed) -> None:
        self.path.unlink(missing_ok=True)
