"""A custom network as data: a list of layers, each a torch.nn type and its arguments, parsed and checked here.

`parse_layers` takes what TOML gives (a list of tables, inline or not; a Residual's own `layers` inside it) and
returns frozen LayerSpecs, or raises ConfigError listing every problem with the layer's position, type and fix.
Checks that need the input's shape are the shape check's (shapes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.core.errors import ConfigError, shown_value
from playground.core.models.custom.layer_types import LAYER_TYPES, RESIDUAL, UNSUPPORTED, LayerType, did_you_mean

FIELD = "layers"  # the configuration field every problem is reported under
# how a message shows a required argument that was left out
_EXAMPLES = {"out_features": 10, "out_channels": 32, "kernel_size": 3, "hidden_size": 128, "embedding_dim": 64,
             "heads": 4, "output_size": 1}


@dataclass(frozen=True)
class LayerSpec:
    """One layer: a type of LAYER_TYPES and its arguments as given (lists as tuples); a Residual's stack."""

    type: str
    args: tuple[tuple[str, Any], ...] = ()
    layers: tuple[LayerSpec, ...] = ()

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.args)


def parse_layers(raw: Any) -> tuple[LayerSpec, ...]:
    """The layers of TOML data such as [{"type": "Linear", "out_features": 10}]; raises ConfigError."""
    if not isinstance(raw, (list, tuple)) or not raw:
        raise ConfigError([(FIELD, 'a custom network needs a list of layers, such as [[layers]] tables each with '
                                   'a type (type = "Linear")')])
    problems: list[str] = []
    specs = _parse_stack(raw, "", problems)
    problems += _missing_out_features(specs, "", top=True)
    if problems:
        raise ConfigError([(FIELD, m) for m in problems])
    return specs


def layers_to_data(specs: tuple[LayerSpec, ...] | list[LayerSpec]) -> list[dict[str, Any]]:
    """Plain dicts and lists that TOML can write: the inverse of parse_layers."""
    data = []
    for spec in specs:
        entry = {"type": spec.type, **{k: _plain(v) for k, v in spec.args}}
        if spec.type == RESIDUAL:
            entry["layers"] = layers_to_data(spec.layers)
        data.append(entry)
    return data


def _parse_stack(raw: list | tuple, prefix: str, problems: list[str]) -> tuple[LayerSpec, ...]:
    return tuple(_parse_layer(entry, f"{prefix}{i}", problems) for i, entry in enumerate(raw, 1))


def _parse_layer(entry: Any, position: str, problems: list[str]) -> LayerSpec:
    if not isinstance(entry, dict):
        problems.append(f'layer {position}: must be a table with a type, such as {{type = "ReLU"}}, '
                        f"got {shown_value(entry)}")
        return LayerSpec("")
    name = entry.get("type")
    if not isinstance(name, str) or name not in LAYER_TYPES:
        problems.append(f"layer {position}: {_type_problem(name)}")
        return LayerSpec(str(name))
    label = f"layer {position}, {name}"
    args = {k: v for k, v in entry.items() if k != "type" and not (name == RESIDUAL and k == "layers")}
    problems += [f"{label}: {m}" for m in _argument_problems(LAYER_TYPES[name], args)]
    inner: tuple[LayerSpec, ...] = ()
    if name == RESIDUAL:
        layers = entry.get("layers")
        if isinstance(layers, (list, tuple)) and layers:
            inner = _parse_stack(layers, f"{position}.", problems)
        else:
            problems.append(f'{label}: needs layers = [{{type = "..."}}, ...]: the stack whose output is added '
                            "to its input")
    return LayerSpec(name, tuple((k, _frozen(v)) for k, v in args.items()), inner)


def _type_problem(name: Any) -> str:
    if name is None:
        return 'no type; give one, such as type = "Linear"'
    if not isinstance(name, str):
        return f'type must be a text such as "Linear", got {shown_value(name)}'
    guess = did_you_mean(name, list(LAYER_TYPES))
    hint = f"did you mean {guess}?" if guess else f"the types are {', '.join(LAYER_TYPES)}"
    return f"unknown layer type {name!r}; {hint}"


def _argument_problems(layer: LayerType, args: dict[str, Any]) -> list[str]:
    unknown = [key for key in args if key not in layer.args]
    problems = [_unknown(layer, key) for key in unknown]
    problems += layer.problems({k: v for k, v in args.items() if k in layer.args})
    misspelt = {did_you_mean(str(key), list(layer.args)) for key in unknown}  # named already: not "missing"
    for arg in layer.args.values():
        # the input gives the inferred one; the network's last Linear may leave out out_features (checked apart)
        if arg.required and arg.name not in args and arg.name not in (layer.inferred, "out_features", *misspelt):
            example = f"{arg.name} = {_EXAMPLES[arg.name]}" if arg.name in _EXAMPLES else arg.name
            problems.append(f"{arg.name} is missing; give it, such as {example}")
    return problems


def _unknown(layer: LayerType, key: Any) -> str:
    if key in layer.unsupported:
        return f"{key} cannot be set here: {UNSUPPORTED[key]}"
    names = list(layer.args)
    guess = did_you_mean(str(key), names) if names else None
    if guess:
        return f"unknown argument {key!r}; did you mean {guess}?"
    if not names:
        return f"unknown argument {key!r}; {layer.name} takes no arguments"
    return f"unknown argument {key!r}; {layer.name} takes {', '.join(names)}"


def _missing_out_features(specs: tuple[LayerSpec, ...], prefix: str, top: bool) -> list[str]:
    """Only the network's last Linear may leave out out_features: it then gives the dataset's outputs."""
    linears = [i for i, s in enumerate(specs) if s.type == "Linear"]
    may_leave_out = linears[-1] if top and linears else None
    problems = []
    for i, spec in enumerate(specs):
        position = f"{prefix}{i + 1}"
        if spec.type == "Linear" and "out_features" not in spec.kwargs and i != may_leave_out:
            problems.append(f"layer {position}, Linear: out_features is missing; only the network's last Linear "
                            "may leave it out (it then gives the dataset's number of outputs)")
        problems += _missing_out_features(spec.layers, f"{position}.", top=False)
    return problems


def _frozen(value: Any) -> Any:
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def _plain(value: Any) -> Any:
    return [_plain(v) for v in value] if isinstance(value, tuple) else value
