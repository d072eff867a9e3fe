"""Evaluation on a whole split in large batches, without autograd."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def loss_and_correct(outputs: torch.Tensor, targets: torch.Tensor, classifies: bool,
                     label_smoothing: float = 0.0) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Mean loss of a batch (cross-entropy, or the squared error of a regression) and, for a classifier, the
    count of right answers."""
    if not classifies:
        return F.mse_loss(outputs.squeeze(1).float(), targets), None
    loss = F.cross_entropy(outputs.float(), targets, label_smoothing=label_smoothing)
    return loss, (outputs.argmax(1) == targets).sum()


@torch.inference_mode()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, classifies: bool, batch_size: int,
             amp_dtype: torch.dtype | None = None, answers: list | None = None) -> dict[str, float]:
    """{"loss", "accuracy"} of a classifier, {"loss", "r2"} of a regression, over a split; one device sync at the
    end. A classifier's answers, each sample's predicted class and its probability, are appended to `answers`
    (as (classes, probabilities) tensors per batch) when it is given: the same pass that counts the accuracy."""
    was_training = model.training
    model.eval()
    total_loss = torch.zeros((), device=x.device)
    correct = torch.zeros((), device=x.device, dtype=torch.long)
    for i in range(0, len(x), batch_size):
        xb, yb = x[i:i + batch_size], y[i:i + batch_size]
        with torch.autocast(x.device.type, amp_dtype, enabled=amp_dtype is not None):
            out = model(xb)
        loss, right = loss_and_correct(out, yb, classifies)
        total_loss += loss * len(xb)
        if right is not None:
            correct += right
            if answers is not None:
                probability, predicted = torch.softmax(out.float(), 1).max(1)
                answers.append((predicted, probability))
    model.train(was_training)
    n = max(1, len(x))
    if classifies:  # one read for both; the count stays whole (exact in float64 up to 2**53)
        loss_sum, right = torch.stack([total_loss.double(), correct.double()]).tolist()
        return {"loss": loss_sum / n, "accuracy": right / n}
    # R²: the share of the targets' variance the predictions explain (1 - squared error / variance)
    spread = y.double().var(correction=0) if len(y) > 1 else torch.ones((), device=x.device, dtype=torch.double)
    loss_sum, variance = torch.stack([total_loss.double(), spread]).tolist()
    return {"loss": loss_sum / n, "r2": 1.0 - loss_sum / n / variance if variance > 0 else float("nan")}
