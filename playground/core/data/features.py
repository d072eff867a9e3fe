"""TensorFlow Playground's input features for the 2-D point datasets: the network reads chosen functions of
each point (x, y, x², y², xy, sin x, sin y) instead of the point itself.

A dataset's `features` option names them ("x,y,x2,y2"); the loader expands the points once, and everything that
evaluates a model over the plane (the decision boundary, the network view) expands its grid with the same
`expand`, so a model trained on x² is shown what it was trained on. Names and checks need no torch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

DEFAULT = ("x", "y")
# name -> how the app labels it; the points of the datasets lie within about ±1, so the sines take π·x: one
# period across the plane (TensorFlow Playground's sin x over its ±6 plane turns about twice)
LABELS = {"x": "x", "y": "y", "x2": "x²", "y2": "y²", "xy": "xy", "sinx": "sin(πx)", "siny": "sin(πy)"}
# each as PyTorch source over the columns x and y, for an exported training script (tests check it against expand)
SOURCE = {"x": "x", "y": "y", "x2": "x * x", "y2": "y * y", "xy": "x * y", "sinx": "torch.sin(math.pi * x)",
          "siny": "torch.sin(math.pi * y)"}
HELP = ("the inputs the network reads, from x,y,x2,y2,xy,sinx,siny (TensorFlow Playground's features; "
        "sinx is sin(πx)), e.g. x,y,x2,y2")


def names(value: Any) -> tuple[str, ...]:
    """The feature names of an option's value ("x, y,x2"); () for anything but a text."""
    return tuple(n.strip().lower() for n in value.split(",") if n.strip()) if isinstance(value, str) else ()


def problem(value: Any) -> str | None:
    """Why `value` is not a list of features, naming the fix; None when it is."""
    chosen = names(value)
    known = ", ".join(LABELS)
    if not isinstance(value, str):
        return 'features must be one text of names separated by commas, for example features = "x,y,x2,y2"'
    if not chosen:
        return f"features must name at least one of {known}, separated by commas, for example x,y,x2,y2"
    unknown = [n for n in chosen if n not in LABELS]
    if unknown:
        return (f"features: unknown feature {', '.join(map(repr, unknown))}; choose from {known} "
                "(x2 is x², sinx is sin(πx)), for example features=x,y,x2,y2")
    if len(set(chosen)) != len(chosen):
        return f"features: {', '.join(chosen)} names a feature twice; name each once"
    return None


def chosen(value: Any) -> tuple[str, ...]:
    """The features an option's value names, or DEFAULT where it names none or a wrong one (the form while
    the user types: the check reports it)."""
    return names(value) if problem(value) is None else DEFAULT


def expand(points: torch.Tensor, features: Sequence[str]) -> torch.Tensor:
    """M x 2 points (x, y) -> M x len(features) float32 inputs, one column per feature in the order named."""
    import torch

    p = torch.as_tensor(points, dtype=torch.float32)
    x, y = p[:, 0], p[:, 1]
    columns = {"x": lambda: x, "y": lambda: y, "x2": lambda: x * x, "y2": lambda: y * y, "xy": lambda: x * y,
               "sinx": lambda: torch.sin(math.pi * x), "siny": lambda: torch.sin(math.pi * y)}
    return torch.stack([columns[n]() for n in features], 1)


def plane_features(spec: Any) -> tuple[str, ...] | None:
    """The features through which a model (a ModelSpec) reads the 2-D plane: its own, (x, y) for a model of
    raw 2-D points, or None for a model that does not read the plane."""
    own = tuple(getattr(spec, "features", ()) or ())
    if own:
        return own if tuple(spec.input_shape) == (len(own),) else None
    return DEFAULT if tuple(spec.input_shape) == (2,) else None


def plane_of(config: Any) -> Any:
    """A TrainConfig whose dataset gives the 2-D points themselves (x, y), whatever features it reads."""
    from dataclasses import replace

    if "features" not in config.dataset_options:
        return config
    return replace(config, dataset_options={**config.dataset_options, "features": ",".join(DEFAULT)})
