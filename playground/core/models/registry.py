"""The architecture registry: name -> builder(input_shape, num_outputs, **options), with its options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from torch import nn

from playground.core.errors import IncompatibleError
from playground.core.models import convnets, dense, resnet
from playground.core.models.layers import ACTIVATIONS
from playground.core.models.options import OptionSpec


@dataclass(frozen=True)
class ArchSpec:
    name: str
    description: str
    builder: Callable[..., nn.Module]
    options: tuple[OptionSpec, ...] = ()
    needs_images: bool = False

    def defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}


_ACTS = tuple(ACTIVATIONS)

ARCHITECTURES: dict[str, ArchSpec] = {a.name: a for a in (
    ArchSpec("linear", "Linear / logistic regression: one fully connected layer", dense.build_linear),
    ArchSpec("mlp", "Multilayer perceptron: hidden fully connected layers with an activation",
             dense.build_mlp, (
                 OptionSpec("hidden", "int_list", [128, 64], "sizes of the hidden layers"),
                 OptionSpec("activation", "str", "relu", "activation between layers", _ACTS),
                 OptionSpec("dropout", "float", 0.0, "dropout probability after each hidden layer", (), 0.0, 0.95))),
    ArchSpec("seed-cnn", "Small CNN: two 3x3 convs (32, 64) with pooling, then 120 -> 84 (PyTorch tutorial)",
             convnets.build_seed_cnn, (
                 OptionSpec("channels", "int_list", [32, 64], "channels of each 3x3 conv (each then 2x2 pooled)"),
                 OptionSpec("batch_norm", "bool", False, "batch normalisation after each conv"),
                 OptionSpec("dropout", "float", 0.0, "dropout probability in the linear layers", (), 0.0, 0.95)),
             needs_images=True),
    ArchSpec("lenet5", "LeNet-5 (LeCun 1998): 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84",
             convnets.build_lenet5,
             (OptionSpec("activation", "str", "tanh", "activation after each layer", _ACTS),), needs_images=True),
    ArchSpec("cifar-convnet", "The CIFAR-10 tutorial CNN: 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84",
             convnets.build_cifar_convnet, needs_images=True),
    ArchSpec("resnet-small", "Small residual CNN: 3 stages of basic blocks with batch norm, global pooling",
             resnet.build_resnet, (
                 OptionSpec("width", "int", 16, "channels of the first stage (doubled per stage)", (), 4, 128),
                 OptionSpec("blocks", "int", 1, "residual blocks per stage", (), 1, 8)),
             needs_images=True),
)}


def option_problems(arch: str, options: dict[str, Any]) -> list[str]:
    spec = ARCHITECTURES[arch]
    known = {o.name: o for o in spec.options}
    problems = []
    for key, value in options.items():
        if key not in known:
            names = ", ".join(known) or "none"
            problems.append(f"{arch} has no option {key!r}; its options are {names}")
        elif (msg := known[key].problem(value)) is not None:
            problems.append(msg)
    return problems


def build_model(arch: str, input_shape: tuple[int, ...], num_outputs: int,
                options: dict[str, Any] | None = None) -> nn.Module:
    """A freshly initialised model; raises IncompatibleError when it cannot take these inputs."""
    spec = ARCHITECTURES[arch]
    if spec.needs_images and len(input_shape) != 3:
        raise IncompatibleError(
            f"{arch} is a convolutional network and needs images, but this dataset has inputs of shape "
            f"{tuple(input_shape)}; choose linear or mlp for it, or an image dataset")
    return spec.builder(tuple(input_shape), num_outputs, **{**spec.defaults(), **(options or {})})
