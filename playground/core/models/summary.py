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


def summarize(model: nn.Module, input_shape: tuple[int, ...]) -> list[LayerRow]:
    """One row per leaf module in call order, from a dry run on the meta device (no real compute)."""
    probe = copy.deepcopy(model).to("meta").eval()
    rows: list[LayerRow] = []

    def hook(name: str):
        def record(module: nn.Module, _inputs, output) -> None:
            shape = tuple(output.shape[1:]) if isinstance(output, torch.Tensor) else ()
            params = sum(p.numel() for p in module.parameters(recurse=False))
            rows.append(LayerRow(name, type(module).__name__, shape, params))
        return record

    handles = [m.register_forward_hook(hook(n)) for n, m in probe.named_modules()
               if n and not list(m.children())]
    try:
        probe(torch.empty(1, *input_shape, device="meta"))
    finally:
        for h in handles:
            h.remove()
    return rows


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
