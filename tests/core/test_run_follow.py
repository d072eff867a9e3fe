"""Following a run folder from outside: epochs as lines are appended (half-written ones wait), checkpoints as
model.pt is replaced, a new run in the folder; and a STOP file that stops a run at its next step."""

from __future__ import annotations

import json
import os
import threading

from playground.core.config import TrainConfig
from playground.core.run_follow import (
    STOP_FILE,
    CheckpointWritten,
    MetricsRestarted,
    RunFollower,
    StopFileWatch,
    request_stop,
)
from playground.core.training.callbacks import Callback, CallbackList
from playground.core.training.control import RunControl
from playground.core.training.events import EpochMetrics
from playground.core.training.trainer import Trainer


def _line(epoch: int, seconds: float = 1.0) -> str:
    return json.dumps(EpochMetrics(epoch, {"train_loss": 1.0 / epoch}, {"lr": 0.1}, seconds, 100.0).to_dict()) + "\n"


def test_new_epochs_arrive_once_and_a_half_written_line_waits(tmp_path):
    follower = RunFollower(tmp_path)
    assert follower.poll() == []  # nothing there yet
    metrics = tmp_path / "metrics.jsonl"
    metrics.write_text(_line(1) + _line(2)[:20])
    assert [e.epoch for e in follower.poll()] == [1]
    with open(metrics, "a") as f:
        f.write(_line(2)[20:] + "not json\n" + _line(3))
    assert [e.epoch for e in follower.poll()] == [2, 3]
    assert follower.poll() == []


def test_a_replaced_checkpoint_and_a_new_run_are_reported(tmp_path):
    follower = RunFollower(tmp_path)
    (tmp_path / "metrics.jsonl").write_text(_line(1))
    tmp = tmp_path / "model.pt.tmp"
    tmp.write_bytes(b"one")
    os.replace(tmp, tmp_path / "model.pt")
    events = follower.poll()
    assert isinstance(events[0], EpochMetrics) and isinstance(events[1], CheckpointWritten)
    assert follower.poll() == []
    tmp.write_bytes(b"two!")
    os.replace(tmp, tmp_path / "model.pt")
    assert [type(e) for e in follower.poll()] == [CheckpointWritten]
    (tmp_path / "metrics.jsonl").write_text("")  # a fresh run in this folder starts an empty file
    (tmp_path / "metrics.jsonl").write_text(_line(1, seconds=2.0))  # as long as the old one, but another
    events = follower.poll()
    assert isinstance(events[0], MetricsRestarted) and events[1].epoch == 1


def test_follow_yields_epochs_while_a_run_writes_them(tmp_path):
    done = threading.Event()

    def write():
        for epoch in (1, 2, 3):
            with open(tmp_path / "metrics.jsonl", "a") as f:
                f.write(_line(epoch))
        done.set()

    threading.Timer(0.05, write).start()
    seen = [e.epoch for e in RunFollower(tmp_path).follow(0.02, until=done.is_set, timeout_s=30)
            if isinstance(e, EpochMetrics)]
    assert seen == [1, 2, 3]


def test_a_stop_file_stops_the_run_at_its_next_step_and_goes_when_it_ends(tmp_path):
    clock = [0.0]
    control = RunControl()
    watch = StopFileWatch(tmp_path, control, interval_s=0.5, clock=lambda: clock[0])
    request_stop(tmp_path)
    watch.on_step(None)
    assert control.stop_requested
    control2 = RunControl()
    watch2 = StopFileWatch(tmp_path, control2, interval_s=0.5, clock=lambda: clock[0])
    watch2.on_step(None)
    clock[0] = 0.2
    watch2.on_step(None)
    assert control2.stop_requested and (tmp_path / STOP_FILE).exists()
    watch2.on_finished(None)
    assert not (tmp_path / STOP_FILE).exists()


def test_a_running_trainer_honours_a_stop_request(tmp_path):
    stale = tmp_path / STOP_FILE
    stale.write_text("from an earlier run")
    os.utime(stale, (0, 0))
    control = RunControl()

    class StopAfterOneEpoch(Callback):
        def on_epoch_end(self, e):
            request_stop(tmp_path)

    config = TrainConfig(arch="mlp", arch_options={"hidden": [8]}, dataset="spiral", dataset_options={"samples": 200},
                         batch_size=16, epochs=1000, device="cpu")
    result = Trainer(report_every_s=0).fit(
        config, CallbackList([StopFileWatch(tmp_path, control, interval_s=0), StopAfterOneEpoch()]), control)
    assert result.status == "stopped" and 1 <= len(result.metrics) <= 2, "the stale file stopped it, or none did"
    assert not stale.exists()
