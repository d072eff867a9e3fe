"""The architecture registry: the catalogue's architectures with builder(input_shape, num_outputs, **options)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from torch import nn

from playground.core.errors import IncompatibleError
from playground.core.models import convnets, dense, generative, recurrent, resnet
from playground.core.models.catalogue import ARCH_CATALOGUE, ArchInfo, incompatibility, option_problems

__all__ = ["ARCHITECTURES", "ArchSpec", "build_model", "option_problems"]


@dataclass(frozen=True)
class ArchSpec(ArchInfo):
    """An architecture of the catalogue with the function that builds it."""

    builder: Callable[..., nn.Module] = field(kw_only=True)


_BUILDERS: dict[str, Callable[..., nn.Module]] = {
    "linear": dense.build_linear, "mlp": dense.build_mlp, "seed-cnn": convnets.build_seed_cnn,
    "lenet5": convnets.build_lenet5, "cifar-convnet": convnets.build_cifar_convnet,
    "resnet-small": resnet.build_resnet, "rnn": recurrent.builder("rnn"), "lstm": recurrent.builder("lstm"),
    "gru": recurrent.builder("gru"), "gan": generative.build_gan, "vae": generative.build_vae,
}

ARCHITECTURES: dict[str, ArchSpec] = {
    name: ArchSpec(info.name, info.description, info.options, info.inputs, info.task, info.networks,
                   info.run_defaults, builder=_BUILDERS[name])
    for name, info in ARCH_CATALOGUE.items()}


def build_model(arch: str, input_shape: tuple[int, ...], num_outputs: int,
                options: dict[str, Any] | None = None) -> nn.Module:
    """A freshly initialised model; raises IncompatibleError when it cannot take these inputs."""
    spec = ARCHITECTURES[arch]
    if (problem := incompatibility(arch, tuple(input_shape))) is not None:
        raise IncompatibleError(problem)
    return spec.builder(tuple(input_shape), num_outputs, **{**spec.defaults(), **(options or {})})
