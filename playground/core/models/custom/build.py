"""Building a custom network: the shape check first, then each layer with its inferred arguments, in order.

The modules are made one after another exactly as the layers are listed, as a hand-written nn.Sequential would
make them, so the same seed gives the same weights (a built-in architecture opened as layers included).
"""

from __future__ import annotations

from typing import Any

from torch import nn

from playground.core.errors import IncompatibleError
from playground.core.models.custom.layer_types import LAYER_TYPES, RESIDUAL
from playground.core.models.custom.modules import Residual
from playground.core.models.custom.shapes import ShapeReport, check_shapes
from playground.core.models.custom.spec import LayerSpec


def build_network(specs: tuple[LayerSpec, ...] | list[LayerSpec], input_shape: tuple[int, ...],
                  num_outputs: int | None, *, tokens: bool = False) -> nn.Sequential:
    """A freshly initialised network; raises IncompatibleError with the shape check's problem."""
    report = checked(specs, input_shape, num_outputs, tokens)
    return _stack(tuple(specs), "", report.filled_args())


def checked(specs: tuple[LayerSpec, ...] | list[LayerSpec], input_shape: tuple[int, ...],
            num_outputs: int | None, tokens: bool = False) -> ShapeReport:
    """The shape check's report; IncompatibleError when a layer cannot take its input."""
    report = check_shapes(specs, input_shape, tokens=tokens, num_outputs=num_outputs, batch_size=1)
    if report.problem is not None:
        raise IncompatibleError(report.problem.message)
    return report


def _stack(specs: tuple[LayerSpec, ...], prefix: str, filled: dict[str, dict[str, Any]]) -> nn.Sequential:
    modules = []
    for i, spec in enumerate(specs, 1):
        position = f"{prefix}{i}"
        if spec.type == RESIDUAL:
            modules.append(Residual(_stack(spec.layers, f"{position}.", filled)))
        else:
            make = LAYER_TYPES[spec.type].make
            assert make is not None
            modules.append(make(**filled[position]))
    return nn.Sequential(*modules)
