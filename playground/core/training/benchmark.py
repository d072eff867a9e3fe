"""Timing the Trainer's own step, as `playground bench` does."""

from __future__ import annotations

import time

import torch

from playground.core.config import TrainConfig, check
from playground.core.data.registry import load_dataset
from playground.core.training.prepared import prepare
from playground.core.training.setup import configure_threads, resolve_device


def benchmark(config: TrainConfig, steps: int = 200, warmup: int = 10) -> float:
    """Training samples per second over `steps` steps of the very step `Trainer.fit` runs, after a warm-up."""
    check(config)
    device = resolve_device(config.device)
    threads = configure_threads(config.threads, device)
    data = load_dataset(config.dataset, config.dataset_options, config.data_dir or None, config.seed)
    run = prepare(config.replace(epochs=max(1, steps // max(1, len(data.train_x) // config.batch_size) + 1)),
                  data, device)
    n, bs = len(run.train_x), config.batch_size
    perm = torch.randperm(n, device=device, generator=run.generator)
    position = 0
    out: dict = {}
    for i in range(warmup + steps):
        if i == warmup:
            _sync(device)
            t0 = time.perf_counter()
        if position + bs > n:
            perm, position = torch.randperm(n, device=device, generator=run.generator), 0
        threads.poll()  # as the Trainer does: under load, train on the cores that are free
        out = run.step(perm[position:position + bs])
        position += bs
    float(out[run.task.loss_names[0]])  # the one sync: wait for the last step
    _sync(device)
    return steps * run.samples_per_step / (time.perf_counter() - t0)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
