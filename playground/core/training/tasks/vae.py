"""A VAE's task: reconstruct each digit through a small Gaussian code. The loss per image is the binary
cross-entropy summed over its pixels (intensities 0..1) plus the KL divergence of its code from N(0, 1), in
nats, as in Kingma and Welling (2014) and pytorch/examples' vae."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from playground.core.models.generative import VAE
from playground.core.training.tasks.base import TaskContext, TrainingTask
from playground.core.training.tasks.generative import as_uint8, fixed_latents, to_unit


class VaeTask(TrainingTask):
    kind = "vae"
    loss_names = ("loss", "recon", "kl")

    def __init__(self, context: TaskContext, model: VAE):
        super().__init__(context)
        self.vae = model
        self.modules = {"model": model}
        self.optimizations = {"model": self.optimization("model", model)}
        self.train_vae = context.ranks.wrap(model)  # DDP under torchrun; evaluation uses the plain model
        self.fixed_z = fixed_latents(model.latent, self.config.seed, device=self.device)

    def _losses(self, x: torch.Tensor, generator: torch.Generator,
                net: torch.nn.Module | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """(reconstruction, KL) summed over the batch."""
        target = to_unit(x, self.spec.mean, self.spec.std).flatten(1)
        with self.autocast():
            logits, mu, logvar = (net if net is not None else self.vae)(target, generator)
        logits, mu, logvar = logits.float(), mu.float(), logvar.float()
        recon = F.binary_cross_entropy_with_logits(logits, target, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return recon, kl

    def training_step(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        recon, kl = self._losses(x, self.context.generator, self.train_vae)
        n = len(x)
        loss = (recon + kl) / n
        self.optimizations["model"].step(loss)
        return {"loss": loss.detach(), "recon": recon.detach() / n, "kl": kl.detach() / n}

    @torch.inference_mode()
    def evaluate(self, x: torch.Tensor, y: torch.Tensor, batch_size: int) -> dict[str, float]:
        self.vae.train()  # the loss is an expectation over sampled codes, as in training
        recon = kl = 0.0
        g = torch.Generator(device=self.device).manual_seed(self.config.seed)  # the same codes every epoch
        for i in range(0, len(x), batch_size):
            r, k = self._losses(x[i:i + batch_size], g)
            recon, kl = recon + r.item(), kl + k.item()
        n = max(1, len(x))
        return {"loss": (recon + kl) / n, "recon": recon / n, "kl": kl / n}

    @torch.inference_mode()
    def epoch_samples(self) -> dict[str, np.ndarray]:
        return {"images": as_uint8(self.vae.draw(self.fixed_z))}
