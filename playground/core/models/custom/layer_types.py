"""The layer types a custom network may use, each described once: what builds it, what input it takes, which
argument is read from that input, its arguments (from the class's signature) and the checks of their values.

Parsing (spec.py), the shape check (shapes.py), building (build.py) and exported code (source.py) all read this
table, so a type added here is known to all of them. A type without an arithmetic rule in shape_rules.py has its
shape found by a forward pass on the meta device.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from torch import nn

from playground.core.models.custom.arguments import (
    PADDING_2D,
    SIZE,
    SIZE_2D,
    Arg,
    Check,
    above_zero,
    choice,
    fraction,
    non_negative,
    pair_of,
    probability,
    signature_args,
)
from playground.core.models.custom.modules import RecurrentLayer
from playground.core.models.transformer import TransformerBlock

# What a layer takes, besides the batch: images C x H x W, features F, sequences T x F, or token ids T.
IMAGES, FEATURES, SEQUENCES, TOKENS = "images", "features", "sequences", "token ids"
NUMBERS = (IMAGES, FEATURES, SEQUENCES)  # any tensor of numbers; token ids need an Embedding first
EVERY = (*NUMBERS, TOKENS)

# What an inferred argument is read from.
CHANNELS, LAST_DIM, VOCABULARY = "channels", "last dimension", "vocabulary"

# Arguments the torch classes have that the app decides itself, with the reason a message gives.
UNSUPPORTED = {
    "device": "the app puts the network on its device; leave it out",
    "dtype": "the app chooses the precision; leave it out",
    "inplace": "layers here never overwrite their input (a Residual adds it back later); leave it out",
    "batch_first": "recurrent layers here always take the batch first (N×T×F); leave it out",
    "return_indices": "pooling here passes on only the pooled images; leave it out",
    "sparse": "sparse gradients do not work with the app's optimizers; leave it out",
}
RECURRENT = ("LSTM", "GRU", "RNN")
RESIDUAL = "Residual"
Cross = Callable[[dict[str, Any]], list[str]]


@dataclass(frozen=True)
class LayerType:
    name: str
    make: Callable[..., nn.Module] | None  # builds the module from its filled-in arguments (None: a block)
    takes: tuple[str, ...]
    args: dict[str, Arg]
    inferred: str = ""  # the argument read from the input, "" for none
    inferred_from: str = ""  # CHANNELS, LAST_DIM or VOCABULARY
    positional: int = 0  # how many leading arguments exported code writes without their names
    cross: Cross | None = None  # checks between arguments
    defaults: dict[str, Any] = field(default_factory=dict)  # filled in when left out (where torch's would warn)
    unsupported: frozenset[str] = frozenset()
    source: str = ""  # the class as exported code names it

    def problems(self, args: dict[str, Any]) -> list[str]:
        """What is wrong with these arguments on their own (no shapes): values, then their relations."""
        found = [m for name, value in args.items() if name in self.args
                 if (m := self.args[name].problem(value)) is not None]
        return found or (self.cross(args) if self.cross else [])


def _torch_type(cls: type, takes: tuple[str, ...], checks: dict[str, tuple[Check, ...]] | None = None,
                **details: Any) -> LayerType:
    names = inspect.signature(cls).parameters
    args = signature_args(cls, checks or {}, frozenset(UNSUPPORTED), details.pop("kinds", None))
    details.setdefault("positional", next((i for i, a in enumerate(args.values()) if not a.required), len(args)))
    return LayerType(cls.__name__, details.pop("make", cls), takes, args,
                     unsupported=frozenset(n for n in names if n in UNSUPPORTED),
                     source=details.pop("source", f"nn.{cls.__name__}"), **details)


def _same_padding(args: dict[str, Any]) -> list[str]:
    # torch refuses it: with a stride the output cannot keep the input's size
    if args.get("padding") == "same" and pair_of(args.get("stride", 1)) != (1, 1):
        return ['padding = "same" needs stride 1; give the padding as a number instead']
    return []


def _pool_padding(args: dict[str, Any]) -> list[str]:
    kernel, padding = pair_of(args.get("kernel_size", 1)), pair_of(args.get("padding", 0))
    if any(p > k // 2 for k, p in zip(kernel, padding)):
        return [f"padding must be at most half of kernel_size ({kernel[0] // 2}), got {args['padding']}"]
    return []


def _recurrent_relations(args: dict[str, Any]) -> list[str]:
    problems = []
    if args.get("dropout", 0) > 0 and args.get("num_layers", 1) == 1:
        problems.append("dropout acts only between stacked layers; set num_layers above 1, or add a Dropout "
                        "layer after this one")
    hidden, proj = args.get("hidden_size"), args.get("proj_size", 0)
    if hidden is not None and proj >= hidden:
        problems.append(f"proj_size must be below hidden_size ({hidden}), got {proj}")
    return problems


def _upsample_relations(args: dict[str, Any]) -> list[str]:
    if ("size" in args) == ("scale_factor" in args):
        return ["give either size or scale_factor (one of them)"]
    if "align_corners" in args and args.get("mode", "nearest") not in ("bilinear", "bicubic"):
        return ['align_corners applies only to mode = "bilinear" or "bicubic"; leave it out']
    return []


def _recurrent_type(cls: type) -> LayerType:
    skip = frozenset({"mode", *UNSUPPORTED} | ({"proj_size"} if cls is not nn.LSTM else set()))
    args = signature_args(nn.modules.rnn.RNNBase, {
        "input_size": SIZE, "hidden_size": SIZE, "num_layers": SIZE, "dropout": (probability,),
        "proj_size": (non_negative,)}, skip)
    if cls is nn.RNN:  # nn.RNN takes it through **kwargs: its signature does not show it
        args["nonlinearity"] = Arg("nonlinearity", frozenset({"str"}), "tanh", (choice("tanh", "relu"),))
    args["output"] = Arg("output", frozenset({"str"}), "sequence", (choice("sequence", "last"),))

    def make(output: str = "sequence", **kwargs: Any) -> nn.Module:
        return RecurrentLayer(cls(batch_first=True, **kwargs), output)

    return LayerType(cls.__name__, make, (SEQUENCES,), args, "input_size", LAST_DIM, 2, _recurrent_relations,
                     unsupported=frozenset({"device", "dtype", "batch_first"}), source=f"nn.{cls.__name__}")


def _activation(cls: type, checks: dict[str, tuple[Check, ...]] | None = None, **details: Any) -> LayerType:
    return _torch_type(cls, NUMBERS, checks, positional=0, **details)


_CONV = {"in_channels": SIZE, "out_channels": SIZE, "kernel_size": SIZE_2D, "stride": SIZE_2D,
         "dilation": SIZE_2D, "groups": SIZE}
_POOL = {"kernel_size": SIZE_2D, "stride": SIZE_2D, "padding": PADDING_2D, "dilation": SIZE_2D,
         "divisor_override": SIZE}
_NORM = {"num_features": SIZE, "eps": (above_zero,), "momentum": (fraction,)}
_TRANSFORMER_ARGS = signature_args(TransformerBlock, {
    "width": SIZE, "heads": SIZE, "dropout": (probability,), "mlp_ratio": SIZE})

_TYPES = (
    _torch_type(nn.Linear, (FEATURES, SEQUENCES), {"in_features": SIZE, "out_features": SIZE},
                inferred="in_features", inferred_from=LAST_DIM),
    _torch_type(nn.Conv2d, (IMAGES,), {**_CONV, "padding": (*PADDING_2D, choice("same", "valid"))},
                inferred="in_channels", inferred_from=CHANNELS, positional=2, cross=_same_padding),
    _torch_type(nn.ConvTranspose2d, (IMAGES,), {**_CONV, "padding": PADDING_2D, "output_padding": PADDING_2D},
                inferred="in_channels", inferred_from=CHANNELS, positional=2),
    _torch_type(nn.MaxPool2d, (IMAGES,), _POOL, positional=1, cross=_pool_padding),
    _torch_type(nn.AvgPool2d, (IMAGES,), _POOL, positional=1, cross=_pool_padding),
    _torch_type(nn.AdaptiveAvgPool2d, (IMAGES,), {"output_size": SIZE_2D}),
    _torch_type(nn.Upsample, (IMAGES,), {"size": SIZE_2D, "scale_factor": (above_zero,), "mode": (
        choice("nearest", "bilinear", "bicubic", "nearest-exact", "area"),)}, positional=0,
        cross=_upsample_relations),
    _torch_type(nn.Flatten, EVERY, positional=0),
    _torch_type(nn.BatchNorm1d, (FEATURES,), _NORM, inferred="num_features", inferred_from=LAST_DIM),
    _torch_type(nn.BatchNorm2d, (IMAGES,), _NORM, inferred="num_features", inferred_from=CHANNELS),
    _torch_type(nn.LayerNorm, NUMBERS, {"normalized_shape": SIZE, "eps": (above_zero,)},
                inferred="normalized_shape", inferred_from=LAST_DIM),
    _torch_type(nn.Dropout, NUMBERS, {"p": (probability,)}, positional=1),
    _torch_type(nn.Identity, EVERY),
    _torch_type(nn.Embedding, (TOKENS,), {"num_embeddings": SIZE, "embedding_dim": SIZE,
                                          "max_norm": (above_zero,), "norm_type": (above_zero,)},
                inferred="num_embeddings", inferred_from=VOCABULARY),
    *(_recurrent_type(cls) for cls in (nn.LSTM, nn.GRU, nn.RNN)),
    _activation(nn.ReLU), _activation(nn.Tanh), _activation(nn.Sigmoid),
    _activation(nn.GELU, {"approximate": (choice("none", "tanh"),)}),
    _activation(nn.LeakyReLU), _activation(nn.SiLU), _activation(nn.ELU),
    _activation(nn.Softmax, defaults={"dim": -1}),  # torch warns when it has to guess the dimension
    LayerType(RESIDUAL, None, NUMBERS, {}),
    LayerType("TransformerBlock", TransformerBlock, (SEQUENCES,), _TRANSFORMER_ARGS, "width", LAST_DIM, 2,
              source="TransformerBlock"),
)

LAYER_TYPES: dict[str, LayerType] = {t.name: t for t in _TYPES}


def did_you_mean(name: str, known: list[str]) -> str | None:
    """The known name closest to `name` (case aside), or None when none is close."""
    by_lower = {k.lower(): k for k in known}
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None
