"""Sweeps in this process: grid, random and tpe; pruning; a diverging trial; resuming; trials in the run store."""

from __future__ import annotations

import math

import pytest

from playground.core.store import RunStore
from playground.core.sweeps import (
    SweepSpec,
    SweepStopped,
    TrialSetup,
    apply_params,
    create_study,
    importances,
    parse_vary,
    read_sweep,
    resume,
    run_sweep,
    run_worker,
)
from playground.core.training.callbacks import Callback
from tests.sweeps.conftest import tiny_config


def _spec(name: str, *vary: str, **settings) -> SweepSpec:
    return SweepSpec(name, tiny_config(), tuple(parse_vary(v) for v in vary), **settings)


def test_grid_tries_every_point_once_and_records_each_trial_as_a_run(storage):
    summary = run_sweep(_spec("grid", "lr=0.01,0.05", "arch_options.hidden=[8],[16,16]", trials=4,
                              strategy="grid", prune="none"), storage)
    assert [t.state for t in summary.trials] == ["complete"] * 4
    points = {(t.params["lr"], tuple(t.params["arch_options.hidden"])) for t in summary.trials}
    assert points == {(lr, h) for lr in (0.01, 0.05) for h in ((8,), (16, 16))}
    with RunStore.open() as store:
        runs = store.sweep_runs("grid")
    assert sorted(r.sweep_trial for r in runs) == [0, 1, 2, 3]
    assert {r.id for r in runs} == {t.run for t in summary.trials}
    for run in runs:  # an ordinary run: settings, curves, checkpoint
        trial = summary.trials[run.sweep_trial]
        assert run.status == "completed" and run.epochs_done == 2 and run.checkpoint_path.is_file()
        assert run.config["lr"] == trial.params["lr"]
        assert run.config["arch_options"]["hidden"] == trial.params["arch_options.hidden"]
        assert run.final_metrics["test_accuracy"] == pytest.approx(trial.value)
    assert summary.best is not None and summary.best.value == max(t.value for t in summary.trials)
    assert apply_params(tiny_config(), summary.best.params).lr == summary.best.params["lr"]


@pytest.mark.parametrize("strategy", ["random", "tpe"])
def test_random_and_tpe_sample_within_the_ranges(storage, strategy):
    told = []
    summary = run_sweep(_spec(f"sampled-{strategy}", "lr=log:1e-3:1e-1", "arch_options.dropout=0:0.3",
                              "epochs=int:1:2", trials=4, strategy=strategy, prune="none"), storage,
                        on_trial=told.append)
    assert len(summary.trials) == 4 and [t.number for t in told] == [0, 1, 2, 3]
    for t in summary.trials:
        assert t.state == "complete" and 0 <= t.value <= 1
        assert 1e-3 <= t.params["lr"] <= 1e-1 and 0 <= t.params["arch_options.dropout"] <= 0.3
        assert t.params["epochs"] in (1, 2)
    assert set(importances(f"sampled-{strategy}", storage)) <= {"lr", "arch_options.dropout", "epochs"}


def test_the_median_pruner_stops_poor_trials_after_their_second_epoch(storage):
    spec = _spec("pruned", "lr=log:1e-6:1e-1", trials=5, strategy="random", prune="median").replace(
        config=tiny_config(epochs=8))  # judged from a quarter of the epochs on: the second
    study, _ = create_study(spec, storage)
    for lr in (0.05, 0.05, 0.05, 1e-6, 1e-6):  # three good trials first: the median the poor ones fall below
        study.enqueue_trial({"lr": lr})
    run_worker("pruned", storage)
    trials = read_sweep("pruned", storage).trials
    assert [t.state for t in trials] == ["complete", "complete", "complete", "pruned", "pruned"]
    assert all(len(t.epochs) == 2 and t.message == "pruned after epoch 2" for t in trials[3:])
    with RunStore.open() as store:
        pruned = [store.get(t.run) for t in trials[3:]]
    assert all(r.status == "stopped" and r.epochs_done == 2 and "pruned" in r.notes for r in pruned)


def test_a_diverging_trial_fails_alone(storage):
    summary = run_sweep(_spec("diverging", "lr=0.01,1e30,0.02", trials=3, strategy="grid", prune="none"), storage)
    by_lr = {t.params["lr"]: t for t in summary.trials}
    assert by_lr[1e30].state == "failed" and "nan" in by_lr[1e30].message
    assert by_lr[0.01].state == by_lr[0.02].state == "complete"
    with RunStore.open() as store:
        assert store.get(by_lr[1e30].run).status == "failed"


class _StopSecondTrial(Callback):
    """Stops the sweep from outside (as Ctrl+C does) during its second trial."""

    def __init__(self, setup: TrialSetup):
        self.setup, self.epochs = setup, 0

    def on_epoch_end(self, event) -> None:
        self.epochs += 1
        if self.epochs == 3:
            self.setup.current.interrupt()


def test_a_stopped_sweep_resumes_and_runs_the_stopped_settings_again(storage):
    setup = TrialSetup()
    setup.callbacks = (_StopSecondTrial(setup),)
    with pytest.raises(SweepStopped, match="--resume"):
        run_sweep(_spec("resumed", "lr=log:1e-3:1e-1", trials=3, strategy="random", prune="none"), storage, setup)
    stopped = read_sweep("resumed", storage).trials
    assert [t.state for t in stopped] == ["complete", "failed", "waiting"]
    assert stopped[2].params == stopped[1].params  # queued again
    summary = resume("resumed", storage, trials=4)
    states = [t.state for t in summary.trials]
    assert states.count("complete") == 4 and states.count("failed") == 1
    assert summary.trials[2].params == stopped[1].params and summary.spec.trials == 4
    assert all(math.isfinite(t.value) for t in summary.trials if t.state == "complete")


@pytest.mark.filterwarnings("ignore:Heartbeat of storage")  # ask() by hand, as optimize() does inside
def test_a_trial_two_workers_asked_for_at_once_stands_down_unseen(storage):
    import optuna

    from playground.core.sweeps.trial_run import TrialFailed
    from playground.core.sweeps.workers import _run_unless_surplus

    spec = _spec("surplus", "lr=log:1e-3:1e-1", trials=2, strategy="random", prune="none")
    study, _ = create_study(spec, storage)
    first, second, third = study.ask(), study.ask(), study.ask()  # three asks for two trials
    with pytest.raises(TrialFailed):
        _run_unless_surplus(third, spec, TrialSetup())
    study.tell(third, state=optuna.trial.TrialState.FAIL)
    assert [t.number for t in read_sweep("surplus", storage).trials] == [first.number, second.number]
