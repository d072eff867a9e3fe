"""The MNIST preset against pytorch/examples' mnist/main.py --epochs 1, on this machine, one after the other.

Each is a fresh process timed from its start to its end (imports, data, training, test), as a user would time
them: `python bench/examples_mnist.py --epochs 1` (the example, reimplemented faithfully) and
`playground train --preset mnist-in-a-minute`. Pairs alternate which goes first. Prints each wall time, the
preset's test accuracy, and the ratio of medians; the bar is the preset reaching 99.0% in at most 0.12x the
example's wall time.

    python bench/compare_examples_mnist.py [--data ../shared/data] [--pairs 2] [--preset mnist-in-a-minute]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=os.environ.get("PLAYGROUND_DATA_DIR", str(HERE.parent.parent / "shared" / "data")))
    p.add_argument("--pairs", type=int, default=2)
    p.add_argument("--preset", default="mnist-in-a-minute")
    args = p.parse_args()
    env = {**os.environ, "PLAYGROUND_DATA_DIR": args.data}
    example, ours, accuracies = [], [], []
    with tempfile.TemporaryDirectory() as runs:
        env["PLAYGROUND_RUNS_DIR"] = runs
        for pair in range(args.pairs):
            for first in ((False, True) if pair % 2 else (True, False)):
                if first:
                    wall, _ = timed([sys.executable, str(HERE / "examples_mnist.py"), "--epochs", "1", "--data",
                                     args.data], env)
                    example.append(wall)
                    print(f"examples mnist/main.py --epochs 1: {wall:.1f} s", flush=True)
                else:
                    out = Path(runs) / f"run{pair}"
                    wall, _ = timed([sys.executable, "-m", "playground", "train", "--preset", args.preset, "--out",
                                     str(out), "--quiet"], env)
                    last = json.loads((out / "metrics.jsonl").read_text().splitlines()[-1])
                    ours.append(wall)
                    accuracies.append(last["test_accuracy"])
                    print(f"playground --preset {args.preset}: {wall:.1f} s, {last['test_accuracy']:.2%}", flush=True)
    ratio = statistics.median(ours) / statistics.median(example)
    ok = ratio <= 0.12 and min(accuracies) >= 0.99
    print(f"median {statistics.median(ours):.1f} s against {statistics.median(example):.1f} s = {ratio:.3f}x; "
          f"accuracy {min(accuracies):.2%}..{max(accuracies):.2%}; "
          f"bar (<= 0.12x, >= 99.0%): {'OK' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
