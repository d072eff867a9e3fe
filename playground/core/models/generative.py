"""Generative models of 28x28 grayscale digits: a DCGAN (generator and discriminator) and an MLP VAE.

Both draw digits from a latent vector (`latent` numbers); `draw(z)` gives images with intensities in 0..1.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class Generator(nn.Module):
    """latent -> 2w x 7 x 7 -> w x 14 x 14 -> 1 x 28 x 28 in -1..1 (tanh), with transposed convolutions."""

    def __init__(self, latent: int, width: int):
        super().__init__()
        self.latent = latent
        self.net = nn.Sequential(
            nn.ConvTranspose2d(latent, 2 * width, 7, 1, 0, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z.view(z.shape[0], self.latent, 1, 1))


class MinibatchStd(nn.Module):
    """One feature map more: how much the batch varies (ProGAN's minibatch standard deviation). A generator
    that draws the same few digits for every vector shows a low value, which the discriminator learns to
    punish: it keeps drawing every kind of digit."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        spread = x.float().std(dim=0, correction=0).mean().to(x.dtype)
        return torch.cat([x, spread.expand(x.shape[0], 1, *x.shape[2:])], dim=1)


class Discriminator(nn.Module):
    """1 x 28 x 28 -> w x 14 x 14 -> 2w x 7 x 7 (+ the batch's spread) -> one logit: is this a real digit?"""

    def __init__(self, width: int):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            MinibatchStd(), nn.Flatten(), nn.Linear((2 * width + 1) * 49, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(1)


class GAN(nn.Module):
    """The pair; the task trains each with its own optimizer. Calling it draws digits (0..1) from z."""

    def __init__(self, latent: int = 64, width: int = 32):
        super().__init__()
        self.latent = latent
        self.generator = Generator(latent, width)
        self.discriminator = Discriminator(width)
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
    return GAN(latent, width)


def build_vae(input_shape: tuple[int, ...], num_outputs: int, latent: int = 32,
              hidden: list[int] = (512, 256)) -> nn.Module:
    return VAE(latent, list(hidden), math.prod(input_shape))
