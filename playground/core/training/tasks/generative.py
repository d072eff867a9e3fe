"""What the generative tasks share: images back to 0..1, fixed latent vectors, samples as uint8."""

from __future__ import annotations

import numpy as np
import torch

SAMPLE_GRID = 64  # images in a sample grid (8 x 8)


def to_unit(x: torch.Tensor, mean: tuple[float, ...], std: tuple[float, ...]) -> torch.Tensor:
    """Standardised images back to intensities in 0..1."""
    if not mean:
        return x.clamp(0, 1)
    m = torch.tensor(mean, device=x.device, dtype=x.dtype).view(1, -1, 1, 1)
    s = torch.tensor(std, device=x.device, dtype=x.dtype).view(1, -1, 1, 1)
    return (x * s + m).clamp_(0, 1)


def fixed_latents(latent: int, seed: int, count: int = SAMPLE_GRID, device: torch.device | str = "cpu") -> torch.Tensor:
    """The same latent vectors for every sample grid of a run (and of the app's view of it)."""
    g = torch.Generator().manual_seed(seed + 12345)
    return torch.randn(count, latent, generator=g).to(device)


def as_uint8(images: torch.Tensor) -> np.ndarray:
    """N x 1 x H x W in 0..1 -> N x H x W uint8, white ink on black."""
    return (images.detach().float().clamp(0, 1).mul(255).round().to(torch.uint8)).squeeze(1).cpu().numpy()
