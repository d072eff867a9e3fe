"""Ctrl+C and SIGTERM during `playground train`: the run stops at the next step, saves that step, keeps every
finished epoch, prints its folder and exits 130 / 143; resuming finishes it. A second Ctrl+C leaves at once."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultkit import TINY_ARGS, one_line_error

from playground import cli_signals, cli_train
from playground.cli_signals import Interrupted, SignalStop, stop_on_signals
from playground.core.checkpoint import load_checkpoint
from playground.core.store.folder import read_metrics
from playground.core.training.control import RunControl

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

# about 1,500 steps of a few hundred microseconds each per epoch: long enough to land a signal inside one
LONG = ["--arch", "mlp", "-O", "hidden=16", "--dataset", "spiral", "--dataset-option", "samples=16000",
        "--batch-size", "8", "--epochs", "2", "--threads", "1", "--device", "cpu", "--seed", "3"]
PROGRESS = re.compile(rb"epoch 1/2 \[[#.]+\] step ([1-9]\d*)/")  # the progress bar, mid-epoch


class Train:
    """`python -m playground train ...` in a process of its own, read as it goes. With `terminal`, stderr is a
    pseudo-terminal, as in a shell, so that the progress bar shows each step."""

    def __init__(self, folder: Path, terminal: bool = False):
        self.folder, self.terminal = folder, None
        stderr = subprocess.PIPE
        if terminal:
            self.terminal, stderr = pty.openpty()
        self.process = subprocess.Popen([sys.executable, "-m", "playground", "train", *LONG, "--out", str(folder)],
                                        stdout=subprocess.PIPE, stderr=stderr, text=not terminal)
        if terminal:
            os.close(stderr)
        self.seen = b""

    def wait_for(self, stream: str, start: str) -> str:
        """The first line of stdout or stderr that starts with `start` (the run goes on meanwhile)."""
        for line in getattr(self.process, stream):
            if line.startswith(start):
                return line
        raise AssertionError(f"the run ended (exit {self.process.wait()}) before printing {start!r}")

    def wait_for_progress(self, timeout: float = 60) -> int:
        """The step the progress bar on the terminal shows once it is inside the first epoch."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if select.select([self.terminal], [], [], 1)[0]:
                self.seen += self._read()
                if match := PROGRESS.search(self.seen):
                    return int(match[1])
        raise AssertionError(f"no progress within {timeout} s: {self.seen[-300:]!r}")

    def finish(self) -> tuple[int, str]:
        """Exit status and what came on stderr (the terminal's text without its redrawn progress lines)."""
        try:
            if self.terminal is None:
                _, err = self.process.communicate(timeout=60)
                return self.process.returncode, err
            while chunk := self._read():
                self.seen += chunk
            self.process.wait(timeout=60)
            self.process.stdout.close()
            return self.process.returncode, self.seen.decode().replace("\r", "\n")
        finally:
            if self.process.poll() is None:
                self.process.kill()

    def _read(self) -> bytes:
        try:
            return os.read(self.terminal, 65536)
        except OSError:  # EIO: the child has closed the terminal
            return b""


def _assert_stopped_and_resumable(folder: Path, err: str, cli) -> None:
    assert "Traceback" not in err, err
    assert f"Run folder: {folder}" in err
    assert "playground train --resume" in err
    ckpt = load_checkpoint(folder / "model.pt")
    assert ckpt.resume_state is not None or ckpt.epoch >= 1  # the very step, or the last epoch boundary
    assert [m["epoch"] for m in read_metrics(folder)] == list(range(1, ckpt.epoch + 1))
    assert [m["epoch"] for m in ckpt.metrics] == list(range(1, ckpt.epoch + 1))
    code, out, err = cli("train", "--resume", folder / "model.pt", "--quiet")
    assert code == 0, err
    assert load_checkpoint(folder / "model.pt").epoch == 2
    assert [m["epoch"] for m in read_metrics(folder)] == [1, 2]  # the resumed run added what was missing


def test_sigint_after_an_epoch_saves_it_and_exits_130(tmp_path, cli):
    run = Train(tmp_path / "run")
    run.wait_for("stdout", "epoch 1/2")  # one epoch done, the second under way
    run.process.send_signal(signal.SIGINT)
    code, err = run.finish()
    assert code == 130, err
    assert "SIGINT received" in err
    _assert_stopped_and_resumable(run.folder, err, cli)


def test_sigterm_mid_epoch_saves_that_step_and_exits_143(tmp_path, cli):
    run = Train(tmp_path / "run", terminal=True)
    shown = run.wait_for_progress()  # inside the first epoch, as the progress bar shows it
    run.process.send_signal(signal.SIGTERM)
    code, err = run.finish()
    assert code == 143, err
    assert "SIGTERM received" in err
    ckpt = load_checkpoint(run.folder / "model.pt")
    assert ckpt.resume_state is not None and ckpt.resume_state["epoch_step"] >= shown
    assert ckpt.step == ckpt.epoch * 1500 + ckpt.resume_state["epoch_step"]
    _assert_stopped_and_resumable(run.folder, err, cli)


def test_a_second_sigint_exits_at_once_with_130(tmp_path):
    run = Train(tmp_path / "run")
    run.wait_for("stderr", "Training mlp")
    run.process.send_signal(signal.SIGINT)
    run.wait_for("stderr", "playground: SIGINT received")
    run.process.send_signal(signal.SIGINT)  # wherever it lands: saving, printing, leaving
    code, err = run.finish()
    assert code == 130, err
    assert "Traceback" not in err and "Exception ignored" not in err, err


# --- the handlers themselves, in this process ----------------------------------------------------------


def test_handlers_are_installed_only_while_the_block_runs():
    before = {s: signal.getsignal(s) for s in cli_signals.STOP_SIGNALS}
    with stop_on_signals(RunControl()) as stop:
        assert all(signal.getsignal(s) == stop.handle for s in cli_signals.STOP_SIGNALS)
    assert {s: signal.getsignal(s) for s in cli_signals.STOP_SIGNALS} == before


def test_the_first_signal_stops_the_run_and_the_second_leaves_at_once(capsys):
    control = RunControl()
    stop = SignalStop(control)
    stop.on_start(None)  # training has begun
    stop.handle(signal.SIGTERM, None)
    assert control.stop_requested and control.stop_reason == "interrupted" and stop.exit_status == 143
    assert "SIGTERM received" in capsys.readouterr().err
    with pytest.raises(Interrupted) as info:
        stop.handle(signal.SIGINT, None)
    assert info.value.exit_status == 130 and stop.exit_status == 143  # the first signal decides the status


def test_a_signal_before_training_leaves_at_once():
    control = RunControl()
    with pytest.raises(Interrupted):
        SignalStop(control).handle(signal.SIGINT, None)  # still loading: there is no step to save
    assert not control.stop_requested


def test_a_second_sigint_in_process_leaves_before_the_step_ends(tmp_path, cli, monkeypatch):
    """Both signals land while the second epoch's losses are being reported: the run leaves from there, before
    that epoch is evaluated or saved, and the checkpoint of the first epoch is what stays."""
    sent = []

    def on_step(self, e):  # a stand-in for a slow moment of the run (a long evaluation, a big save)
        if not sent and e.epoch == 2:
            sent.append(e.step)
            os.kill(os.getpid(), signal.SIGINT)  # handled before os.kill returns: the run is asked to stop
            os.kill(os.getpid(), signal.SIGINT)  # and this one leaves at once, from inside this step

    monkeypatch.setattr(cli_train.ProgressBar, "on_step", on_step)
    folder = tmp_path / "run"
    code, out, err = cli("train", *TINY_ARGS, "--epochs", "3", "--out", folder)
    assert code == 130, err
    assert sent and "stopped at once by SIGINT" in err and f"Run folder: {folder}" in err
    assert load_checkpoint(folder / "model.pt").epoch == 1  # the last whole save, untouched
    assert [json.loads(line)["epoch"] for line in (folder / "metrics.jsonl").read_text().splitlines()] == [1]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


def test_an_interrupted_run_ends_as_interrupted(tmp_path, cli, monkeypatch):
    """RunFinished.reason is "interrupted" (the run store marks the run from it), and the exit status 130."""
    from playground.core import recorded
    from playground.core.training.callbacks import CallbackList
    from playground.core.training.events import EpochMetrics, RunFinished

    finished = []

    class Watch(CallbackList):
        def on_event(self, e):
            if isinstance(e, RunFinished):
                finished.append(e)
            super().on_event(e)
            if isinstance(e, EpochMetrics) and e.epoch == 1:
                os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(recorded, "CallbackList", Watch)
    code, _, err = cli("train", *TINY_ARGS, "--epochs", "3", "--out", tmp_path / "run")
    assert code == 130, err
    assert [(e.reason, e.epochs_done) for e in finished] == [("interrupted", 1)]
    assert load_checkpoint(tmp_path / "run" / "model.pt").epoch == 1
    assert [m["epoch"] for m in read_metrics(tmp_path / "run")] == [1]


def test_a_failing_run_is_still_one_error_line_with_the_handlers(tmp_path, cli):
    code, _, err = cli("train", "--arch", "mlp", "--dataset", "sine", "--optimizer", "sgd", "--lr", "1e6",
                       "--epochs", "2", "--device", "cpu", "--out", tmp_path / "run")
    one_line_error(code, err, "learning rate")
