"""Typed options of an architecture, described once for the CLI, the TOML file and the settings form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playground.core.errors import finite, shown_value

MAX_SIZE, MAX_LAYERS = 65_536, 64  # an int_list of layer sizes: far past anything that trains here


@dataclass(frozen=True)
class OptionSpec:
    name: str
    kind: str  # "int", "float", "bool", "str" or "int_list"
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[Any], str | None] | None = None  # a check of its own, before the kind's (a better message)

    def problem(self, value: Any) -> str | None:
        """Why `value` is not acceptable for this option, or None."""
        if self.check is not None and (message := self.check(value)) is not None:
            return message
        if self.kind == "int_list":
            if not isinstance(value, (list, tuple)) or not all(_is_int(v) for v in value):
                return f"{self.name} must be a list of whole numbers, for example [128, 64]"
            if any(v < 1 for v in value):
                return f"{self.name}: every size must be at least 1"
            if any(v > MAX_SIZE for v in value) or len(value) > MAX_LAYERS:
                return f"{self.name}: at most {MAX_LAYERS} sizes of at most {MAX_SIZE:,} each"
            return None
        checks = {"int": _is_int, "float": _is_number, "bool": lambda v: isinstance(v, bool),
                  "str": lambda v: isinstance(v, str)}
        if not checks[self.kind](value):
            return f"{self.name} must be a {self.kind}, got {shown_value(value)}"
        if self.kind == "float" and not finite(value):  # nan passes every comparison below
            return f"{self.name} must be a finite number, got {shown_value(value)}"
        if self.choices and value not in self.choices:
            return f"{self.name} must be one of {', '.join(self.choices)}, got {shown_value(value)}"
        if self.minimum is not None and value < self.minimum:
            return f"{self.name} must be at least {self.minimum}, got {shown_value(value)}"
        if self.maximum is not None and value > self.maximum:
            return f"{self.name} must be at most {self.maximum}, got {shown_value(value)}"
        return None

    def parse(self, text: str) -> Any:
        """The value of a command-line string such as '128,64' or 'true'."""
        if self.kind == "int_list":
            return [int(t) for t in text.replace("[", "").replace("]", "").split(",") if t.strip()]
        if self.kind == "bool":
            if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(f"{self.name} must be true or false, got {text!r}")
            return text.lower() in ("true", "1", "yes")
        return {"int": int, "float": float, "str": str}[self.kind](text)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)
