"""The settings a sweep dialog offers to vary, each with a first range written as `--vary NAME=VALUES` writes it
(log:1e-4:1e-1, 32,64,128, [64],[128,64]): the core's parse_vary reads the dialog's text, so the dialog, the CLI
and a TOML file give the same messages. Torch-free: the options come from the architecture catalogue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from playground.core.config import TrainConfig
from playground.core.models.catalogue import ARCH_CATALOGUE, dataset_clash
from playground.core.models.options import OptionSpec

MAX_OTHER_ARCHES = 2  # the architecture row lists the current one and a couple of others that fit the data


@dataclass(frozen=True)
class Candidate:
    path: str  # the setting's dotted name ("lr", "arch_options.hidden")
    values: str  # a first range, in --vary syntax
    tip: str
    ticked: bool = False  # ticked when the dialog opens


def candidates(config: TrainConfig) -> list[Candidate]:
    """What can vary for this config: the common hyperparameters, the architecture's options, the architecture."""
    lr, batch, epochs = config.lr, config.batch_size, config.epochs
    found = [
        Candidate("lr", f"log:{lr / 10:.3g}:{min(lr * 10, 1.0):.3g}", "the learning rate, log-uniform by default",
                  ticked=True),
        Candidate("batch_size", _list(sorted({max(1, batch // 2), batch, batch * 2})), "samples per step"),
        Candidate("epochs", f"int:{max(1, epochs // 2)}:{max(2, epochs * 2)}", "passes over the training data"),
        Candidate("weight_decay", "log:1e-5:1e-2", "L2 penalty on the weights"),
        Candidate("optimizer", _list(_first(config.optimizer, ("adam", "sgd", "adamw"))), "the optimizer"),
    ]
    info = ARCH_CATALOGUE.get(config.arch)
    for option in info.options if info is not None else ():
        current = config.arch_options.get(option.name, option.default)
        found.append(Candidate(f"arch_options.{option.name}", _option_values(option, current),
                               f"{config.arch}: {option.help}"))
    arches = _first(config.arch, _fitting_arches(config))
    if len(arches) > 1:
        found.append(Candidate("arch", _list(arches), "the architecture itself (each with its own options)"))
    return found


def _option_values(option: OptionSpec, current: Any) -> str:
    if option.kind == "int":
        low = max(int(option.minimum or 1), int(current) // 2)
        high = min(int(option.maximum or 1 << 20), max(low + 1, int(current) * 2))
        return f"int:{low}:{high}"
    if option.kind == "float":
        low = option.minimum if option.minimum is not None else 0.0
        high = min(option.maximum if option.maximum is not None else 1.0, 0.5)
        return f"{low:g}:{max(high, low + 0.1):g}"
    if option.kind == "bool":
        return "true,false"
    if option.kind == "int_list" and isinstance(current, list) and current:
        sizes = ([max(1, s // 2) for s in current], list(current), [s * 2 for s in current])
        return ",".join(json.dumps(s, separators=(",", ":")) for s in sizes)
    if option.choices:
        return _list(_first(str(current), option.choices)[:3])
    return _list([current])


def _fitting_arches(config: TrainConfig) -> list[str]:
    """Other built-in architectures that can learn this dataset (a custom network's layers are its own)."""
    fit = [name for name, info in ARCH_CATALOGUE.items()
           if not info.takes_layers and dataset_clash(name, config.dataset, config.dataset_options) is None]
    return fit[:MAX_OTHER_ARCHES + 1]


def _first(value: str, others: tuple[str, ...] | list[str]) -> list[str]:
    return [value, *(o for o in others if o != value)]


def _list(values: list[Any]) -> str:
    return ",".join(json.dumps(v) if not isinstance(v, str) else v for v in values)
