"""The Sweep view's work off the GUI thread (a BackgroundJobs thread, no torch): making the study and starting
the worker processes, and reading the sweep as it stands, with optuna's importances and the curves of the best
trials from the run store. Qt-free: every value it returns is plain data."""

from __future__ import annotations

import math
import subprocess
from dataclasses import dataclass, field
from typing import Any

from playground.gui.session import StoredRun

BEST_SHOWN = 3  # the best trials drawn over the plots
IMPORTANCE_AFTER = 3  # complete trials before optuna's importances are worth asking for
# distinct from the current run's blue and orange (as the Runs panel's overlays)
BEST_COLOURS = ((44, 160, 44), (214, 39, 40), (148, 103, 189))


@dataclass(frozen=True)
class StartJob:
    spec: Any  # a resolved SweepSpec
    storage_url: str | None = None


@dataclass(frozen=True)
class Started:
    name: str
    storage_url: str
    workers: list[subprocess.Popen]


@dataclass(frozen=True)
class ReadJob:
    name: str
    storage_url: str
    last: bool = False  # the workers have ended: this is the final reading


@dataclass(frozen=True)
class SweepState:
    """A sweep as the view shows it."""

    summary: Any  # SweepSummary
    importances: dict[str, float] = field(default_factory=dict)
    best_runs: tuple[StoredRun, ...] = ()
    last: bool = False


class SweepReader:
    """The compute of the Sweep view's BackgroundJobs: StartJob -> Started, ReadJob -> SweepState. Keeps the
    epochs of finished runs (they no longer change) so that a reading each second stays cheap."""

    def __init__(self) -> None:
        self._finished_runs: dict[str, StoredRun] = {}
        self._importances: tuple[tuple[str, int], dict[str, float]] = (("", 0), {})  # by sweep and complete count

    def __call__(self, job: Any) -> Any:
        if isinstance(job, StartJob):
            return start(job)
        return self.read(job)

    def read(self, job: ReadJob) -> SweepState:
        from playground.core.sweeps import importances, read_sweep

        summary = read_sweep(job.name, job.storage_url)
        key = (job.name, sum(t.state == "complete" for t in summary.trials))
        if key != self._importances[0]:  # they change only as trials complete
            found = importances(job.name, job.storage_url) if key[1] >= IMPORTANCE_AFTER else {}
            self._importances = (key, found)
        return SweepState(summary, dict(self._importances[1]), self._best_runs(summary), job.last)

    def _best_runs(self, summary: Any) -> tuple[StoredRun, ...]:
        from playground.core.store import RunStore

        best = best_trials(summary.trials, summary.spec.direction)
        runs = []
        with RunStore.open() as store:
            for colour, trial in zip(BEST_COLOURS, best, strict=False):
                if trial.run not in self._finished_runs:
                    record = store.get(trial.run)
                    self._finished_runs[trial.run] = StoredRun(
                        f"trial {trial.number}", str(record.folder), record.kind, record.epochs_planned,
                        tuple(store.epochs(trial.run)), trial.run)
                stored = self._finished_runs[trial.run]
                runs.append(StoredRun(stored.name, stored.folder, stored.kind, stored.epochs_planned,
                                      stored.epochs, stored.run_id, colour))
        return tuple(runs)


def start(job: StartJob) -> Started:
    """Make the sweep's study, then start its worker processes (`playground sweep --join`), the cores divided
    between them: the trials never run in the app's process."""
    from playground.core.sweeps import cores_per_worker, create_study, default_storage_url, start_workers

    url = job.storage_url or default_storage_url()
    _, spec = create_study(job.spec, url)
    workers = start_workers(spec.name, url, spec.workers, cores_per_worker(spec.workers))
    return Started(spec.name, url, workers)


def best_trials(trials: Any, direction: str, count: int = BEST_SHOWN) -> list[Any]:
    """The `count` best complete trials with a run, best first."""
    done = [t for t in trials if t.state == "complete" and t.run and t.value is not None and math.isfinite(t.value)]
    sign = -1.0 if direction == "maximize" else 1.0
    return sorted(done, key=lambda t: (sign * t.value, t.number))[:count]
