"""A layer argument as the form shows it and as the layers hold it (Qt-free): `3`, `[2, 2]`, `same`, `true`."""

from __future__ import annotations

import tomllib
from typing import Any

from playground.gui.formatting import shape

_WORDS = {"true": True, "false": False}  # what a person types for a flag, in either case


def parse_value(text: str) -> Any:
    """The value typed: a TOML value (3, 0.5, [2, 2], true, "same"), else the text itself; None when empty."""
    text = text.strip()
    if not text:
        return None
    if text.lower() in _WORDS:
        return _WORDS[text.lower()]
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text  # a bare word such as same or last


def show_value(value: Any) -> str:
    """The text that parse_value reads back as `value`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_quoted(v)}" for k, v in value.items()) + "}"
    return str(value)


def show_layers(layers: list[dict[str, Any]]) -> str:
    """A Residual's inner layers as one line of TOML: [{type = "ReLU"}, ...]."""
    return "[" + ", ".join(show_value(layer) for layer in layers) + "]"


def _quoted(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_quoted(v) for v in value) + "]"
    return show_value(value)


def describe_layer(layer: dict[str, Any]) -> str:
    """Its arguments in one line, as in PyTorch: out_channels=6, kernel_size=5."""
    args = [f"{k}={show_value(v)}" for k, v in layer.items() if k not in ("type", "layers")]
    if layer.get("type") == "Residual":
        inner = layer.get("layers") or []
        args.append(" → ".join(str(entry.get("type", "?")) for entry in inner if isinstance(entry, dict)) or "empty")
    return ", ".join(args)


def shown_shape(output: tuple[int, ...] | None) -> str:
    return "?" if output is None else shape(output)
