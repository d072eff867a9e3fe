"""The built-in architectures that are plain stacks of layers, written as layer data ("edit as layers").

Each list builds the very modules of its builder (dense.py, convnets.py) in the same order, so the parameter
count, the state_dict's keys and, from the same seed, the weights are the same. The last Linear leaves out
out_features: it follows the dataset's number of outputs, as the built-in does.
"""

from __future__ import annotations

from typing import Any

from playground.core.models.catalogue import ARCH_CATALOGUE

# the app's activation names (layers.ACTIVATIONS) as torch.nn types
ACTIVATION_TYPES = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "gelu": "GELU", "leaky_relu": "LeakyReLU",
                    "silu": "SiLU"}


def stack_of(arch: str, options: dict[str, Any] | None, input_shape: tuple[int, ...],
             num_outputs: int) -> list[dict[str, Any]] | None:
    """The layers of a built-in architecture with these options, or None when it is not a plain stack."""
    builders = {"linear": _linear, "mlp": _mlp, "seed-cnn": _seed_cnn, "lenet5": _lenet5,
                "cifar-convnet": _cifar_convnet}
    if arch not in builders:
        return None
    values = {**ARCH_CATALOGUE[arch].defaults(), **(options or {})}
    return builders[arch](tuple(input_shape), **values)


def _act(name: str) -> dict[str, Any]:
    return {"type": ACTIVATION_TYPES[name]}


def _head(hidden: list[int], activation: str = "relu", dropout: float = 0.0) -> list[dict[str, Any]]:
    """layers.mlp_head: Linear layers with an activation (and dropout) between them; the last one's size open."""
    layers: list[dict[str, Any]] = []
    for size in hidden:
        layers += [{"type": "Linear", "out_features": size}, _act(activation)]
        if dropout > 0:
            layers.append({"type": "Dropout", "p": dropout})
    return [*layers, {"type": "Linear"}]


def _linear(input_shape: tuple[int, ...]) -> list[dict[str, Any]]:
    return [{"type": "Flatten"}, {"type": "Linear"}]


def _mlp(input_shape: tuple[int, ...], hidden: list[int], activation: str, dropout: float) -> list[dict[str, Any]]:
    return [{"type": "Flatten"}, *_head(list(hidden), activation, dropout)]


def _seed_cnn(input_shape: tuple[int, ...], channels: list[int], batch_norm: bool,
              dropout: float) -> list[dict[str, Any]]:
    layers: list[dict[str, Any]] = []
    for c_out in channels:
        # convnets._conv_block: no bias before a batch norm (its shift does the same)
        conv = {"type": "Conv2d", "out_channels": c_out, "kernel_size": 3, "padding": 1}
        layers.append({**conv, "bias": False} if batch_norm else conv)
        if batch_norm:
            layers.append({"type": "BatchNorm2d"})
        layers += [{"type": "MaxPool2d", "kernel_size": 2}, {"type": "ReLU"}]  # as convnets._conv_block
    return [*layers, {"type": "Flatten"}, *_head([120, 84], "relu", dropout)]


def _lenet5(input_shape: tuple[int, ...], activation: str) -> list[dict[str, Any]]:
    # LeNet-5 reads 32x32 images: a 28x28 digit is padded by 2 on each side, as in convnets.build_lenet5
    pad = 2 if len(input_shape) == 3 and input_shape[1] < 32 else 0
    first = {"type": "Conv2d", "out_channels": 6, "kernel_size": 5}
    return [first | ({"padding": pad} if pad else {}), _act(activation), {"type": "AvgPool2d", "kernel_size": 2},
            {"type": "Conv2d", "out_channels": 16, "kernel_size": 5}, _act(activation),
            {"type": "AvgPool2d", "kernel_size": 2}, {"type": "Flatten"}, *_head([120, 84], activation)]


def _cifar_convnet(input_shape: tuple[int, ...]) -> list[dict[str, Any]]:
    def conv(c_out: int) -> list[dict[str, Any]]:  # fresh dicts each time: a caller may edit one layer
        return [{"type": "Conv2d", "out_channels": c_out, "kernel_size": 5}, {"type": "ReLU"},
                {"type": "MaxPool2d", "kernel_size": 2}]

    return [*conv(6), *conv(16), {"type": "Flatten"}, *_head([120, 84])]
