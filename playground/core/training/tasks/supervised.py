"""Learning from labels: classification (cross-entropy, accuracy) and regression (mean squared error)."""

from __future__ import annotations

import logging

import torch
from torch import nn

from playground.core.training.augment import distort, random_shift
from playground.core.training.evaluate import evaluate, loss_and_correct
from playground.core.training.tasks.base import TaskContext, TrainingTask

log = logging.getLogger(__name__)


class SupervisedTask(TrainingTask):
    """One model, one optimizer; the step returns its loss and, for a classifier, the right answers."""

    loss_names = ("loss",)

    def __init__(self, context: TaskContext, model: nn.Module, counts_correct: bool):
        super().__init__(context)
        self.counts_correct = counts_correct  # a classifier's right answers; a regression's are not counted
        self.model = model
        self.modules = {"model": model}
        self.optimizations = {"model": self.optimization("model", model)}
        self.train_model = context.ranks.wrap(model)  # DDP under torchrun; evaluation uses the plain model
        self.step_model = _compiled(self.train_model) if self.config.compile else self.train_model
        self._compile_checked = self.step_model is self.train_model

    def training_step(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        if self._compile_checked:
            return self._step(x, y)
        try:  # torch.compile fails lazily, at the first call: fall back to the plain model then
            result = self._step(x, y)
        except Exception as e:  # noqa: BLE001 - any compiler failure means "run uncompiled"
            log.warning("torch.compile failed here (%s); training without it", str(e).splitlines()[0][:200])
            self.step_model = self.train_model
            self.optimizations["model"].zero_grad()
            result = self._step(x, y)
        self._compile_checked = True
        return result

    def _step(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        config, amp = self.config, self.context.amp_dtype
        if config.augment and x.dim() == 4:
            x = random_shift(x, generator=self.context.generator)
        if config.distort > 0 and x.dim() == 4:
            x = distort(x, config.distort, self._background(x), self.context.generator)
        with torch.autocast(self.device.type, amp, enabled=amp is not None):
            out = self.step_model(x)
        loss, correct = loss_and_correct(out, y, self.counts_correct, config.label_smoothing)
        if self.l1 > 0:
            loss = loss + self.l1 * sum(p.abs().sum() for p in self.model.parameters())
        self.optimizations["model"].step(loss)
        result = {"loss": loss.detach()}
        if correct is not None:
            result["correct"] = correct
        return result

    def _background(self, x: torch.Tensor) -> torch.Tensor:
        """The standardised value of an empty (black) pixel, per channel."""
        mean, std = self.spec.mean or (0.0,), self.spec.std or (1.0,)
        values = [-m / s for m, s in zip(mean, std)]
        return torch.tensor(values, device=x.device, dtype=x.dtype).view(1, -1, 1, 1)

    def evaluate(self, x: torch.Tensor, y: torch.Tensor, batch_size: int) -> dict[str, float]:
        answers: list = []
        values = evaluate(self.model, x, y, self.counts_correct, batch_size, self.context.amp_dtype, answers)
        if answers:  # kept for the views (confusion matrix, gallery): the pass that counted the accuracy
            self.last_answers = (torch.cat([a[0] for a in answers]).cpu(), torch.cat([a[1] for a in answers]).cpu())
        return values


def _compiled(model: nn.Module) -> nn.Module:
    try:
        return torch.compile(model)
    except Exception as e:  # no compiler, unsupported platform: train uncompiled
        log.warning("torch.compile is unavailable here (%s); training without it", e)
        return model
