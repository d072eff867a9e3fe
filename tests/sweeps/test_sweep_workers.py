"""Worker processes on one study: trials shared out, none run twice; a killed worker's trial failed by the
heartbeat and run again; PostgreSQL shared by two `--join` workers (as two machines would)."""

from __future__ import annotations

import os
import signal
import sqlite3
import time

import pytest

from playground.core.store import RunStore, database_path
from playground.core.sweeps import SweepSpec, create_study, parse_vary, read_sweep
from tests.sweeps.conftest import join, tiny_config

POSTGRES_VAR = "PLAYGROUND_TEST_POSTGRES"


def _make(name: str, storage: str, trials: int, epochs: int = 2) -> None:
    spec = SweepSpec(name, tiny_config(epochs=epochs), (parse_vary("lr=log:1e-3:1e-1"),), trials=trials,
                     strategy="random", prune="none")
    create_study(spec, storage)


def _finish(workers, timeout_s: float = 120) -> list[str]:
    outputs = []
    for w in workers:
        out, err = w.communicate(timeout=timeout_s)
        assert w.returncode in (0, -signal.SIGKILL), err
        outputs.append(out)
    return outputs


def _assert_each_trial_ran_once(name: str, storage: str, trials: int) -> list:
    summary = read_sweep(name, storage)
    complete = [t for t in summary.trials if t.state == "complete"]
    assert len(complete) == trials
    with RunStore.open() as store:
        runs = {r.id: r for r in store.sweep_runs(name)}
    assert len({t.run for t in summary.trials}) == len(summary.trials)  # a run of its own per trial
    assert {t.run for t in summary.trials} <= set(runs)
    assert sorted(r.sweep_trial for r in runs.values()) == sorted(t.number for t in summary.trials)
    return [runs[t.run] for t in complete]


def test_two_workers_share_out_the_trials(storage, quick_heartbeat):
    _make("shared", storage, trials=6)
    outputs = _finish([join("shared", storage), join("shared", storage)])
    runs = _assert_each_trial_ran_once("shared", storage, 6)
    assert len({r.owner_pid for r in runs}) == 2, outputs  # both took trials
    assert sum(out.count(" complete ") for out in outputs) == 6


def _running_trial_pid(name: str, storage: str, timeout_s: float = 60) -> int:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        running = [t for t in read_sweep(name, storage).trials if t.state == "running" and t.run]
        if running:
            with RunStore.open() as store:
                return store.get(running[0].run).owner_pid
        time.sleep(0.05)
    raise AssertionError("no trial started")


def test_a_killed_workers_trial_fails_and_the_sweep_still_reaches_its_count(storage, quick_heartbeat):
    _make("killed", storage, trials=4, epochs=4)
    workers = [join("killed", storage), join("killed", storage)]
    os.kill(_running_trial_pid("killed", storage), signal.SIGKILL)
    _finish(workers)
    summary = read_sweep("killed", storage)
    failed = [t for t in summary.trials if t.state == "failed"]
    assert len(failed) == 1 and "died" in failed[0].message
    _assert_each_trial_ran_once("killed", storage, 4)
    with RunStore.open() as store:
        assert store.get(failed[0].run).status == "interrupted"
    for path in (database_path(), storage.removeprefix("sqlite:///")):
        assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_machines_share_a_postgresql_study(quick_heartbeat):
    url = os.environ.get(POSTGRES_VAR)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_VAR}=postgresql://USER@HOST/DB (.ci/run starts one)")
    name = f"machines-{os.getpid()}-{int(time.time())}"
    _make(name, url, trials=4)
    _finish([join(name, url), join(name, url)])
    _assert_each_trial_ran_once(name, url, 4)
