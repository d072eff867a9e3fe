#!/usr/bin/env python3
"""Is the window responsive while it trains? A 10 ms timer in the GUI thread, and how late it fires.

Starts the real window, trains seed-cnn on MNIST on the CPU (batch 64, as the app's defaults), and once the
first steps have arrived measures for --seconds how late a 10 ms precise timer in the GUI thread fires
(lateness = time since the previous tick minus 10 ms). The plots, status bar and drawing panel all run as
they do for a user. Then stops the run and exits.

--all-views also opens the views that look inside the model, side by side under the plots, each in a dock
of its own so that all are on screen at once: Evaluation (where this build has it), Inside and Layer health;
a handwritten 3 on the Draw panel (still on the right) is the inside view's input. They follow the run as
they do for a user. For the target of issue 10, add --p99-limit 16 --max-limit 50.

Usage: xvfb-run -a -s "-screen 0 1600x1000x24" python bench/gui_responsiveness.py [--seconds 15]
       [--arch seed-cnn] [--dataset mnist] [--batch-size 64] [--threads 0] [--all-views]
Prints the lateness percentiles and the training speed; exits 1 when p99 > 25 ms or the worst > 100 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from app_driver import TrainingDriver, make_app
from PySide6.QtCore import QObject, Qt, QTimer, Slot

ALL_VIEWS = ("evaluation", "inside", "health")  # the docks --all-views puts on screen together


class LatenessProbe(QObject):
    """A timer in the GUI thread that records how late each tick is."""

    def __init__(self, interval_ms: int):
        super().__init__()
        self.interval_s = interval_ms / 1000
        self.late_ms: list[float] = []
        self._last: float | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        self.late_ms.append(max(0.0, (now - self._last - self.interval_s) * 1000))
        self._last = now


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=15.0)
    p.add_argument("--arch", default="seed-cnn")
    p.add_argument("--dataset", default="mnist")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: the app's choice)")
    p.add_argument("--interval-ms", type=int, default=10)
    p.add_argument("--p99-limit", type=float, default=25.0)
    p.add_argument("--max-limit", type=float, default=100.0)
    p.add_argument("--all-views", action="store_true",
                   help="also show the Evaluation, Inside and Layer health views, all on screen at once")
    args = p.parse_args()
    app = make_app()
    from playground.core.config import TrainConfig

    config = TrainConfig(arch=args.arch, dataset=args.dataset, batch_size=args.batch_size, epochs=20, device="cpu")
    if args.threads is not None:
        config = config.replace(threads=args.threads)
    probe = LatenessProbe(args.interval_ms)
    rates: list[float] = []

    def on_step(event) -> None:
        if not rates:
            probe.start()
            QTimer.singleShot(int(args.seconds * 1000), finish)
        rates.append(event.samples_per_s)

    def finish() -> None:
        probe.stop()
        driver.stop()

    driver = TrainingDriver(config, on_step)
    driver.window.training_finished.connect(app.quit)
    if args.all_views:
        opener = ViewOpener(driver)
        opener.start()
    else:
        driver.start()
    app.exec()
    if driver.failed or not probe.late_ms:
        return 2
    return report(args, probe.late_ms, rates)


class ViewOpener(QObject):
    """Puts each of ALL_VIEWS in a dock of its own under the plots (the Draw tabs stay), draws a 3 once the
    drawing panel has its model, then lets the driver press Train. A view this build lacks is left out."""

    def __init__(self, driver: TrainingDriver):
        super().__init__()
        self.driver, self.window = driver, driver.window
        self.opened: list[str] = []

    def start(self) -> None:
        window = self.window
        window.build_slow_parts()
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        for name in ALL_VIEWS:
            dock = window.docks.docks.get(name)
            if dock is None:
                print(f"no {name!r} view in this build: measured without it")
                continue
            window.removeDockWidget(dock)  # out of the tab group, so that it is on screen with the others
            window.addDockWidget(bottom, dock, Qt.Orientation.Horizontal)  # side by side under the plots
            dock.show()
            self.opened.append(name)
        print(f"views on screen: draw, {', '.join(self.opened)}")
        QTimer.singleShot(100, self._draw_when_ready)

    def _share_the_room(self) -> None:
        """The views under the plots get half the window's height, and equal widths."""
        docks = [self.window.docks.docks[n] for n in self.opened]
        if docks:
            self.window.resizeDocks(docks[:1], [self.window.height() // 2], Qt.Orientation.Vertical)
            self.window.resizeDocks(docks, [self.window.width()] * len(docks), Qt.Orientation.Horizontal)

    @Slot()
    def _draw_when_ready(self) -> None:
        panel = self.window.drawing
        if not panel.has_model():
            QTimer.singleShot(100, self._draw_when_ready)
            return
        from synthetic_input import draw_stroke

        self._share_the_room()  # now that the window has been laid out once
        upper = [(0.48 + 0.17 * np.cos(t), 0.34 + 0.12 * np.sin(t)) for t in np.radians(np.linspace(-160, 90, 24))]
        lower = [(0.48 + 0.2 * np.cos(t), 0.62 + 0.16 * np.sin(t)) for t in np.radians(np.linspace(-90, 160, 24))]
        draw_stroke(panel.canvas, upper + lower[1:])
        panel.predict_now()
        self.driver.start()


def report(args: argparse.Namespace, late_ms: list[float], rates: list[float]) -> int:
    late = np.asarray(late_ms)
    p50, p99, worst = np.percentile(late, 50), np.percentile(late, 99), late.max()
    ok = p99 <= args.p99_limit and worst <= args.max_limit
    print(f"{args.arch} on {args.dataset}, batch {args.batch_size}, CPU, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")
    views = " with the evaluation, inside and health views open" if args.all_views else ""
    print(f"{len(late)} ticks of a {args.interval_ms} ms timer over {args.seconds:g} s of training{views}")
    print(f"lateness: median {p50:.1f} ms, p99 {p99:.1f} ms, worst {worst:.1f} ms "
          f"(limits: p99 {args.p99_limit:g} ms, worst {args.max_limit:g} ms): {'OK' if ok else 'TOO LATE'}")
    print(f"training meanwhile: {np.median(rates[len(rates) // 2:]):.0f} samples/s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
