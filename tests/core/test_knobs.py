"""Hands on the controls: live knobs reach the optimizer at the next step and are recorded; single steps, a
finished epoch, slow motion; +1 epoch continues a finished run."""

from __future__ import annotations

import json
import threading

import pytest

from playground.core.checkpoint import load_checkpoint
from playground.core.config import TrainConfig
from playground.core.run_dir import MetricsWriter
from playground.core.training.callbacks import Callback, CallbackList
from playground.core.training.control import RunControl
from playground.core.training.trainer import Trainer

WAIT_S = 30


def tiny(**changes) -> TrainConfig:
    base = TrainConfig(arch="mlp", arch_options={"hidden": [16], "dropout": 0.1}, dataset="spiral",
                       dataset_options={"samples": 400}, batch_size=32, epochs=2, lr=0.01, optimizer="sgd",
                       device="cpu")
    return base.replace(**changes)


class _Record(Callback):
    def __init__(self, on_step=None):
        self.steps, self.knobs, self.notices, self.epochs = [], [], [], []
        self._on_step = on_step

    def on_step(self, e):
        self.steps.append(e)
        if self._on_step:
            self._on_step(e)

    def on_knob(self, e):
        self.knobs.append(e)

    def on_notice(self, e):
        self.notices.append(e)

    def on_epoch_end(self, e):
        self.epochs.append(e)


def test_a_learning_rate_change_reaches_the_optimizer_at_the_next_step(tmp_path):
    control = RunControl()
    record = _Record(on_step=lambda e: control.set_knob("lr", 0.05) if e.step == 5 else None)
    (tmp_path / "metrics.jsonl").write_text("")
    result = Trainer(report_every_s=0).fit(tiny(), CallbackList([record, MetricsWriter(tmp_path)]), control)
    assert result.status == "completed", result.message
    (change,) = record.knobs
    assert (change.step, change.name, change.old, change.new) == (5, "lr", 0.01, 0.05)
    lrs = {e.step: e.lrs["lr"] for e in record.steps}
    assert lrs[5] == 0.01 and lrs[6] == 0.05 and lrs[max(lrs)] == 0.05
    lines = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert lines[0]["knob_changes"] == [{"step": 5, "name": "lr", "old": 0.01, "new": 0.05, "network": ""}]
    assert "knob_changes" not in lines[1]


@pytest.mark.parametrize(("name", "value", "read"), [
    ("momentum", 0.5, lambda t: t.optimizations["model"].get("momentum")),
    ("weight_decay", 1e-3, lambda t: t.optimizations["model"].get("weight_decay")),
    ("l1", 1e-4, lambda t: t.l1),
    ("dropout", 0.4, lambda t: t.knob_values()["dropout"]),
])
def test_every_knob_applies_and_survives_a_checkpoint(tmp_path, name, value, read):
    control = RunControl()
    record = _Record(on_step=lambda e: control.set_knob(name, value) if e.step == 2 else None)
    result = Trainer(report_every_s=0).fit(tiny(epochs=1), record, control, checkpoint_path=tmp_path / "m.pt")
    assert [k.name for k in record.knobs] == [name] and record.knobs[0].new == value
    from playground.core.data.registry import load_dataset
    from playground.core.training import prepared

    ckpt = load_checkpoint(tmp_path / "m.pt")
    data = load_dataset("spiral", {"samples": 400})
    run = prepared.prepare(tiny(epochs=2), data, __import__("torch").device("cpu"), ckpt)
    assert read(run.task) == pytest.approx(value)
    assert result.metrics[0].knob_changes[0].name == name


def test_a_knob_that_cannot_move_says_why_and_the_run_goes_on():
    control = RunControl()
    record = _Record(on_step=lambda e: control.set_knob("momentum", 0.5) if e.step == 2 else None)
    result = Trainer(report_every_s=0).fit(tiny(schedule="onecycle", epochs=1), record, control)
    assert result.status == "completed" and record.knobs == []
    assert "onecycle" in record.notices[0].message


def test_one_batch_advances_exactly_one_step():
    control = RunControl()
    control.pause()
    seen = threading.Semaphore(0)
    record = _Record(on_step=lambda e: seen.release())
    thread = threading.Thread(target=Trainer(report_every_s=0).fit, args=(tiny(epochs=3), record, control))
    thread.start()
    try:
        for expected in (1, 2, 3):
            control.step_once()
            assert seen.acquire(timeout=WAIT_S)
            assert [e.step for e in record.steps] == list(range(1, expected + 1))
        assert not seen.acquire(timeout=0.3), "a paused run went on by itself"
    finally:
        control.stop()
        thread.join(WAIT_S)


def test_finish_epoch_trains_to_the_end_of_the_epoch_then_holds():
    control = RunControl()
    held = threading.Event()
    record = _Record()
    record.on_epoch_end = lambda e: (record.epochs.append(e), held.set())
    control.pause()
    thread = threading.Thread(target=Trainer(report_every_s=0).fit, args=(tiny(epochs=3), record, control))
    thread.start()
    try:
        control.finish_epoch()
        assert held.wait(WAIT_S)
        assert [e.epoch for e in record.epochs] == [1]
        control.wait_while_paused(0.3)
        assert control.paused and record.steps[-1].step == 400 * 3 // 4 // 32
    finally:
        control.stop()
        thread.join(WAIT_S)


def test_slow_motion_reports_every_step():
    control = RunControl()
    control.step_delay_s = 0.01
    record = _Record()
    Trainer(report_every_s=60).fit(tiny(epochs=1), record, control)
    assert [e.count for e in record.steps] == [1] * len(record.steps) and len(record.steps) == 300 // 32


def test_plus_one_epoch_continues_a_finished_run():
    first = Trainer().fit(tiny(epochs=1, schedule="cosine"))
    record = _Record()
    more = Trainer().fit(tiny(epochs=2, schedule="cosine"), record, resume_from=first.checkpoint)
    assert more.status == "completed" and [m.epoch for m in more.metrics] == [2]
    assert record.steps[0].step > first.checkpoint.step and more.checkpoint.step == 2 * (300 // 32)
