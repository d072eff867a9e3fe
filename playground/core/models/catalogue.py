"""Which architectures exist, with their descriptions and options, without importing torch.

The app fills its settings form from this before torch has loaded; `registry` adds the builders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.core.models.options import OptionSpec

ACTIVATION_NAMES = ("relu", "tanh", "sigmoid", "gelu", "leaky_relu", "silu")  # the keys of layers.ACTIVATIONS


@dataclass(frozen=True)
class ArchInfo:
    name: str
    description: str
    options: tuple[OptionSpec, ...] = ()
    needs_images: bool = False

    def defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}


ARCH_CATALOGUE: dict[str, ArchInfo] = {a.name: a for a in (
    ArchInfo("linear", "Linear / logistic regression: one fully connected layer"),
    ArchInfo("mlp", "Multilayer perceptron: hidden fully connected layers with an activation", (
        OptionSpec("hidden", "int_list", [128, 64], "sizes of the hidden layers"),
        OptionSpec("activation", "str", "relu", "activation between layers", ACTIVATION_NAMES),
        OptionSpec("dropout", "float", 0.0, "dropout probability after each hidden layer", (), 0.0, 0.95))),
    ArchInfo("seed-cnn", "Small CNN: two 3x3 convs (32, 64) with pooling, then 120 -> 84 (PyTorch tutorial)", (
        OptionSpec("channels", "int_list", [32, 64], "channels of each 3x3 conv (each then 2x2 pooled)"),
        OptionSpec("batch_norm", "bool", False, "batch normalisation after each conv"),
        OptionSpec("dropout", "float", 0.0, "dropout probability in the linear layers", (), 0.0, 0.95)),
        needs_images=True),
    ArchInfo("lenet5", "LeNet-5 (LeCun 1998): 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84",
             (OptionSpec("activation", "str", "tanh", "activation after each layer", ACTIVATION_NAMES),),
             needs_images=True),
    ArchInfo("cifar-convnet", "The CIFAR-10 tutorial CNN: 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84",
             needs_images=True),
    ArchInfo("resnet-small", "Small residual CNN: 3 stages of basic blocks with batch norm, global pooling", (
        OptionSpec("width", "int", 16, "channels of the first stage (doubled per stage)", (), 4, 128),
        OptionSpec("blocks", "int", 1, "residual blocks per stage", (), 1, 8)),
        needs_images=True),
)}


def option_problems(arch: str, options: dict[str, Any]) -> list[str]:
    spec = ARCH_CATALOGUE[arch]
    known = {o.name: o for o in spec.options}
    problems = []
    for key, value in options.items():
        if key not in known:
            names = ", ".join(known) or "none"
            problems.append(f"{arch} has no option {key!r}; its options are {names}")
        elif (msg := known[key].problem(value)) is not None:
            problems.append(msg)
    return problems


def incompatibility(arch: str, input_shape: tuple[int, ...]) -> str | None:
    """Why `arch` cannot take inputs of this shape, or None; build_model raises IncompatibleError with it."""
    if ARCH_CATALOGUE[arch].needs_images and len(input_shape) != 3:
        return (f"{arch} is a convolutional network and needs images, but this dataset has inputs of shape "
                f"{tuple(input_shape)}; choose linear or mlp for it, or an image dataset")
    return None
