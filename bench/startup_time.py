#!/usr/bin/env python3
"""Time from process start to the main window on screen (its first paint), as `playground` starts it; with
--ready, to the status bar's Ready (torch loaded, a Train click starts at once), beside `import torch` alone in a
fresh process, runs interleaved.

Each run is a fresh process that starts the app exactly as the `playground` command does (cli.main with no
arguments) and reports the moment the main window first paints; this script measures from just before it
launches that process. Settings live in a temporary folder, so the user's own are neither read nor changed.

Usage: python bench/startup_time.py [--runs 5] [--limit 1.5] [--ready]
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
READY = "--ready" in sys.argv


def child() -> None:
    """Start the app as `playground` does, and report its main window's first paint."""
    import tempfile

    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Slot
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and type(obj).__name__ == "MainWindow":
                if READY:  # wait for the warm-up's Ready instead
                    QCoreApplication.instance().removeEventFilter(self)
                    obj.startup.ready.connect(self.on_ready)
                    return False
                print(MARKER, flush=True)
                os._exit(0)  # measured; the rest of startup (pyqtgraph, torch) is not
            return False

        @Slot()
        def on_ready(self) -> None:
            print(MARKER, flush=True)
            os._exit(0)

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication(sys.argv[:1])  # cli.main's app uses this instance
    painted = FirstPaint()
    QCoreApplication.instance().installEventFilter(painted)
    from playground.cli import main

    sys.exit(main([]))
    del app


def import_torch() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch"], check=True)
    return time.perf_counter() - started


def one_run() -> float:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", *(["--ready"] if READY else [])],
                            stdout=subprocess.PIPE, text=True)
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
    p.add_argument("--ready", action="store_true", help="time to Ready, beside `import torch` (limit: torch + "
                   "--limit)")
    args = p.parse_args()
    if args.child:
        child()
        return 0
    platform = os.environ.get("QT_QPA_PLATFORM") or ("xcb" if os.environ.get("DISPLAY") else "default")
    print(f"platform {platform}, {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.2f}")
    times, torch_times = [], []
    for i in range(args.runs):
        times.append(one_run())
        if args.ready:
            torch_times.append(import_torch())
            print(f"run {i + 1}: Ready after {times[-1]:.3f} s; import torch alone {torch_times[-1]:.3f} s", flush=True)
        else:
            print(f"run {i + 1}: window shown after {times[-1]:.3f} s", flush=True)
    median = statistics.median(times)
    limit = args.limit + (statistics.median(torch_times) if args.ready else 0.0)
    verdict = "OK" if median <= limit else "TOO SLOW"
    print(f"median {median:.3f} s over {args.runs} runs (limit {limit:.3f} s): {verdict}")
    return 0 if median <= limit else 1


if __name__ == "__main__":
    sys.exit(main())
