"""Which test images a gallery shows, made ready to draw: a cell of the confusion matrix or all the
mistakes, most confident first, as uint8 pictures (the standardisation undone) with their model inputs.

Runs in a view's background thread: picking and converting a hundred images there keeps the GUI thread free.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.core.analysis.confusion import cell_indices, mistakes

GALLERY_LIMIT = 100  # images shown at once; the title says how many there are in all


@dataclass(frozen=True)
class Gallery:
    """The images of one selection, in the order shown; `total` counts every sample of the selection."""

    indices: np.ndarray  # int64 n: positions in the test split
    pixels: np.ndarray | None  # uint8 n x H x W (grey) or n x H x W x 3 (colour); None when not images
    inputs: np.ndarray | None  # float32 n x C x H x W: what the model reads (standardised), for the inside view
    true: np.ndarray
    predicted: np.ndarray
    probability: np.ndarray
    total: int
    cell: tuple[int, int] | None  # (true, predicted), or None for all the mistakes


def to_pixels(images: np.ndarray, mean: tuple[float, ...], std: tuple[float, ...]) -> np.ndarray:
    """Standardised float N x C x H x W -> uint8 N x H x W (one channel) or N x H x W x 3."""
    x = np.asarray(images, np.float32)
    if mean and std:
        x = x * np.asarray(std, np.float32)[:, None, None] + np.asarray(mean, np.float32)[:, None, None]
    x = np.clip(np.rint(x * 255), 0, 255).astype(np.uint8)
    return x[:, 0] if x.shape[1] == 1 else np.ascontiguousarray(x.transpose(0, 2, 3, 1))


def select(true: np.ndarray, predicted: np.ndarray, probability: np.ndarray, test_x: Any,
           mean: tuple[float, ...] = (), std: tuple[float, ...] = (), cell: tuple[int, int] | None = None,
           limit: int = GALLERY_LIMIT) -> Gallery:
    """The samples of `cell` (or every mistake), most confident first, with up to `limit` of their images
    taken from `test_x` (the test split's inputs, a tensor or an array; no pictures unless N x C x H x W)."""
    chosen = mistakes(true, predicted, probability) if cell is None else cell_indices(true, predicted, *cell,
                                                                                      probability=probability)
    shown = chosen[:limit]
    pixels = inputs = None
    if getattr(test_x, "ndim", 0) == 4 and len(shown):
        inputs = np.asarray(test_x[shown.tolist()], np.float32)
        pixels = to_pixels(inputs, mean, std)
    return Gallery(shown, pixels, inputs, np.asarray(true)[shown], np.asarray(predicted)[shown],
                   np.asarray(probability)[shown], len(chosen), cell)
