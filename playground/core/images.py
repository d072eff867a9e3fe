"""Grayscale images as PNG files: one image, or a grid of many (generated digits, sample grids)."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np


def grid(images: np.ndarray, columns: int | None = None, gap: int = 2) -> np.ndarray:
    """N x H x W uint8 images tiled into one image, `columns` wide (a square by default), on black."""
    n, h, w = images.shape
    columns = columns or max(1, math.ceil(math.sqrt(n)))
    rows = max(1, math.ceil(n / columns))
    out = np.zeros((rows * (h + gap) + gap, columns * (w + gap) + gap), dtype=np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        out[gap + r * (h + gap):gap + r * (h + gap) + h, gap + c * (w + gap):gap + c * (w + gap) + w] = image
    return out


def save_png(image: np.ndarray, path: str | os.PathLike) -> Path:
    """Write a H x W uint8 array as an 8-bit grayscale PNG (mode L), atomically."""
    from PIL import Image

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    Image.fromarray(np.ascontiguousarray(image, dtype=np.uint8), mode="L").save(tmp, format="PNG")
    os.replace(tmp, path)
    return path
