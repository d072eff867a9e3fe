"""Which models and datasets a drawing can be fed to (no torch needed, so the GUI can ask before it loads)."""

from __future__ import annotations

from typing import Any

DRAWABLE_SHAPE = (1, 28, 28)


def shape_problem(input_shape: tuple[int, ...], name: str = "this model") -> str | None:
    """Why a 28x28 drawing cannot be fed to inputs of this shape; None when it can."""
    shape = tuple(input_shape)
    if shape == DRAWABLE_SHAPE:
        return None
    if len(shape) == 3:
        c, h, w = shape
        what = f"{'grayscale' if c == 1 else f'{c}-channel'} {h}×{w} images"
    else:
        what = f"inputs of shape {shape}, not images"
    return f"drawing needs 28×28 grayscale images like MNIST's, and {name} works on {what}"


def drawing_problem(spec: Any, name: str = "this model") -> str | None:
    """Why digits drawn on a canvas cannot be fed to this model (a ModelSpec); None when they can."""
    from playground.core.kinds import kind_of

    return kind_of(spec).drawing_problem(spec, name)


def dataset_problem(name: str, input_shape: tuple[int, ...]) -> str | None:
    """Why a model trained on this dataset (chosen in the settings) could not read drawings, with what to do."""
    problem = shape_problem(input_shape, name)
    if problem is None:
        return None
    return f"{problem}. Choose MNIST, Fashion-MNIST or KMNIST, or open a checkpoint of such a model"
