"""Runs in the store: status transitions, the best metric, finding a run, names and notes, deleting, and runs
whose writer died reading as interrupted."""

from __future__ import annotations

import subprocess
import sys
import time

import psutil
import pytest

from playground.core.errors import StoreError
from playground.core.store import Owner, RunStore, best_of, config_difference, read_metrics, this_process
from playground.core.store.folder import write_metrics


def _row(epoch: int, **values) -> dict:
    return {"epoch": epoch, **values, "lr": 0.01, "seconds": 0.1, "samples_per_s": 100.0}


def _dead_owner() -> Owner:
    """The owner of a process that has come and gone (reaped), as a SIGKILLed writer's is."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    me = this_process()
    return Owner(child.pid, me.host, me.started)


def test_status_goes_from_running_to_each_ending(store, tiny, tmp_path):
    for ending in ("completed", "stopped", "failed", "interrupted"):
        run = store.create(tiny.to_dict(), tmp_path / ending, "classification")
        assert run.status == "running" and run.ended_at is None and run.owner_pid == this_process().pid
        store.finish(run.id, ending, 9, "boom" if ending == "failed" else "")
        done = store.get(run.id)
        assert done.status == ending and done.ended_at >= done.started_at and done.steps_done == 9
        assert done.message == ("boom" if ending == "failed" else "")
    with pytest.raises(ValueError):
        store.finish(run.id, "running")


def test_best_metric_is_the_best_accuracy_of_a_classifier_else_the_lowest_loss():
    assert best_of([]).value is None
    assert best_of([_row(1, test_accuracy=0.5, test_loss=0.9), _row(2, test_accuracy=0.8, test_loss=0.3),
                    _row(3, test_accuracy=0.8, test_loss=0.2)]).__dict__ == {
        "epoch": 2, "value": 0.8, "metric": "test_accuracy"}  # a tie keeps the earlier epoch
    assert best_of([_row(1, test_loss=0.4), _row(2, test_loss=0.1), _row(3, test_loss=0.2)]).epoch == 2
    assert best_of([_row(1, test_real=0.5, test_fake=0.4)]).value is None  # a GAN has neither figure
    assert best_of([_row(1, test_loss=float("nan")), _row(2, test_loss=0.3)]).epoch == 2


def test_epochs_sum_up_as_they_arrive(store, tiny, tmp_path):
    run = store.create(tiny.to_dict(), tmp_path / "r", "classification")
    assert store.get(run.id).best_metric is None  # null before the first epoch
    for epoch, accuracy in ((1, 0.6), (2, 0.9), (3, 0.7)):
        store.add_epoch(run.id, _row(epoch, test_accuracy=accuracy, test_loss=1 - accuracy), 3 * epoch)
    got = store.get(run.id)
    assert (got.epochs_done, got.steps_done, got.best.epoch, got.best_metric) == (3, 9, 2, 0.9)
    assert got.final_metrics["test_accuracy"] == 0.7
    assert [e.epoch for e in store.epochs(run.id)] == [1, 2, 3] and store.epochs(run.id)[1].test_accuracy == 0.9
    store.add_epoch(run.id, _row(2, test_accuracy=0.5, test_loss=0.5), 6)  # epoch 2 done again: 3 goes
    again = store.get(run.id)
    assert (again.epochs_done, again.best.epoch, again.best_metric) == (2, 1, 0.6)


def test_a_run_is_found_by_id_name_prefix_folder_or_checkpoint(store, tiny, tmp_path):
    folder = tmp_path / "my run"
    folder.mkdir()
    (folder / "model.pt").write_bytes(b"")
    run = store.create(tiny.to_dict(), folder, "classification", name="baseline")
    other = store.create(tiny.to_dict(), tmp_path / "other", "classification")
    for ref in (run.id, "baseline", run.id[:6], str(folder), str(folder / "model.pt")):
        assert store.find(ref).id == run.id, ref
    assert store.find(other.id).name == "other"
    with pytest.raises(StoreError, match="no run 'nothing'.*playground runs"):
        store.find("nothing")


def test_two_runs_configs_differ_where_their_settings_do(tiny):
    a = tiny.to_dict()
    b = tiny.replace(lr=0.1, arch_options={"hidden": [8], "dropout": 0.2}).to_dict()
    assert config_difference(a, b) == {"arch_options.dropout": (None, 0.2), "lr": (0.01, 0.1)}
    assert config_difference(a, a) == {}


def test_names_are_unique_and_runs_take_notes(store, tiny, tmp_path):
    first = store.create(tiny.to_dict(), tmp_path / "a" / "run", "classification")
    second = store.create(tiny.to_dict(), tmp_path / "b" / "run", "classification")
    assert (first.name, second.name) == ("run", "run-2")
    store.rename(second.id, "wider")
    store.set_notes(second.id, "hidden=64 next")
    assert store.get(second.id).name == "wider" and store.get(second.id).notes == "hidden=64 next"
    with pytest.raises(StoreError, match="already is a run named 'run'"):
        store.rename(second.id, "run")


def test_delete_removes_the_run_and_its_files_but_never_someone_elses(store, tiny, tmp_path):
    folder, shared = tmp_path / "run", tmp_path / "home"
    for f in (folder, shared):
        f.mkdir()
        for name in ("config.toml", "metrics.jsonl", "model.pt"):
            (f / name).write_text("x")
    (folder / "samples").mkdir()
    (folder / "samples" / "epoch-001.png").write_bytes(b"png")
    (shared / "thesis.tex").write_text("mine")
    run, other = (store.create(tiny.to_dict(), f, "classification") for f in (folder, shared))
    with pytest.raises(StoreError, match="still running"):
        store.delete(run.id)
    for r in (run, other):
        store.finish(r.id, "completed")
    assert store.delete(run.id) is True and not folder.exists()
    assert store.delete(other.id) is False and (shared / "thesis.tex").read_text() == "mine"
    assert not (shared / "model.pt").exists() and store.runs() == []
    older, newer = (store.create(tiny.to_dict(), folder, "classification") for _ in range(2))  # --out reused
    folder.mkdir()
    (folder / "model.pt").write_text("the newer run's")
    store.finish(older.id, "failed")
    assert store.delete(older.id) is False and (folder / "model.pt").is_file()
    assert [r.id for r in store.runs()] == [newer.id]


def test_a_run_whose_writer_died_reads_as_interrupted_and_repair_records_it(store, tiny, tmp_path):
    folder = tmp_path / "killed"
    folder.mkdir()
    run = store.create(tiny.to_dict(), folder, "classification", owner=_dead_owner())
    for epoch in (1, 2):
        store.add_epoch(run.id, _row(epoch, test_accuracy=0.5, test_loss=0.5), 3 * epoch)
    write_metrics(folder, [_row(1, test_accuracy=0.5, test_loss=0.5)])  # killed before its 2nd line
    seen = store.get(run.id)
    assert seen.status == "interrupted" and seen.ended_at is not None and seen.epochs_done == 2
    alive = store.create(tiny.to_dict(), tmp_path / "alive", "classification")
    assert store.repair() == [run.id]
    assert store.get(alive.id).status == "running"  # this process's own run is alive
    raw = store._read("SELECT status FROM runs WHERE id = ?", (run.id,))[0][0]
    assert raw == "interrupted" and [r["epoch"] for r in read_metrics(folder)] == [1, 2]
    assert store.repair() == []


def test_a_repair_that_dies_half_way_is_finished_by_the_next(store, tiny, tmp_path, monkeypatch):
    """The folder is repaired before the status: a repair killed in between (the next run's start, say) leaves
    the run for the next repair, never interrupted with its metrics.jsonl an epoch short."""
    folder = tmp_path / "killed"
    folder.mkdir()
    run = store.create(tiny.to_dict(), folder, "classification", owner=_dead_owner())
    for epoch in (1, 2):
        store.add_epoch(run.id, _row(epoch, test_accuracy=0.5, test_loss=0.5), 3 * epoch)
    write_metrics(folder, [_row(1, test_accuracy=0.5, test_loss=0.5)])
    rewrite = store._rewrite_metrics

    def rewrite_then_die(*args) -> None:
        rewrite(*args)
        raise KeyboardInterrupt  # the process ends here, before the status is written

    monkeypatch.setattr(store, "_rewrite_metrics", rewrite_then_die)
    with pytest.raises(KeyboardInterrupt):
        store.repair()
    monkeypatch.setattr(store, "_rewrite_metrics", rewrite)
    assert [r["epoch"] for r in read_metrics(folder)] == [1, 2]
    assert store.repair() == [run.id]


def test_a_zombie_writer_is_dead_and_a_reused_pid_is_not_the_writer(store, tiny, tmp_path):
    me = this_process()
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 30
        while psutil.Process(zombie.pid).status() != psutil.STATUS_ZOMBIE:  # exited, not yet reaped
            assert time.monotonic() < deadline, "the child did not exit"
            time.sleep(0.02)
        run = store.create(tiny.to_dict(), tmp_path / "z", "classification", owner=Owner(zombie.pid, me.host, 0.0))
        assert store.get(run.id).status == "interrupted"
    finally:
        zombie.wait()
    reused = store.create(tiny.to_dict(), tmp_path / "p", "classification",
                          owner=Owner(me.pid, me.host, me.started - 3600))  # this pid, an hour older: not us
    assert store.get(reused.id).status == "interrupted"


def test_a_writer_on_another_host_is_judged_by_its_heartbeat(store, tiny, tmp_path):
    run = store.create(tiny.to_dict(), tmp_path / "far", "classification", owner=Owner(1, "elsewhere", 0.0))
    assert store.get(run.id).status == "running"  # a fresh heartbeat
    store._write("UPDATE runs SET heartbeat_at = heartbeat_at - 3600 WHERE id = ?", (run.id,))
    assert store.get(run.id).status == "interrupted"


def test_another_connection_sees_commits_and_data_version_moves(store, tiny, tmp_path):
    with RunStore.open(store.path) as reader:
        before = reader.data_version()
        run = store.create(tiny.to_dict(), tmp_path / "r", "classification")
        assert reader.data_version() != before
        assert reader.get(run.id).name == "r"


def test_two_custom_networks_differ_in_the_layers_that_do():
    a = {"arch": "custom", "layers": [{"type": "Linear", "out_features": 32}, {"type": "ReLU"},
                                      {"type": "Linear"}]}
    b = {"arch": "custom", "layers": [{"type": "Linear", "out_features": 64}, {"type": "Tanh"},
                                      {"type": "Linear"}, {"type": "Softmax"}]}
    assert config_difference(a, b) == {"layers.1.out_features": (32, 64), "layers.2.type": ("ReLU", "Tanh"),
                                       "layers.4.type": (None, "Softmax")}
