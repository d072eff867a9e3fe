#!/usr/bin/env python3
"""Throughput of `playground bench` over ranks: DDP on the CPU with gloo, and over 1..N GPUs with NCCL.

CPU (always): seed-cnn on MNIST, 1 process of 2 threads against 2 gloo ranks of 1 thread each, both with the
same effective batch (--batch-size, split over the ranks) and with each rank at the full batch (twice the
samples per step). GPU (where there are GPUs): 1 process on cuda:0, then torchrun over 1, 2, ... N GPUs with
--gpu-batch-size per GPU (weak scaling). Each figure is the median of --repeats runs, interleaved so that
drift on a shared machine hits all alike; every run is a fresh process (or torchrun), start-up not timed.

Usage: python bench/ddp_scaling.py [--steps 300] [--repeats 3] [--batch-size 64] [--gpu-batch-size 256]
       [--gpus N] [--no-cpu]
Prints samples/s (all ranks together), per rank, and the ratio to the one-process baseline, and a Markdown
table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TORCHRUN = Path(sys.executable).with_name("torchrun")
RATE = re.compile(r"^samples_per_s=([\d.]+)$", re.M)


@dataclass(frozen=True)
class Case:
    name: str
    ranks: int  # 0: one plain process, no torchrun
    threads: int
    batch: int  # per rank
    device: str


def command(case: Case, args: argparse.Namespace) -> list[str]:
    bench = ["-m", "playground", "bench", "--arch", "seed-cnn", "--dataset", "mnist", "--device", case.device,
             "--threads", str(case.threads), "--batch-size", str(case.batch), "--steps", str(args.steps),
             "--warmup", str(args.warmup)]
    if case.ranks == 0:
        return [sys.executable, *bench]
    return [str(TORCHRUN), "--standalone", "--nproc-per-node", str(case.ranks), *bench]


def measure(case: Case, args: argparse.Namespace) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": str(case.threads)}
    result = subprocess.run(command(case, args), capture_output=True, text=True, env=env, timeout=1800)
    found = RATE.search(result.stdout)
    if result.returncode != 0 or found is None:
        sys.exit(f"ddp_scaling: {case.name} failed ({result.returncode}):\n{result.stdout}\n{result.stderr[-3000:]}")
    return float(found.group(1))


def cases(args: argparse.Namespace) -> list[Case]:
    found: list[Case] = []
    if not args.no_cpu:
        b = args.batch_size
        found += [Case("cpu 1 process x 2 threads", 0, 2, b, "cpu"),
                  Case("cpu 2 gloo ranks x 1 thread, same effective batch", 2, 1, b // 2, "cpu"),
                  Case("cpu 2 gloo ranks x 1 thread, full batch each", 2, 1, b, "cpu")]
    gpus = args.gpus if args.gpus is not None else _gpu_count()
    if gpus:
        found.append(Case("cuda:0, 1 process", 0, 4, args.gpu_batch_size, "cuda"))
        found += [Case(f"{n} GPU(s), NCCL", n, 4, args.gpu_batch_size, "cuda") for n in range(1, gpus + 1)]
    return found


def _gpu_count() -> int:
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def report(results: dict[Case, float]) -> None:
    baselines = {device: next(r for c, r in results.items() if c.device == device and c.ranks == 0)
                 for device in {c.device for c in results}}
    print(f"\n{'case':52} {'batch/rank':>10} {'samples/s':>10} {'per rank':>9} {'x 1 process':>11}")
    rows = []
    for case, rate in results.items():
        per_rank = rate / max(1, case.ranks)
        ratio = rate / baselines[case.device]
        print(f"{case.name:52} {case.batch:10d} {rate:10.0f} {per_rank:9.0f} {ratio:10.2f}x")
        rows.append(f"| {case.name} | {case.batch} | {rate:,.0f} | {per_rank:,.0f} | {ratio:.2f}x |")
    print("\n| case | batch per rank | samples/s | per rank | × 1 process |\n| --- | --- | --- | --- | --- |")
    print("\n".join(rows))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=64, help="CPU: the one process's batch")
    p.add_argument("--gpu-batch-size", type=int, default=256, help="GPU: the batch of each GPU")
    p.add_argument("--gpus", type=int, default=None, help="GPUs to scale to (default: all)")
    p.add_argument("--no-cpu", action="store_true", help="only the GPU figures")
    args = p.parse_args()
    todo = cases(args)
    print(f"{os.cpu_count()} CPU cores; {len(todo)} cases, {args.repeats} repeats, {args.steps} steps each")
    runs: dict[Case, list[float]] = {c: [] for c in todo}
    for repeat in range(args.repeats):
        for case in todo:
            runs[case].append(measure(case, args))
            print(f"  [{repeat + 1}/{args.repeats}] {case.name}: {runs[case][-1]:.0f} samples/s", flush=True)
    report({c: statistics.median(r) for c, r in runs.items()})


if __name__ == "__main__":
    main()
