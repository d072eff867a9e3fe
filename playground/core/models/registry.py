"""The architecture registry: the catalogue's architectures with builder(input_shape, num_outputs, **options),
and for those that read text, text_builder(input_shape, vocabulary size, **options)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any

from torch import nn

from playground.core.data.inputs import TEXT
from playground.core.errors import IncompatibleError
from playground.core.models import convnets, dense, generative, recurrent, resnet, transformer
from playground.core.models.catalogue import ARCH_CATALOGUE, ArchInfo, option_problems

__all__ = ["ARCHITECTURES", "ArchSpec", "build_model", "option_problems"]

Builder = Callable[..., nn.Module]


@dataclass(frozen=True)
class ArchSpec(ArchInfo):
    """An architecture of the catalogue with the functions that build it."""

    builder: Builder | None = field(default=None, kw_only=True)
    text_builder: Builder | None = field(default=None, kw_only=True)  # characters in, next-character scores out


def build_custom(input_shape: tuple[int, ...], num_outputs: int, layers: list[Any], name: str = "",
                 tokens: bool = False) -> nn.Module:
    """A custom network: its layers parsed (ConfigError), checked against the input and built as one
    nn.Sequential (IncompatibleError naming the first layer that cannot take its input)."""
    from playground.core.models.custom.build import build_network
    from playground.core.models.custom.spec import parse_layers

    return build_network(parse_layers(layers), input_shape, num_outputs, tokens=tokens)


_BUILDERS: dict[str, Builder] = {
    "linear": dense.build_linear, "mlp": dense.build_mlp, "seed-cnn": convnets.build_seed_cnn,
    "lenet5": convnets.build_lenet5, "cifar-convnet": convnets.build_cifar_convnet,
    "resnet-small": resnet.build_resnet, "rnn": recurrent.builder("rnn"), "lstm": recurrent.builder("lstm"),
    "gru": recurrent.builder("gru"), "gan": generative.build_gan, "vae": generative.build_vae,
    "vit": transformer.build_vit, "custom": partial(build_custom, tokens=False),
}
_TEXT_BUILDERS: dict[str, Builder] = {
    "gpt": transformer.build_gpt, "rnn": recurrent.text_builder("rnn"), "lstm": recurrent.text_builder("lstm"),
    "gru": recurrent.text_builder("gru"), "custom": partial(build_custom, tokens=True),
}

ARCHITECTURES: dict[str, ArchSpec] = {
    name: ArchSpec(**{f.name: getattr(info, f.name) for f in fields(ArchInfo)}, builder=_BUILDERS.get(name),
                   text_builder=_TEXT_BUILDERS.get(name))
    for name, info in ARCH_CATALOGUE.items()}


def build_model(arch: str, input_shape: tuple[int, ...], num_outputs: int, options: dict[str, Any] | None = None,
                inputs: str = "", layers: list[Any] | None = None) -> nn.Module:
    """A freshly initialised model for inputs of this kind (data.inputs; "" = numbers of this shape), from its
    options (and a custom network's layers); raises IncompatibleError when it cannot take them."""
    spec = ARCHITECTURES[arch]
    build = spec.text_builder if inputs == TEXT else spec.builder
    if build is None:
        what = "text" if inputs == TEXT else f"inputs of shape {tuple(input_shape)}"
        raise IncompatibleError(f"{arch} cannot read {what}; choose another architecture for this dataset")
    extra = {"layers": list(layers or [])} if spec.takes_layers else {}
    return build(tuple(input_shape), num_outputs, **{**spec.defaults(), **(options or {})}, **extra)
