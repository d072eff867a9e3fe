"""Augmentation of whole image batches on the device: shifts, and the ways people's handwriting differs from
MNIST's (rotation, size, slant, stroke thickness, a wobbly hand), each image its own draw.

Everything is one affine-plus-elastic resampling and one thickness filter per batch, so it costs a small
fraction of a training step; the random numbers come from the run's generator, so a run repeats exactly.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def random_shift(images: torch.Tensor, max_shift: int = 2, generator: torch.Generator | None = None) -> torch.Tensor:
    """Each image moved by its own whole-pixel offset in [-max_shift, max_shift]; edges repeat the border."""
    n, _, h, w = images.shape
    shifts = torch.randint(-max_shift, max_shift + 1, (n, 2), device=images.device, generator=generator)
    theta = torch.zeros(n, 2, 3, device=images.device, dtype=images.dtype)
    theta[:, 0, 0] = 1
    theta[:, 1, 1] = 1
    theta[:, 0, 2] = shifts[:, 0] * (2.0 / w)
    theta[:, 1, 2] = shifts[:, 1] * (2.0 / h)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    return F.grid_sample(images, grid, mode="nearest", padding_mode="border", align_corners=False)


def distort(images: torch.Tensor, strength: float, background: float,
            generator: torch.Generator | None = None) -> torch.Tensor:
    """Handwriting-like distortions of standardised images, `strength` 0..1: rotation up to 15°, size 0.8-1.15,
    slant (shear) up to 0.3, a shift of up to 2 px, an elastic wobble of up to ~1.5 px, and strokes made thinner
    or thicker. `background` is the standardised value of an empty pixel (what comes in at the edges)."""
    if strength <= 0:
        return images
    grid = _warp_grid(images, strength, generator)
    out = F.grid_sample(images - background, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return _thickness(out, strength, generator) + background


def _uniform(n: int, spread: float, like: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    return (torch.rand(n, device=like.device, generator=generator, dtype=like.dtype) * 2 - 1) * spread


def _warp_grid(images: torch.Tensor, s: float, generator: torch.Generator | None) -> torch.Tensor:
    n, _, h, w = images.shape
    angle = _uniform(n, math.radians(15) * s, images, generator)
    scale = 1 + _uniform(n, 0.15 * s, images, generator) - 0.025 * s  # a little smaller on average, as drawn
    shear = _uniform(n, 0.3 * s, images, generator)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.zeros(n, 2, 3, device=images.device, dtype=images.dtype)
    theta[:, 0, 0], theta[:, 0, 1] = cos, -sin + shear * cos
    theta[:, 1, 0], theta[:, 1, 1] = sin, cos + shear * sin
    theta[:, 0, 2] = _uniform(n, 2 * s * 2.0 / w, images, generator)
    theta[:, 1, 2] = _uniform(n, 2 * s * 2.0 / h, images, generator)
    grid = torch.baddbmm(_elastic(n, h, w, 1.5 * s, images, generator).view(n, h * w, 2),
                         _base_grid(h, w, images).expand(n, -1, -1), theta.transpose(1, 2))
    return grid.view(n, h, w, 2)


_BASE_GRIDS: dict[tuple, torch.Tensor] = {}


def _base_grid(h: int, w: int, like: torch.Tensor) -> torch.Tensor:
    """(x, y, 1) of every pixel centre in -1..1, as affine_grid makes it (align_corners=False): made once."""
    key = (h, w, like.device, like.dtype)
    if key not in _BASE_GRIDS:
        ys = (torch.arange(h, device=like.device, dtype=like.dtype) * 2 + 1) / h - 1
        xs = (torch.arange(w, device=like.device, dtype=like.dtype) * 2 + 1) / w - 1
        gy, gx = torch.meshgrid(ys, xs, indexing="ij")
        _BASE_GRIDS[key] = torch.stack([gx, gy, torch.ones_like(gx)], -1).view(1, h * w, 3)
    return _BASE_GRIDS[key]


def _elastic(n: int, h: int, w: int, pixels: float, like: torch.Tensor,
             generator: torch.Generator | None) -> torch.Tensor:
    """A smooth random displacement field (coarse noise, upsampled), up to about `pixels` pixels."""
    coarse = torch.randn(n, 2, 4, 4, device=like.device, generator=generator, dtype=like.dtype)
    field = F.interpolate(coarse, size=(h, w), mode="bilinear", align_corners=False)
    scale = torch.tensor([2.0 / w, 2.0 / h], device=like.device, dtype=like.dtype).view(1, 2, 1, 1)
    return (field * scale * pixels * 0.5).permute(0, 2, 3, 1)


def _thickness(x: torch.Tensor, s: float, generator: torch.Generator | None) -> torch.Tensor:
    """Each image's strokes a little thinner (erosion) or thicker (dilation), blended by a random amount: a fine
    pen or a broad one. Works on images whose background is 0 and ink positive."""
    n = x.shape[0]
    thicker, thinner = _max3x3(x), -_max3x3(-x)
    amount = _uniform(n, 0.7 * s, x, generator).view(n, 1, 1, 1)  # < 0 thinner, > 0 thicker
    target = torch.where(amount > 0, thicker, thinner)
    return x + amount.abs() * (target - x)


def _max3x3(x: torch.Tensor) -> torch.Tensor:
    """The largest value in each pixel's 3 x 3 neighbourhood, as four maxima of shifted views (faster on the CPU
    than max_pool2d with stride 1)."""
    p = F.pad(x, (1, 1, 1, 1), value=float("-inf"))
    rows = torch.maximum(torch.maximum(p[..., :, :-2], p[..., :, 1:-1]), p[..., :, 2:])
    return torch.maximum(torch.maximum(rows[..., :-2, :], rows[..., 1:-1, :]), rows[..., 2:, :])
