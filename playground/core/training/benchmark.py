"""Timing the Trainer's own step, as `playground bench` does; under torchrun, the step of every rank (DDP)."""

from __future__ import annotations

import time

import torch

from playground.core.config import TrainConfig, check
from playground.core.data.registry import load_dataset
from playground.core.training.allocator import keep_freed_memory
from playground.core.training.prepared import prepare
from playground.core.training.ranks import SINGLE, Ranks
from playground.core.training.setup import configure_threads, denormals_flushed, resolve_device


def benchmark(config: TrainConfig, steps: int = 200, warmup: int = 10, ranks: Ranks = SINGLE) -> float:
    """Training samples per second over `steps` steps of the very step `Trainer.fit` runs, after a warm-up; under
    torchrun the samples of every rank together, over the time of the slowest."""
    check(config)
    keep_freed_memory()  # as the Trainer does
    with denormals_flushed():
        return _timed_steps(config, steps, warmup, ranks)


def _timed_steps(config: TrainConfig, steps: int, warmup: int, ranks: Ranks) -> float:
    device = ranks.device or resolve_device(config.device)
    threads = configure_threads(config.threads, device)
    data = ranks.local_zero_first(
        lambda: load_dataset(config.dataset, config.dataset_options, config.data_dir or None, config.seed))
    per_epoch = max(1, len(data.train_x) // (config.batch_size * ranks.world_size))
    run = prepare(config.replace(epochs=max(1, steps // per_epoch + 1)), data, device, ranks=ranks)
    n, bs = len(run.train_x), config.batch_size

    def order() -> torch.Tensor:
        return ranks.shard(torch.randperm(n, device=device, generator=run.generator))

    perm, position = order(), 0
    out: dict = {}
    for i in range(warmup + steps):
        if i == warmup:
            _sync(device)
            t0 = time.perf_counter()
        if position + bs > len(perm):
            perm, position = order(), 0
        threads.poll()  # as the Trainer does: under load, train on the cores that are free
        out = run.step(perm[position:position + bs])
        position += bs
    float(out[run.task.loss_names[0]])  # the one sync: wait for the last step
    _sync(device)
    seconds = max(ranks.gather(time.perf_counter() - t0))
    return steps * run.effective_batch / seconds


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
