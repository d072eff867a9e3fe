"""A saliency map: how much a small change of each input pixel would move the top class's score.

The gradient of the class's logit with respect to the input (Simonyan et al. 2013), its absolute value, and
for an image the largest over the channels. Only the input's gradient is computed: the model's own gradients
stay untouched, so any model of our own can be asked, in eval mode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


@dataclass(frozen=True)
class Saliency:
    map: np.ndarray  # H x W for an image (1 x C x H x W input), else the input's own shape without the batch
    target: int  # the class whose score was differentiated
    probabilities: np.ndarray  # the model's answer for the input


def saliency(model: nn.Module, x: torch.Tensor, target: int | None = None) -> Saliency:
    """The saliency of `target` (the most likely class by default) for one input, a batch of one."""
    x = x.detach().clone().float().requires_grad_(True)  # never an inference tensor, never the caller's
    with torch.enable_grad():
        logits = model(x)
        top = int(logits[0].argmax()) if target is None else int(target)
        (grad,) = torch.autograd.grad(logits[0, top], x)
    values = grad[0].abs()
    if values.dim() == 3:  # C x H x W: a pixel matters as much as its most sensitive channel
        values = values.amax(dim=0)
    probabilities = torch.softmax(logits[0].detach().float(), dim=0).numpy()
    return Saliency(values.numpy(), top, probabilities)
