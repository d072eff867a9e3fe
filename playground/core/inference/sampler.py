"""A generative model of its own (GAN or VAE) for the app's sample grid, latent walk and reconstructions.

Like the Predictor, it never shares tensors with training: snapshots are copied into its own instance.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
from torch import nn

from playground.core.checkpoint import load_checkpoint, load_states
from playground.core.errors import CheckpointError
from playground.core.models.spec import ModelSpec
from playground.core.training.events import WeightsSnapshot
from playground.core.training.tasks.generative import as_uint8, fixed_latents


class Sampler:
    def __init__(self, model: nn.Module, spec: ModelSpec, seed: int = 0):
        self.model, self.spec = model.eval(), spec
        self.latents = fixed_latents(model.latent, seed)  # the grid's digits, the same at every refresh
        if hasattr(model, "arrange"):  # a conditional GAN's grid: every class in turn
            self.latents = model.arrange(self.latents)

    @classmethod
    def from_snapshot(cls, snapshot: WeightsSnapshot, seed: int = 0) -> Sampler:
        model = snapshot.spec.build()
        load_states(model, snapshot.states)
        return cls(model, snapshot.spec, seed)

    @classmethod
    def from_checkpoint(cls, path: str | os.PathLike) -> Sampler:
        ckpt = load_checkpoint(path)
        if ckpt.spec.kind.samples != "images":
            raise CheckpointError(f"{Path(path).name} holds {ckpt.spec.kind.title}, which does not draw digits; "
                                  "open a GAN or VAE checkpoint to see samples")
        return cls(ckpt.build_model(), ckpt.spec, ckpt.config.seed)

    def load_snapshot(self, snapshot: WeightsSnapshot) -> bool:
        """Copy a snapshot's weights in if they fit this model; False means build a new Sampler."""
        if not self.spec.same_model(snapshot.spec):
            return False
        with torch.no_grad():
            load_states(self.model, snapshot.states)
        return True

    @torch.inference_mode()
    def grid(self) -> np.ndarray:
        """The fixed latent vectors' digits: N x 28 x 28 uint8."""
        return as_uint8(self.model.draw(self.latents))

    @torch.inference_mode()
    def walk(self, a: int, b: int, steps: int = 10) -> np.ndarray:
        """The digits on the straight line between grid digits a and b (both ends included)."""
        t = torch.linspace(0, 1, steps).unsqueeze(1)
        z = (1 - t) * self.latents[a] + t * self.latents[b]
        return as_uint8(self.model.draw(z))

    @torch.inference_mode()
    def reconstruct(self, x01: torch.Tensor) -> np.ndarray:
        """A VAE's version of images with intensities 0..1 (N x 1 x 28 x 28)."""
        return as_uint8(self.model.reconstruct(x01))
