"""Colours for the inside views as numpy arrays (no Qt): class colours, colour maps, and tiles in a mosaic.

Used in the views' background threads, so that the GUI thread gets one finished RGB image per picture.
"""

from __future__ import annotations

import numpy as np

# matplotlib's tab10: one colour per class, the plots' blue and orange first
CLASS_COLOURS = np.array([(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
                          (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)],
                         dtype=np.uint8)
# inferno, from black through purple and orange to pale yellow: brighter is more, also in greyscale
_INFERNO = np.array([(0, 0, 4), (40, 11, 84), (101, 21, 110), (159, 42, 99), (212, 72, 66), (245, 125, 21),
                     (250, 193, 39), (252, 255, 164)], dtype=np.float64)
_BLUE, _WHITE, _RED = np.array([33, 102, 172.0]), np.array([247, 247, 247.0]), np.array([178, 24, 43.0])


def heat(values: np.ndarray, lo: float | None = None, hi: float | None = None) -> np.ndarray:
    """values (any shape) -> uint8 RGB (that shape x 3) on the inferno scale from lo to hi (default: min, max)."""
    v = np.asarray(values, dtype=np.float64)
    lo = float(v.min()) if lo is None else lo
    hi = float(v.max()) if hi is None else hi
    t = np.clip((v - lo) / (hi - lo), 0.0, 1.0) if hi > lo else np.zeros_like(v)
    anchors = np.linspace(0.0, 1.0, len(_INFERNO))
    rgb = np.stack([np.interp(t, anchors, _INFERNO[:, c]) for c in range(3)], axis=-1)
    return np.rint(rgb).astype(np.uint8)


def diverging(values: np.ndarray, scale: float | None = None) -> np.ndarray:
    """values -> uint8 RGB: blue for negative, white for zero, red for positive (symmetric around zero)."""
    v = np.asarray(values, dtype=np.float64)
    scale = float(np.abs(v).max()) if scale is None else scale
    t = np.clip(v / scale, -1.0, 1.0)[..., None] if scale > 0 else np.zeros(v.shape + (1,))
    rgb = np.where(t < 0, _WHITE + (_BLUE - _WHITE) * -t, _WHITE + (_RED - _WHITE) * t)
    return np.rint(rgb).astype(np.uint8)


def grey(pixels: np.ndarray) -> np.ndarray:
    """H x W uint8 (or H x W x 3 already) -> H x W x 3 uint8."""
    p = np.asarray(pixels, dtype=np.uint8)
    return p if p.ndim == 3 else np.repeat(p[..., None], 3, axis=2)


def overlay(pixels: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """The picture in grey with `amount` (0..1, same H x W) on top in the heat colours."""
    base = grey(pixels).astype(np.float64) * 0.6
    a = np.clip(np.asarray(amount, dtype=np.float64), 0.0, 1.0)[..., None]
    return np.rint(base * (1 - a) + heat(a[..., 0], 0.0, 1.0) * a).astype(np.uint8)


def mosaic(tiles: np.ndarray, columns: int, gap: int = 1, fill: int = 255) -> np.ndarray:
    """N x h x w x 3 tiles in rows of `columns`, `gap` pixels apart: one (rows*(h+gap)-gap) x ... x 3 image."""
    n, h, w = tiles.shape[:3]
    columns = max(1, min(columns, n))
    rows = -(-n // columns)
    padded = np.full((rows * columns, h + gap, w + gap, 3), fill, dtype=np.uint8)
    padded[:n, :h, :w] = tiles
    grid = padded.reshape(rows, columns, h + gap, w + gap, 3).transpose(0, 2, 1, 3, 4)
    return np.ascontiguousarray(grid.reshape(rows * (h + gap), columns * (w + gap), 3)[:-gap or None, :-gap or None])
