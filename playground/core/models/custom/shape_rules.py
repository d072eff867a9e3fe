"""What each known layer type makes of its input, by arithmetic: the output shape (without the batch) and the
parameter count, from the arguments with the inferred ones filled in. No tensor is made, so a check of a whole
network takes microseconds and leaves the random number generator alone.

A rule raises Unfit when the layer cannot take the input, with the reason and the fix.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from playground.core.models.custom.arguments import pair_of

Shape = tuple[int, ...]
Rule = Callable[[Shape, dict[str, Any]], tuple[Shape, int]]


class Unfit(Exception):  # noqa: N818 - a verdict on a layer, caught by the shape check, never shown as an error
    """A layer cannot take its input: why, and what to change."""

    def __init__(self, reason: str, fix: str = ""):
        super().__init__(reason)
        self.reason, self.fix = reason, fix


def sides(shape: Shape) -> str:
    return "×".join(map(str, shape))


def _linear(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
    n_in, n_out = a["in_features"], a["out_features"]
    return (*shape[:-1], n_out), n_in * n_out + (n_out if a.get("bias", True) else 0)


def _window(size: tuple[int, int], kernel: Any, stride: Any, padding: Any, dilation: Any, ceil: bool,
            what: str, fix: str) -> tuple[int, int]:
    """The output height and width of a convolution or pooling, as torch computes them."""
    out = []
    for n, k, s, p, d in zip(size, pair_of(kernel), pair_of(stride), pair_of(padding), pair_of(dilation)):
        span = d * (k - 1) + 1
        if span > n + 2 * p:
            shown = sides(pair_of(kernel)) + (f" (spanning {span} with dilation {d})" if d > 1 else "")
            padded = f" (with padding {padding})" if p else ""
            raise Unfit(f"a {shown} {what} does not fit {sides(size)} images{padded}", fix)
        num = n + 2 * p - span
        steps = -(-num // s) if ceil else num // s
        if ceil and steps * s >= n + p:  # the last window must start inside the image or its left padding
            steps -= 1
        out.append(steps + 1)
    return out[0], out[1]


def _conv2d(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
    c, h, w = shape
    c_out, groups, kernel = a["out_channels"], a.get("groups", 1), pair_of(a["kernel_size"])
    if c % groups or c_out % groups:
        raise Unfit(f"groups = {groups} must divide its {c} input channels and its {c_out} output channels",
                    "choose groups that divides both, or leave it out")
    padding = a.get("padding", 0)
    if padding == "same":
        size = (h, w)
    else:
        size = _window((h, w), kernel, a.get("stride", 1), 0 if padding == "valid" else padding,
                       a.get("dilation", 1), False, "kernel",
                       "use a smaller kernel_size or some padding, or remove a pooling layer before it")
    params = c_out * (c // groups) * kernel[0] * kernel[1] + (c_out if a.get("bias", True) else 0)
    return (c_out, *size), params


def _pool(dilated: bool) -> Rule:
    def rule(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
        c, h, w = shape
        kernel = a["kernel_size"]
        size = _window((h, w), kernel, a.get("stride") or kernel, a.get("padding", 0),
                       a.get("dilation", 1) if dilated else 1, a.get("ceil_mode", False), "window",
                       "remove a pooling layer or use a larger image size")
        return (c, *size), 0
    return rule


def _adaptive_pool(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
    return (shape[0], *pair_of(a["output_size"])), 0


def _flatten(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
    full = (0, *shape)  # torch counts the batch as dimension 0
    start, end = a.get("start_dim", 1), a.get("end_dim", -1)
    s, e = (start + len(full) if start < 0 else start), (end + len(full) if end < 0 else end)
    if not (0 <= s < len(full) and 0 <= e < len(full)):
        raise Unfit(f"start_dim = {start} and end_dim = {end} must be among the input's {len(full)} dimensions "
                    "(the batch is dimension 0)", "leave them out to flatten all but the batch")
    if s == 0:
        raise Unfit("start_dim = 0 would mix the examples of a batch", "use start_dim = 1 (the default)")
    if e < s:
        raise Unfit(f"end_dim = {end} comes before start_dim = {start}", "leave end_dim out, or swap them")
    return (*full[1:s], math.prod(full[s:e + 1]), *full[e + 1:]), 0


def _norm(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
    n = a["num_features"]
    return shape, (n * (1 + a.get("bias", True)) if a.get("affine", True) else 0)


def _layer_norm(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
    n = a["normalized_shape"] if isinstance(a["normalized_shape"], int) else math.prod(a["normalized_shape"])
    return shape, (n * (1 + a.get("bias", True)) if a.get("elementwise_affine", True) else 0)


def _same(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
    return shape, 0


def _softmax(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
    dim, rank = a["dim"], len(shape) + 1
    if not -rank <= dim < rank:
        raise Unfit(f"dim = {dim} is not among the input's {rank} dimensions (the batch is dimension 0)",
                    "use dim = -1 (the last dimension), or leave it out")
    if dim % rank == 0:
        raise Unfit("dim = 0 would mix the examples of a batch", "use dim = -1 (the last dimension), or leave it out")
    return shape, 0


def _embedding(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
    n, width, pad = a["num_embeddings"], a["embedding_dim"], a.get("padding_idx")
    if pad is not None and not -n <= pad < n:
        raise Unfit(f"padding_idx = {pad} is not a token id below num_embeddings ({n})",
                    "give a token id from 0 to num_embeddings - 1, or leave it out")
    return (*shape, width), n * width


def _recurrent(gates: int) -> Rule:
    def rule(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
        steps, features = shape
        hidden, proj, layers = a["hidden_size"], a.get("proj_size", 0), a.get("num_layers", 1)
        directions = 2 if a.get("bidirectional", False) else 1
        out = (proj or hidden) * directions
        params = 0
        for layer in range(layers):
            width_in = features if layer == 0 else out
            bias = 2 * gates * hidden if a.get("bias", True) else 0
            params += directions * (gates * hidden * (width_in + (proj or hidden)) + bias + proj * hidden)
        return ((out,) if a.get("output", "sequence") == "last" else (steps, out)), params
    return rule


def _transformer(shape: Shape, a: dict[str, Any]) -> tuple[Shape, int]:
    width, heads, hidden = a["width"], a["heads"], a.get("mlp_ratio", 4) * a["width"]
    if width % heads:
        fits = [h for h in range(1, min(width, 64) + 1) if width % h == 0][-4:]
        raise Unfit(f"a width of {width} cannot be split into {heads} heads",
                    f"choose heads that divides {width} (such as {', '.join(map(str, fits))}), or change the "
                    "width before it")
    norms = 2 * 2 * width
    attention = width * 3 * width + 3 * width + width * width + width
    mlp = width * hidden + hidden + hidden * width + width
    return shape, norms + attention + mlp


RULES: dict[str, Rule] = {
    "Linear": _linear, "Conv2d": _conv2d, "MaxPool2d": _pool(True), "AvgPool2d": _pool(False),
    "AdaptiveAvgPool2d": _adaptive_pool, "Flatten": _flatten, "BatchNorm1d": _norm, "BatchNorm2d": _norm,
    "LayerNorm": _layer_norm, "Embedding": _embedding, "Softmax": _softmax, "TransformerBlock": _transformer,
    "LSTM": _recurrent(4), "GRU": _recurrent(3), "RNN": _recurrent(1),
    **{name: _same for name in ("Dropout", "Identity", "ReLU", "Tanh", "Sigmoid", "GELU", "LeakyReLU", "SiLU",
                                "ELU")},
}
