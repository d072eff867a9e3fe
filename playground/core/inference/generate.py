"""Digits drawn by a generative checkpoint (GAN or VAE), as `playground generate` writes them."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch

from playground.core.checkpoint import load_checkpoint
from playground.core.errors import CheckpointError
from playground.core.training.tasks.generative import as_uint8

BATCH = 500


def generate_images(path: str | os.PathLike, count: int, seed: int = 0) -> np.ndarray:
    """count x 28 x 28 uint8 images (white ink on black) from random latent vectors; refuses classifiers."""
    ckpt = load_checkpoint(path)
    if not ckpt.spec.generative:
        raise CheckpointError(f"{Path(path).name} holds a {ckpt.spec.task} model ({ckpt.spec.arch} on "
                              f"{ckpt.spec.dataset or 'its dataset'}): it reads inputs, it does not draw them. "
                              "generate needs a GAN or VAE checkpoint, e.g. from playground train --arch gan")
    model = ckpt.build_model()
    g = torch.Generator().manual_seed(seed)
    out = []
    with torch.inference_mode():
        for start in range(0, count, BATCH):
            z = torch.randn(min(BATCH, count - start), model.latent, generator=g)
            out.append(as_uint8(model.draw(z)))
    return np.concatenate(out) if out else np.zeros((0, 28, 28), dtype=np.uint8)


def write_images(images: np.ndarray, folder: str | os.PathLike) -> list[Path]:
    """One 8-bit grayscale PNG per image: folder/sample-0000.png, ..."""
    from playground.core.images import save_png

    folder = Path(folder)
    width = max(4, len(str(len(images) - 1)))
    return [save_png(image, folder / f"sample-{i:0{width}d}.png") for i, image in enumerate(images)]
