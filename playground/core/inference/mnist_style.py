"""Turn a drawing into a model input exactly as MNIST digits were made.

MNIST (LeCun et al.): each digit was size-normalised to fit a 20x20 box keeping its aspect ratio (antialiased,
hence grey levels), then placed in a 28x28 image so that its centre of mass sits at the centre. Measured on
the training set, that centre is pixel (14, 14) and the shift is a whole number of pixels (the spread of the
centres is the 0.29 px of rounding). The same normalisation as in training follows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

SIZE = 28  # side of an MNIST image
BOX = 20  # the longer side of the digit after size normalisation
CENTRE = 14.0  # where MNIST's centres of mass sit (row, column), in pixel indices
INK_THRESHOLD = 0.05  # fraction of full white that counts as ink when finding the bounding box
# MNIST's strokes, measured on 5,000 training digits as 2 x ink area / ink boundary (px at 28 x 28): median 2.8,
# 10% below 2.2, 10% above 3.9 (the measure reads 2.0 for any line of 2 px or less). A drawing well outside that
# range is brought towards the median.
STROKE_WIDTH, STROKE_LOW, STROKE_HIGH = 2.8, 1.9, 3.9


@dataclass(frozen=True)
class DigitInput:
    """What the model sees: the normalised 1x1x28x28 tensor, and the same image as 28x28 uint8 for a preview."""

    tensor: torch.Tensor
    preview: np.ndarray


def prepare_digit(canvas: np.ndarray, mean: tuple[float, ...] = (0.1307,),
                  std: tuple[float, ...] = (0.3081,)) -> DigitInput | None:
    """A grayscale drawing (white ink on black; uint8 0-255 or float 0-1) -> the model input; None if blank."""
    if canvas.ndim != 2:
        raise ValueError(f"expected a 2-D grayscale image, got shape {canvas.shape}")
    scale = 255 if canvas.dtype == np.uint8 else 1
    box = ink_bounding_box(canvas, INK_THRESHOLD * scale)  # on the raw pixels: only the crop is converted
    if box is None:
        return None
    top, bottom, left, right = box
    placed = _place_by_centre_of_mass(_fit_box(_as_unit_float(canvas[top:bottom, left:right])))
    strokes = normalise_stroke(placed)
    if strokes is not placed:  # a thicker or thinner digit is fitted to the 20 px box again
        top, bottom, left, right = ink_bounding_box(strokes, INK_THRESHOLD)
        placed = _place_by_centre_of_mass(_fit_box(strokes[top:bottom, left:right]))
    preview = np.rint(placed * 255).astype(np.uint8)
    tensor = torch.from_numpy(placed).sub_(mean[0] if mean else 0.0).div_(std[0] if std else 1.0)
    return DigitInput(tensor.reshape(1, 1, SIZE, SIZE), preview)


def stroke_width(image: np.ndarray) -> float:
    """The strokes' width in pixels: twice the ink's area over its boundary (ink: brighter than half the
    brightest pixel, so that a faint hair-line counts too)."""
    if image.max() <= 0:
        return 0.0
    ink = image > 0.5 * image.max()
    area = int(ink.sum())
    p = np.pad(ink, 1)
    inner = p[1:-1, 1:-1] & p[:-2, 1:-1] & p[2:, 1:-1] & p[1:-1, :-2] & p[1:-1, 2:]
    return 2 * area / max(1, area - int(inner.sum()))


def normalise_stroke(image: np.ndarray) -> np.ndarray:
    """Strokes drawn with a much finer or broader pen than MNIST's made thicker (dilated) or thinner (eroded),
    blended by how far off they are (a 3 x 3 filter changes the width by about 2 px), and at full brightness
    as MNIST's are. Returns the image itself when it needs nothing."""
    out = image
    for _ in range(2):  # a hair-line needs two passes
        width = stroke_width(out)
        if width == 0 or STROKE_LOW <= width <= STROKE_HIGH:
            break
        amount = float(np.clip((STROKE_WIDTH - width) / 2, -1.0, 1.0))
        p = np.pad(out, 1)
        views = [p[r:r + SIZE, c:c + SIZE] for r in range(3) for c in range(3)]
        target = np.max(views, axis=0) if amount > 0 else np.min(views, axis=0)
        out = (out + abs(amount) * (target - out)).astype(np.float32)
    if out is not image and 0 < out.max() < 1:
        out = out / out.max()
    return out


def ink_bounding_box(image: np.ndarray, threshold: float = INK_THRESHOLD) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the pixels brighter than threshold (in the image's own units),
    bottom/right exclusive; None if there are none."""
    rows = np.flatnonzero(image.max(axis=1) > threshold)  # no full-size mask: a drawing is 400 x 400 pixels
    if rows.size == 0:
        return None
    cols = np.flatnonzero(image[rows[0]:rows[-1] + 1].max(axis=0) > threshold)
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the intensity-weighted centre, in pixel indices."""
    total = float(image.sum())
    rows = image.sum(axis=1)
    cols = image.sum(axis=0)
    return float(rows @ np.arange(rows.size)) / total, float(cols @ np.arange(cols.size)) / total


def _as_unit_float(canvas: np.ndarray) -> np.ndarray:
    if canvas.dtype == np.uint8:
        return canvas.astype(np.float32) * np.float32(1 / 255)
    return np.clip(canvas.astype(np.float32, copy=False), 0.0, 1.0)


def _fit_box(crop: np.ndarray) -> np.ndarray:
    """Scale so that the longer side is BOX pixels, keeping the aspect ratio.

    Shrinking averages the pixels each output pixel covers (a box filter: sharp, and exact for whole factors).
    """
    h, w = crop.shape
    scale = BOX / max(h, w)
    size = (max(1, round(h * scale)), max(1, round(w * scale)))
    x = torch.from_numpy(np.ascontiguousarray(crop))[None, None]
    if scale < 1:  # interpolate's "area" mode, without its argument checks (a tenth of a millisecond a drawing)
        out = F.adaptive_avg_pool2d(x, size)
    else:
        out = F.interpolate(x, size=size, mode="bilinear", align_corners=False)
    return out[0, 0].clamp_(0.0, 1.0).numpy()


def _place_by_centre_of_mass(digit: np.ndarray) -> np.ndarray:
    """Paste into SIZE x SIZE with a whole-pixel offset that brings the centre of mass to CENTRE."""
    h, w = digit.shape
    cy, cx = centre_of_mass(digit)
    # MNIST shifted without regard to the edges; keeping the whole digit inside loses nothing a model needs
    top = min(max(round(CENTRE - cy), 0), SIZE - h)
    left = min(max(round(CENTRE - cx), 0), SIZE - w)
    placed = np.zeros((SIZE, SIZE), dtype=np.float32)
    placed[top:top + h, left:left + w] = digit
    return placed
