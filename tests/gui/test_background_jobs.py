"""A view's background thread: results come back to a GUI-thread slot, and closing never waits past its bound."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Slot

from playground.gui.views.background import BackgroundJobs, view_threads_ended


class _Results(QObject):
    def __init__(self):
        super().__init__()
        self.got: list = []

    @Slot(object, object)
    def take(self, job, result) -> None:
        self.got.append((job, result))


def test_a_job_result_reaches_the_gui_thread(qtbot):
    jobs, results = BackgroundJobs(lambda n: n * 2, "test-view", torch_threads=False), _Results()
    jobs.done.connect(results.take)
    with qtbot.waitSignal(jobs.done, timeout=5000):
        jobs.submit(21)
    qtbot.waitUntil(lambda: results.got == [(21, 42)], timeout=5000)
    assert jobs.close()


def test_closing_while_a_job_hangs_returns_within_its_bound(qtbot):
    release = threading.Event()
    jobs = BackgroundJobs(lambda _: release.wait(30), "stuck-view", torch_threads=False)
    jobs.submit("job")
    qtbot.waitUntil(lambda: not jobs._worker._job, timeout=5000)  # taken: the job runs
    assert not jobs.close(timeout_ms=100)
    assert not view_threads_ended()  # the app would leave without it
    release.set()
    qtbot.waitUntil(view_threads_ended, timeout=5000)
