"""A stop in the parts of a run that have no training batches: while the dataset downloads or decodes it ends
the run at the next progress report, while an epoch is evaluated at the next batch of the evaluation; a resume
then loses nothing. (The app's window waits for the run before it closes; Ctrl+C in the CLI waits too.)"""

from __future__ import annotations

import time
import urllib.request

import pytest
from faultkit import image_folder, tiny

from playground.core.checkpoint import load_checkpoint
from playground.core.training.callbacks import Callback
from playground.core.training.control import RunControl
from playground.core.training.trainer import Trainer


class _Trickle:
    """A response of 10 MB that comes in 4 KB every 10 ms (about 40 s in all)."""

    headers = {"Content-Length": str(10 << 20)}

    def read(self, size: int) -> bytes:
        time.sleep(0.01)
        return bytes(min(size, 4096))

    def __enter__(self) -> _Trickle:
        return self

    def __exit__(self, *exc) -> None:
        return None


class _StopAfter(Callback):
    """Asks the run to stop at the n-th progress report, as the window's Stop button would, and keeps the ends."""

    def __init__(self, control: RunControl, reports: int, reason: str = "stopped"):
        self.control, self.reports, self.reason = control, reports, reason
        self.progress, self.ends = 0, []

    def on_load_progress(self, event) -> None:
        self.progress += 1
        if self.progress == self.reports:
            self.control.stop(self.reason)

    def on_start(self, event) -> None:
        self.ends.append("started")

    def on_finished(self, event) -> None:
        self.ends.append(event)

    def on_failed(self, event) -> None:
        self.ends.append(event)


def test_a_stop_during_a_download_ends_the_run_at_the_next_chunk(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_OFFLINE", "0")
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout=None: _Trickle())
    control = RunControl()
    watch = _StopAfter(control, reports=3, reason="interrupted")
    started = time.perf_counter()
    result = Trainer().fit(tiny(arch="linear", arch_options={}, dataset="mnist", data_dir=str(tmp_path),
                                dataset_options={}),
                           watch, control)
    assert time.perf_counter() - started < 30, "the download went on to its end"
    assert result.status == "interrupted" and result.checkpoint is None
    (end,) = watch.ends  # no on_start: nothing trained; no on_failed: a stop is no fault
    assert (end.reason, end.epochs_done, end.steps_done) == ("interrupted", 0, 0)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()], "the cut download left a .part file"


def test_a_stop_while_images_are_decoded_ends_the_run(tmp_path):
    folder = image_folder(tmp_path / "images", per_class=150)  # a report every 200 images: two of them
    control = RunControl()
    watch = _StopAfter(control, reports=1)
    config = tiny(arch="mlp", dataset="image-folder", dataset_options={"path": str(folder), "size": 8})
    result = Trainer().fit(config, watch, control)
    assert result.status == "stopped" and [getattr(e, "reason", e) for e in watch.ends] == ["stopped"]  # never started


class _StopAtTheEpochsLastStep(Callback):
    """Asks for a stop when the first epoch's last step is reported: its evaluation comes next."""

    def __init__(self, control: RunControl):
        self.control, self.steps_per_epoch, self.epochs, self.finished = control, 0, [], None

    def on_start(self, event) -> None:
        self.steps_per_epoch = event.steps_per_epoch

    def on_step(self, event) -> None:
        if event.step == self.steps_per_epoch:
            self.control.stop()

    def on_epoch_end(self, event) -> None:
        self.epochs.append(event)

    def on_finished(self, event) -> None:
        self.finished = event


def test_a_stop_during_an_epochs_evaluation_ends_it_and_the_resume_loses_nothing(tmp_path):
    config = tiny(epochs=2, dataset_options={"samples": 2000}, seed=4)
    clean = Trainer().fit(config)
    control, path = RunControl(), tmp_path / "model.pt"
    watch = _StopAtTheEpochsLastStep(control)
    stopped = Trainer().fit(config, watch, control, checkpoint_path=path)
    assert stopped.status == "stopped" and watch.epochs == [], "the evaluation ran to its end"
    assert (watch.finished.epochs_done, watch.finished.steps_done) == (0, watch.steps_per_epoch)
    saved = load_checkpoint(path)
    assert saved.epoch == 0 and saved.resume_state["epoch_step"] == watch.steps_per_epoch  # every step kept
    resumed = Trainer().fit(config, resume_from=path)
    assert resumed.status == "completed"
    for got, want in zip(resumed.metrics, clean.metrics, strict=True):
        assert got.epoch == want.epoch
        assert got.values == pytest.approx(want.values, rel=1e-6)
