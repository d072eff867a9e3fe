#!/usr/bin/env python3
"""The Trainer against both loops of ../shared/bench/reference_mnist.py, in one run.

For seed-cnn on MNIST at each batch size and device: samples per second of the textbook DataLoader loop, the
device-resident loop, and `playground bench` (the Trainer's own step, with the references' optimizer: SGD, lr
0.01, momentum 0.9). Each loop runs in a fresh process of its own, as each would be run; each figure is the
median of --repeats, interleaved so that drift hits all alike.

Usage: python bench/compare_reference.py [--steps 200] [--batch-sizes 64 256] [--devices cpu cuda] [--repeats 3]
       [--cpu-amp] (a row more: playground with bf16 autocast)
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"


def measure(ref: Path, data: str, device: str, batch: int, steps: int, warmup: int, optimizer: str,
            bf16: bool) -> dict[str, float]:
    """Each loop in a fresh process of its own, as each would run: none inherits another's heap, threads or
    process-wide settings."""
    rates = {loop: reference_loop(ref, loop, data, device, batch, steps, warmup) for loop in ("dataloader", "resident")}
    rates["playground"] = playground_bench(data, device, batch, steps, warmup, optimizer, bf16=False)
    if bf16:  # the presets' --cpu-amp: bf16 autocast where the CPU computes it natively
        rates["playground bf16"] = playground_bench(data, device, batch, steps, warmup, optimizer, bf16=True)
    return rates


def reference_loop(ref: Path, loop: str, data: str, device: str, batch: int, steps: int, warmup: int) -> float:
    command = [sys.executable, str(ref), "--loop", loop, "--data", data, "--device", device, "--batch", str(batch),
               "--steps", str(steps), "--warmup", str(warmup)]
    return _rate(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def _rate(out: str) -> float:
    return float(re.search(r"samples_per_s=([\d.]+)", out).group(1))


def playground_bench(data: str, device: str, batch: int, steps: int, warmup: int, optimizer: str,
                     bf16: bool, env: dict[str, str] | None = None) -> float:
    """`playground bench`: the Trainer's own step, in a fresh process (with `env` added to its environment)."""
    lr = "0.01" if optimizer == "sgd" else "0.001"
    command = [sys.executable, "-m", "playground", "bench", "--arch", "seed-cnn", "--dataset", "mnist",
               "--data-dir", data, "--batch-size", str(batch), "--device", device, "--optimizer", optimizer,
               "--lr", lr, "--momentum", "0.9", "--steps", str(steps), "--warmup", str(warmup),
               "--cpu-amp" if bf16 else "--no-cpu-amp"]
    out = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ, **(env or {})})
    return _rate(out.stdout)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reference", default=str(SHARED / "bench" / "reference_mnist.py"))
    p.add_argument("--data", default=os.environ.get("PLAYGROUND_DATA_DIR", str(SHARED / "data")))
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--batch-sizes", type=int, nargs="+", default=[64, 256])
    p.add_argument("--devices", nargs="+", default=["cpu"] + (["cuda"] if torch.cuda.is_available() else []))
    p.add_argument("--optimizer", default="sgd", help="optimizer for playground's run (references use sgd)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--cpu-amp", action="store_true", help="also playground with bf16 autocast (the presets' setting)")
    args = p.parse_args()
    ref = Path(args.reference)
    name = torch.cuda.get_device_name() if "cuda" in args.devices else "no GPU"
    print(f"torch {torch.__version__}, {os.cpu_count()} CPU cores, {torch.get_num_threads()} threads, {name}")
    print(f"{'device':6} {'batch':>5} {'dataloader':>11} {'resident':>9} {'playground':>11} "
          f"{'x dataloader':>13} {'x resident':>11}")
    for device in args.devices:
        for batch in args.batch_sizes:
            runs = [measure(ref, args.data, device, batch, args.steps, args.warmup, args.optimizer, args.cpu_amp)
                    for _ in range(args.repeats)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(f"{device:6} {batch:5d} {med['dataloader']:11.0f} {med['resident']:9.0f} {med['playground']:11.0f} "
                  f"{med['playground'] / med['dataloader']:12.2f}x {med['playground'] / med['resident']:10.2f}x",
                  flush=True)
            if "playground bf16" in med:
                bf16 = med["playground bf16"]
                print(f"{'':6} {'':5} {'bf16 autocast (--cpu-amp):':>33} {bf16:11.0f} "
                      f"{bf16 / med['dataloader']:12.2f}x {bf16 / med['resident']:10.2f}x", flush=True)


if __name__ == "__main__":
    main()
