"""Timing the Trainer's own step, as `playground bench` does; under torchrun, the step of every rank (DDP)."""

from __future__ import annotations

import time

import torch

from playground.core.config import TrainConfig, check
from playground.core.data.registry import load_for
from playground.core.training.allocator import keep_freed_memory
from playground.core.training.prepared import prepare
from playground.core.training.ranks import SINGLE, Ranks
from playground.core.training.setup import configure_threads, denormals_flushed, resolve_device


def benchmark(config: TrainConfig, steps: int = 200, warmup: int = 10, ranks: Ranks = SINGLE) -> float:
    """Training samples (characters of text) per second over `steps` steps of the very step `Trainer.fit` runs,
    after a warm-up; under torchrun the samples of every rank together, over the time of the slowest."""
    check(config)
    keep_freed_memory()  # as the Trainer does
    with denormals_flushed():
        return _timed_steps(config, steps, warmup, ranks)


def _timed_steps(config: TrainConfig, steps: int, warmup: int, ranks: Ranks) -> float:
    device = ranks.device or resolve_device(config.device)
    threads = configure_threads(config.threads, device)
    data = ranks.local_zero_first(lambda: load_for(config))
    # enough epochs that the schedule (onecycle refuses a step past its end) spans every timed step
    run = prepare(config.replace(epochs=max(config.epochs, warmup + steps)), data, device, ranks=ranks)
    n, bs = len(run.batches), config.batch_size

    def order() -> torch.Tensor:
        perm = torch.randperm(n, device=device, generator=run.generator)
        run.batches.start_epoch(run.generator)
        return ranks.shard(perm)

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
    return steps * run.items_per_step / seconds


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
