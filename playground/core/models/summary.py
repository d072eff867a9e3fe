"""A layer-by-layer summary of a model: output shape and parameter count of each leaf layer."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class LayerRow:
    name: str
    kind: str
    output_shape: tuple[int, ...]
    params: int


def summarize(model: nn.Module, input_shape: tuple[int, ...], tokens: bool = False) -> list[LayerRow]:
    """One row per leaf module in call order, from a dry run on the meta device (no real compute); `tokens`: the
    model reads character ids (a language model), not numbers.

    A model of several networks (a GAN) lists each in turn, its rows named "generator.net.0"..."""
    probe = copy.deepcopy(model).to("meta").eval()
    parts = probe.summary_parts() if hasattr(probe, "summary_parts") else [("", probe, tuple(input_shape))]
    rows: list[LayerRow] = []
    for prefix, part, shape in parts:
        rows += _summarize_part(part, shape, f"{prefix}." if prefix else "", torch.long if tokens else None)
    return rows


def _summarize_part(probe: nn.Module, input_shape: tuple[int, ...], prefix: str,
                    dtype: torch.dtype | None = None) -> list[LayerRow]:
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
        probe(torch.empty(1, *input_shape, device="meta", dtype=dtype))
    finally:
        for h in handles:
            h.remove()
    return rows


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
