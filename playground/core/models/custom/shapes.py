"""The shape check of a custom network: what each layer makes of its input, without running it on data.

Known types go by arithmetic (shape_rules.py); any other type is run once on the meta device (no memory, no
compute). The first layer that cannot take its input is the report's `problem`, with its position, the reason
and the fix; the layers after it are listed with unknown shapes. Safe to call from any thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import torch

from playground.core.models.custom import memory
from playground.core.models.custom.layer_types import CHANNELS, LAYER_TYPES, RESIDUAL, VOCABULARY, LayerType
from playground.core.models.custom.memory import MemoryEstimate, memory_problem
from playground.core.models.custom.shape_rules import RULES, Unfit, sides
from playground.core.models.custom.signals import Signal, check_input, describe, end_fix, keep_shape_fix
from playground.core.models.custom.spec import LayerSpec

__all__ = ["ShapeProblem", "ShapeReport", "ShapeRow", "check_shapes", "describe", "memory_problem"]


@dataclass(frozen=True)
class ShapeRow:
    position: str  # "3", or "5.2" for the second layer inside layer 5
    type: str
    args: dict[str, Any]  # as given, with the inferred ones filled in
    output: tuple[int, ...] | None  # without the batch; None after a problem
    params: int | None
    kept: int = 0  # numbers per example kept for the backward pass (the memory estimate)

    @property
    def depth(self) -> int:
        return self.position.count(".")


@dataclass(frozen=True)
class ShapeProblem:
    position: str
    type: str
    reason: str
    fix: str = ""

    @property
    def message(self) -> str:
        where = f"layer {self.position}, {self.type}: " if self.position else ""  # "": the network as a whole
        return f"{where}{self.reason}" + (f"; {self.fix}" if self.fix else "")


@dataclass(frozen=True)
class ShapeReport:
    input_shape: tuple[int, ...]
    rows: tuple[ShapeRow, ...]
    total_params: int
    output: tuple[int, ...] | None  # the network's output without the batch; None after a problem
    problem: ShapeProblem | None
    memory: MemoryEstimate

    @property
    def ok(self) -> bool:
        return self.problem is None

    def filled_args(self) -> dict[str, dict[str, Any]]:
        """Each layer's arguments with the inferred ones, by position: what build.py and source.py build."""
        return {row.position: row.args for row in self.rows}


@dataclass
class _Walk:
    num_outputs: int | None
    vocabulary: int | None
    last_linear: str  # the position of the network's last Linear, which may leave out out_features
    rows: list[ShapeRow | None] = field(default_factory=list)
    problem: ShapeProblem | None = None


def check_shapes(specs: tuple[LayerSpec, ...] | list[LayerSpec], input_shape: tuple[int, ...], *,
                 tokens: bool = False, num_outputs: int | None = None, batch_size: int = 64) -> ShapeReport:
    """Each layer's output shape and parameters for inputs of `input_shape` (token ids of shape (T,) when
    `tokens`, with `num_outputs` the vocabulary), and the first layer that cannot take its input."""
    linears = [i for i, s in enumerate(specs, 1) if s.type == "Linear"]
    walk = _Walk(num_outputs, num_outputs if tokens else None, str(linears[-1]) if linears else "")
    start = Signal(tuple(input_shape), tokens)
    end, params = _walk_stack(tuple(specs), start, "", walk)
    if not specs:
        walk.problem = ShapeProblem("", "", "the network has no layers", 'add some, such as type = "Linear"')
    elif end is not None and num_outputs is not None:
        _check_end(walk, specs, start, end, num_outputs)
    rows = tuple(r for r in walk.rows if r is not None)
    known = [r for r in rows if r.output is not None]
    largest = max((math.prod(r.output) for r in known), default=0)
    estimate = memory.estimate(params, math.prod(start.shape), [r.kept for r in known], largest, batch_size)
    output = end.shape if end is not None and walk.problem is None else None
    return ShapeReport(tuple(input_shape), rows, params, output, walk.problem, estimate)


def _walk_stack(specs: tuple[LayerSpec, ...], signal: Signal | None, prefix: str,
                walk: _Walk) -> tuple[Signal | None, int]:
    total = 0
    for i, spec in enumerate(specs, 1):
        position = f"{prefix}{i}"
        if signal is None:  # after a problem: the rest is listed with unknown shapes
            walk.rows.append(ShapeRow(position, spec.type, spec.kwargs, None, None))
            _walk_stack(spec.layers, None, f"{position}.", walk)
            continue
        signal, params = _step(spec, signal, position, walk)
        total += params
    return signal, total


def _step(spec: LayerSpec, signal: Signal, position: str, walk: _Walk) -> tuple[Signal | None, int]:
    layer = LAYER_TYPES[spec.type]
    args = {**layer.defaults, **spec.kwargs}
    index = len(walk.rows)
    walk.rows.append(None)  # this layer's row comes before its inner layers' rows
    try:
        check_input(layer, signal)
        if spec.type == RESIDUAL:
            out, params = _residual(spec, signal, position, walk)
        else:
            args = _fill(layer, args, signal, position, walk)
            out, params = _output(layer, signal, args)
    except Unfit as unfit:
        walk.problem = walk.problem or ShapeProblem(position, spec.type, unfit.reason, unfit.fix)
        walk.rows[index] = ShapeRow(position, spec.type, args, None, None)
        if spec.type == RESIDUAL and len(walk.rows) == index + 1:
            _walk_stack(spec.layers, None, f"{position}.", walk)
        return None, 0
    kept = memory.kept_elements(spec.type, args, signal.shape, out.shape)
    walk.rows[index] = ShapeRow(position, spec.type, args, out.shape, params, kept)
    return out, params


def _output(layer: LayerType, signal: Signal, args: dict[str, Any]) -> tuple[Signal, int]:
    rule = RULES.get(layer.name)
    shape, params = rule(signal.shape, args) if rule else _on_meta(layer, signal, args)
    # only these pass token ids on as they are; every other layer makes numbers of them
    return Signal(shape, signal.tokens and layer.name in ("Flatten", "Identity")), params


def _on_meta(layer: LayerType, signal: Signal, args: dict[str, Any]) -> tuple[tuple[int, ...], int]:
    """A type without a rule: built and run once on the meta device (shapes only, no data, no random numbers)."""
    assert layer.make is not None
    try:
        module = layer.make(**args, device="meta") if "device" in layer.unsupported else layer.make(**args).to("meta")
        x = torch.empty(1, *signal.shape, device="meta", dtype=torch.long if signal.tokens else torch.float32)
        out = module(x)
    except Exception as error:  # torch says why in its own words (a RuntimeError, ValueError or TypeError)
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Unfit(f"cannot take {describe(signal)} (torch: {first})", "check its arguments") from None
    return tuple(out.shape[1:]), sum(p.numel() for p in module.parameters())


def _fill(layer: LayerType, args: dict[str, Any], signal: Signal, position: str, walk: _Walk) -> dict[str, Any]:
    """The arguments with the inferred ones filled in, in the signature's order; Unfit when one disagrees."""
    if layer.inferred:
        _infer(layer, args, signal, walk)
    if layer.name == "Linear" and "out_features" not in args:
        if position != walk.last_linear:
            raise Unfit("out_features is missing", "give it; only the network's last Linear may leave it out")
        if walk.num_outputs is None:
            raise Unfit("out_features is missing, and the dataset's number of outputs is not known", "give it")
        args["out_features"] = walk.num_outputs
    missing = [a.name for a in layer.args.values() if a.required and a.name not in args]
    if missing:
        raise Unfit(f"{missing[0]} is missing", "give it")
    return {k: args[k] for k in layer.args if k in args}


def _infer(layer: LayerType, args: dict[str, Any], signal: Signal, walk: _Walk) -> None:
    name, given = layer.inferred, args.get(layer.inferred)
    if layer.inferred_from == VOCABULARY:
        if walk.vocabulary is None:
            if given is None:
                raise Unfit(f"{name} is missing, and the dataset's vocabulary is not known",
                            f"give {name} (how many different tokens there are)")
        elif given is None:
            args[name] = walk.vocabulary
        elif given < walk.vocabulary:
            raise Unfit(f"{name} is {given}, and the dataset has {walk.vocabulary} different tokens",
                        f"set {name} = {walk.vocabulary}, or leave it out")
        return
    actual = signal.shape[0] if layer.inferred_from == CHANNELS else signal.shape[-1]
    if given is None:
        args[name] = actual
        return
    if name == "normalized_shape" and not isinstance(given, int):
        wanted = signal.shape[-len(given):]
        if tuple(given) != wanted:
            raise Unfit(f"normalized_shape is {sides(given)}, and it gets {describe(signal)}",
                        f"set normalized_shape = {list(wanted)}, or leave it out to normalise the last dimension")
    elif given != actual:
        raise Unfit(f"{name} is {given}, and it gets {describe(signal)}", f"set {name} = {actual}, or leave it out")


def _residual(spec: LayerSpec, signal: Signal, position: str, walk: _Walk) -> tuple[Signal, int]:
    end, params = _walk_stack(spec.layers, signal, f"{position}.", walk)
    if end is None:
        raise Unfit(f"layer {walk.problem.position if walk.problem else '?'} inside it cannot take its input")
    if end != signal:
        raise Unfit(f"its layers turn {describe(signal)} into {describe(end)}, and their output is added to its "
                    "input, so it must keep the input's shape", keep_shape_fix(signal))
    return signal, params


def _check_end(walk: _Walk, specs: tuple[LayerSpec, ...] | list[LayerSpec], start: Signal, end: Signal,
               outputs: int) -> None:
    """The network must end with the dataset's outputs: (outputs,) or, for text, one set per token."""
    wanted = Signal((start.shape[0], outputs) if start.tokens else (outputs,))
    if end == wanted:
        return
    last = specs[-1]
    what = f"{outputs} outputs" if not start.tokens else f"{outputs} outputs per token ({describe(wanted)})"
    reason = f"the network ends with {describe(end)}, and the dataset has {what}"
    walk.problem = ShapeProblem(str(len(specs)), last.type, reason, end_fix(specs, end, wanted, outputs))
