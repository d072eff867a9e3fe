"""A trial's settings: the base config with the varied settings put in by their dotted names, and the checks
that every varied name is a setting and every value one a run can take, made before the first trial starts."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from playground.core.config import TrainConfig, validate
from playground.core.errors import ConfigError, shown_key
from playground.core.sweeps.space import Param


def apply_params(config: TrainConfig, params: dict[str, Any]) -> TrainConfig:
    """`config` with each dotted setting of `params` set ("lr", "arch_options.hidden", "layers.2.out_features");
    a new architecture drops the options of the old one that it does not take. Not validated here."""
    values = config.to_dict()
    arch = params.get("arch", config.arch)
    if arch != config.arch:
        values["arch_options"] = {}
    for path, value in params.items():
        if path.startswith("arch_options.") and not _takes_option(arch, path.partition(".")[2]):
            continue  # an option of another architecture in the sweep (hidden, while this trial is linear)
        _set(values, path.split("."), value)
    return TrainConfig.from_dict(values)


def _set(target: Any, parts: list[str], value: Any) -> None:
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


def check_space(config: TrainConfig, space: list[Param]) -> None:
    """ConfigError naming every varied name that is no setting, and every value that no run could take."""
    arches = next((list(p.choices) for p in space if p.path == "arch" and p.kind == "choice"), [config.arch])
    problems = [p for param in space for p in _path_problems(config, param, arches)]
    if problems:
        raise ConfigError(problems)
    for params in _samples(space):
        trial = apply_params(config, params)
        found = validate(trial)
        if found:
            shown = ", ".join(f"{k} = {v!r}" for k, v in params.items())
            raise ConfigError([(f"sweep.space ({shown})", "; ".join(f"{f}: {m}" for f, m in found)
                                + "; narrow the range or drop that value")])


def _samples(space: list[Param]) -> list[dict[str, Any]]:
    """Settings that try every listed value and both ends of every range at least once."""
    ends = {p.path: list(p.choices) if p.kind == "choice" else _ends(p) for p in space}
    count = max(len(v) for v in ends.values())
    return [{path: values[i % len(values)] for path, values in ends.items()} for i in range(count)]


def _ends(param: Param) -> list[Any]:
    if param.kind == "int":
        return [int(param.low), int(param.high)]
    return [param.low, param.high]


def _path_problems(config: TrainConfig, param: Param, arches: list[str]) -> list[tuple[str, str]]:
    head, _, rest = param.path.partition(".")
    where = f"sweep.space.{param.path}"
    names = [f.name for f in fields(TrainConfig)]
    if head not in names:
        return [(where, f"{shown_key(head)} is not a setting; known settings are {', '.join(names)}")]
    if not rest:
        return [] if not isinstance(getattr(config, head), dict) else \
            [(where, f"{head} is a table; vary one of its settings, e.g. {head}.NAME")]
    if head == "arch_options":
        return _option_problem(where, rest, arches, "arch")
    if head == "dataset_options":
        return _option_problem(where, rest, [config.dataset], "dataset")
    if head == "layers":
        return _layer_problem(where, config.layers, rest)
    if head == "optimizers":
        return _optimizer_problem(where, config, rest)
    return [(where, f"{head} has no parts to vary; vary {head} itself")]


def _option_problem(where: str, name: str, owners: list[str], what: str) -> list[tuple[str, str]]:
    known = [_options(owner, what) for owner in owners]
    if any(options is None or name in options for options in known):
        return []  # an unknown architecture or dataset is validate's to report
    listed = ", ".join(sorted({o for options in known for o in options or ()})) or "none"
    return [(where, f"{' and '.join(owners)} take(s) no {what} option {shown_key(name)}; the options are {listed}")]


def _options(name: str, what: str) -> list[str] | None:
    if what == "arch":
        from playground.core.models.catalogue import ARCH_CATALOGUE as registry
    else:
        from playground.core.data.catalogue import DATASET_CATALOGUE as registry
    return [o.name for o in registry[name].options] if name in registry else None


def _takes_option(arch: str, name: str) -> bool:
    options = _options(arch, "arch")
    return options is None or name in options


def _layer_problem(where: str, layers: list[Any], rest: str) -> list[tuple[str, str]]:
    index, _, key = rest.partition(".")
    if not index.isdigit() or not key:
        return [(where, "name a layer's setting as layers.N.SETTING, N counted from 0, e.g. layers.2.out_features")]
    if int(index) >= len(layers):
        return [(where, f"the network has {len(layers)} layer(s), numbered 0 to {len(layers) - 1}; there is no "
                        f"layer {index}")]
    layer = layers[int(index)]
    if not isinstance(layer, dict) or key not in layer:
        kind = layer.get("type", "?") if isinstance(layer, dict) else "?"
        known = ", ".join(k for k in (layer if isinstance(layer, dict) else {}) if k != "type") or "none"
        return [(where, f"layer {index} ({kind}) has no setting {shown_key(key)}; its settings are {known}")]
    return []


def _optimizer_problem(where: str, config: TrainConfig, rest: str) -> list[tuple[str, str]]:
    from playground.core.optimizer_settings import OptimizerSettings

    network, _, key = rest.partition(".")
    known = list(OptimizerSettings.__dataclass_fields__)
    if not key or key not in known:
        return [(where, f"name a network's optimizer setting as optimizers.NETWORK.SETTING with SETTING one of "
                        f"{', '.join(known)}")]
    return []
