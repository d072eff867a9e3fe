"""A model of its own for live predictions: loaded from a checkpoint or a training run's weight snapshot.

The predictor never shares tensors with a training model: a snapshot's state_dict is copied into the
predictor's own instance, so training can go on while drawings are classified.
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
from playground.core.training.events import WeightsSnapshot


@dataclass(frozen=True)
class ModelInfo:
    """A model's identity and, for the user, where it came from (`source`) and how good it was."""

    spec: ModelSpec
    source: str = ""
    step: int | None = None  # the training step of a snapshot
    test_accuracy: float | None = None  # at the end of its training, where known

    arch = property(lambda self: self.spec.arch)
    arch_options = property(lambda self: self.spec.arch_options)
    input_shape = property(lambda self: self.spec.input_shape)
    num_outputs = property(lambda self: self.spec.num_outputs)
    class_names = property(lambda self: self.spec.class_names)
    mean = property(lambda self: self.spec.mean)
    std = property(lambda self: self.spec.std)
    task = property(lambda self: self.spec.task)
    dataset = property(lambda self: self.spec.dataset)

    def same_model(self, other: ModelInfo) -> bool:
        return self.spec.same_model(other.spec)

    def labels(self) -> tuple[str, ...]:
        return self.spec.labels()


class Predictor:
    """Holds one model in eval mode on the CPU and turns inputs into class probabilities."""

    def __init__(self, model: nn.Module, info: ModelInfo):
        # channels-last convolution weights: a digit at batch 1 passes seed-cnn in 0.42 instead of 0.6-0.7 ms here
        # (max-pooling alone is 10x faster so); the same answers, to float rounding. Other weights are unchanged.
        self.model = model.eval().to(memory_format=torch.channels_last)
        self.info = info

    @classmethod
    def from_checkpoint(cls, path: str | os.PathLike, source: str | None = None, ckpt: Checkpoint | None = None
                        ) -> Predictor:
        """Raises CheckpointError (with a message for the user) when the file cannot be used. A VAE's
        predictor reconstructs what it is given (reconstruct) instead of classifying it."""
        ckpt = ckpt or load_checkpoint(path)
        if not ckpt.spec.kind.drawing:  # it cannot take a drawing: say what it is, and what to do with it
            raise CheckpointError(f"{ckpt.spec.kind.drawing_problem(ckpt.spec, Path(path).name)}; or use it with "
                                  f"playground generate {path}")
        model = ckpt.build_model()  # its CheckpointError names the file
        accuracy = ckpt.metrics[-1].get("test_accuracy") if ckpt.metrics else None
        return cls(model, ModelInfo(ckpt.spec, source or Path(path).name, test_accuracy=accuracy))

    @classmethod
    def from_snapshot(cls, snapshot: WeightsSnapshot, source: str = "training run") -> Predictor:
        model = snapshot.spec.build()
        load_states(model, snapshot.states)
        return cls(model, ModelInfo(snapshot.spec, source, snapshot.step))

    def load_snapshot(self, snapshot: WeightsSnapshot, source: str = "training run") -> bool:
        """Copy a snapshot's weights into this model if they fit it; False means build a new Predictor."""
        info = ModelInfo(snapshot.spec, source, snapshot.step)
        if not self.info.same_model(info):
            return False
        with torch.no_grad():
            load_states(self.model, snapshot.states)
        self.info = info
        return True

    def example_input(self) -> torch.Tensor:
        return torch.zeros(1, *self.info.input_shape)

    def predict(self, x: torch.Tensor) -> np.ndarray:
        """Class probabilities for one input (a batch of one, already normalised)."""
        with torch.inference_mode():
            logits = self.model(x)
            return torch.softmax(logits[0].float(), dim=0).numpy()

    def reconstruct(self, x: torch.Tensor) -> np.ndarray:
        """A VAE's version of one input (normalised as in training): a 28 x 28 uint8 image."""
        from playground.core.training.tasks.generative import as_uint8, to_unit

        with torch.inference_mode():
            return as_uint8(self.model.reconstruct(to_unit(x, self.info.mean, self.info.std)))[0]
