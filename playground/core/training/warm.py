"""One training step of a run's model on its data, thrown away, before the run: the CPU kernels for these shapes
(oneDNN's primitives for each convolution) are made then, not in the run's first step (75 of its first 80 ms for
seed-cnn on MNIST here). The app does it while it waits for a Train click (gui/training/data_prefetch.py)."""

from __future__ import annotations

import torch

from playground.core.config import TrainConfig
from playground.core.data.splits import DataSplits
from playground.core.training.prepared import prepare
from playground.core.training.setup import resolve_device


def warm_step(config: TrainConfig, data: DataSplits) -> bool:
    """Train a copy of `config`'s model one batch on `data` and forget it; False where there is nothing to warm
    (a GPU run: its kernels are the driver's, and its memory is not to be taken here)."""
    device = resolve_device(config.device)
    if device.type != "cpu":
        return False
    rng = torch.get_rng_state()  # prepare seeds torch: the caller's random numbers go on as if this never ran
    try:
        run = prepare(config, data, device)
        run.step(torch.arange(min(config.batch_size, len(run.batches))))
    finally:
        torch.set_rng_state(rng)
    return True
