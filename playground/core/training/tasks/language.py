"""A language model's task: predict each next character of a window of text (cross-entropy at every position);
its evaluation reads the held-out text in consecutive windows and reports nats and bits per character."""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from playground.core.training.tasks.base import TaskContext, TrainingTask

SAMPLE_LENGTH = 400  # characters written after the prompt at each epoch's end
SAMPLE_TEMPERATURE = 0.8
PROMPT_LENGTH = 40  # at most: the prompt is the first whole line of the held-out text


class LanguageTask(TrainingTask):
    loss_names = ("loss",)

    def __init__(self, context: TaskContext, model: nn.Module):
        super().__init__(context)
        self.model = model
        self.modules = {"model": model}
        self.optimizations = {"model": self.optimization("model", model)}
        self.train_model = context.ranks.wrap(model)  # DDP under torchrun; evaluation uses the plain model
        self.vocab = len(context.spec.class_names)
        self.prompt = ""  # set from the held-out text by the first evaluation

    def training_step(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        with self.autocast():
            logits = self.train_model(x)
        loss = F.cross_entropy(logits.float().view(-1, self.vocab), y.reshape(-1))
        if self.l1 > 0:
            loss = loss + self.l1 * sum(p.abs().sum() for p in self.model.parameters())
        self.optimizations["model"].step(loss)
        return {"loss": loss.detach()}

    @torch.inference_mode()
    def evaluate(self, x: torch.Tensor, y: torch.Tensor, batch_size: int) -> dict[str, float]:
        """x is the held-out text's character ids; each window predicts its characters after the first."""
        self.prompt = self.prompt or self._prompt_from(x)
        window = min(self.spec.input_shape[0], len(x) - 1)
        n = (len(x) - 1) // window
        inputs, targets = x[:n * window].view(n, window), x[1:n * window + 1].view(n, window)
        self.model.eval()
        total = torch.zeros((), device=x.device)
        for i in range(0, n, batch_size):
            with self.autocast():
                logits = self.model(inputs[i:i + batch_size])
            total += F.cross_entropy(logits.float().reshape(-1, self.vocab), targets[i:i + batch_size].reshape(-1),
                                     reduction="sum")
        self.model.train()
        nats = total.item() / max(1, targets.numel())
        return {"loss": nats, "bpc": nats / math.log(2)}

    def _prompt_from(self, held_out: torch.Tensor) -> str:
        """The first whole line of the held-out text (at most PROMPT_LENGTH characters), with its line break: a
        start the model never trained on."""
        text = "".join(self.spec.class_names[i] for i in held_out[:20 * PROMPT_LENGTH].tolist())
        lines = [line for line in text.split("\n")[1:-1] if line.strip()]
        return lines[0][:PROMPT_LENGTH] + "\n" if lines else text[:PROMPT_LENGTH]

    @torch.inference_mode()
    def epoch_samples(self) -> dict[str, Any]:
        from playground.core.inference.text import TextModel

        writer = TextModel(self.model, self.spec)
        written = writer.continue_text(self.prompt, SAMPLE_LENGTH, SAMPLE_TEMPERATURE, seed=self.config.seed)
        self.model.train()
        return {"text": written.prompt + written.text, "prompt": written.prompt}
