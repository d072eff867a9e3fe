"""What a sweep varies: one `Param` per setting, read from a TOML `[sweep.space]` table or a `--vary` flag, and
asked of an optuna trial. Optuna-free itself: the trial is duck-typed (`suggest_float`, `suggest_int`, ...).

    lr = { log_uniform = [1e-4, 1e-1] }     --vary lr=log:1e-4:1e-1
    dropout = { uniform = [0.0, 0.5] }      --vary arch_options.dropout=0:0.5
    epochs = { int = [2, 6] }               --vary epochs=int:2:6
    batch_size = [32, 64, 128]              --vary batch_size=32,64,128
    "arch_options.hidden" = [[64], [128]]   --vary 'arch_options.hidden=[64],[128]'

A choice that optuna cannot store as it is (a list, a table) is stored as its JSON text and read back.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass
from typing import Any

from playground.core.errors import ConfigError, finite

RANGES = ("log_uniform", "uniform", "int")
_PREFIXES = {"log": "log_uniform", "uniform": "uniform", "int": "int"}  # --vary NAME=PREFIX:LOW:HIGH


@dataclass(frozen=True)
class Param:
    """One varied setting: `path` is its dotted name ("lr", "arch_options.hidden", "layers.2.out_features");
    `kind` is "choice" (one of `choices`) or a range from `low` to `high`."""

    path: str
    kind: str
    low: float = 0.0
    high: float = 0.0
    choices: tuple[Any, ...] = ()

    def suggest(self, trial: Any) -> Any:
        """The value an optuna trial picks for this setting (decoded: a list comes back a list)."""
        if self.kind == "choice":
            return decode(trial.suggest_categorical(self.path, [encode(c) for c in self.choices]))
        if self.kind == "int":
            return trial.suggest_int(self.path, int(self.low), int(self.high))
        return trial.suggest_float(self.path, self.low, self.high, log=self.kind == "log_uniform")

    def grid(self) -> list[Any] | None:
        """Every value a grid tries (encoded for optuna), or None for a continuous range."""
        if self.kind == "choice":
            return [encode(c) for c in self.choices]
        if self.kind == "int":
            return list(range(int(self.low), int(self.high) + 1))
        return None

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "choice":
            return {"path": self.path, "kind": "choice", "choices": list(self.choices)}
        return {"path": self.path, "kind": self.kind, "low": self.low, "high": self.high}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Param:
        return cls(d["path"], d["kind"], d.get("low", 0.0), d.get("high", 0.0), tuple(d.get("choices", ())))

    def describe(self) -> str:
        if self.kind == "choice":
            return f"{self.path} in {', '.join(json.dumps(c) for c in self.choices)}"
        return f"{self.path} {self.kind.replace('_', '-')} from {self.low:g} to {self.high:g}"


def encode(value: Any) -> Any:
    """A choice as optuna stores it: None, bool, int, float and str as they are, anything else as JSON text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value)


def decode(value: Any) -> Any:
    """The choice `encode` stored: JSON text of a list or a table back into it."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def parse_space(table: dict[str, Any], where: str = "sweep.space") -> list[Param]:
    """The `[sweep.space]` table of a TOML file: each key a setting, each value a list or a range table."""
    if not isinstance(table, dict) or not table:
        raise ConfigError([(where, "give at least one setting to vary, e.g. lr = { log_uniform = [1e-4, 1e-1] }")])
    return [parse_entry(str(path), value, f"{where}.{path}") for path, value in _flat(table).items()]


def _flat(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted keys written as TOML tables (arch_options.hidden = [...] unquoted) back to one dotted name."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict) and not (value.keys() & set(RANGES)):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def parse_entry(path: str, value: Any, where: str) -> Param:
    if isinstance(value, list):
        return _choice(path, value, where)
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in RANGES:
        kind, bounds = next(iter(value.items()))
        return _range(path, kind, bounds, where)
    raise ConfigError([(where, f"expected a list of values or one of {{ log_uniform = [a, b] }}, "
                               f"{{ uniform = [a, b] }}, {{ int = [a, b] }}; got {value!r}")])


def _choice(path: str, values: list[Any], where: str) -> Param:
    if not values:
        raise ConfigError([(where, "the list of values is empty; give at least one value, e.g. [32, 64, 128]")])
    if len({json.dumps(v, sort_keys=True) for v in values}) < len(values):
        raise ConfigError([(where, f"{values!r} repeats a value; list each value once")])
    return Param(path, "choice", choices=tuple(values))


def _range(path: str, kind: str, bounds: Any, where: str) -> Param:
    example = "[1, 8]" if kind == "int" else "[0.0001, 0.1]"
    numbers = isinstance(bounds, list) and len(bounds) == 2 and all(
        isinstance(b, (int, float)) and not isinstance(b, bool) and finite(b) for b in bounds)
    if not numbers:
        raise ConfigError([(where, f"{kind} takes two numbers [low, high], e.g. {example}; got {bounds!r}")])
    low, high = bounds
    if kind == "int" and not all(isinstance(b, int) or float(b).is_integer() for b in bounds):
        raise ConfigError([(where, f"int takes two whole numbers, e.g. {example}; got {bounds!r}")])
    if low > high:
        raise ConfigError([(where, f"the range [{low}, {high}] is reversed; write it low first: [{high}, {low}]")])
    if low == high:
        raise ConfigError([(where, f"the range [{low}, {high}] is empty; give two different ends, or fix the "
                                   "setting instead of varying it")])
    if kind == "log_uniform" and low <= 0:
        raise ConfigError([(where, f"a log-uniform range must be above 0, got [{low}, {high}]; e.g. {example}")])
    return Param(path, kind, float(low), float(high))


def parse_vary(text: str) -> Param:
    """`--vary NAME=log:LOW:HIGH`, `NAME=uniform:LOW:HIGH` (or `NAME=LOW:HIGH`), `NAME=int:LOW:HIGH`, or
    `NAME=A,B,C` (TOML values: `[32],[64,64]` for lists; plain words as text)."""
    path, sep, spec = text.partition("=")
    path, spec, where = path.strip(), spec.strip(), f"--vary {text}"
    if not sep or not path or not spec:
        raise ConfigError([("vary", f"{text!r} is not NAME=VALUES; e.g. --vary lr=log:1e-4:1e-1 or "
                                    "--vary batch_size=32,64,128")])
    parts = spec.split(":")
    if len(parts) in (2, 3) and (len(parts) == 2 or parts[0] in _PREFIXES):
        kind = _PREFIXES[parts[0]] if len(parts) == 3 else "uniform"
        return _range(path, kind, [_number(p, where) for p in parts[-2:]], where)
    return _choice(path, _values(spec), where)


def _number(text: str, where: str) -> float | int:
    try:
        value = tomllib.loads(f"v = {text.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        try:
            value = float(text)  # 1e-4, which TOML spells 1e-04 or 0.0001
        except ValueError:
            raise ConfigError([(where, f"{text!r} is not a number; e.g. lr=log:1e-4:1e-1")]) from None
    return value


def _values(spec: str) -> list[Any]:
    """`32,64,128` or `[32],[64,64]` as TOML values; words that are no TOML (relu,tanh) as text."""
    try:
        return tomllib.loads(f"v = [{spec}]")["v"]
    except tomllib.TOMLDecodeError:
        return [_word(w.strip()) for w in spec.split(",") if w.strip()]


def _word(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def grid_size(space: list[Param]) -> int | None:
    """How many points a grid over the space has; None when a setting is a continuous range."""
    grids = [p.grid() for p in space]
    return None if any(g is None for g in grids) else math.prod(len(g) for g in grids)


def grid_space(space: list[Param]) -> dict[str, list[Any]]:
    """The search space optuna's GridSampler takes."""
    return {p.path: p.grid() or [] for p in space}
