#!/usr/bin/env python3
"""playground's gpt against nanoGPT's own training loop (bench/nanogpt_reference.py), in one run.

Speed: the same model shape as nanoGPT's CPU recipe (4 layers, 4 heads, width 128, context 64) on Tiny
Shakespeare; nanoGPT's loop with its recipe (batch 12, AdamW, its schedule, clipping, a loss read every step),
playground's Trainer step (`playground bench`) with AdamW at batch 64 (flags after -- replace these). Characters
per second of training, each loop in a fresh process of its own, interleaved --repeats times; the medians and
their ratio.

With --full, also the time to a loss: nanoGPT's whole CPU recipe (2,000 iterations: its wall time and validation
loss) and `playground train --arch gpt --dataset shakespeare` with its defaults (wall time and validation loss),
one after the other; and the same for `--arch lstm`.

Usage: python bench/compare_nanogpt.py [--steps 150] [--repeats 3] [--full]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHAPE = ["-O", "layers=4", "-O", "heads=4", "-O", "width=128", "-O", "context=64"]
SPEED_FLAGS = ["--optimizer", "adamw", "--lr", "0.001", "--schedule", "none", "--batch-size", "64"]


def reference_rate(steps: int) -> float:
    """nanoGPT's loop for `steps` iterations, evaluating only where it must (its first and last step)."""
    out = _run([sys.executable, str(HERE / "nanogpt_reference.py"), "--max-iters", str(steps),
                "--eval-interval", str(10 * steps), "--eval-iters", "2", "--json"])
    return float(json.loads(out.strip().splitlines()[-1])["chars_per_s"])


def playground_rate(steps: int, extra: list[str]) -> float:
    out = _run([sys.executable, "-m", "playground", "bench", "--arch", "gpt", "--dataset", "shakespeare", *SHAPE,
                "--steps", str(steps), "--warmup", "10", *extra])
    return float(re.search(r"samples_per_s=([\d.]+)", out).group(1))


def _run(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def speed(steps: int, repeats: int, extra: list[str]) -> None:
    rates: dict[str, list[float]] = {"nanoGPT loop": [], "playground": []}
    for _ in range(repeats):  # interleaved: drift of the machine hits both alike
        rates["nanoGPT loop"].append(reference_rate(steps))
        rates["playground"].append(playground_rate(steps, extra))
    medians = {k: statistics.median(v) for k, v in rates.items()}
    for name, values in rates.items():
        print(f"{name:13} {medians[name]:9,.0f} characters/s (median of {', '.join(f'{v:,.0f}' for v in values)})")
    print(f"playground / nanoGPT loop: {medians['playground'] / medians['nanoGPT loop']:.2f}x")


def time_to_loss() -> None:
    started = time.perf_counter()
    out = _run([sys.executable, str(HERE / "nanogpt_reference.py"), "--json"])
    ref = json.loads(out.strip().splitlines()[-1])
    print(f"nanoGPT CPU recipe: val loss {ref['val_loss']:.4f} after {time.perf_counter() - started:.1f} s wall")
    for arch in ("gpt", "lstm"):
        started = time.perf_counter()
        out = _run([sys.executable, "-m", "playground", "train", "--arch", arch, "--dataset", "shakespeare",
                    "--quiet"])
        wall = time.perf_counter() - started
        last = out.strip().splitlines()[-1]
        print(f"playground {arch} (defaults): {last} ({wall:.1f} s wall)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=150, help="training steps timed in each loop")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--full", action="store_true", help="also the time to a loss of both, with their defaults")
    p.add_argument("playground_flags", nargs="*", help="more flags for playground bench (after --)")
    args = p.parse_args()
    import torch

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; gpt of nanoGPT's CPU shape "
          "(4 layers, 4 heads, width 128, context 64) on Tiny Shakespeare")
    speed(args.steps, args.repeats, args.playground_flags or SPEED_FLAGS)
    if args.full:
        time_to_loss()


if __name__ == "__main__":
    main()
