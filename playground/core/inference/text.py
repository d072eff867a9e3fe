"""A language model of its own for writing: loaded from a checkpoint or a training run's weight snapshot, it
continues a prompt one character at a time and says how likely each next character is.

Like the Predictor it never shares tensors with training. Characters the model never saw (not in its vocabulary)
are left out of what it reads, and said so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from playground.core.checkpoint import Checkpoint, load_checkpoint, load_states
from playground.core.errors import CheckpointError
from playground.core.models.spec import ModelSpec


@dataclass(frozen=True)
class Written:
    prompt: str  # what the model read: the prompt without the characters it never saw
    text: str  # what it wrote after it
    unknown: tuple[str, ...] = ()  # characters of the prompt it never saw, left out


def unknown_note(unknown: tuple[str, ...], vocab_size: int) -> str:
    shown = ", ".join(repr(c) for c in unknown[:10]) + (", …" if len(unknown) > 10 else "")
    return (f"the model never saw {shown} (not among the {vocab_size} characters of its training text): "
            "left out of what it reads")


class TextModel:
    def __init__(self, model: nn.Module, spec: ModelSpec, step: int | None = None):
        self.model, self.spec, self.step = model.eval(), spec, step
        self.vocab = tuple(spec.class_names)
        self._index = {c: i for i, c in enumerate(self.vocab)}
        self.context = int(spec.input_shape[0]) if spec.input_shape else 64
        self._stateful = hasattr(model, "forward_state")  # a recurrent network carries its state instead
        self.device = next(model.parameters()).device  # the training model's own, at an epoch's end
        self.source_key: object = None  # what it was loaded from, for a caller that keeps it

    @classmethod
    def from_checkpoint(cls, source: str | os.PathLike | Checkpoint) -> TextModel:
        ckpt = source if isinstance(source, Checkpoint) else load_checkpoint(source)
        if not ckpt.spec.kind.samples == "text":
            name = Path(ckpt.source).name if ckpt.source else "the checkpoint"
            raise CheckpointError(f"{name} holds {ckpt.spec.kind.title}, which does not write text; open a "
                                  "language model's checkpoint (playground train --arch gpt --dataset shakespeare)")
        return cls(ckpt.build_model(), ckpt.spec)

    @classmethod
    def from_snapshot(cls, snapshot) -> TextModel:
        model = snapshot.spec.build()
        load_states(model, snapshot.states)
        return cls(model, snapshot.spec, snapshot.step)

    def load_snapshot(self, snapshot) -> bool:
        """Copy a snapshot's weights in if they fit this model; False means build a new TextModel."""
        if not self.spec.same_model(snapshot.spec) or self.vocab != tuple(snapshot.spec.class_names):
            return False
        with torch.no_grad():
            load_states(self.model, snapshot.states)
        self.step = snapshot.step
        return True

    def encode(self, text: str) -> tuple[list[int], tuple[str, ...]]:
        """The ids of the characters the model knows, and the distinct ones it does not (in order)."""
        unknown = tuple(dict.fromkeys(c for c in text if c not in self._index))
        return [self._index[c] for c in text if c in self._index], unknown

    def _start(self, ids: list[int]) -> list[int]:
        """Something to read: an empty prompt starts from a line break (or the first character it knows)."""
        return ids or [self._index.get("\n", 0)]

    @torch.inference_mode()
    def next_probabilities(self, prompt: str) -> np.ndarray:
        """The probability of each character of the vocabulary coming next after `prompt`."""
        ids = self._start(self.encode(prompt)[0])
        logits = self.model(torch.tensor([ids[-self.context:]], device=self.device))[0, -1]
        return torch.softmax(logits.float(), 0).cpu().numpy()

    @torch.inference_mode()
    def continue_text(self, prompt: str, length: int, temperature: float = 0.8, top_k: int = 0,
                      seed: int = 0) -> Written:
        """`length` characters after `prompt`, each drawn from the model's probabilities (sharpened below
        temperature 1, flattened above; temperature 0 takes the likeliest; top_k keeps the k likeliest)."""
        ids, unknown = self.encode(prompt)
        read = "".join(c for c in prompt if c in self._index)
        g = torch.Generator().manual_seed(seed)
        out = self._write_stateful(self._start(ids), length, temperature, top_k, g) if self._stateful else \
            self._write_windowed(self._start(ids), length, temperature, top_k, g)
        return Written(read, "".join(self.vocab[i] for i in out), unknown)

    def _write_windowed(self, ids: list[int], length: int, temperature: float, top_k: int,
                        g: torch.Generator) -> list[int]:
        """A Transformer reads its last `context` characters again for each new one."""
        ids, out = list(ids), []
        for _ in range(length):
            logits = self.model(torch.tensor([ids[-self.context:]], device=self.device))[0, -1]
            ids.append(_draw(logits, temperature, top_k, g))
            out.append(ids[-1])
        return out

    def _write_stateful(self, ids: list[int], length: int, temperature: float, top_k: int,
                        g: torch.Generator) -> list[int]:
        """A recurrent network reads the prompt once, then each new character with its carried state."""
        logits, state = self.model.forward_state(torch.tensor([ids], device=self.device))
        out = []
        for _ in range(length):
            out.append(_draw(logits[0, -1], temperature, top_k, g))
            logits, state = self.model.forward_state(torch.tensor([[out[-1]]], device=self.device), state)
        return out


def _draw(logits: torch.Tensor, temperature: float, top_k: int, g: torch.Generator) -> int:
    logits = logits.float()
    if temperature <= 0:
        return int(logits.argmax())
    logits = logits / temperature
    if 0 < top_k < len(logits):
        cutoff = torch.topk(logits, top_k).values[-1]
        logits = logits.masked_fill(logits < cutoff, float("-inf"))
    return int(torch.multinomial(torch.softmax(logits, 0).cpu(), 1, generator=g))
