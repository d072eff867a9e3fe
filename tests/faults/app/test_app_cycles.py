"""Starting and stopping runs over and over leaks nothing: 100 start / first step / stop cycles in the window
leave no thread (QThread, Python or OS), no worker, and less than 50 MB more memory than after a warm-up."""

from __future__ import annotations

import gc
import threading
import weakref

import psutil
import pytest
import torch
from appkit import train
from guitest import RUN_MS, configure
from PySide6.QtCore import QCoreApplication, QEvent, QThread
from PySide6.QtWidgets import QApplication
from shiboken6 import Shiboken

from playground.gui.training.training_worker import TrainingWorker

CYCLES, WARM_UP = 100, 5
RSS_GROWTH_MB = 50


def _one_cycle(qtbot, window) -> None:
    train(window)
    qtbot.waitUntil(lambda: window.session.run.last_step is not None, timeout=RUN_MS)  # the first step shown
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()


def _settle() -> None:
    """Deferred deletes done (the runs' threads and workers), garbage collected here in the GUI thread."""
    QApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def _census(started: weakref.WeakSet) -> dict[str, object]:
    """What a leak would leave: QThreads still running, run threads and workers still alive (objects made since
    torch's warm-up froze the older ones out of gc's lists), Python and OS threads."""
    made_since = gc.get_objects()
    running = [t.objectName() for t in list(started) if _running(t)]
    return {
        # a view's own thread starts on its first job and lives as long as the window: one each, never more
        "run threads": sum(name == "playground-training" for name in running),
        "a view thread twice": sorted({n for n in running if running.count(n) > 1}),
        "QThread objects": sum(isinstance(o, QThread) and Shiboken.isValid(o) for o in made_since),
        "workers": sum(isinstance(o, TrainingWorker) for o in made_since),
        "Python threads": sorted(t.name for t in threading.enumerate()),
    }


def _view_threads(started: weakref.WeakSet) -> int:
    return len({t.objectName() for t in list(started) if _running(t)} - {"playground-training"})


def _running(thread: QThread) -> bool:
    try:
        return thread.isRunning()
    except RuntimeError:  # deleted: ended
        return False


def _gpu_bytes() -> int:
    return torch.cuda.memory_allocated() if torch.cuda.is_available() else 0


def test_a_hundred_starts_and_stops_leak_no_thread_and_little_memory(qtbot, window, monkeypatch):
    started = weakref.WeakSet()
    base_start = QThread.start

    def start_and_remember(thread: QThread, *args) -> None:
        started.add(thread)
        base_start(thread, *args)

    monkeypatch.setattr(QThread, "start", start_and_remember)
    # a tiny model on 200 generated points: the first epoch ends, and reports its steps, within milliseconds
    settings = {"arch_options": {"hidden": [8]}, "dataset": "blobs", "dataset_options": {"samples": 200},
                "batch_size": 16, "device": "cpu"}
    configure(window, epochs=1, **settings)  # one whole run: the views start their own threads, once
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        train(window)
    configure(window, epochs=1000, **settings)
    for _ in range(WARM_UP):
        _one_cycle(qtbot, window)
    _settle()
    before, rss, gpu = _census(started), psutil.Process().memory_info().rss, _gpu_bytes()
    os_threads, view_threads = psutil.Process().num_threads(), _view_threads(started)
    for _ in range(CYCLES):
        _one_cycle(qtbot, window)
    _settle()
    try:  # a thread that has just ended may still be leaving the OS's list
        qtbot.waitUntil(lambda: _census(started) == before, timeout=5000)
    except qtbot.TimeoutError:
        pass
    after, grown_mb = _census(started), (psutil.Process().memory_info().rss - rss) / 2**20
    print(f"\n{CYCLES} cycles: {before} before, {after} after; RSS grew by {grown_mb:.1f} MB")
    assert after == before, f"{before} before, {after} after {CYCLES} runs"
    # a view whose thread started during the cycles (on its first job) accounts for one OS thread each
    late_views = _view_threads(started) - view_threads
    assert psutil.Process().num_threads() <= os_threads + late_views, "OS threads were left behind"
    assert grown_mb < RSS_GROWTH_MB, f"the process grew by {grown_mb:.1f} MB over {CYCLES} runs"
    assert _gpu_bytes() == gpu


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
def test_runs_on_the_gpu_give_its_memory_back(qtbot, window):
    configure(window, arch_options={"hidden": [64]}, dataset="blobs", dataset_options={"samples": 2000},
              batch_size=64, epochs=1000, device="cuda")
    _one_cycle(qtbot, window)
    assert window.session.run.started.device.startswith("cuda")
    _settle()
    baseline = torch.cuda.memory_allocated()  # the last run's model, kept to save: one, not one a run
    for _ in range(10):
        _one_cycle(qtbot, window)
    _settle()
    assert torch.cuda.memory_allocated() <= baseline
