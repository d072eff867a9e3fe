"""A custom network written out as plain PyTorch: `build_model()` returning an nn.Sequential with every size
spelled out, and the source of the few classes it needs beyond torch.nn. Its state_dict is the one of
`build_network`'s model, key for key, so exported weights load into it strictly.
"""

from __future__ import annotations

import inspect
from typing import Any

from playground.core.models import transformer
from playground.core.models.custom.build import checked
from playground.core.models.custom.layer_types import LAYER_TYPES, RECURRENT, RESIDUAL, LayerType
from playground.core.models.custom.modules import RecurrentLayer, Residual
from playground.core.models.custom.spec import LayerSpec

IMPORTS = "import math\n\nimport torch\nimport torch.nn.functional as F\nfrom torch import nn"
_INDENT = "    "


def network_source(specs: tuple[LayerSpec, ...] | list[LayerSpec], input_shape: tuple[int, ...],
                   num_outputs: int | None, tokens: bool = False) -> str:
    """Python source defining build_model(); needs only torch, nn, F and math (it imports them itself)."""
    filled = checked(specs, input_shape, num_outputs, tokens).filled_args()
    takes = f"token ids of shape {tuple(input_shape)}" if tokens else f"inputs of shape {tuple(input_shape)}"
    outputs = f" with {num_outputs} outputs" if num_outputs is not None else ""
    header = f'"""A custom network for {takes}{outputs}, written out by playground."""'
    body = "\n".join(_stack_lines(tuple(specs), "", filled, 2))
    build = (f"def build_model() -> nn.Module:\n{_INDENT}return nn.Sequential(\n{body}\n{_INDENT})")
    return "\n\n\n".join([f"{header}\n\n{IMPORTS}", *helper_sources(specs), build]) + "\n"


def helper_sources(specs: tuple[LayerSpec, ...] | list[LayerSpec]) -> list[str]:
    """The source of each class beyond torch.nn that these layers need, in an order that runs."""
    used = _types_used(specs)
    sources = []
    if RESIDUAL in used:
        sources.append(inspect.getsource(Residual))
    if used & set(RECURRENT):
        sources.append(inspect.getsource(RecurrentLayer))
    if "TransformerBlock" in used:
        # the app's error type is not in exported code: a plain ValueError says the same
        for part in (transformer._dropout, transformer.SelfAttention, transformer._weights,
                     transformer.TransformerBlock):
            sources.append(inspect.getsource(part).replace("IncompatibleError", "ValueError"))
    return [s.rstrip() for s in sources]


def _types_used(specs: tuple[LayerSpec, ...] | list[LayerSpec]) -> set[str]:
    return {t for s in specs for t in ({s.type} | _types_used(s.layers))}


def _stack_lines(specs: tuple[LayerSpec, ...], prefix: str, filled: dict[str, dict[str, Any]],
                 depth: int) -> list[str]:
    lines = []
    for i, spec in enumerate(specs, 1):
        position, pad = f"{prefix}{i}", _INDENT * depth
        if spec.type == RESIDUAL:
            inner = _stack_lines(spec.layers, f"{position}.", filled, depth + 1)
            lines += [f"{pad}Residual(nn.Sequential(", *inner, f"{pad})),"]
        else:
            lines.append(f"{pad}{_call(LAYER_TYPES[spec.type], filled[position])},")
    return lines


def _call(layer: LayerType, args: dict[str, Any]) -> str:
    if layer.name in RECURRENT:
        rnn = {k: v for k, v in args.items() if k != "output"}
        inner = _arguments(layer, rnn) + ", batch_first=True"
        output = f", output={args['output']!r}" if "output" in args else ""
        return f"RecurrentLayer({layer.source}({inner}){output})"
    return f"{layer.source}({_arguments(layer, args)})"


def _arguments(layer: LayerType, args: dict[str, Any]) -> str:
    """The leading arguments by position (nn.Conv2d(1, 32, ...)), the rest by name, in the signature's order."""
    positional = []
    for name in list(layer.args)[:layer.positional]:
        if name not in args:
            break
        positional.append(name)
    named = [f"{k}={v!r}" for k, v in args.items() if k not in positional]
    return ", ".join([repr(args[k]) for k in positional] + named)
