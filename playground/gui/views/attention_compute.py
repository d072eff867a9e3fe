"""The Attention view's work, off the GUI thread and Qt-free: a model with attention layers (a gpt, a vit) reads
the prompt or the image once, and every layer's heads give their weights, drawn as RGB heatmaps.

Text: each head's T x T matrix, row t how character t spreads its attention over the characters up to it.
Images: each head's attention from the class token to every patch, laid over the image.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.core.data.inputs import TEXT

LOW, HIGH = np.array([255, 255, 255], np.float32), np.array([20, 70, 160], np.float32)  # white to deep blue
PATCH_PIXELS = 6  # an image's heatmap: each input pixel this many pixels wide


@dataclass(frozen=True)
class AttentionJob:
    source: str  # "snapshot" (a WeightsSnapshot), "checkpoint" (a Checkpoint) or "path" (a model.pt)
    model: Any
    held: Any  # what the last job built: (model, spec) to reuse, or None
    prompt: str
    image: Any = None  # 1 x C x H x W, normalised as in training (the chosen input), for a vit


@dataclass(frozen=True)
class AttentionMaps:
    held: Any
    weights: np.ndarray | None  # layers x heads x T x T; None when there is nothing to show
    pictures: list[list[np.ndarray]]  # [layer][head]: H x W x 3 uint8 heatmaps
    tokens: tuple[str, ...] = ()  # text: the characters read
    note: str = ""  # why nothing is shown, or what the user should know
    step: int | None = None


def compute(job: AttentionJob) -> AttentionMaps:
    from playground.core.models.transformer import attention_layers, attention_maps

    model, spec, step = _model_for(job)
    held = (model, spec)
    if not attention_layers(model):
        return AttentionMaps(held, None, [], note=f"{spec.arch} has no attention layers: train a gpt (text) or a vit "
                                                  "(images) to see attention form here")
    if spec.inputs == TEXT:
        return _text_maps(job, model, spec, held, step, attention_maps)
    if job.image is None:
        return AttentionMaps(held, None, [], note="Draw a digit in the Draw panel (or pick a test image in the "
                                                  "Evaluation panel): the heads' attention is laid over it here")
    weights = np.stack([w[0].float().numpy() for w in attention_maps(model, job.image)])
    pixels = _unit_image(job.image[0], spec)
    return AttentionMaps(held, weights, [[_over_image(w[0, 1:], model.grid, pixels) for w in layer]
                                         for layer in weights], step=step)


def _text_maps(job: AttentionJob, model: Any, spec: Any, held: Any, step: int | None, maps: Any) -> AttentionMaps:
    import torch

    index = {c: i for i, c in enumerate(spec.class_names)}
    read = [c for c in job.prompt if c in index][-int(spec.input_shape[0]):]
    if not read:
        return AttentionMaps(held, None, [], note="Type a prompt of characters the model knows")
    weights = np.stack([w[0].float().numpy() for w in maps(model, torch.tensor([[index[c] for c in read]]))])
    return AttentionMaps(held, weights, [[heatmap(w) for w in layer] for layer in weights], tuple(read), step=step)


def _model_for(job: AttentionJob) -> tuple[Any, Any, int | None]:
    from playground.core.checkpoint import Checkpoint, load_checkpoint, load_states

    if job.source == "snapshot":
        snapshot = job.model
        if job.held is not None and job.held[1].same_model(snapshot.spec):
            model = job.held[0]
        else:
            model = snapshot.spec.build().eval()
        load_states(model, snapshot.states)
        return model, snapshot.spec, snapshot.step
    ckpt = job.model if isinstance(job.model, Checkpoint) else load_checkpoint(job.model)
    return ckpt.build_model(), ckpt.spec, None


def heatmap(weights: np.ndarray) -> np.ndarray:
    """H x W weights in 0..1 -> H x W x 3 uint8, white (none) to blue (all), scaled to the largest."""
    top = float(weights.max()) if weights.size else 1.0
    t = (weights / top if top > 0 else weights)[..., None].astype(np.float32)
    return (LOW + (HIGH - LOW) * t).astype(np.uint8)


def _unit_image(x: Any, spec: Any) -> np.ndarray:
    """H x W grey levels 0..1 of a normalised C x H x W input (its channels averaged)."""
    image = x.float().numpy()
    if spec.mean:
        image = image * np.array(spec.std, np.float32)[:, None, None] + np.array(spec.mean, np.float32)[:, None, None]
    return np.clip(image.mean(0), 0, 1)


def _over_image(weights: np.ndarray, grid: tuple[int, int], pixels: np.ndarray) -> np.ndarray:
    """The class token's attention to each patch, as a blue veil over the image (enlarged)."""
    h, w = pixels.shape
    patches = weights.reshape(grid)
    cover = np.kron(patches, np.ones((h // grid[0], w // grid[1]), np.float32))
    heat = heatmap(cover).astype(np.float32)
    grey = (pixels[..., None] * 255).astype(np.float32)
    blend = (0.55 * heat + 0.45 * grey).astype(np.uint8)
    return np.kron(blend, np.ones((PATCH_PIXELS, PATCH_PIXELS, 1), np.uint8))
