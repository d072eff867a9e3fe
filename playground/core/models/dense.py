"""Fully connected architectures: linear/logistic regression and the multilayer perceptron."""

from __future__ import annotations

import math

from torch import nn

from playground.core.models.layers import mlp_head


def build_linear(input_shape: tuple[int, ...], num_outputs: int) -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(math.prod(input_shape), num_outputs))


def build_mlp(input_shape: tuple[int, ...], num_outputs: int, hidden: list[int] = (128, 64),
              activation: str = "relu", dropout: float = 0.0) -> nn.Module:
    sizes = [math.prod(input_shape), *hidden, num_outputs]
    return nn.Sequential(nn.Flatten(), *mlp_head(sizes, activation, dropout))
