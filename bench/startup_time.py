#!/usr/bin/env python3
"""Time from process start to the main window on screen (its first paint), as `playground` starts it.

Each run is a fresh process that starts the app exactly as the `playground` command does (cli.main with no
arguments) and reports the moment the main window first paints; this script measures from just before it
launches that process. Settings live in a temporary folder, so the user's own are neither read nor changed.

Usage: python bench/startup_time.py [--runs 5] [--limit 1.5]
       (runs on $QT_QPA_PLATFORM; on a machine without a screen: xvfb-run -a python bench/startup_time.py)
Prints each run's seconds and the median; exits 1 when the median is above --limit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

MARKER = "WINDOW-PAINTED"


def child() -> None:
    """Start the app as `playground` does, and report its main window's first paint."""
    import tempfile

    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and type(obj).__name__ == "MainWindow":
                print(MARKER, flush=True)
                os._exit(0)  # measured; the rest of startup (pyqtgraph, torch) is not
            return False

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication(sys.argv[:1])  # cli.main's app uses this instance
    painted = FirstPaint()
    QCoreApplication.instance().installEventFilter(painted)
    from playground.cli import main

    sys.exit(main([]))
    del app


def one_run() -> float:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child"], stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if line.strip() == MARKER:
            seconds = time.perf_counter() - started
            proc.wait(timeout=30)
            return seconds
    proc.wait(timeout=30)
    raise RuntimeError(f"the app exited (code {proc.returncode}) without showing its window")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--limit", type=float, default=1.5, help="seconds allowed for the median")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child()
        return 0
    platform = os.environ.get("QT_QPA_PLATFORM") or ("xcb" if os.environ.get("DISPLAY") else "default")
    print(f"platform {platform}, {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.2f}")
    times = []
    for i in range(args.runs):
        times.append(one_run())
        print(f"run {i + 1}: window shown after {times[-1]:.3f} s", flush=True)
    median = statistics.median(times)
    verdict = "OK" if median <= args.limit else "TOO SLOW"
    print(f"median {median:.3f} s over {args.runs} runs (limit {args.limit} s): {verdict}")
    return 0 if median <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
