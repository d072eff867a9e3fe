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
WAVE_CLASSES = ("sine", "square", "sawtooth", "triangle")
WAVE_STEPS = 32


def waves(samples: int = 4000, noise: float = 0.1, test_fraction: float = 0.25, seed: int = 0) -> DataSplits:
    """Sequences of WAVE_STEPS values: a sine, square, sawtooth or triangle wave of random frequency (1.5 to 4
    periods), phase and amplitude, plus noise; the class is the wave's shape. Inputs are steps x 1 values."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(samples) % len(WAVE_CLASSES)
    t = torch.linspace(0.0, 1.0, WAVE_STEPS)
    periods = 1.5 + 2.5 * torch.rand(samples, 1, generator=g)
    phase = torch.rand(samples, 1, generator=g)
    amplitude = 0.5 + torch.rand(samples, 1, generator=g)
    u = (t * periods + phase) % 1.0  # position within the period, 0..1
    shapes = torch.stack([torch.sin(2 * math.pi * u), torch.where(u < 0.5, 1.0, -1.0), 2 * u - 1,
                          1 - 4 * (u - 0.5).abs()])  # 4 x N x T
    x = shapes[y, torch.arange(samples)] * amplitude + noise * torch.randn(samples, WAVE_STEPS, generator=g)
    perm = torch.randperm(samples, generator=g)
    x, y = x[perm].unsqueeze(2).float(), y[perm]
    k = max(1, int(samples * test_fraction))
    return DataSplits(train_x=x[k:], train_y=y[k:], test_x=x[:k], test_y=y[:k], task="classification",
                      num_classes=len(WAVE_CLASSES), class_names=WAVE_CLASSES)


def generate(name: str, samples: int = 2000, noise: float = 0.1, test_fraction: float = 0.25,
             seed: int = 0) -> DataSplits:
    """A generated dataset, the same for the same seed; noise is the standard deviation added."""
    if name == "waves":
        return waves(samples, noise, test_fraction, seed)
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
