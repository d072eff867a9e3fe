"""Generated datasets that need no download: 2-D classification and 1-D regression."""

from __future__ import annotations

import math

import torch

from playground.core.data.splits import DataSplits


def _spiral(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.arange(n) % 2
    t = torch.rand(n, generator=g) * 3 * math.pi + 0.5
    angle = t + y * math.pi
    return torch.stack([t * torch.cos(angle), t * torch.sin(angle)], 1) / (3 * math.pi), y


def _circles(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.arange(n) % 2
    angle = torch.rand(n, generator=g) * 2 * math.pi
    radius = torch.where(y == 0, 1.0, 0.5)
    return torch.stack([torch.cos(angle), torch.sin(angle)], 1) * radius[:, None], y


def _xor(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.rand(n, 2, generator=g) * 2 - 1
    return x, ((x[:, 0] > 0) ^ (x[:, 1] > 0)).long()


def _blobs(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    centres = torch.tensor([[-0.6, -0.5], [0.6, -0.4], [0.0, 0.6]])
    y = torch.arange(n) % len(centres)
    return centres[y] + 0.15 * torch.randn(n, 2, generator=g), y


def _moons(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.arange(n) % 2
    t = torch.rand(n, generator=g) * math.pi
    upper = torch.stack([torch.cos(t), torch.sin(t)], 1)
    lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)
    x = torch.where(y[:, None] == 0, upper, lower)
    return (x - torch.tensor([0.5, 0.25])) / 1.2, y


def _linear(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.rand(n, 1, generator=g) * 2 - 1
    return x, 0.8 * x[:, 0] + 0.2


def _sine(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.rand(n, 1, generator=g) * 2 - 1
    return x, torch.sin(math.pi * x[:, 0])


CLASSIFICATION = {"spiral": _spiral, "circles": _circles, "xor": _xor, "blobs": _blobs, "moons": _moons}
REGRESSION = {"linear": _linear, "sine": _sine}


def generate(name: str, samples: int = 2000, noise: float = 0.1, test_fraction: float = 0.25,
             seed: int = 0) -> DataSplits:
    """A generated dataset, the same for the same seed; noise is the standard deviation added."""
    g = torch.Generator().manual_seed(seed)
    maker = CLASSIFICATION.get(name) or REGRESSION[name]
    x, y = maker(samples, g)
    perm = torch.randperm(samples, generator=g)
    x, y = x[perm], y[perm]
    if name in CLASSIFICATION:
        x = x + noise * torch.randn(x.shape, generator=g)
        classes = tuple(str(c) for c in range(int(y.max()) + 1))
        task, outputs = "classification", len(classes)
    else:
        y = (y + noise * torch.randn(y.shape, generator=g)).float()
        classes, task, outputs = (), "regression", 1
    k = max(1, int(samples * test_fraction))
    return DataSplits(train_x=x[k:].float(), train_y=y[k:], test_x=x[:k].float(), test_y=y[:k],
                      task=task, num_classes=outputs, class_names=classes)
