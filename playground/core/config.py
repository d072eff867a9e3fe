"""The run configuration: one frozen dataclass, validated in one place, read from and written to TOML.

The CLI, a TOML file and the app's settings form all build a `TrainConfig` and all get their
messages from `validate`, so a run started in one place can be repeated in another.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import tomli_w

from playground.core.errors import ConfigError, finite, shown_key, shown_value
from playground.core.optimizer_settings import OPTIMIZERS, SCHEDULES, settings_problems

__all__ = ["LR_SCALINGS", "OPTIMIZERS", "SCHEDULES", "TrainConfig", "check", "lr_scale", "read_toml", "to_toml",
           "validate"]
DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")
_DEVICE = re.compile(r"auto|cpu|mps|cuda(:\d+)?")  # what resolve_device can turn into a torch.device
MAX_SEED = 2**63 - 1  # torch's generators take no more
MAX_COUNT = 2**31 - 1  # epochs, batch sizes: more can never run, and torch's indices overflow
MAX_THREADS = 1024  # torch.set_num_threads(100_000) crashes the process (OpenMP)
LR_SCALINGS = ("none", "linear", "sqrt")  # how the learning rate follows the ranks' effective batch
TABLE_TASKS = ("", "classification", "regression")  # what a table's target is learnt as ("": from the column)


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a run. Defaults reach 98% on MNIST in one epoch with `seed-cnn`."""

    arch: str = "seed-cnn"
    arch_options: dict[str, Any] = field(default_factory=dict)
    dataset: str = "mnist"
    dataset_options: dict[str, Any] = field(default_factory=dict)
    data_dir: str = ""  # empty: PLAYGROUND_DATA_DIR, else the per-user data folder
    data_file: str = ""  # the user's own file, for the datasets that read one (text, a table)
    target: str = ""  # a table's column to learn
    features: list[str] = field(default_factory=list)  # a table's columns to learn from (empty: every other one)
    task: str = ""  # what to learn from a table: classification or regression ("": from its target column)
    layers: list[Any] = field(default_factory=list)  # a custom network (arch "custom"): [{type = "Linear", ...}]
    val_fraction: float = 0.0
    epochs: int = 1
    batch_size: int = 64
    lr: float = 1e-3
    # under torchrun the effective batch is batch_size x the world size: "linear" multiplies every optimizer's
    # learning rate by the world size (Goyal et al. 2017; pair it with a warm-up such as onecycle), "sqrt" by its
    # square root; "none" keeps it
    lr_scaling: str = "none"
    optimizer: str = "adam"
    momentum: float = 0.9
    nesterov: bool = False
    weight_decay: float = 0.0
    l1: float = 0.0
    schedule: str = "none"
    step_epochs: int = 1  # step schedule: multiply the rate by gamma every this many epochs
    gamma: float = 0.1
    augment: bool = False  # random shifts of up to 2 px, done on the device per batch
    distort: float = 0.0  # 0..1: handwriting-like rotation, size, slant, stroke thickness and wobble, per batch
    label_smoothing: float = 0.0
    seed: int = 0
    device: str = "auto"
    threads: int = 0  # CPU threads for torch; 0 = all cores
    amp: bool = True  # bf16/fp16 autocast on CUDA (ignored on the CPU)
    cpu_amp: bool = False  # bf16 autocast on the CPU, where it computes bf16 natively (else ignored)
    channels_last: bool = True  # memory layout for conv nets
    compile: bool = False  # torch.compile the model; falls back cleanly where unavailable
    eval_batch_size: int = 500  # peak memory: 2000 images of seed-cnn activations cost ~270 MB more
    # per network of a model that has several (a GAN's generator and discriminator): its optimizer settings
    # over the architecture's defaults, e.g. {"generator": {"lr": 0.0002}}; see optimizer_settings
    optimizers: dict[str, Any] = field(default_factory=dict)

    def replace(self, **changes: Any) -> TrainConfig:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> TrainConfig:
        """Build a config from plain values, checking names and types; raises ConfigError."""
        problems = _type_problems(values)
        if problems:
            raise ConfigError(problems)
        coerced = {k: (float(v) if _field_types()[k] is float else v) for k, v in values.items()}
        return cls(**coerced)


def _plain(value: Any) -> Any:
    return {k: _plain(v) for k, v in value.items()} if isinstance(value, dict) else value


def _field_types() -> dict[str, type]:
    defaults = TrainConfig()
    return {f.name: type(getattr(defaults, f.name)) for f in fields(TrainConfig)}


def _type_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    types = _field_types()
    problems = []
    for key, value in values.items():
        if key not in types:
            problems.append((shown_key(key), f"unknown setting; known settings are {', '.join(types)}"))
            continue
        want = types[key]
        ok = isinstance(value, want) and not (want is int and isinstance(value, bool))
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            ok = finite(value)  # a whole number too large for a float is no rate
        if not ok:
            problems.append((key, f"expected {want.__name__}, got {type(value).__name__} {shown_value(value)}"))
    return problems


def validate(config: TrainConfig, deep: bool = True) -> list[tuple[str, str]]:
    """Every problem with a config as (field, message); an empty list means it can run. `deep` also checks a
    custom network's layers against the dataset (that imports torch: the app's form leaves it to its editor)."""
    from playground.core.data.catalogue import DATASET_CATALOGUE as DATASETS  # torch-free: the form checks early
    from playground.core.data.catalogue import dataset_option_problems
    from playground.core.models.catalogue import ARCH_CATALOGUE as ARCHITECTURES
    from playground.core.models.catalogue import option_problems

    p: list[tuple[str, str]] = []
    inputs = DATASETS[config.dataset].inputs if config.dataset in DATASETS else ""
    if config.arch not in ARCHITECTURES:
        p.append(("arch", f"unknown architecture {config.arch!r}; choose one of {', '.join(ARCHITECTURES)}"))
    else:
        p += [("arch_options", m) for m in option_problems(config.arch, config.arch_options, inputs)]
    if config.dataset not in DATASETS:
        p.append(("dataset", f"unknown dataset {config.dataset!r}; choose one of {', '.join(DATASETS)}"))
    else:
        p += [("dataset_options", m) for m in dataset_option_problems(config.dataset, config.dataset_options)]
        if DATASETS[config.dataset].needs_file and not config.data_file:
            p.append(("data_file", f"{config.dataset} reads a file of yours: give it with --data-file PATH"))
    _positive(p, config, "epochs", "batch_size", "lr", "eval_batch_size", "step_epochs")
    _at_most(p, config, MAX_COUNT, "epochs", "batch_size", "eval_batch_size", "step_epochs")
    _at_least_zero(p, config, "weight_decay", "l1", "momentum", "threads")
    if not 0.0 <= config.label_smoothing < 1.0:  # cross_entropy refuses more than 1
        p.append(("label_smoothing", "must be at least 0 and below 1, for example 0.1"))
    if config.threads > MAX_THREADS:
        p.append(("threads", f"must be at most {MAX_THREADS}, got {config.threads}; 0 uses all cores"))
    if not 0 <= config.seed <= MAX_SEED:
        p.append(("seed", f"must be a whole number from 0 to 2**63 - 1, got {config.seed}"))
    if not 0.0 <= config.distort <= 1.0:
        p.append(("distort", f"must be from 0 (off) to 1 (strong), got {config.distort}"))
    if not 0.0 <= config.val_fraction < 0.9:
        p.append(("val_fraction", "must be at least 0 and below 0.9, for example 0.1"))
    if not 0.0 < config.gamma <= 1.0:
        p.append(("gamma", "must be above 0 and at most 1, for example 0.1"))
    if config.optimizer not in OPTIMIZERS:
        p.append(("optimizer", f"unknown optimizer {config.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}"))
    if config.schedule not in SCHEDULES:
        p.append(("schedule", f"unknown schedule {config.schedule!r}; choose one of {', '.join(SCHEDULES)}"))
    if config.lr_scaling not in LR_SCALINGS:
        p.append(("lr_scaling", f"unknown rule {config.lr_scaling!r}; choose one of {', '.join(LR_SCALINGS)}"))
    if not _DEVICE.fullmatch(config.device):
        p.append(("device", f"unknown device {config.device!r}; use auto, cpu, cuda, cuda:N or mps"))
    if config.nesterov and (config.optimizer != "sgd" or config.momentum <= 0):
        p.append(("nesterov", "needs the sgd optimizer with a momentum above 0"))
    if config.arch in ARCHITECTURES:
        p += [("optimizers", m) for m in _optimizer_problems(config, ARCHITECTURES[config.arch])]
    if config.arch in ARCHITECTURES and config.dataset in DATASETS and not any(f == "dataset_options" for f, _ in p):
        from playground.core.kinds import kind_for
        from playground.core.models.catalogue import dataset_clash

        if (clash := dataset_clash(config.arch, config.dataset, config.dataset_options)) is not None:
            p.append(("arch", clash))
        elif not any(f == "arch_options" for f, _ in p):
            p += kind_for(config.arch, config.dataset).config_problems(config)
    if config.arch in ARCHITECTURES:
        p += _layer_problems(config, ARCHITECTURES[config.arch].takes_layers, deep and not p)
    if config.task not in TABLE_TASKS:
        p.append(("task", f"unknown task {config.task!r}; choose one of {', '.join(t for t in TABLE_TASKS if t)}, "
                          "or leave it out to take it from the target column"))
    return p


def _layer_problems(config: TrainConfig, takes_layers: bool, deep: bool) -> list[tuple[str, str]]:
    if not takes_layers:
        return [("layers", f"layers are for arch = \"custom\", and this run trains {config.arch}; choose custom, "
                           "or leave the layers out")] if config.layers else []
    if not config.layers:
        return [("layers", "a custom network needs its layers: build them in the layer editor, or list them as "
                           "[[layers]] tables with a type each (type = \"Linear\")")]
    if not deep:
        return []
    from playground.core.models.custom.check import layer_problems

    return layer_problems(config)


def lr_scale(rule: str, world_size: int) -> float:
    """The factor on every learning rate of a run over `world_size` ranks under the lr_scaling rule."""
    return {"linear": float(world_size), "sqrt": math.sqrt(world_size)}.get(rule, 1.0)


def _optimizer_problems(config: TrainConfig, arch: Any) -> list[str]:
    networks = arch.network_defaults()
    problems = []
    for name, values in config.optimizers.items():
        if name not in networks:
            has = f"its networks are {', '.join(networks)}" if networks else "it trains with the main settings"
            problems.append(f"{config.arch} has no network {name!r} with settings of its own; {has}")
        elif not isinstance(values, dict):
            problems.append(f"{name}: expected a table of settings such as {{lr = 0.0002}}, got {values!r}")
        else:
            problems += settings_problems(name, values)
    return problems


def _positive(problems: list, config: TrainConfig, *names: str) -> None:
    for name in names:
        value = getattr(config, name)
        if not (value > 0 and finite(value)):
            problems.append((name, f"must be a positive number, got {shown_value(value)}"))


def _at_most(problems: list, config: TrainConfig, limit: int, *names: str) -> None:
    for name in names:
        if getattr(config, name) > limit:
            problems.append((name, f"must be at most {limit:,}, got {shown_value(getattr(config, name))}"))


def _at_least_zero(problems: list, config: TrainConfig, *names: str) -> None:
    for name in names:
        value = getattr(config, name)
        if not (value >= 0 and finite(value)):
            problems.append((name, f"must be zero or more, got {shown_value(value)}"))


def check(config: TrainConfig) -> TrainConfig:
    """Return the config if it is valid, else raise ConfigError naming every problem."""
    problems = validate(config)
    if problems:
        raise ConfigError(problems)
    return config


def read_toml(path: str | Path, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The settings of a TOML config file as a dict (checked for unknown keys and types); the tables named in
    `skip` are another reader's (a sweep's [sweep])."""
    try:
        with open(path, "rb") as f:
            values = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError([("config", f"file {path} does not exist; check the path")]) from None
    except UnicodeDecodeError:
        raise ConfigError([("config", f"cannot read {path}: it is not UTF-8 text; save it as UTF-8")]) from None
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError([("config", f"cannot read {path}: {e}; fix the file's TOML syntax")]) from None
    values = {k: v for k, v in values.items() if k not in skip}
    problems = _type_problems(values)
    if problems:
        raise ConfigError([(f"{path}: {k}", m) for k, m in problems])
    return values


def to_toml(config: TrainConfig) -> str:
    """A complete TOML file that `playground train --config` runs again."""
    return "# playground run configuration: playground train --config THIS_FILE\n" + tomli_w.dumps(config.to_dict())
