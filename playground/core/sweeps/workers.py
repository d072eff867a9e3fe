"""Workers: each takes trials from the study until the sweep has its count, on this machine or another. No
coordinator of our own: optuna's storage hands out trials, and its heartbeat fails a dead worker's trial.

A sweep's count is of trials that ended: complete, pruned, or failed by their own run (diverged). A trial
whose worker died or was stopped is failed without counting, and its settings run again. A worker whose
sweep has every remaining trial running elsewhere waits: one of those may yet die and need running again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from playground.core.sweeps.records import SweepSummary, read_sweep, trial_record
from playground.core.sweeps.spec import SweepSpec
from playground.core.sweeps.storage import default_storage_url, quiet, require_optuna
from playground.core.sweeps.study import SPEC_ATTR, create_study, load_study
from playground.core.sweeps.trial_run import FAILURE_ATTR, SURPLUS_ATTR, TrialFailed, TrialSetup, run_trial

OnTrial = Callable[[Any], None]  # hears of each trial this worker ends, as a TrialRecord
WAIT_S = 1.0  # how often a waiting worker looks again


def cores_per_worker(workers: int) -> int:
    """The CPU threads each of `workers` processes trains with: the cores divided between them."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def run_sweep(spec: SweepSpec, storage_url: str | None = None, setup: TrialSetup | None = None,
              on_trial: OnTrial | None = None) -> SweepSummary:
    """Make the sweep's study and run it to its count with `spec.workers` workers: this process and
    spec.workers - 1 others (`playground sweep --join`), the cores divided between them."""
    url = storage_url or default_storage_url()
    _, spec = create_study(spec, url)
    return work(spec.name, url, spec.workers, setup, on_trial)


def work(name: str, storage_url: str, workers: int = 1, setup: TrialSetup | None = None,
         on_trial: OnTrial | None = None) -> SweepSummary:
    """Run the sweep `name` to its count here and in `workers - 1` more processes; its summary after."""
    setup = setup or TrialSetup()
    if workers > 1 and not setup.threads:
        setup.threads = cores_per_worker(workers)
    others = start_workers(name, storage_url, workers - 1, setup.threads)
    try:
        run_worker(name, storage_url, setup, on_trial)
    except BaseException:
        stop_workers(others)  # they stop their trials, which run again on resume
        raise
    wait_workers(others)
    return read_sweep(name, storage_url)


def run_worker(name: str, storage_url: str | None = None, setup: TrialSetup | None = None,
               on_trial: OnTrial | None = None) -> int:
    """Take trials of the sweep `name` until it has its count; returns how many this worker ran. Raises
    SweepStopped when a trial was stopped from outside, ConfigError for a metric the task does not report."""
    optuna = require_optuna()
    study, spec = load_study(name, storage_url)
    setup, ran = setup or TrialSetup(), 0
    callbacks = [lambda _study, frozen: SURPLUS_ATTR in frozen.user_attrs or on_trial(trial_record(frozen))
                 ] if on_trial else []
    while True:
        with quiet():
            optuna.storages.fail_stale_trials(study)  # a dead worker's trial, failed and queued again
        spec = SweepSpec.from_attrs(name, study.user_attrs[SPEC_ATTR])  # a resume may have raised the count
        done, running = _counts(study)
        if done >= spec.trials:
            return ran
        if done + running >= spec.trials:
            time.sleep(WAIT_S)
            continue
        study.optimize(_objective(spec, setup), n_trials=1, catch=(TrialFailed,), callbacks=callbacks,
                       gc_after_trial=False)
        ran += 1


def _objective(spec: SweepSpec, setup: TrialSetup) -> Callable[[Any], float]:
    return lambda trial: _run_unless_surplus(trial, spec, setup)


def _run_unless_surplus(trial: Any, spec: SweepSpec, setup: TrialSetup) -> float:
    """Two workers that both saw one trial left both ask for it: the one with the later number stands down,
    marked as surplus (left out of the counts and of the sweep's trials) before it trains anything."""
    taken = sorted(t.number for t in trial.study.get_trials(deepcopy=False) if _counted(t))
    if trial.number in taken and taken.index(trial.number) >= spec.trials:
        trial.set_user_attr(SURPLUS_ATTR, True)
        raise TrialFailed("another worker took the last trial")
    return run_trial(trial, spec, setup)


def _counted(t: Any) -> bool:
    """A trial that counts towards the sweep's number: ended by its own run, or running."""
    from optuna.trial import TrialState

    if SURPLUS_ATTR in t.user_attrs:
        return False
    return t.state in (TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING) or (
        t.state == TrialState.FAIL and FAILURE_ATTR in t.user_attrs)


def _counts(study: Any) -> tuple[int, int]:
    """(trials that ended and count, trials running now)."""
    from optuna.trial import TrialState

    done = running = 0
    for t in study.get_trials(deepcopy=False):
        if _counted(t):
            if t.state == TrialState.RUNNING:
                running += 1
            else:
                done += 1
    return done, running


def join_command(name: str, storage_url: str, threads: int = 0) -> list[str]:
    """The command that runs one more worker of the sweep `name` (on any machine that reaches the storage)."""
    command = [sys.executable, "-m", "playground", "sweep", "--join", name, "--storage", storage_url]
    return command + (["--threads", str(threads)] if threads else [])


def start_workers(name: str, storage_url: str, count: int, threads: int = 0) -> list[subprocess.Popen]:
    """`count` worker processes of the sweep, each with `threads` CPU threads; they print their trials."""
    return [subprocess.Popen(join_command(name, storage_url, threads)) for _ in range(max(0, count))]


def wait_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.wait()


def stop_workers(workers: list[subprocess.Popen], timeout_s: float = 30.0) -> None:
    """SIGTERM: each stops its trial at the next step and queues it again; killed if it takes too long."""
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    deadline = time.monotonic() + timeout_s
    for worker in workers:
        try:
            worker.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def resume(name: str, storage_url: str | None = None, workers: int = 1, trials: int | None = None,
           setup: TrialSetup | None = None, on_trial: OnTrial | None = None) -> SweepSummary:
    """Go on with a stopped sweep (to `trials` in all, when given)."""
    from playground.core.sweeps.study import set_trials

    url = storage_url or default_storage_url()
    study, spec = load_study(name, url)
    if trials is not None:
        set_trials(study, spec, trials)
    return work(name, url, workers, setup, on_trial)
