"""Generative models of 28x28 grayscale digits: a DCGAN (generator and discriminator) and an MLP VAE.

Both draw digits from a latent vector (`latent` numbers); `draw(z)` gives images with intensities in 0..1.

The GAN is class-conditional (an AC-GAN) where the data has classes: the largest of z's first `classes` numbers
names the class to draw, and the generator gets that class as one-hot in their place. Random vectors then ask for
every class equally often, so no digit is left out (an unconditional GAN drew 4s 2-3% of the time), and callers
that draw from z need no labels. The discriminator also classifies real digits, and the generator learns to
make it read the class it was asked for.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def labels_of(z: torch.Tensor, classes: int) -> torch.Tensor:
    """The class a latent vector asks for: where the largest of its first `classes` numbers is."""
    return z[:, :classes].argmax(dim=1)


def with_label(z: torch.Tensor, classes: int) -> torch.Tensor:
    """z with its first `classes` numbers replaced by the one-hot class they ask for."""
    one_hot = torch.nn.functional.one_hot(labels_of(z, classes), classes).to(z.dtype)
    return torch.cat([one_hot, z[:, classes:]], dim=1)


class Generator(nn.Module):
    """latent -> 2w x 7 x 7 -> w x 14 x 14 -> 1 x 28 x 28 in -1..1 (tanh), with transposed convolutions."""

    def __init__(self, latent: int, width: int, classes: int = 0):
        super().__init__()
        self.latent, self.classes = latent, classes
        self.net = nn.Sequential(
            nn.ConvTranspose2d(latent, 2 * width, 7, 1, 0, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if self.classes:
            z = with_label(z, self.classes)
        return self.net(z.view(z.shape[0], self.latent, 1, 1))


class MinibatchStd(nn.Module):
    """One feature map more: how much the batch varies (ProGAN's minibatch standard deviation). A generator
    that draws the same few digits for every vector shows a low value, which the discriminator learns to
    punish: it keeps drawing every kind of digit."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        spread = x.float().std(dim=0, correction=0).mean().to(x.dtype)
        return torch.cat([x, spread.expand(x.shape[0], 1, *x.shape[2:])], dim=1)


class Discriminator(nn.Module):
    """1 x 28 x 28 -> w x 14 x 14 -> 2w x 7 x 7 (+ the batch's spread) -> one logit: is this a real digit?
    With classes, the same features also give a logit per class: which digit is it?"""

    def __init__(self, width: int, classes: int = 0):
        super().__init__()
        features = (2 * width + 1) * 49
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            MinibatchStd(), nn.Flatten(), nn.Linear(features, 1))
        self.classify = nn.Linear(features, classes) if classes else None

    def forward(self, x: torch.Tensor, with_classes: bool = False):
        """The realness logit; with_classes: (that, the class logits) from the same features."""
        if not with_classes:
            return self.net(x).squeeze(1)
        h = self.net[:-1](x)
        return self.net[-1](h).squeeze(1), self.classify(h)

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):
        """A discriminator saved before it classified keeps its fresh class head (the GAN still draws)."""
        if self.classify is not None and "classify.weight" not in state_dict:
            state_dict = {**state_dict, **{f"classify.{k}": v for k, v in self.classify.state_dict().items()}}
        return super().load_state_dict(state_dict, strict, assign)


class GAN(nn.Module):
    """The pair; the task trains each with its own optimizer. Calling it draws digits (0..1) from z."""

    def __init__(self, latent: int = 64, width: int = 32, classes: int = 0):
        super().__init__()
        self.latent, self.classes = latent, classes
        self.generator = Generator(latent, width, classes)
        self.discriminator = Discriminator(width, classes)
        for m in self.modules():  # DCGAN's initialisation
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
                nn.init.normal_(m.weight, 0.0, 0.02)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.normal_(m.weight, 1.0, 0.02)
                nn.init.zeros_(m.bias)

    def draw(self, z: torch.Tensor) -> torch.Tensor:
        return (self.generator(z) + 1) / 2

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.draw(z)

    def arrange(self, z: torch.Tensor) -> torch.Tensor:
        """z made to ask for the classes in turn (0, 1, ..., 9, 0, ...): a sample grid shows every digit."""
        if not self.classes:
            return z
        z = z.clone()
        wanted = torch.arange(len(z), device=z.device) % self.classes
        z[torch.arange(len(z)), wanted] = z[:, :self.classes].abs().amax(dim=1) + 1
        return z

    def summary_parts(self) -> list[tuple[str, nn.Module, tuple[int, ...]]]:
        return [("generator", self.generator, (self.latent,)), ("discriminator", self.discriminator, (1, 28, 28))]


class VAE(nn.Module):
    """An MLP encoder to a Gaussian code (mean, log-variance) and an MLP decoder back to pixel logits."""

    def __init__(self, latent: int = 32, hidden: list[int] = (512, 256), pixels: int = 784):
        super().__init__()
        self.latent, self.pixels = latent, pixels
        sizes = [pixels, *hidden]
        self.encoder = nn.Sequential(nn.Flatten(), *_dense(sizes))
        self.to_code = nn.Linear(sizes[-1], 2 * latent)
        back = [latent, *reversed(hidden)]
        self.decoder = nn.Sequential(*_dense(back), nn.Linear(back[-1], pixels))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mu, logvar = self.to_code(self.encoder(x)).chunk(2, dim=1)
        return mu, logvar

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def draw(self, z: torch.Tensor) -> torch.Tensor:
        side = int(math.isqrt(self.pixels))
        return torch.sigmoid(self.decode_logits(z)).view(-1, 1, side, side)

    def forward(self, x: torch.Tensor, generator: torch.Generator | None = None
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(pixel logits, mean, log-variance); the code is sampled while training, the mean otherwise."""
        mu, logvar = self.encode(x)
        if self.training:
            noise = torch.randn(mu.shape, device=mu.device, dtype=mu.dtype, generator=generator)
            z = mu + noise * torch.exp(0.5 * logvar)
        else:
            z = mu
        return self.decode_logits(z), mu, logvar

    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        """What the VAE makes of images (0..1 in, 0..1 out), through the mean of their codes."""
        mu, _ = self.encode(x)
        return self.draw(mu)


def _dense(sizes: list[int]) -> list[nn.Module]:
    layers: list[nn.Module] = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return layers


def build_gan(input_shape: tuple[int, ...], num_outputs: int, latent: int = 64, width: int = 32) -> nn.Module:
    classes = num_outputs if 2 <= num_outputs <= latent // 2 else 0  # a few classes: conditional; else plain
    return GAN(latent, width, classes)


def build_vae(input_shape: tuple[int, ...], num_outputs: int, latent: int = 32,
              hidden: list[int] = (512, 256)) -> nn.Module:
    return VAE(latent, list(hidden), math.prod(input_shape))
