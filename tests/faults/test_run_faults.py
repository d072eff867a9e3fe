"""Faults while a run goes: out of memory, a diverging loss, a full disk or a folder that cannot be written
when saving, a download cut short. Each ends the run with a message that says what happened and what to do,
keeps every finished epoch and the last checkpoint, and leaves the process ready for the next run."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import urllib.error
import weakref
from pathlib import Path

import pytest
import torch
from faultkit import TINY_ARGS, one_line_error, tiny

from playground.core import checkpoint as checkpoint_module
from playground.core.checkpoint import load_checkpoint
from playground.core.data import download
from playground.core.store import RunStore, start_run
from playground.core.store.folder import read_metrics
from playground.core.training.callbacks import Callback
from playground.core.training.prepared import PreparedRun
from playground.core.training.trainer import Trainer

# --- out of memory ------------------------------------------------------------------------------------


class Record(Callback):
    def __init__(self):
        self.failed, self.epochs = [], []

    def on_epoch_end(self, e):
        self.epochs.append(e.epoch)

    def on_failed(self, e):
        self.failed.append(e)


@pytest.fixture
def oom_in_epoch_2(monkeypatch):
    """The training step raises torch.OutOfMemoryError in the second epoch, as a too-large batch on a GPU
    does; `models` holds weak references to the run's model, and `freed_at_release` says whether it was
    already gone when the GPU memory was given back."""
    state = {"models": [], "freed_at_release": [], "steps": 0}
    real_step = PreparedRun.step

    def step(self, idx):
        state["steps"] += 1
        if state["steps"] > self.steps_per_epoch:
            state["models"].append(weakref.ref(self.task.modules["model"]))
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB (GPU 0; 79 GiB total)")
        return real_step(self, idx)

    def empty_cache():
        state["freed_at_release"].append(all(ref() is None for ref in state["models"]))

    def cuda_in_use() -> bool:  # yes to the trainer alone: torch itself goes on seeing a machine without CUDA
        return sys._getframe(1).f_code.co_name == "_release_gpu_memory"

    monkeypatch.setattr(PreparedRun, "step", step)
    monkeypatch.setattr(torch.cuda, "is_initialized", cuda_in_use)
    monkeypatch.setattr(torch.cuda, "empty_cache", empty_cache)
    return state


def test_out_of_memory_ends_the_run_cleanly_and_gives_the_memory_back(tmp_path, oom_in_epoch_2):
    record = Record()
    result = Trainer().fit(tiny(epochs=3), record, checkpoint_path=tmp_path / "model.pt")
    assert result.status == "failed" and record.epochs == [1]
    message = result.message
    assert "out of memory with batch size 16" in message and "lower the batch size (try 8)" in message
    assert [m.epoch for m in result.metrics] == [1] and [m.epoch for m in record.failed[0].metrics] == [1]
    assert record.failed[0].kind == "oom"
    assert load_checkpoint(tmp_path / "model.pt").epoch == 1  # the last save stays
    # empty_cache ran once, after the run's model (and its tensors) had been released
    assert oom_in_epoch_2["freed_at_release"] == [True]


def test_out_of_memory_in_the_cli_keeps_the_finished_epochs(tmp_path, cli, oom_in_epoch_2):
    folder = tmp_path / "run"
    code, _, err = cli("train", *TINY_ARGS, "--epochs", "3", "--out", folder)
    one_line_error(code, err, "out of memory", "lower the batch size (try 4)", f"epoch(s) are in {folder}")
    assert [m["epoch"] for m in read_metrics(folder)] == [1]
    assert load_checkpoint(folder / "model.pt").epoch == 1


def test_the_next_run_after_a_fault_works(tmp_path, monkeypatch, oom_in_epoch_2):
    assert Trainer().fit(tiny()).status == "failed"
    monkeypatch.undo()
    assert Trainer().fit(tiny(), checkpoint_path=tmp_path / "m.pt").status == "completed"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="a real out-of-memory needs a GPU")
def test_a_real_cuda_out_of_memory_releases_the_gpu():
    """A batch of 750,000 points through a 65,536-wide layer in fp32 needs about 200 GB for its first output
    alone (amp off, so bf16 does not halve it): more than any GPU has."""
    torch.cuda.empty_cache()
    before = torch.cuda.memory_allocated()
    config = tiny(device="cuda", dataset="spiral", dataset_options={"samples": 1_000_000}, arch_options={
        "hidden": [65536]}, batch_size=750_000, epochs=1, threads=0, amp=False)
    result = Trainer().fit(config)
    assert result.status == "failed" and "lower the batch size" in result.message, result.message
    assert torch.cuda.memory_allocated() - before < 64 << 20  # the run's tensors are gone
    assert torch.cuda.memory_reserved() < 1 << 30  # and the cache gave the memory back
    assert Trainer().fit(config.replace(batch_size=256, arch_options={"hidden": [16]})).status == "completed"


# --- a loss that diverges -----------------------------------------------------------------------------


def test_a_diverging_learning_rate_stops_within_a_few_steps(tmp_path, cli):
    folder = tmp_path / "run"
    code, _, err = cli("train", "--arch", "mlp", "--dataset", "sine", "--optimizer", "sgd", "--lr", "1e6",
                       "--epochs", "3", "--threads", "1", "--device", "cpu", "--out", folder)
    line = one_line_error(code, err, "training diverged", "Lower the learning rate (now 1e+06)")
    step = int(re.search(r"became (?:nan|inf|-inf) at step (\d+)", line)[1])
    assert step <= 5  # the first step whose loss was not finite, not merely the step it was noticed at
    assert read_metrics(folder) == [] and not (folder / "model.pt").exists()  # no diverged weights saved


def test_a_loss_that_turns_nan_later_keeps_the_epochs_before_it(tmp_path, monkeypatch):
    """The loss becomes nan in the second epoch: stopped there, the first epoch's metrics and checkpoint stay."""
    real_step, steps = PreparedRun.step, []

    def step(self, idx):
        out = real_step(self, idx)
        steps.append(1)
        if len(steps) > self.steps_per_epoch + 2:
            out = {**out, "loss": torch.tensor(float("nan"))}
        return out

    monkeypatch.setattr(PreparedRun, "step", step)
    result = Trainer().fit(tiny(epochs=3), checkpoint_path=tmp_path / "model.pt")
    assert result.status == "failed" and "became nan at step 12" in result.message  # 9 steps an epoch
    assert [m.epoch for m in result.metrics] == [1] and load_checkpoint(tmp_path / "model.pt").epoch == 1


# --- saving where it cannot be written ----------------------------------------------------------------


def _run_dir(tmp_path: Path, cli, *options: str) -> Path:
    folder = tmp_path / "run"
    code, _, err = cli("train", *TINY_ARGS, *options, "--epochs", "2", "--out", folder, "--quiet")
    assert code == 0, err
    return folder


def test_a_full_disk_keeps_the_previous_checkpoint_and_says_where(tmp_path, cli):
    """A file-size limit below the checkpoint's size (RLIMIT_FSIZE, with SIGXFSZ ignored, so that writes fail
    with EFBIG as on a full disk), in a process of its own: the resumed run cannot save epoch 3."""
    folder = _run_dir(tmp_path, cli, "-O", "hidden=256,256")  # a checkpoint far larger than the store's files
    before = (folder / "model.pt").read_bytes()
    limit = len(before) // 2  # config.toml, metrics.jsonl and the run store stay below it; the checkpoint does not
    code = ("import resource, runpy, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); "
            f"sys.argv = ['playground', 'train', '--resume', {str(folder / 'model.pt')!r}, '--epochs', '4']; "
            "runpy.run_module('playground', run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    one_line_error(result.returncode, result.stderr, f"cannot write the checkpoint {folder / 'model.pt'}",
                   "File too large", "free some disk space", "previous checkpoint there is intact")
    assert (folder / "model.pt").read_bytes() == before  # not a byte changed
    assert load_checkpoint(folder / "model.pt").epoch == 2
    assert [m["epoch"] for m in read_metrics(folder)] == [1, 2, 3]  # what epoch 3 measured is kept
    assert sorted(p.name for p in folder.iterdir()) == ["config.toml", "metrics.jsonl", "model.pt"]  # no .tmp


def test_a_folder_that_cannot_be_written_when_saving_is_named(tmp_path, monkeypatch):
    """The run folder refuses new files from the second epoch's save on (made read-only, a mount gone
    read-only): simulated at the one call that creates the checkpoint's temporary file, since root (the CI
    container's user) may write anywhere."""
    real_mkstemp = checkpoint_module.tempfile.mkstemp
    saves = []

    def mkstemp(*args, **kwargs):
        saves.append(1)
        if len(saves) > 1:
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(checkpoint_module.tempfile, "mkstemp", mkstemp)
    record = Record()
    result = Trainer().fit(tiny(epochs=3), record, checkpoint_path=tmp_path / "run" / "model.pt")
    assert result.status == "failed"
    assert f"cannot write the checkpoint into {tmp_path / 'run'}: Permission denied" in result.message
    assert "choose a folder you can write to" in result.message
    assert [m.epoch for m in result.metrics] == [1, 2] and load_checkpoint(tmp_path / "run" / "model.pt").epoch == 1


def test_a_folder_that_cannot_be_written_is_one_line_in_the_cli(tmp_path, cli, monkeypatch):
    real_mkstemp, saves = checkpoint_module.tempfile.mkstemp, []

    def mkstemp(*args, **kwargs):
        saves.append(1)
        if len(saves) > 1:
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(checkpoint_module.tempfile, "mkstemp", mkstemp)
    folder = tmp_path / "run"
    code, _, err = cli("train", *TINY_ARGS, "--epochs", "3", "--out", folder)
    one_line_error(code, err, f"cannot write the checkpoint into {folder}", "the 2 finished epoch(s) are in")
    assert load_checkpoint(folder / "model.pt").epoch == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_run_folder_is_named(tmp_path, cli):
    folder = _run_dir(tmp_path, cli)
    folder.chmod(0o555)
    try:
        code, _, err = cli("train", "--resume", folder / "model.pt", "--epochs", "3")
    finally:
        folder.chmod(0o755)
    one_line_error(code, err, str(folder))
    assert load_checkpoint(folder / "model.pt").epoch == 2


def test_metrics_that_cannot_be_written_are_named(tmp_path):
    folder = tmp_path / "run"
    with RunStore.open() as store:
        run = start_run(store, tiny(), out=folder)
        (folder / "metrics.jsonl").unlink()
        (folder / "metrics.jsonl").mkdir()  # in the way of the file, for root too
        result = Trainer().fit(tiny(), run.writer(), run_id=run.id)
    assert result.status == "failed" and f"cannot write {folder / 'metrics.jsonl'}" in result.message
    assert "internal error" not in result.message


# --- a download cut short -----------------------------------------------------------------------------


class FakeResponse(io.BytesIO):
    """What urlopen returns, cut off by `fail` after `cut` bytes (or whole without one)."""

    def __init__(self, data: bytes, cut: int | None = None, fail: BaseException | None = None):
        super().__init__(data)
        self.headers = {"Content-Length": str(len(data))}
        self.cut, self.fail = cut, fail

    def read(self, size: int = -1) -> bytes:
        if self.cut is not None and self.tell() >= self.cut:
            raise self.fail
        return super().read(min(size, 1000) if size > 0 else size)


@pytest.mark.parametrize("fail", [ConnectionResetError(104, "Connection reset by peer"),
                                  TimeoutError("The read operation timed out"),
                                  urllib.error.URLError("no route to host"), KeyboardInterrupt()],
                         ids=["reset", "timeout", "url", "ctrl-c"])
def test_a_download_cut_short_leaves_no_part_file_and_the_next_one_starts_over(tmp_path, monkeypatch, fail):
    data = os.urandom(5000)
    md5 = hashlib.md5(data).hexdigest()
    target = tmp_path / "train-images-idx3-ubyte.gz"
    monkeypatch.setattr(download.urllib.request, "urlopen", lambda url, timeout: FakeResponse(data, 3000, fail))
    with pytest.raises((OSError, KeyboardInterrupt)):
        download.fetch(["https://mirror.example/x.gz"], target, md5, lambda *a: None)
    assert os.listdir(tmp_path) == []  # neither the file nor target.part
    monkeypatch.setattr(download.urllib.request, "urlopen", lambda url, timeout: FakeResponse(data))
    download.fetch(["https://mirror.example/x.gz"], target, md5, lambda *a: None)
    assert os.listdir(tmp_path) == [target.name] and target.read_bytes() == data


def test_a_download_with_the_wrong_checksum_is_dropped(tmp_path, monkeypatch):
    target = tmp_path / "t10k-labels-idx1-ubyte.gz"
    monkeypatch.setattr(download.urllib.request, "urlopen", lambda url, timeout: FakeResponse(b"<html>captive portal"))
    with pytest.raises(OSError, match="checksum mismatch"):
        download.fetch(["https://a.example/x", "https://b.example/x"], target, "0" * 32, lambda *a: None)
    assert os.listdir(tmp_path) == []


def test_a_failed_save_of_a_decompressed_download_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "train-labels-idx1-ubyte"
    real_write = Path.write_bytes

    def full_disk(self, data):
        real_write(self, data[:10])  # part of it written, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(OSError, match="No space left"):
        download.write_atomic(target, b"\0" * 100)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []
