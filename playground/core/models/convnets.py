"""Convolutional architectures for images of any channel count and size (C x H x W)."""

from __future__ import annotations

from torch import nn

from playground.core.errors import IncompatibleError
from playground.core.models.layers import RISING, flat_features, mlp_head
from playground.core.models.layers import activation as make_activation


def _image_shape(input_shape: tuple[int, ...], arch: str, min_side: int,
                 fix: str = "choose a larger image size") -> tuple[int, int, int]:
    if len(input_shape) != 3:
        raise IncompatibleError(
            f"{arch} is a convolutional network and needs images, but this dataset has inputs of shape "
            f"{tuple(input_shape)}; choose linear or mlp for it, or an image dataset")
    if min(input_shape[1:]) < min_side:
        raise IncompatibleError(f"{arch} needs images of at least {min_side}x{min_side} pixels, "
                                f"got {input_shape[1]}x{input_shape[2]}; {fix}")
    return input_shape  # type: ignore[return-value]


def _with_head(features: nn.Sequential, input_shape: tuple[int, ...], hidden: list[int],
               num_outputs: int, act: str = "relu", dropout: float = 0.0) -> nn.Sequential:
    n = flat_features(features, input_shape)
    head = mlp_head([n, *hidden, num_outputs], act, dropout)
    return nn.Sequential(*features, nn.Flatten(), *head)


def _conv_block(c_in: int, c_out: int, k: int, batch_norm: bool, act: str, padding: int) -> list[nn.Module]:
    layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, k, padding=padding, bias=not batch_norm)]
    if batch_norm:
        layers.append(nn.BatchNorm2d(c_out))
    # pooling first is the same function, with the activation on a quarter of the values (13% of seed-cnn's
    # step on MNIST); the weights keep their places
    if act in RISING:
        return layers + [nn.MaxPool2d(2), make_activation(act)]
    return layers + [make_activation(act), nn.MaxPool2d(2)]


def build_seed_cnn(input_shape: tuple[int, ...], num_outputs: int, channels: list[int] = (32, 64),
                   batch_norm: bool = False, dropout: float = 0.0) -> nn.Module:
    """Two 3x3 convs (32, 64) with 2x2 max-pooling, then 120 -> 84 -> classes (PyTorch's CNN tutorial)."""
    # each conv is followed by a 2x2 pooling that halves the image, which must not shrink to nothing
    c, _, _ = _image_shape(input_shape, "seed-cnn", 2 ** len(channels),
                           "choose a larger image size or fewer channels (one pooling each)")
    layers: list[nn.Module] = []
    for c_out in channels:
        layers += _conv_block(c, c_out, 3, batch_norm, "relu", padding=1)
        c = c_out
    return _with_head(nn.Sequential(*layers), input_shape, [120, 84], num_outputs, "relu", dropout)


def build_lenet5(input_shape: tuple[int, ...], num_outputs: int, activation: str = "tanh") -> nn.Module:
    """LeCun et al. 1998: 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84 -> classes; 28x28 input is padded to 32."""
    c, h, _ = _image_shape(input_shape, "lenet5", 12)
    pad = 2 if h < 32 else 0
    features = nn.Sequential(
        nn.Conv2d(c, 6, 5, padding=pad), make_activation(activation), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), make_activation(activation), nn.AvgPool2d(2))
    return _with_head(features, input_shape, [120, 84], num_outputs, activation)


def build_cifar_convnet(input_shape: tuple[int, ...], num_outputs: int) -> nn.Module:
    """The CIFAR-10 tutorial net: 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84 -> classes."""
    c, _, _ = _image_shape(input_shape, "cifar-convnet", 16)
    features = nn.Sequential(
        nn.Conv2d(c, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
    return _with_head(features, input_shape, [120, 84], num_outputs)
