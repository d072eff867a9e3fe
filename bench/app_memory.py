#!/usr/bin/env python3
"""How much memory does the app need to train? Peak resident memory of the app's process while it trains one
epoch of seed-cnn on MNIST on the CPU with the window and every view up, sampled every 20 ms.

Usage: xvfb-run -a -s "-screen 0 1600x1000x24" python bench/app_memory.py [--arch seed-cnn] [--epochs 1]
Prints the peak in GB (10^9 bytes) and exits 1 above --limit-gb (1.7, issue 14's bar).
"""

from __future__ import annotations

import argparse
import sys

import psutil
from app_driver import TrainingDriver, make_app
from PySide6.QtCore import QObject, QTimer, Slot


class PeakMeter(QObject):
    def __init__(self):
        super().__init__()
        self.peak = 0
        self._process = psutil.Process()
        self._timer = QTimer(self, interval=20)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.peak = max(self.peak, self._process.memory_info().rss)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", default="seed-cnn")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--limit-gb", type=float, default=1.7)
    args = p.parse_args()
    app = make_app()
    meter = PeakMeter()
    from playground.core.config import TrainConfig

    driver = TrainingDriver(TrainConfig(arch=args.arch, dataset="mnist", epochs=args.epochs, device="cpu"),
                            lambda event: None)
    driver.window.training_finished.connect(app.quit)
    driver.start()
    app.exec()
    meter._on_timer_timeout()
    driver.window.close()
    peak_gb = meter.peak / 1e9
    print(f"the app training {args.arch} on MNIST for {args.epochs} epoch(s): peak RSS {peak_gb:.2f} GB "
          f"(allowed: {args.limit_gb} GB): {'OK' if peak_gb <= args.limit_gb else 'NOT MET'}")
    return 0 if peak_gb <= args.limit_gb else 1


if __name__ == "__main__":
    sys.exit(main())
