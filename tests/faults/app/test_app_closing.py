"""Closing the window in any phase ends the app within 2 s: while torch loads, while a dataset downloads,
while training, while the Evaluation view evaluates. (The exports, PNG and CSV, are written in the GUI thread
in milliseconds: a close cannot arrive during one.)"""

from __future__ import annotations

import threading
import time
import urllib.request

import pytest
from appkit import CLOSE_S, app_process, close_and_time, train, wait_for_line
from faultkit import fake_mnist
from guitest import RUN_MS, Recorder, configure

from playground.core.training import events

CLOSE_WHILE_TORCH_LOADS = """
import sys, tempfile, time
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
app = QApplication(sys.argv)

def close_while_loading():
    w = next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")
    if not w.startup.busy:  # the warm-up thread has not begun yet
        QTimer.singleShot(20, close_while_loading)
        return
    if sys.argv[2] == "train":  # Train at once: the run's thread waits for torch too
        from playground.core.config import TrainConfig
        w.settings_panel.set_config(TrainConfig(arch="mlp", dataset="spiral", epochs=1000))
        w.controls.train.click()
    QTimer.singleShot(int(sys.argv[1]), lambda: (print("CLOSE", w.startup.busy, w.run_controller.active,
                                                       time.time(), flush=True), w.close()))

QTimer.singleShot(0, close_while_loading)
from playground.gui.app import main
sys.exit(main())
"""


@pytest.mark.parametrize("pressed", ["", "train"], ids=["idle", "train pressed"])
def test_closing_while_torch_loads_exits_within_2_s(pressed):
    """300 ms into the warm-up, inside `import torch` (seconds on a busy machine); with Train pressed, the run's
    thread waits for that import too. The click builds the plots and views (a second, beside torch's import),
    so the close then comes at once after it: torch is still loading."""
    app = app_process(CLOSE_WHILE_TORCH_LOADS, "0" if pressed else "300", pressed)
    _, busy, active, closed_at = wait_for_line(app, "CLOSE").split()
    _, err = app.communicate(timeout=60)
    took = time.time() - float(closed_at)
    print(f"closed and exited in {took:.3f} s")
    assert busy == "True", "torch had loaded already: nothing was tested"
    assert active == str(bool(pressed))
    assert app.returncode == 0, err
    assert "QThread" not in err and "Traceback" not in err, err
    assert took <= CLOSE_S, f"the app took {took:.2f} s to exit"


class _SlowResponse:
    """A download that trickles in: a small chunk every 20 ms, for minutes."""

    headers = {"Content-Length": str(10 << 20)}

    def read(self, size: int) -> bytes:
        time.sleep(0.02)
        return bytes(min(size, 4096))

    def __enter__(self) -> _SlowResponse:
        return self

    def __exit__(self, *exc) -> None:
        return None


def test_closing_while_a_dataset_downloads(qtbot, window, tmp_path, monkeypatch):
    """The download has no batch boundaries: its progress callback is where the stop is honoured."""
    monkeypatch.setenv("PLAYGROUND_OFFLINE", "0")
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout=None: _SlowResponse())
    configure(window, arch="linear", dataset="mnist", epochs=1)
    handle = train(window)
    progress = Recorder(handle.worker.reported, events.LoadProgress)
    finished = Recorder(handle.worker.reported, events.RunFinished)
    qtbot.waitUntil(lambda: any(e.message.startswith("Downloading") for e in progress.events), timeout=RUN_MS)
    took = close_and_time(qtbot, window)
    assert [e.reason for e in finished.events] == ["interrupted"]
    assert window.status.currentMessage() == "Stopped before training began: nothing was trained"
    assert not [p.name for p in tmp_path.rglob("*") if p.is_file()], "a download cut short left a file"
    assert took <= CLOSE_S, f"closing during a download took {took:.2f} s"


def test_closing_while_training(qtbot, window):
    configure(window, epochs=500)
    handle = train(window)
    finished = Recorder(handle.worker.reported, events.RunFinished)
    qtbot.waitUntil(lambda: window.session.run.last_step is not None, timeout=RUN_MS)
    took = close_and_time(qtbot, window)
    assert [e.reason for e in finished.events] == ["interrupted"]
    assert took <= CLOSE_S, f"closing during training took {took:.2f} s"


def test_closing_while_an_epoch_is_evaluated(qtbot, window, tmp_path, monkeypatch):
    """seed-cnn on 10,000 test images: seconds on a CPU, at the end of every epoch."""
    from playground.core.training.loop import EpochLoop

    real, evaluating = EpochLoop._evaluate, threading.Event()

    def evaluate(self):
        evaluating.set()
        return real(self)

    monkeypatch.setattr(EpochLoop, "_evaluate", evaluate)
    fake_mnist(tmp_path, train=256, test=10_000)
    configure(window, arch="seed-cnn", dataset="mnist", data_dir=str(tmp_path), epochs=5, batch_size=64)
    finished = Recorder(train(window).worker.reported, events.RunFinished)
    qtbot.waitUntil(evaluating.is_set, timeout=RUN_MS)
    took = close_and_time(qtbot, window)
    assert took <= CLOSE_S, f"closing during an epoch's evaluation took {took:.2f} s"
    assert [(e.reason, e.epochs_done) for e in finished.events] == [("interrupted", 0)]  # resumable: its last step


def test_closing_while_the_evaluation_view_evaluates(qtbot, window, small_checkpoint, monkeypatch):
    """An opened model is evaluated in the view's own thread; each batch is made slow (0.1 s) here."""
    from playground.core.analysis import evaluation

    real, evaluating = evaluation.predict_all, threading.Event()

    def slow_batches(model, x, batch_size=evaluation.BATCH_SIZE, should_stop=lambda: False):
        def stop_after_a_slow_batch() -> bool:
            evaluating.set()
            time.sleep(0.1)
            return should_stop()

        return real(model, x, 1, stop_after_a_slow_batch)  # one sample a batch: seconds for the test split

    monkeypatch.setattr(evaluation, "predict_all", slow_batches)
    window.load_checkpoint(str(small_checkpoint))
    window.docks.bring_forward("evaluation")  # a visible view evaluates an opened model at once
    qtbot.waitUntil(evaluating.is_set, timeout=RUN_MS)
    assert window.docks.views["evaluation"].result is None, "the evaluation ended before the close"
    took = close_and_time(qtbot, window)
    assert took <= CLOSE_S, f"closing during an evaluation took {took:.2f} s"
