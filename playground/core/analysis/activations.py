"""What the layers of a model respond to: the first layer's filters, and each layer's activations for one input.

Activations are recorded with forward hooks during one pass: for each convolution its maps (after the
activation function that follows it, where one does), for each hidden Linear layer its units (after its
activation), for a recurrent layer its hidden state at every step. The 1x1 projections of residual shortcuts
are left out: they repeat what their block already shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from playground.core.models.layers import ACTIVATIONS, RISING

MAPS, UNITS, SEQUENCE = "maps", "units", "sequence"
_ACTIVATION_TYPES = tuple(ACTIVATIONS.values())
_PASS_THROUGH = (nn.BatchNorm1d, nn.BatchNorm2d, nn.Dropout, nn.Identity)  # between a layer and its activation
_RECURRENT = (nn.RNN, nn.LSTM, nn.GRU)
_RISING = tuple(ACTIVATIONS[name] for name in RISING)  # max-pooling commutes with these


@dataclass(frozen=True)
class Filters:
    title: str  # "convolution 1" or "layer 1"
    weights: np.ndarray  # out x in_channels x kh x kw (a dense first layer: each unit's weights as an image)


@dataclass(frozen=True)
class LayerActivation:
    name: str  # "convolution 2", "hidden layer 1", "lstm"
    kind: str  # MAPS (C x H x W), UNITS (N,), SEQUENCE (steps x N)
    values: np.ndarray
    after: str = ""  # the activation function the values come after ("ReLU"), "" for the layer's own output


def first_layer_filters(model: nn.Module, input_shape: tuple[int, ...]) -> Filters | None:
    """The first convolution's kernels; for a dense model of images, its first layer's weights per unit."""
    modules = list(model.modules())
    conv = next((m for m in modules if isinstance(m, nn.Conv2d)), None)
    if conv is not None:
        return Filters("convolution 1", conv.weight.detach().float().cpu().numpy())
    first = next((m for m in modules if isinstance(m, (nn.Linear, *_RECURRENT))), None)
    if isinstance(first, nn.Linear) and len(input_shape) == 3 and first.in_features == math.prod(input_shape):
        weights = first.weight.detach().float().cpu().numpy()
        return Filters("layer 1", weights.reshape(len(weights), *input_shape))
    return None


def _display_module(siblings: list[nn.Module], i: int) -> nn.Module | None:
    """The activation function that follows siblings[i] (past batch norm or dropout), or None."""
    for later in siblings[i + 1:]:
        if isinstance(later, _ACTIVATION_TYPES):
            return later
        if not isinstance(later, _PASS_THROUGH):
            return None
    return None


def _pooled_activation(siblings: list[nn.Module], i: int) -> tuple[nn.Module, nn.Module] | None:
    """For a convolution followed by (batch norm,) max-pooling, then a rising activation (seed-cnn: the same
    function as the activation before the pooling, on fewer values): (the module before the pooling, the
    activation), so that its maps are shown at full size after the activation, as they would have been."""
    j = i + 1
    while j < len(siblings) and isinstance(siblings[j], _PASS_THROUGH):
        j += 1
    if (j + 1 < len(siblings) and isinstance(siblings[j], nn.MaxPool2d)
            and isinstance(siblings[j + 1], _RISING)):
        return siblings[j - 1], siblings[j + 1]
    return None


def _probes(model: nn.Module) -> list[tuple[str, nn.Module, nn.Module | None]]:
    """(kind, module whose output is recorded, an activation applied to it or None), in the order the model
    runs them (its definition order)."""
    order = {id(m): k for k, m in enumerate(model.modules())}
    found: list[tuple[int, str, nn.Module, nn.Module | None]] = []
    for parent in model.modules():
        siblings = list(parent.children())
        for i, child in enumerate(siblings):
            after = _display_module(siblings, i)
            if isinstance(child, nn.Conv2d) and child.kernel_size != (1, 1):
                pooled = None if after is not None else _pooled_activation(siblings, i)
                found.append((order[id(child)], MAPS, *(pooled or (after or child, None))))
            elif isinstance(child, nn.Linear) and after is not None:  # the output layer has no activation
                found.append((order[id(child)], UNITS, after, None))
            elif isinstance(child, _RECURRENT):
                found.append((order[id(child)], SEQUENCE, child, None))
    return [(kind, module, apply) for _, kind, module, apply in sorted(found, key=lambda f: f[0])]


def _name(kind: str, count: int, module: nn.Module) -> str:
    if kind == MAPS:
        return f"convolution {count}"
    if kind == UNITS:
        return f"hidden layer {count}"
    return type(module).__name__.lower()


def activations(model: nn.Module, x: torch.Tensor) -> list[LayerActivation]:
    """Every probed layer's activations for one input (a batch of one), in the order the model runs them."""
    probes = _probes(model)
    outputs: dict[int, torch.Tensor] = {}

    def record(index: int, apply: nn.Module | None):
        def hook(module: nn.Module, inputs: tuple, output) -> None:
            out = output[0] if isinstance(output, tuple) else output  # a recurrent layer's is (output, state)
            outputs[index] = (out if apply is None else apply(out.clone())).detach()  # a copy: ReLU may be in place
        return hook

    handles = [module.register_forward_hook(record(k, apply)) for k, (_, module, apply) in enumerate(probes)]
    try:
        with torch.inference_mode():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    counts = {MAPS: 0, UNITS: 0, SEQUENCE: 0}
    result = []
    for k, (kind, module, apply) in enumerate(probes):
        if k not in outputs:  # a layer this input did not pass through
            continue
        counts[kind] += 1
        shown = module if apply is None else apply
        after = type(shown).__name__ if isinstance(shown, _ACTIVATION_TYPES) else ""
        result.append(LayerActivation(_name(kind, counts[kind], module), kind, outputs[k][0].float().cpu().numpy(),
                                      after))
    return result
