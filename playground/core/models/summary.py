"""A layer-by-layer summary of a model: output shape and parameter count of each leaf layer."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from playground.core.models.layers import shape_probe


@dataclass(frozen=True)
class LayerRow:
    name: str
    kind: str
    output_shape: tuple[int, ...]
    params: int


def summarize(model: nn.Module, input_shape: tuple[int, ...], tokens: bool = False) -> list[LayerRow]:
    """One row per leaf module in call order, from a dry run at batch 1 (layers.shape_probe); `tokens`: the
    model reads character ids (a language model), not numbers.

    A model of several networks (a GAN) lists each in turn, its rows named "generator.net.0"..."""
    probe, device = shape_probe(model, tuple(input_shape))
    parts = probe.summary_parts() if hasattr(probe, "summary_parts") else [("", probe, tuple(input_shape))]
    rows: list[LayerRow] = []
    dtype = torch.long if tokens else torch.float32
    with torch.inference_mode():
        for prefix, part, shape in parts:
            rows += _summarize_part(part, torch.zeros(1, *shape, device=device, dtype=dtype),
                                    f"{prefix}." if prefix else "")
    return rows


def _summarize_part(probe: nn.Module, x: torch.Tensor, prefix: str) -> list[LayerRow]:
    rows: list[LayerRow] = []

    def hook(name: str):
        def record(module: nn.Module, _inputs, output) -> None:
            if isinstance(output, tuple) and output and isinstance(output[0], torch.Tensor):
                output = output[0]  # a recurrent layer's (outputs, state)
            shape = tuple(output.shape[1:]) if isinstance(output, torch.Tensor) else ()
            params = sum(p.numel() for p in module.parameters(recurse=False))
            rows.append(LayerRow(name, type(module).__name__, shape, params))
        return record

    handles = [m.register_forward_hook(hook(prefix + n)) for n, m in probe.named_modules()
               if n and not list(m.children())]
    try:
        probe(x)
    finally:
        for h in handles:
            h.remove()
    return rows


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
