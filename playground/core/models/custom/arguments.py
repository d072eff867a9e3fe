"""A layer's constructor arguments: their kinds, read from a class's signature, and the checks of their values.

A kind is what TOML can write for an argument: "int", "float", "bool", "str", "ints" (a list of whole numbers)
or "floats". A check says why a value of the right kind is still wrong, in words a user can act on.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playground.core.errors import finite, shown_value

MAX_SIZE = 1 << 24  # one dimension of a layer: far past anything that trains here, and no overflow in products
REQUIRED = inspect.Parameter.empty

Check = Callable[[str, Any], "str | None"]


@dataclass(frozen=True)
class Arg:
    """One constructor argument: its name, the kinds of value it takes, its default, and its value checks."""

    name: str
    kinds: frozenset[str]
    default: Any = REQUIRED
    checks: tuple[Check, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def problem(self, value: Any) -> str | None:
        """Why `value` cannot be this argument, or None."""
        kind = kind_of(value)
        if kind is None or not accepts(self.kinds, kind):
            return f"{self.name} must be {describe_kinds(self.kinds)}, got {shown_value(value)}"
        if kind in ("float", "floats") and not all(finite(v) for v in _items(value)):
            return f"{self.name} must be a finite number, got {shown_value(value)}"
        for check in self.checks:
            if (message := check(self.name, value)) is not None:
                return message
        return None


def kind_of(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (list, tuple)) and value:
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return "ints"
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            return "floats"
    return None


def accepts(kinds: frozenset[str], kind: str) -> bool:
    # a whole number is a number too (TOML's `p = 0` is an int)
    return kind in kinds or (kind == "int" and "float" in kinds) or (kind == "ints" and "floats" in kinds)


_KIND_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "a text",
               "ints": "a list of whole numbers", "floats": "a list of numbers"}


def describe_kinds(kinds: frozenset[str]) -> str:
    order = [k for k in _KIND_WORDS if k in kinds]
    return " or ".join(_KIND_WORDS[k] for k in order) or "left out"


def _items(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


_PLAIN = {int: "int", float: "float", bool: "bool", str: "str", "int": "int", "float": "float", "bool": "bool",
          "str": "str"}


def kinds_of_annotation(annotation: Any) -> tuple[frozenset[str], tuple[str, ...]]:
    """The kinds an annotation allows, and its choices when it is a Literal of texts."""
    if annotation in _PLAIN:
        return frozenset({_PLAIN[annotation]}), ()
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return frozenset({"str"}), tuple(typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        parts = [kinds_of_annotation(a) for a in typing.get_args(annotation)]
        return frozenset().union(*(k for k, _ in parts)), tuple(c for _, cs in parts for c in cs)
    if origin in (tuple, list) or getattr(annotation, "__name__", "") == "Size":
        elements = typing.get_args(annotation)
        return frozenset({"floats" if float in elements else "ints"}), ()
    return frozenset(), ()


def signature_args(cls: type, checks: dict[str, tuple[Check, ...]], skip: frozenset[str] = frozenset(),
                   kinds: dict[str, frozenset[str]] | None = None) -> dict[str, Arg]:
    """The named constructor arguments of `cls` with their kinds and defaults, in the signature's order."""
    args: dict[str, Arg] = {}
    for p in inspect.signature(cls).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name in skip or p.name.startswith("_"):
            continue
        found, choices = kinds_of_annotation(p.annotation)
        if kinds and p.name in kinds:
            found = kinds[p.name]
        elif not found and p.default is not REQUIRED and p.default is not None:
            found = frozenset({kind_of(p.default) or "str"})
        extra = (choice(*choices),) if choices else ()
        args[p.name] = Arg(p.name, found, p.default, extra + checks.get(p.name, ()))
    return args


# The value checks. Each takes the argument's name and a value of an accepted kind.

def positive(name: str, value: Any) -> str | None:
    """Sizes: whole numbers from 1 to MAX_SIZE."""
    if any(v < 1 for v in _items(value)):
        return f"{name} must be at least 1, got {shown_value(value)}"
    if any(v > MAX_SIZE for v in _items(value)):
        return f"{name} must be at most {MAX_SIZE:,}, got {shown_value(value)}"
    return None


def above_zero(name: str, value: Any) -> str | None:
    """Numbers such as eps or a scale factor."""
    if any(v <= 0 for v in _items(value)):
        return f"{name} must be above 0, got {shown_value(value)}"
    return None


def non_negative(name: str, value: Any) -> str | None:
    if isinstance(value, str):
        return None  # a padding of "same" or "valid": its choices are checked apart
    if any(v < 0 for v in _items(value)):
        return f"{name} must be at least 0, got {shown_value(value)}"
    if any(v > MAX_SIZE for v in _items(value)):
        return f"{name} must be at most {MAX_SIZE:,}, got {shown_value(value)}"
    return None


def probability(name: str, value: Any) -> str | None:
    # 1 would drop everything: nothing would reach the next layer
    if not 0 <= value < 1:
        return f"{name} must be at least 0 and below 1, got {shown_value(value)}"
    return None


def fraction(name: str, value: Any) -> str | None:
    if not 0 <= value <= 1:
        return f"{name} must be from 0 to 1, got {shown_value(value)}"
    return None


def pair(name: str, value: Any) -> str | None:
    """A 2d layer's size: one number for both sides, or a list of two (height, width)."""
    if isinstance(value, (list, tuple)) and len(value) != 2:
        return f"{name} must be one whole number or a list of two (height, width), got {shown_value(value)}"
    return None


def choice(*options: str) -> Check:
    def check(name: str, value: Any) -> str | None:
        if isinstance(value, str) and value not in options:
            return f"{name} must be one of {', '.join(repr(o) for o in options)}, got {shown_value(value)}"
        return None
    return check


SIZE = (positive,)
SIZE_2D = (pair, positive)
PADDING_2D = (pair, non_negative)


def pair_of(value: Any) -> tuple[Any, Any]:
    """(height, width) of a 2d layer's size given as one number or a list of two."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value, value)  # type: ignore[return-value]
