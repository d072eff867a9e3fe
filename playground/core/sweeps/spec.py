"""A sweep's definition: the base run config, what varies, how many trials, the strategy, the metric and its
direction, and the pruner. Read from a TOML file's `[sweep]` table or built by the CLI and the app; stored in
optuna's study (its user attributes) so that a worker joining from another machine runs the same sweep."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from playground.core.config import TrainConfig
from playground.core.errors import ConfigError
from playground.core.sweeps.space import Param, grid_size, parse_space

STRATEGIES = ("grid", "random", "tpe")
PRUNERS = ("median", "none")
DIRECTIONS = ("maximize", "minimize")
TABLE_KEYS = ("name", "trials", "strategy", "metric", "direction", "prune", "workers", "space")
_HIGHER_IS_BETTER = ("accuracy", "r2")  # metrics a sweep maximizes unless told otherwise


@dataclass(frozen=True)
class SweepSpec:
    """What a sweep runs. `metric` "" picks the kind's own (a classifier's test_accuracy, else test_loss, else
    val_loss); `direction` "" follows the metric (accuracy and R² up, the rest down)."""

    name: str
    config: TrainConfig
    space: tuple[Param, ...]
    trials: int = 20
    strategy: str = "tpe"
    metric: str = ""
    direction: str = ""
    prune: str = "median"
    workers: int = 1  # how many processes the sweep starts with (the TOML's workers = N)
    notes: tuple[str, ...] = field(default=(), compare=False)  # what resolve() changed, told to the user

    def replace(self, **changes: Any) -> SweepSpec:
        return replace(self, **changes)

    def resolved(self) -> SweepSpec:
        """The spec checked, with its metric and direction filled in and a grid's trials its size; ConfigError
        names every problem with the fix."""
        _check_choices(self)
        metric, direction = default_metric(self.config) if not self.metric else (self.metric, "")
        direction = self.direction or direction or (
            "maximize" if any(w in metric for w in _HIGHER_IS_BETTER) else "minimize")
        spec = replace(self, metric=metric, direction=direction)
        return _fit_grid(spec) if self.strategy == "grid" else spec

    def to_attrs(self) -> dict[str, Any]:
        """What the study keeps of the sweep (plain JSON), read back by `from_attrs`."""
        return {"format": 1, "config": self.config.to_dict(), "space": [p.to_dict() for p in self.space],
                "trials": self.trials, "strategy": self.strategy, "metric": self.metric,
                "direction": self.direction, "prune": self.prune}

    @classmethod
    def from_attrs(cls, name: str, attrs: dict[str, Any]) -> SweepSpec:
        return cls(name, TrainConfig.from_dict(attrs["config"]), tuple(Param.from_dict(p) for p in attrs["space"]),
                   int(attrs["trials"]), attrs["strategy"], attrs["metric"], attrs["direction"], attrs["prune"])

    def describe(self) -> str:
        return (f"sweep {self.name}: {self.trials} trials, {self.strategy}, {self.direction} {self.metric}"
                f"{', median pruning' if self.prune == 'median' else ''}; varies "
                + "; ".join(p.describe() for p in self.space))


def default_metric(config: TrainConfig) -> tuple[str, str]:
    """The figure a sweep of this kind of model is judged by, and which way is better."""
    from playground.core.kinds import kind_for

    kind = kind_for(config.arch, config.dataset)
    if kind.classifies:
        return "test_accuracy", "maximize"
    if kind.score is not None and "test" not in kind.score.splits:  # no test split (a language model)
        return "val_loss", "minimize"
    return "test_loss", "minimize"


def _check_choices(spec: SweepSpec) -> None:
    problems = []
    if not isinstance(spec.trials, int) or isinstance(spec.trials, bool) or spec.trials < 1:
        problems.append(("sweep.trials", f"must be a whole number of at least 1, got {spec.trials!r}"))
    if not isinstance(spec.workers, int) or isinstance(spec.workers, bool) or not 1 <= spec.workers <= 256:
        problems.append(("sweep.workers", f"must be a whole number from 1 to 256, got {spec.workers!r}"))
    for key, value, known in (("strategy", spec.strategy, STRATEGIES), ("prune", spec.prune, PRUNERS)):
        if value not in known:
            problems.append((f"sweep.{key}", f"unknown {key} {value!r}; choose one of {', '.join(known)}"))
    if spec.direction and spec.direction not in DIRECTIONS:
        problems.append(("sweep.direction", f"must be maximize or minimize, got {spec.direction!r}"))
    if spec.metric and not spec.metric.startswith(("train_", "test_", "val_")):
        problems.append(("sweep.metric", f"{spec.metric!r} is no epoch metric; name one as train_, test_ or val_ "
                                         "and the figure, e.g. test_accuracy or test_loss"))
    if not spec.name.strip():
        problems.append(("sweep.name", "a sweep needs a name; give one with --name NAME"))
    if not spec.space:
        problems.append(("sweep.space", "nothing varies; give --vary NAME=VALUES or a [sweep.space] table"))
    if problems:
        raise ConfigError(problems)


def _fit_grid(spec: SweepSpec) -> SweepSpec:
    size = grid_size(list(spec.space))
    if size is None:
        ranged = next(p.path for p in spec.space if p.grid() is None)
        raise ConfigError([("sweep.strategy", f"a grid needs lists of values, and {ranged} is a continuous range; "
                                              f"list its values (e.g. {ranged} = [0.001, 0.01]), or use strategy "
                                              "random or tpe")])
    if size > spec.trials:
        raise ConfigError([("sweep.trials", f"the grid has {size} points and the sweep {spec.trials} trials; raise "
                                            f"trials to {size}, list fewer values, or use strategy random or tpe")])
    if size < spec.trials:
        return replace(spec, trials=size, notes=(*spec.notes, f"the grid has {size} points: {size} trials, "
                                                              f"not {spec.trials}"))
    return spec


def read_sweep_table(path: str | Path) -> dict[str, Any]:
    """The `[sweep]` table of a TOML file ({} when it has none); the file's other errors are read_toml's."""
    try:
        with open(path, "rb") as f:
            table = tomllib.load(f).get("sweep", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}  # read_toml, which reads the file first, says what is wrong with it
    if not isinstance(table, dict):
        raise ConfigError([(f"{path}: sweep", "must be a table: [sweep] with trials, strategy, metric, ...")])
    unknown = [k for k in table if k not in TABLE_KEYS]
    if unknown:
        raise ConfigError([(f"{path}: sweep.{unknown[0]}", f"unknown key; [sweep] takes {', '.join(TABLE_KEYS)}")])
    return table


def spec_from_table(table: dict[str, Any], config: TrainConfig, name: str) -> SweepSpec:
    """A sweep from a `[sweep]` table (its keys as TABLE_KEYS) over the run config `config`."""
    space = tuple(parse_space(table.get("space", {})))
    known = {k: table[k] for k in ("trials", "strategy", "metric", "direction", "prune", "workers") if k in table}
    return SweepSpec(name=name, config=config, space=space, **known)
