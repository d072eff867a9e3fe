"""A GAN's task: the discriminator learns to tell real digits from drawn ones, then the generator learns to
fool it; two networks, two optimizers, two losses (as pytorch/examples' dcgan, with manual optimisation)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from playground.core.models.generative import GAN, labels_of
from playground.core.training.tasks.base import TaskContext, TrainingTask, cpu_state
from playground.core.training.tasks.generative import as_uint8, fixed_latents, to_unit

COLLAPSED_D_LOSS = 0.01  # a discriminator this sure of itself gives the generator no gradient to learn from
REAL_LABEL = 0.9  # one-sided label smoothing: keeps the discriminator from becoming overconfident
# the generator's digits come from a moving average of its weights (as ProGAN, StyleGAN and BigGAN draw): the last
# weights jitter from step to step with the duel, the average draws crisper, more varied digits
EMA_DECAY = 0.999
RAW_GENERATOR = "generator_raw"  # optimizer_states key: the trained weights, from which a resumed run goes on


class GanTask(TrainingTask):
    kind = "gan"
    loss_names = ("g_loss", "d_loss")

    def __init__(self, context: TaskContext, model: GAN):
        super().__init__(context)
        self.gan = model
        self.modules = {"generator": model.generator, "discriminator": model.discriminator}
        self.optimizations = {name: self.optimization(name, m) for name, m in self.modules.items()}
        # each network trains through DDP under torchrun (the plain modules otherwise)
        self.train_G, self.train_D = context.ranks.wrap(model.generator), context.ranks.wrap(model.discriminator)
        self.fixed_z = model.arrange(fixed_latents(model.latent, self.config.seed, device=self.device))
        self._warned = False
        # a resumed run's model holds the checkpoint's generator, the average: the trained one is set by load_state
        self.ema = copy.deepcopy(model.generator).requires_grad_(False)
        self._ema_updates = 0
        # listed once: load_state_dict copies into these very tensors, so the lists stay right
        self._ema_params, self._trained_params = list(self.ema.parameters()), list(model.generator.parameters())

    def training_step(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        G, D = self.train_G, self.train_D
        real = to_unit(x, self.spec.mean, self.spec.std).mul_(2).sub_(1)  # the generator's tanh range
        z = torch.randn(len(real), self.gan.latent, device=self.device, generator=self.context.generator)
        classes = self.gan.classes
        with self.autocast():
            fake = G(z)
            d_real, c_real = D(real, with_classes=True) if classes else (D(real), None)
            d_fake = D(fake.detach()).float()
        d_loss = (F.binary_cross_entropy_with_logits(d_real.float(), torch.full_like(d_real.float(), REAL_LABEL))
                  + F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake)))
        if classes:  # it learns to read real digits' classes (an AC-GAN's discriminator)
            d_loss = d_loss + F.cross_entropy(c_real.float(), y)
        self.optimizations["discriminator"].step(d_loss)
        # the generator's step needs gradients through D, not for it; through the plain D, so that DDP does not
        # wait for gradients of D's parameters that this backward pass never makes
        plain_D = self.gan.discriminator
        plain_D.requires_grad_(False)
        try:
            with self.autocast():
                out, c_fake = plain_D(fake, with_classes=True) if classes else (plain_D(fake), None)
            out = out.float()
            g_loss = F.binary_cross_entropy_with_logits(out, torch.ones_like(out))
            if classes:  # ... and the generator to draw the class it was asked for, readably
                g_loss = g_loss + F.cross_entropy(c_fake.float(), labels_of(z, classes))
            self.optimizations["generator"].step(g_loss)
        finally:
            plain_D.requires_grad_(True)
        self._update_ema()
        return {"g_loss": g_loss.detach(), "d_loss": d_loss.detach()}

    @torch.inference_mode()
    def evaluate(self, x: torch.Tensor, y: torch.Tensor, batch_size: int) -> dict[str, float]:
        """How sure the discriminator is: its mean probability that test digits, and drawn ones, are real."""
        G, D = self.gan.generator, self.gan.discriminator
        G.eval(), D.eval()
        g = torch.Generator(device=self.device).manual_seed(self.config.seed)
        real_p = fake_p = 0.0
        for i in range(0, len(x), batch_size):
            real = to_unit(x[i:i + batch_size], self.spec.mean, self.spec.std) * 2 - 1
            z = torch.randn(len(real), self.gan.latent, device=self.device, generator=g)
            real_p += torch.sigmoid(D(real)).sum().item()
            fake_p += torch.sigmoid(D(G(z))).sum().item()
        self.train()
        n = max(1, len(x))
        return {"d_real": real_p / n, "d_fake": fake_p / n}

    @torch.no_grad()
    def _update_ema(self) -> None:
        """Average the generator's weights; the decay grows from 0.1 towards EMA_DECAY, so that the average
        forgets the random initial weights within the first steps."""
        self._ema_updates += 1
        decay = min(EMA_DECAY, (1 + self._ema_updates) / (10 + self._ema_updates))
        torch._foreach_lerp_(self._ema_params, self._trained_params, 1 - decay)

    @torch.no_grad()
    def _synced_ema(self) -> torch.nn.Module:
        """The average, with the trained generator's batch-norm statistics: copied when it is used, not every step."""
        for mine, theirs in zip(self.ema.buffers(), self.gan.generator.buffers()):
            mine.copy_(theirs)
        return self.ema

    @torch.inference_mode()
    def epoch_samples(self) -> dict[str, np.ndarray]:
        ema = self._synced_ema().eval()
        return {"images": as_uint8((ema(self.fixed_z) + 1) / 2)}

    def model_states(self) -> dict[str, dict[str, torch.Tensor]]:
        """The averaged generator is the one that draws (the app's samples, `playground generate`, exports)."""
        states = super().model_states()
        states["generator"] = cpu_state(self._synced_ema())
        return states

    def optimizer_states(self) -> dict[str, Any]:
        states = super().optimizer_states()
        states[RAW_GENERATOR] = {"weights": cpu_state(self.gan.generator), "updates": self._ema_updates}
        return states

    def load_state(self, model_states: dict[str, dict], optimizer_states: dict[str, dict] | None,
                   saved_config: Any = None) -> None:
        super().load_state(model_states, optimizer_states, saved_config)
        if "generator" in model_states:  # the saved generator is the average (the task was built before)
            self.ema.load_state_dict(model_states["generator"])
        raw = (optimizer_states or {}).get(RAW_GENERATOR)
        if raw:  # else (an older checkpoint, or one saved without optimizer state) it goes on from the average
            self.gan.generator.load_state_dict(raw["weights"])
            self._ema_updates = int(raw["updates"])

    def notice(self, mean_losses: dict[str, float]) -> str | None:
        d = mean_losses.get("d_loss", 1.0)
        if d < COLLAPSED_D_LOSS and not self._warned:
            self._warned = True
            rate = self.optimizations["discriminator"].lr
            return (f"the discriminator has won (its loss is {d:.2g}): it tells every drawn digit from a real one, so "
                    f"the generator gets no gradient to learn from. Lower the discriminator's learning rate (now "
                    f"{rate:g}; --optim discriminator.lr={rate / 4:g}) or start again with another seed")
        if d > 10 * COLLAPSED_D_LOSS:
            self._warned = False
        return None

