#!/usr/bin/env python3
"""Does training keep its speed when another program keeps one core busy (issue 12)?

Measures seed-cnn on MNIST at batch 64 on the CPU, quiet and then beside `yes > /dev/null` (one core kept busy):
`playground bench` (a separate process), and the app's training as its status bar reports it (the samples/s of
the step reports, read after --steps steps). Each the median of --repeats, in one run.

Usage: xvfb-run -a -s "-screen 0 1600x1000x24" python bench/under_load.py [--steps 400] [--repeats 2]
Bars: bench keeps >= 0.45x, the app >= 0.40x its quiet speed.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys

from app_driver import TrainingDriver, make_app


def bench_rate(steps: int) -> float:
    out = subprocess.run([sys.executable, "-m", "playground", "bench", "--arch", "seed-cnn", "--dataset", "mnist",
                          "--batch-size", "64", "--steps", str(steps), "--device", "cpu"],
                         capture_output=True, text=True, check=True).stdout
    return float(re.search(r"samples_per_s=([\d.]+)", out).group(1))


def app_rate(app, steps: int) -> float:
    """The status bar's figure (the step reports' samples/s) once the run is --steps steps in."""
    from playground.core.config import TrainConfig

    seen: list[float] = []

    def on_step(event) -> None:
        if event.step >= steps and not seen:
            seen.append(event.samples_per_s)
            driver.stop()

    driver = TrainingDriver(TrainConfig(arch="seed-cnn", dataset="mnist", batch_size=64, epochs=2, device="cpu"),
                            on_step)
    driver.window.training_finished.connect(app.quit)
    driver.start()
    app.exec()
    driver.window.close()
    return seen[0]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=400)
    p.add_argument("--repeats", type=int, default=2)
    args = p.parse_args()
    app = make_app()
    quiet = {"bench": statistics.median(bench_rate(args.steps) for _ in range(args.repeats)),
             "app": statistics.median(app_rate(app, args.steps) for _ in range(args.repeats))}
    busy_core = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL)
    try:
        busy = {"bench": statistics.median(bench_rate(args.steps) for _ in range(args.repeats)),
                "app": statistics.median(app_rate(app, args.steps) for _ in range(args.repeats))}
    finally:
        busy_core.kill()
    ok = True
    for name, bar in (("bench", 0.45), ("app", 0.40)):
        ratio = busy[name] / quiet[name]
        ok &= ratio >= bar
        print(f"{name:5}: quiet {quiet[name]:6.0f} samples/s, one core busy {busy[name]:6.0f} samples/s = "
              f"{ratio:.2f}x (bar {bar}x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
