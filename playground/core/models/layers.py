"""Small building blocks shared by the architectures."""

from __future__ import annotations

import copy

import torch
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU,
               "leaky_relu": nn.LeakyReLU, "silu": nn.SiLU}


def activation(name: str) -> nn.Module:
    return ACTIVATIONS[name]()


def flat_features(features: nn.Module, input_shape: tuple[int, ...]) -> int:
    """How many numbers `features` produces for one input, found by a dry run on the meta device."""
    probe = copy.deepcopy(features).to("meta").eval()
    out = probe(torch.empty(1, *input_shape, device="meta"))
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
