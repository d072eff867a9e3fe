"""Digits drawn by a model that draws them (a GAN's or a VAE's checkpoint), as `playground generate` writes them."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch

from playground.core.checkpoint import Checkpoint, load_checkpoint
from playground.core.errors import CheckpointError
from playground.core.training.tasks.generative import as_uint8

BATCH = 500


def generate_images(source: str | os.PathLike | Checkpoint, count: int, seed: int = 0) -> np.ndarray:
    """count x 28 x 28 uint8 images (white ink on black) from random latent vectors of a model that draws them."""
    ckpt = source if isinstance(source, Checkpoint) else load_checkpoint(source)
    if ckpt.spec.kind.samples != "images":
        raise CheckpointError(f"{Path(ckpt.source).name or 'the checkpoint'} holds {ckpt.spec.kind.title}, which "
                              "reads inputs and does not draw them; choose a GAN or VAE run (playground train "
                              "--arch gan)")
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
