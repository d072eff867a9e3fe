"""What each neuron of a dense network computes over the 2-D plane: TensorFlow Playground's picture of a network.

A dense network here is a plain stack (nested nn.Sequential) of Linear layers with activations between them
(and the layers that keep one value per neuron: dropout, batch and layer norm, flatten). Each Linear starts a
column of neurons; a neuron's picture is its output, after the activations that follow it, at every point of an
n x n grid over the plane, the grid given to the network as the features it was trained on (data.features).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from playground.core.analysis.boundary import Bounds, grid_points
from playground.core.data.features import LABELS, expand

GRID = 48  # cells per side of a neuron's picture: 2,304 points, well under a millisecond for an mlp
KEEP = 16  # neurons drawn per hidden column (TensorFlow Playground stops at 8): the rest are counted
# layers that keep one value per neuron, so a neuron's picture stays its own
_PER_NEURON = (nn.Flatten, nn.Identity, nn.Dropout, nn.AlphaDropout, nn.BatchNorm1d, nn.LayerNorm)


@dataclass(frozen=True)
class NeuronColumn:
    title: str  # "inputs", "hidden 1", "output"
    labels: tuple[str, ...]  # one per drawn neuron: a feature's name ("x²") or the neuron's number
    values: np.ndarray  # drawn neurons x n x n, float32; row 0 at the lowest y
    weights: np.ndarray | None  # drawn neurons x the previous column's drawn neurons; None for the inputs
    total: int  # neurons in the layer, drawn or not


@dataclass(frozen=True)
class NeuronPicture:
    bounds: Bounds
    columns: tuple[NeuronColumn, ...]


def plain_stack(model: nn.Module) -> list[nn.Module] | None:
    """The layers of a stack of nested nn.Sequentials in the order they run; None for any other shape."""
    if not isinstance(model, nn.Sequential):
        return None if list(model.children()) else [model]
    layers: list[nn.Module] = []
    for child in model.children():
        inner = plain_stack(child)
        if inner is None:
            return None
        layers += inner
    return layers


def _is_activation(m: nn.Module) -> bool:
    return type(m).__module__ == nn.ReLU.__module__ and not isinstance(m, nn.MultiheadAttention)


def dense_layers(model: nn.Module) -> list[nn.Module] | None:
    """The layers of a dense network (Linear layers and activations) in order, or None if it is not one."""
    layers = plain_stack(model)
    if not layers or not any(isinstance(m, nn.Linear) for m in layers):
        return None
    if all(isinstance(m, (nn.Linear, *_PER_NEURON)) or _is_activation(m) for m in layers):
        return layers
    return None


def what_network(model: nn.Module) -> str:
    """What kind of network this is, for a sentence: "a convolutional network", "a recurrent network"..."""
    modules = list(model.modules())
    named = {type(m).__name__ for m in modules}
    if hasattr(model, "summary_parts"):  # a GAN: "a model of two networks (generator, discriminator)"
        parts = [name for name, _, _ in model.summary_parts()]
        return f"a model of {len(parts)} networks ({', '.join(parts)})"
    if any("Attention" in n or "Transformer" in n for n in named):  # a vit's patches come through a conv
        return "a transformer"
    if any(isinstance(m, nn.modules.conv._ConvNd) for m in modules):
        return "a convolutional network"
    if any(isinstance(m, nn.RNNBase) for m in modules):
        return "a recurrent network"
    if "Residual" in named:
        return "a network with residual blocks"
    if dense_layers(model) is not None:
        return "a dense network"
    return "a network that is not a plain stack of Linear layers"


def neuron_picture(layers: list[nn.Module], bounds: Bounds, features: tuple[str, ...], n: int = GRID,
                   keep: int = KEEP) -> NeuronPicture:
    """Every column's neurons over an n x n grid of the plane (at most `keep` per hidden column, all outputs).
    The layers run in inference mode as they are: put the model in eval mode first."""
    _, _, points = grid_points(bounds, n)
    x = expand(points, features)
    inputs = NeuronColumn("inputs", tuple(LABELS[f] for f in features), _pictures(x, n, len(features)), None,
                          len(features))
    outputs: list[list] = []  # [weight, values after it and the activations that follow] per Linear
    with torch.inference_mode():
        for layer in layers:
            x = layer(x)
            if isinstance(layer, nn.Linear):
                outputs.append([layer.weight.detach().float(), x])
            elif outputs:
                outputs[-1][1] = x
    columns, shown_before = [inputs], len(features)
    for i, (weight, values) in enumerate(outputs):
        last = i == len(outputs) - 1
        shown = values.shape[1] if last else min(keep, values.shape[1])
        title = "output" if last else f"hidden {i + 1}"
        columns.append(NeuronColumn(title, tuple(str(j + 1) for j in range(shown)), _pictures(values, n, shown),
                                    weight[:shown, :shown_before].numpy().copy(), values.shape[1]))
        shown_before = shown
    return NeuronPicture(bounds, tuple(columns))


def _pictures(values: torch.Tensor, n: int, shown: int) -> np.ndarray:
    """n*n x neurons -> shown x n x n float32."""
    return values[:, :shown].float().T.reshape(shown, n, n).numpy().copy()
