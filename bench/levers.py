#!/usr/bin/env python3
"""Which levers make the training step faster on this CPU? Each measured in one process, interleaved (every
round times every lever once, so drift hits all alike), as the median of --rounds.

The step is the Trainer's own (playground.core.training.benchmark): seed-cnn on MNIST at batch 64 with the
references' SGD (lr 0.01, momentum 0.9) unless a lever says otherwise; the allocator's settings, which hold for
a whole process, each in a fresh one; then each model kind with and without bf16 autocast. A ratio above 1 is
faster than the baseline of its group.

Usage: python bench/levers.py [--steps 150] [--rounds 3] [--kinds]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics

import torch
from compare_reference import SHARED, playground_bench  # bench/ is the script's folder: on sys.path

from playground.core.config import TrainConfig
from playground.core.training.allocator import OFF_SWITCH
from playground.core.training.benchmark import benchmark

DATA = os.environ.get("PLAYGROUND_DATA_DIR", str(SHARED / "data"))
BASE = TrainConfig(arch="seed-cnn", dataset="mnist", batch_size=64, optimizer="sgd", lr=0.01, momentum=0.9,
                   device="cpu")
SEED_CNN = {
    "baseline (channels_last, fused SGD, fp32, FTZ)": BASE,
    "bf16 autocast (cpu_amp)": BASE.replace(cpu_amp=True),
    "no channels_last": BASE.replace(channels_last=False),
    "torch.compile of the model": BASE.replace(compile=True),
    "batch 128": BASE.replace(batch_size=128),
    "batch 128, bf16": BASE.replace(batch_size=128, cpu_amp=True),
    "one thread": BASE.replace(threads=1),
}
KINDS = {
    "lstm": TrainConfig(arch="lstm", dataset="mnist", device="cpu"),
    "gan": TrainConfig(arch="gan", dataset="mnist", device="cpu"),
    "vae": TrainConfig(arch="vae", dataset="mnist", device="cpu"),
}


def keep_denormals(config: TrainConfig, steps: int) -> float:
    """The Trainer's step without its flush-to-zero of denormal numbers."""
    from unittest import mock

    with mock.patch("playground.core.training.benchmark.denormals_flushed", contextlib.nullcontext):
        return benchmark(config, steps, 10)


def allocator(steps: int, rounds: int) -> dict[str, float]:
    cases = {"freed memory kept (the Trainer's mallopt)": {}, "glibc's default allocator settings": {OFF_SWITCH: "1"}}
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, env in cases.items():
            times[name].append(playground_bench(DATA, "cpu", 64, steps, 10, "sgd", bf16=False, env=env))
    return {name: statistics.median(v) for name, v in times.items()}


def measure(levers: dict, steps: int, rounds: int, extra: dict | None = None) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in [*levers, *(extra or {})]}
    for _ in range(rounds):
        for name, config in levers.items():
            times[name].append(benchmark(config, steps, 10))
        for name, fn in (extra or {}).items():
            times[name].append(fn(BASE, steps))
    return {name: statistics.median(v) for name, v in times.items()}


def report(title: str, results: dict[str, float], baseline: str) -> None:
    print(f"\n{title}")
    for name, rate in results.items():
        print(f"  {name:45} {rate:8.0f} samples/s  {rate / results[baseline]:5.2f}x")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=150)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--kinds", action="store_true", help="also each model kind, fp32 against bf16")
    args = p.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"CPU capability {torch.backends.cpu.get_cpu_capability()}")
    results = measure(SEED_CNN, args.steps, args.rounds, {"denormals kept (no flush to zero)": keep_denormals})
    report("seed-cnn, batch 64, SGD (the references' step)", results, next(iter(SEED_CNN)))
    pair = allocator(args.steps * 2, args.rounds)
    report("the allocator, each in a fresh process (`playground bench`)", pair, next(iter(pair)))
    if args.kinds:
        for kind, config in KINDS.items():
            pair = {f"{kind} fp32": config, f"{kind} bf16 autocast": config.replace(cpu_amp=True)}
            report(f"{kind} (its defaults), batch 64", measure(pair, args.steps // 2, args.rounds), f"{kind} fp32")


if __name__ == "__main__":
    main()
