"""Small building blocks shared by the architectures."""

from __future__ import annotations

import copy
import math

import torch
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU,
               "leaky_relu": nn.LeakyReLU, "silu": nn.SiLU}
RISING = ("relu", "leaky_relu", "tanh", "sigmoid")  # never decreasing: max-pooling commutes with them


def activation(name: str) -> nn.Module:
    return ACTIVATIONS[name]()


# a dry run on the CPU allocates the weights and one input's activations: above these, the meta device
PROBE_PARAMS = 5_000_000
PROBE_ACTIVATIONS = 50_000_000


def shape_probe(module: nn.Module, input_shape: tuple[int, ...]) -> tuple[nn.Module, torch.device]:
    """A copy of module, in eval mode, for a dry run at batch 1 that finds shapes, and the device it is on.

    The CPU, with uninitialised weights, for a model of a size the playground trains: the meta device's Python
    kernels import torch._dynamo on their first use (2.5-3 s on a slow machine). The meta device for anything
    larger (a damaged or doctored checkpoint), which allocates nothing."""
    params = sum(p.numel() for p in module.parameters())
    widths = [getattr(m, "out_channels", 0) or getattr(m, "out_features", 0) or 0 for m in module.modules()]
    activations = math.prod(input_shape) * max(1, *widths)
    device = torch.device("cpu" if params <= PROBE_PARAMS and activations <= PROBE_ACTIVATIONS else "meta")
    probe = copy.deepcopy(module)
    if device.type == "cpu":  # as to_empty, whose empty_like of a meta tensor runs a Python kernel (torch._refs)
        probe._apply(lambda t: torch.empty(t.shape, dtype=t.dtype, device=device))
    else:
        probe.to(device)
    return probe.eval(), device


def flat_features(features: nn.Module, input_shape: tuple[int, ...]) -> int:
    """How many numbers `features` produces for one input, found by a dry run (shape_probe)."""
    probe, device = shape_probe(features, input_shape)
    with torch.inference_mode():
        out = probe(torch.zeros(1, *input_shape, device=device))
    return out[0].numel()


def mlp_head(sizes: list[int], act: str = "relu", dropout: float = 0.0) -> list[nn.Module]:
    """Linear layers between consecutive sizes, with activation (and dropout) between them."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(activation(act))
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
    return layers
