"""A model of its own for live predictions: loaded from a checkpoint or a training run's weight snapshot.

The predictor never shares tensors with a training model: a snapshot's state_dict is copied into the
predictor's own instance, so training can go on while drawings are classified.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from playground.core.checkpoint import load_checkpoint
from playground.core.errors import CheckpointError, PlaygroundError
from playground.core.models.registry import build_model
from playground.core.training.events import WeightsSnapshot


@dataclass(frozen=True)
class ModelInfo:
    """What a model needs and how to read its outputs; `source` says where it came from, for the user."""

    arch: str
    arch_options: dict[str, Any]
    input_shape: tuple[int, ...]
    num_outputs: int
    class_names: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    task: str = "classification"
    source: str = ""
    step: int | None = None  # the training step of a snapshot
    dataset: str = ""  # the dataset it was trained on, where known
    test_accuracy: float | None = None  # at the end of its training, where known

    def same_model(self, other: ModelInfo) -> bool:
        """True when other's weights fit this model as it is built."""
        return (self.arch, self.arch_options, tuple(self.input_shape), self.num_outputs) == (
            other.arch, other.arch_options, tuple(other.input_shape), other.num_outputs)

    def labels(self) -> tuple[str, ...]:
        names = tuple(self.class_names)
        return names if len(names) == self.num_outputs else tuple(str(i) for i in range(self.num_outputs))


class Predictor:
    """Holds one model in eval mode on the CPU and turns inputs into class probabilities."""

    def __init__(self, model: nn.Module, info: ModelInfo):
        self.model = model.eval()
        self.info = info

    @classmethod
    def from_checkpoint(cls, path: str | os.PathLike, source: str | None = None) -> Predictor:
        """Raises CheckpointError (with a message for the user) when the file cannot be used."""
        ckpt = load_checkpoint(path)
        try:
            model = ckpt.build_model()
        except PlaygroundError as e:
            raise CheckpointError(f"{Path(path).name}: {e}") from None
        info = ModelInfo(ckpt.config.arch, dict(ckpt.config.arch_options), tuple(ckpt.input_shape),
                         ckpt.num_outputs, tuple(ckpt.class_names), tuple(ckpt.mean), tuple(ckpt.std),
                         ckpt.task, source or Path(path).name, dataset=ckpt.config.dataset,
                         test_accuracy=ckpt.metrics[-1].get("test_accuracy") if ckpt.metrics else None)
        return cls(model, info)

    @classmethod
    def from_snapshot(cls, snapshot: WeightsSnapshot, source: str = "training run") -> Predictor:
        info = snapshot_info(snapshot, source)
        model = build_model(info.arch, info.input_shape, info.num_outputs, info.arch_options)
        model.load_state_dict(snapshot.state_dict)
        return cls(model, info)

    def load_snapshot(self, snapshot: WeightsSnapshot, source: str = "training run") -> bool:
        """Copy a snapshot's weights into this model if they fit it; False means build a new Predictor."""
        info = snapshot_info(snapshot, source)
        if not self.info.same_model(info):
            return False
        with torch.no_grad():
            self.model.load_state_dict(snapshot.state_dict)
        self.info = info
        return True

    def example_input(self) -> torch.Tensor:
        return torch.zeros(1, *self.info.input_shape)

    def predict(self, x: torch.Tensor) -> np.ndarray:
        """Class probabilities for one input (a batch of one, already normalised)."""
        with torch.inference_mode():
            logits = self.model(x)
            return torch.softmax(logits[0].float(), dim=0).numpy()


def snapshot_info(snapshot: WeightsSnapshot, source: str) -> ModelInfo:
    # a snapshot has no task; one output without class names is a regression
    task = "regression" if snapshot.num_outputs == 1 and not snapshot.class_names else "classification"
    return ModelInfo(snapshot.arch, dict(snapshot.arch_options), tuple(snapshot.input_shape), snapshot.num_outputs,
                     tuple(snapshot.class_names), tuple(snapshot.mean), tuple(snapshot.std), task, source,
                     snapshot.step)
