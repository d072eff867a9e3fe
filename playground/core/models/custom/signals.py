"""What flows between the layers of a custom network, in words, and the fixes the shape check suggests.

A message names what a layer gets ("64×7×7 images", "128 features") and says what to change, in the terms of
the layer list (add Flatten before it, end it with Linear(out_features=10)).
"""

from __future__ import annotations

from typing import NamedTuple

from playground.core.models.custom.layer_types import FEATURES, IMAGES, RECURRENT, SEQUENCES, TOKENS, LayerType
from playground.core.models.custom.shape_rules import Unfit, sides
from playground.core.models.custom.spec import LayerSpec


class Signal(NamedTuple):
    """What flows between layers: its shape without the batch, and whether it holds token ids."""

    shape: tuple[int, ...]
    tokens: bool = False

    @property
    def kind(self) -> str:
        if self.tokens:
            return TOKENS
        return {1: FEATURES, 2: SEQUENCES, 3: IMAGES}.get(len(self.shape), "")


def describe(signal: Signal) -> str:
    """The input of a layer in words: "64×7×7 images", "128 features", "sequences of 28 steps × 28 features"."""
    shape = signal.shape
    if signal.kind == TOKENS:
        return f"sequences of {sides(shape)} token ids"
    if signal.kind == FEATURES:
        return f"{shape[0]} feature{'s' if shape[0] != 1 else ''}"
    if signal.kind == SEQUENCES:
        return f"sequences of {shape[0]} steps × {shape[1]} features"
    if signal.kind == IMAGES:
        return f"{sides(shape)} images"
    return f"tensors of shape {sides(shape) or 'a single number'}"


def check_input(layer: LayerType, signal: Signal) -> None:
    """Unfit when the layer cannot take this kind of input, with the change that usually makes it fit."""
    if signal.kind in layer.takes:
        return
    got = describe(signal)
    if signal.kind == TOKENS:
        raise Unfit(f"gets {got}", "add an Embedding before it: token ids are whole numbers, not values")
    if layer.name == "Embedding":
        raise Unfit(f"needs token ids, gets {got}", "remove it: an Embedding reads the token ids of a text "
                    "dataset (Linear takes numbers)")
    if layer.takes == (IMAGES,):
        raise Unfit(f"needs images, gets {got}", "move it before Flatten and the Linear layers, or choose an image "
                    "dataset")
    if layer.name in ("Linear", "BatchNorm1d") and signal.kind == IMAGES:
        fix = "add Flatten before it" if layer.name == "Linear" else "use BatchNorm2d for images"
        raise Unfit(f"gets {got}", fix)
    if layer.name == "BatchNorm1d":
        raise Unfit(f"needs features, gets {got}", "use LayerNorm for sequences")
    if layer.takes == (SEQUENCES,) and signal.kind == IMAGES:
        raise Unfit(f"needs sequences (steps × features), gets {got}",
                    "add Flatten(start_dim=1, end_dim=2) before it to read each image row by row")
    if layer.takes == (SEQUENCES,):
        raise Unfit(f"needs sequences (steps × features), gets {got}",
                    "features have no steps: use Linear instead, or choose a sequence dataset")
    raise Unfit(f"needs {' or '.join(layer.takes)}, gets {got}")


def keep_shape_fix(signal: Signal) -> str:
    if signal.kind == IMAGES:
        return (f"make its layers give back {signal.shape[0]} channels (out_channels = {signal.shape[0]} in its "
                'last Conv2d) and keep the size (padding = "same", no pooling)')
    return f"make its last layer give {signal.shape[-1]} features (out_features = {signal.shape[-1]})"


def end_fix(specs: tuple[LayerSpec, ...] | list[LayerSpec], end: Signal, wanted: Signal, outputs: int) -> str:
    last = specs[-1]
    if end.kind == wanted.kind and last.type == "Linear":
        return f"set its out_features = {outputs}, or leave it out"
    if end.kind == wanted.kind:
        return f"end it with Linear(out_features={outputs})"
    if end.kind == TOKENS:
        return f"add an Embedding, and end it with Linear(out_features={outputs})"
    if wanted.kind == SEQUENCES:
        return ("keep one output per token: leave out Flatten, use output = \"sequence\" in recurrent layers, and "
                f"end with Linear(out_features={outputs})")
    if end.kind == SEQUENCES and any(s.type in RECURRENT for s in specs):
        return (f'set output = "last" in the last recurrent layer, and end with Linear(out_features={outputs})')
    return f"end it with Flatten and Linear(out_features={outputs})"
