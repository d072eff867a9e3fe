"""Which models and datasets a drawing can be fed to (no torch needed, so the GUI can ask before it loads)."""

from __future__ import annotations

DRAWABLE_SHAPE = (1, 28, 28)


def drawing_problem(input_shape: tuple[int, ...], task: str = "classification", name: str = "this model") -> str | None:
    """Why digits drawn on a canvas cannot be fed to a model with these inputs; None when they can."""
    shape = tuple(input_shape)
    if task == "gan":
        return (f"{name} is a GAN: it draws digits and does not read them; watch what it draws in the Samples "
                "panel")
    if task not in ("classification", "vae"):
        return f"{name} predicts a number, not a class, so there is nothing to recognise in a drawing"
    if shape == DRAWABLE_SHAPE:
        return None
    if len(shape) == 3:
        c, h, w = shape
        what = f"{'grayscale' if c == 1 else f'{c}-channel'} {h}×{w} images"
    else:
        what = f"inputs of shape {shape}, not images"
    return f"drawing needs 28×28 grayscale images like MNIST's, and {name} works on {what}"


def dataset_problem(name: str, input_shape: tuple[int, ...]) -> str | None:
    """drawing_problem for a dataset chosen in the settings, with what to do instead."""
    problem = drawing_problem(input_shape, name=name)
    if problem is None:
        return None
    return f"{problem}. Choose MNIST, Fashion-MNIST or KMNIST, or open a checkpoint of such a model"
