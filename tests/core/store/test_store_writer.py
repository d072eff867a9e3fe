"""StoreWriter with the real Trainer: the store and metrics.jsonl agree with what the run reported, every way a
run ends is recorded, and a resume continues the same run (id, step count, curves, a new learning rate)."""

from __future__ import annotations

import pytest

from playground.core.checkpoint import load_checkpoint, save_checkpoint
from playground.core.errors import StoreError
from playground.core.store import read_metrics, start_run
from playground.core.training.callbacks import Callback, CallbackList
from playground.core.training.control import RunControl
from playground.core.training.trainer import Trainer


class Steps(Callback):
    def __init__(self, on_epoch=None):
        self.steps: list[int] = []
        self.lrs: list[float] = []
        self.on_epoch = on_epoch

    def on_step(self, e):
        self.steps += list(range(e.step - e.count + 1, e.step + 1))
        self.lrs.append(e.lr)

    def on_epoch_end(self, e):
        if self.on_epoch:
            self.on_epoch(e)


def fit(store, config, out=None, resume=None, control=None, on_epoch=None):
    run = start_run(store, config, out, resume)
    steps = Steps(on_epoch)
    result = Trainer(report_every_s=0).fit(config, CallbackList([run.writer(), steps]), control,
                                           checkpoint_path=run.checkpoint_path, resume_from=run.resume_from,
                                           run_id=run.id)
    return run, result, steps


def test_a_run_is_recorded_as_the_trainer_reported_it(store, tiny, runs_dir):
    run, result, steps = fit(store, tiny)
    record = store.get(run.id)
    assert run.folder.parent == runs_dir and record.folder == run.folder  # no --out: under the runs dir
    assert (record.status, record.epochs_done, record.steps_done, record.device) == ("completed", 3, 9, "cpu")
    assert record.kind == "classification" and record.config == tiny.to_dict()
    reported = [m.to_dict() for m in result.metrics]
    assert store.epoch_rows(run.id) == reported == read_metrics(run.folder)
    best = max(reported, key=lambda r: r["test_accuracy"])
    assert record.best_metric == best["test_accuracy"] and record.best.epoch == best["epoch"]
    assert load_checkpoint(run.checkpoint_path).run_id == run.id


@pytest.mark.parametrize("how", ["stop", "interrupt"])
def test_a_run_stopped_or_interrupted_is_recorded_so(store, tiny, how):
    control = RunControl()
    run, result, _ = fit(store, tiny, control=control, on_epoch=lambda e: getattr(control, how)())
    record = store.get(run.id)
    assert record.status == result.status == {"stop": "stopped", "interrupt": "interrupted"}[how]
    assert record.epochs_done == 1 and read_metrics(run.folder) == store.epoch_rows(run.id)


def test_a_failed_run_is_recorded_with_its_message(store, tiny):
    config = tiny.replace(dataset="sine", optimizer="sgd", lr=1e6)
    run, result, _ = fit(store, config)
    record = store.get(run.id)
    assert result.status == record.status == "failed"
    assert "diverged" in record.message and record.ended_at is not None


def test_resume_continues_the_run_its_steps_curves_and_a_new_lr(store, tiny):
    first, result, steps = fit(store, tiny.replace(epochs=2))
    before = store.epoch_rows(first.id)
    again, result, resumed_steps = fit(store, tiny.replace(epochs=4, lr=0.05), resume=first.id)
    record = store.get(first.id)
    assert again.id == first.id and again.folder == first.folder and len(store.runs()) == 1
    assert steps.steps == list(range(1, 7)) and resumed_steps.steps == list(range(7, 13))  # the count goes on
    assert record.status == "completed" and record.steps_done == 12 and record.epochs_done == 4
    rows = store.epoch_rows(first.id)
    assert rows[:2] == before and [r["epoch"] for r in rows] == [1, 2, 3, 4] == [r["epoch"] for r in
                                                                                 read_metrics(first.folder)]
    assert [r["lr"] for r in rows] == [0.01, 0.01, 0.05, 0.05]  # the new rate, not the saved optimizer's
    assert set(resumed_steps.lrs) == {0.05} and record.config["lr"] == 0.05
    assert record.duration_s() > 0


def test_resume_from_a_checkpoint_behind_the_store_redoes_the_epochs_after_it(store, tiny):
    run, _, _ = fit(store, tiny.replace(epochs=2))
    ckpt = load_checkpoint(run.checkpoint_path)
    ckpt.epoch, ckpt.metrics, ckpt.step = 1, ckpt.metrics[:1], 3  # as if killed after epoch 2's commit
    save_checkpoint(run.checkpoint_path, ckpt)
    again = start_run(store, tiny.replace(epochs=3), resume=str(run.folder))
    assert store.get(run.id).epochs_done == 1 and len(read_metrics(run.folder)) == 1
    assert again.id == run.id and store.get(run.id).status == "running"


def test_resume_elsewhere_is_a_new_run_with_the_old_curves(store, tiny, tmp_path):
    first, _, _ = fit(store, tiny.replace(epochs=2))
    branch, _, _ = fit(store, tiny.replace(epochs=3), out=tmp_path / "branch", resume=str(first.checkpoint_path))
    assert branch.id != first.id and store.get(first.id).epochs_done == 2
    assert [r["epoch"] for r in store.epoch_rows(branch.id)] == [1, 2, 3]
    assert store.epoch_rows(branch.id)[:2] == store.epoch_rows(first.id)


def test_a_run_still_running_is_not_resumed_twice(store, tiny):
    run, _, _ = fit(store, tiny.replace(epochs=1))
    store._write("UPDATE runs SET status = 'running' WHERE id = ?", (run.id,))  # this live process owns it
    with pytest.raises(StoreError, match="still running"):
        start_run(store, tiny.replace(epochs=2), resume=run.id)
