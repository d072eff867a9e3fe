"""GUI test setup: settings in a temporary folder, a ready window, and a check that no test leaves a QThread
running or a top-level window open (after napari's `_dangling_qthreads`)."""

from __future__ import annotations

import traceback
import weakref

import pytest
from guitest import TORCH_READY_MS
from PySide6.QtCore import QSettings, QThread
from PySide6.QtWidgets import QApplication

from playground.gui.gui_gc import GuiThreadCollector


@pytest.fixture(scope="session", autouse=True)
def _collect_garbage_in_the_gui_thread(qapp):
    """As the app does: a worker thread must never run the collector on a test's Qt objects."""
    collector = GuiThreadCollector(parent=qapp)
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def _private_settings(tmp_path_factory):
    """QSettings of the tests never touch the user's own."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.mktemp("qsettings")))


@pytest.fixture(autouse=True)
def _dangling_qthreads_and_windows(monkeypatch, qapp):
    """Fail a test that leaves a QThread running or a top-level widget visible; then clean up after it."""
    started: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    base_start = QThread.start

    def start_and_remember(self, *args):
        started[self] = "".join(traceback.format_stack(limit=6)[:-1])
        base_start(self, *args)

    monkeypatch.setattr(QThread, "start", start_and_remember)
    yield
    QApplication.processEvents()
    running = [(t, where) for t, where in list(started.items()) if _is_running(t)]
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    _clean_up(windows, running)
    problems = [f"QThread {t.objectName()!r} still running, started at:\n{where}" for t, where in running]
    problems += [f"top-level widget {type(w).__name__} {w.objectName()!r} still open" for w in windows]
    if problems:
        pytest.fail("\n".join(problems))


def _is_running(thread: QThread) -> bool:
    try:
        return thread.isRunning()
    except RuntimeError:  # its C++ object is gone: it ended
        return False


def _clean_up(windows: list, running: list) -> None:
    for window in windows:
        presenter = getattr(window, "run_controller", None)
        if presenter is not None:
            presenter.stop()
        window.close()
    for thread, _ in running:
        thread.wait(30_000)
    QApplication.processEvents()


@pytest.fixture
def window(qtbot):
    """The main window, shown, with torch loaded."""
    from playground.gui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.is_ready, timeout=TORCH_READY_MS)
    return w

