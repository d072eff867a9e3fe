"""A rough estimate of the memory a network needs to train, from its shape check alone (no tensor is made).

Float32 throughout: the weights and their gradients; the activations of a batch (each layer's output is kept
for the backward pass, and recurrent and attention layers keep their insides too, plus the gradients in flight);
and Adam's two moments per weight. Rough on purpose: it is meant to catch a network ten times too big, not to
predict the allocator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import psutil

FLOAT_BYTES = 4
_GATES = {"LSTM": 5, "GRU": 4, "RNN": 1}  # the numbers per hidden unit a step keeps (the LSTM's cell state too)


@dataclass(frozen=True)
class MemoryEstimate:
    parameters: int  # bytes: the weights and their gradients
    activations: int  # bytes at batch_size
    optimizer: int  # bytes: Adam's state, two numbers per weight
    batch_size: int

    @property
    def total(self) -> int:
        return self.parameters + self.activations + self.optimizer


def kept_elements(layer_type: str, args: dict[str, Any], shape_in: tuple[int, ...],
                  shape_out: tuple[int, ...]) -> int:
    """How many numbers per example a layer keeps for the backward pass: its output, and its insides."""
    kept = math.prod(shape_out)
    if layer_type in _GATES:
        directions = 2 if args.get("bidirectional", False) else 1
        kept += _GATES[layer_type] * args["hidden_size"] * shape_in[0] * args.get("num_layers", 1) * directions
    elif layer_type == "TransformerBlock":
        steps, width = shape_in
        hidden = args.get("mlp_ratio", 4) * width
        # the norms, q k v, the attention's output and projection, the MLP's two, the residual sums
        kept += steps * (10 * width + 2 * hidden) + args["heads"] * steps * steps
    return kept


def estimate(params: int, input_elements: int, kept: list[int], largest: int, batch_size: int) -> MemoryEstimate:
    """`kept`: each layer's kept numbers per example; `largest`: the largest output, whose gradient and its
    input's are in flight at once during the backward pass."""
    per_example = input_elements + sum(kept) + 2 * largest
    return MemoryEstimate(parameters=2 * params * FLOAT_BYTES,
                          activations=batch_size * per_example * FLOAT_BYTES,
                          optimizer=2 * params * FLOAT_BYTES, batch_size=batch_size)


def memory_problem(report: Any, available_bytes: int | None = None) -> str | None:
    """What to do when the network of `report` (a ShapeReport) needs more memory than is free, or None."""
    memory: MemoryEstimate = report.memory
    free = psutil.virtual_memory().available if available_bytes is None else available_bytes
    if memory.total <= free:
        return None
    return (f"the network needs about {shown_bytes(memory.total)} (parameters {shown_bytes(memory.parameters)}, "
            f"activations at batch {memory.batch_size} {shown_bytes(memory.activations)}, optimizer state "
            f"{shown_bytes(memory.optimizer)}) and {shown_bytes(free)} is free; use fewer or smaller layers or a "
            "smaller batch size")


def shown_bytes(n: int) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"
