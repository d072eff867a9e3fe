#!/usr/bin/env python3
"""Training speed inside the app against `playground bench`, for the same model and batch size.

`playground bench` (a separate process, headless) times --steps steps of the Trainer's own step after
--warmup steps. In the app, the window trains the same config and the speed is read the same way from its
step reports: samples between the first report past --warmup steps and the first past --warmup + --steps,
divided by the time between them. The two alternate --repeats times (so drift hits both alike); medians.

Usage: xvfb-run -a python bench/app_throughput.py [--arch seed-cnn] [--dataset mnist] [--batch-size 64]
       [--steps 200] [--warmup 10] [--repeats 3] [--bench-nice 0]
Prints both speeds and their ratio; exits 1 when the app is more than 10% slower.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys

from app_driver import TrainingDriver, make_app


def bench_speed(args: argparse.Namespace) -> float:
    command = ["nice", "-n", str(args.bench_nice)] if args.bench_nice else []
    command += [sys.executable, "-m", "playground", "bench", "--arch", args.arch, "--dataset", args.dataset,
               "--batch-size", str(args.batch_size), "--steps", str(args.steps), "--warmup", str(args.warmup),
               "--device", "cpu"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"samples_per_s=([\d.]+)", out).group(1))


def app_speed(app, args: argparse.Namespace) -> float:
    """One run in a fresh window; the speed over the same steps bench times."""
    from playground.core.config import TrainConfig

    config = TrainConfig(arch=args.arch, dataset=args.dataset, batch_size=args.batch_size, device="cpu",
                         epochs=max(1, (args.warmup + args.steps) * args.batch_size // 50_000 + 1))
    marks: list[tuple[int, float]] = []

    def on_step(event) -> None:
        if not marks and event.step >= args.warmup:
            marks.append((event.step, event.elapsed_s))
        elif len(marks) == 1 and event.step >= marks[0][0] + args.steps:
            marks.append((event.step, event.elapsed_s))
            driver.stop()

    driver = TrainingDriver(config, on_step)
    driver.window.training_finished.connect(app.quit)
    driver.start()
    app.exec()
    driver.window.close()
    if len(marks) < 2:
        raise SystemExit("the run ended before enough steps were measured")
    (s0, t0), (s1, t1) = marks
    return (s1 - s0) * args.batch_size / (t1 - t0)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", default="seed-cnn")
    p.add_argument("--dataset", default="mnist")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--tolerance", type=float, default=0.10, help="how much slower the app may be")
    p.add_argument("--bench-nice", type=int, default=0,
                   help="run bench at this niceness; 5 matches the app's training thread, for a fair comparison "
                        "on a machine busy with other work (on a quiet machine it changes nothing)")
    args = p.parse_args()
    app = make_app()  # also points PLAYGROUND_DATA_DIR at ../shared/data for the bench processes
    print(f"{args.arch} on {args.dataset}, batch {args.batch_size}, CPU, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")
    headless, in_app = [], []
    for i in range(args.repeats):
        headless.append(bench_speed(args))
        in_app.append(app_speed(app, args))
        print(f"repeat {i + 1}: playground bench {headless[-1]:.0f} samples/s, app {in_app[-1]:.0f} samples/s",
              flush=True)
    bench, inside = statistics.median(headless), statistics.median(in_app)
    ratio = inside / bench
    ok = ratio >= 1 - args.tolerance
    print(f"median: playground bench {bench:.0f} samples/s, app {inside:.0f} samples/s, app/bench {ratio:.2f} "
          f"(allowed: {1 - args.tolerance:.2f} or more): {'OK' if ok else 'TOO SLOW'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
