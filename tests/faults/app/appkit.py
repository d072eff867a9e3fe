"""Helpers of the app's fault tests: drive runs, time a close, start the app in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from guitest import RUN_MS

CLOSE_S = 2.0  # the bar: closing in any phase, or a signal, ends the app within this


def train(window) -> object:
    """Press Train; the run's handle."""
    window.controls.train.click()
    assert window.run_controller.active, "Train did not start a run"
    return window.run_controller.handle


def close_and_time(qtbot, window) -> float:
    """Close the window as a user would, and the seconds until it is closed and no thread of a run or a view
    is left (the conftest's check then finds none either)."""
    handle = window.run_controller.handle
    thread = handle.thread if handle is not None else None
    started = time.perf_counter()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible() and window.run_controller.handle is None, timeout=RUN_MS)
    took = time.perf_counter() - started
    print(f"closed in {took:.3f} s")  # the figure, with pytest -s
    if thread is not None:
        try:
            assert not thread.isRunning()
        except RuntimeError:  # deleted once finished (deleteLater), as it should be
            pass
    return took


def app_process(driver: str, *args: str) -> subprocess.Popen:
    """`driver` (Python code that ends by running playground.gui.app.main) in a process of its own, offscreen,
    with settings in a temporary folder; stdout is read line by line."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, "-c", driver, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, bufsize=1)


def wait_for_line(process: subprocess.Popen, start: str, timeout_s: float = 120) -> str:
    """The first line of stdout that starts with `start`."""
    deadline = time.monotonic() + timeout_s
    for line in process.stdout:
        if line.startswith(start):
            return line.strip()
        if time.monotonic() > deadline:
            break
    process.kill()
    raise AssertionError(f"no {start!r} from the app (exit {process.wait()}): {process.stderr.read()[-2000:]}")
