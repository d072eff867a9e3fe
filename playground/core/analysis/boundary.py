"""The decision boundary of a classifier of 2-D points, and the fitted curve of a 1-D regression.

A model's class probabilities on an N x N grid of cell centres over the data's range: the class regions, and
how sure the model is in each. Rows of the grid go along y, columns along x (row 0 at the lowest y).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from playground.core.data.features import DEFAULT, expand

GRID = 120  # cells per side: 14,400 points, a few milliseconds for an MLP on one core
CURVE_POINTS = 200


@dataclass(frozen=True)
class Bounds:
    x0: float
    x1: float
    y0: float = 0.0
    y1: float = 0.0


@dataclass(frozen=True)
class BoundaryGrid:
    bounds: Bounds  # the grid's outer edges
    xs: np.ndarray  # N cell centres along x
    ys: np.ndarray  # N cell centres along y
    probabilities: np.ndarray  # N (y) x N (x) x classes, float32

    @property
    def predicted(self) -> np.ndarray:
        return self.probabilities.argmax(axis=2)

    @property
    def confidence(self) -> np.ndarray:
        """0 where every class is as likely (the boundary itself), 1 where the model is certain."""
        k = self.probabilities.shape[2]
        return np.clip((self.probabilities.max(axis=2) - 1 / k) / (1 - 1 / k), 0.0, 1.0)


def data_bounds(points: np.ndarray | torch.Tensor, margin: float = 0.1) -> Bounds:
    """The range of M x 2 (or M x 1) points, widened by `margin` of its span on each side."""
    p = np.asarray(points, dtype=np.float64).reshape(len(points), -1)
    lo, hi = p.min(axis=0), p.max(axis=0)
    pad = np.maximum(hi - lo, 1e-6) * margin
    lo, hi = lo - pad, hi + pad
    return Bounds(lo[0], hi[0], lo[1], hi[1]) if p.shape[1] > 1 else Bounds(lo[0], hi[0])


def _centres(lo: float, hi: float, n: int) -> np.ndarray:
    step = (hi - lo) / n
    return (lo + step * (np.arange(n) + 0.5)).astype(np.float32)


def grid_points(bounds: Bounds, n: int) -> tuple[np.ndarray, np.ndarray, torch.Tensor]:
    """The centres of an n x n grid over the bounds: (xs, ys, n*n x 2 points, row by row from the lowest y)."""
    xs, ys = _centres(bounds.x0, bounds.x1, n), _centres(bounds.y0, bounds.y1, n)
    gx, gy = np.meshgrid(xs, ys)  # gx[i, j] = xs[j], gy[i, j] = ys[i]
    return xs, ys, torch.from_numpy(np.stack([gx.ravel(), gy.ravel()], axis=1))


def decision_grid(model: nn.Module, bounds: Bounds, n: int = GRID,
                  features: tuple[str, ...] = DEFAULT) -> BoundaryGrid:
    """The class probabilities of `model` (in eval mode, on the CPU) at the centres of an n x n grid, each
    point given to it as the features it was trained on (data.features)."""
    xs, ys, points = grid_points(bounds, n)
    with torch.inference_mode():
        probs = torch.softmax(model(expand(points, features)).float(), dim=1)
    return BoundaryGrid(bounds, xs, ys, probs.numpy().reshape(n, n, -1))


def fitted_curve(model: nn.Module, bounds: Bounds, n: int = CURVE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """A 1-D regression's prediction at n evenly spaced x over the bounds: (xs, ys)."""
    xs = np.linspace(bounds.x0, bounds.x1, n, dtype=np.float32)
    with torch.inference_mode():
        ys = model(torch.from_numpy(xs).unsqueeze(1)).float().reshape(-1).numpy()
    return xs, ys


def region_image(grid: BoundaryGrid, colours: np.ndarray) -> np.ndarray:
    """N x N x 3 uint8: each cell in its predicted class's colour, paler where the model is unsure."""
    colours = np.asarray(colours, dtype=np.float32)
    base = colours[grid.predicted % len(colours)]
    strength = (0.12 + 0.48 * grid.confidence)[..., None]  # never full colour, so the points stand out
    return np.rint(255 - (255 - base) * strength).astype(np.uint8)
