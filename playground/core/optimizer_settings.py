"""The settings of one optimizer and its schedule, torch-free so that the form and the CLI check them early.

A model with one network trains with the config's own optimizer fields (lr, optimizer, momentum...). A model
with several (a GAN's generator and discriminator) gives each network its own settings: the architecture's
defaults for it, overridden by the config's `optimizers` table, `[optimizers.generator]` in TOML and
`--optim generator.lr=0.0002` on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from playground.core.errors import finite, shown_key, shown_value

OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop", "adadelta", "muon")
SCHEDULES = ("none", "step", "cosine", "onecycle")


@dataclass(frozen=True)
class OptimizerSettings:
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.9  # sgd and rmsprop
    nesterov: bool = False
    weight_decay: float = 0.0
    beta1: float = 0.9  # adam and adamw
    beta2: float = 0.999
    schedule: str = "none"
    step_epochs: int = 1
    gamma: float = 0.1

    @classmethod
    def of_config(cls, config: Any) -> OptimizerSettings:
        """The settings a one-network run takes from its config's own fields."""
        return cls(**{f.name: getattr(config, f.name) for f in fields(cls) if hasattr(config, f.name)})

    def with_values(self, values: dict[str, Any]) -> OptimizerSettings:
        types = {f.name: type(getattr(self, f.name)) for f in fields(self)}
        return replace(self, **{k: types[k](v) if types[k] is float else v for k, v in values.items()})


SETTING_NAMES = tuple(f.name for f in fields(OptimizerSettings))


def network_settings(networks: dict[str, dict[str, Any]], overrides: dict[str, Any]) -> dict[str, OptimizerSettings]:
    """Each network's settings: OptimizerSettings defaults < the architecture's < the config's overrides."""
    return {name: OptimizerSettings().with_values(defaults).with_values(overrides.get(name, {}))
            for name, defaults in networks.items()}


def settings_problems(name: str, values: dict[str, Any]) -> list[str]:
    """What is wrong with one network's overrides, each naming the key."""
    types = {f.name: type(getattr(OptimizerSettings(), f.name)) for f in fields(OptimizerSettings)}
    problems = []
    for key, value in values.items():
        where = f"{shown_key(name)}.{shown_key(key)}"
        if key not in types:
            problems.append(f"{where}: unknown setting; the settings of a network are {', '.join(types)}")
            continue
        want = types[key]
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if (want is float and not is_number) or (want is not float and not isinstance(value, want)) or (
                want is int and isinstance(value, bool)):
            problems.append(f"{where}: expected {want.__name__}, got {shown_value(value)}")
            continue
        if (msg := _range_problem(key, value)) is not None:
            problems.append(f"{where}: {msg}")
    return problems


def _range_problem(key: str, value: Any) -> str | None:
    if key == "optimizer":
        return None if value in OPTIMIZERS else \
            f"unknown optimizer {shown_value(value)}; choose one of {', '.join(OPTIMIZERS)}"
    if key == "schedule":
        return None if value in SCHEDULES else \
            f"unknown schedule {shown_value(value)}; choose one of {', '.join(SCHEDULES)}"
    if isinstance(value, bool):
        return None
    if not finite(value):  # nan, inf, or a whole number too large for a float
        return f"must be a finite number, got {shown_value(value)}"
    if key == "step_epochs" and value > 2**31 - 1:
        return f"must be at most {2**31 - 1:,}, got {shown_value(value)}"
    if key in ("lr", "step_epochs") and not (value > 0 and finite(value)):
        return f"must be a positive number, got {value}"
    if key in ("momentum", "weight_decay") and not (value >= 0 and finite(value)):
        return f"must be zero or more, got {value}"
    if key in ("beta1", "beta2") and not 0 <= value < 1:
        return f"must be at least 0 and below 1, got {value}"
    if key == "gamma" and not 0 < value <= 1:
        return f"must be above 0 and at most 1, got {value}"
    return None
