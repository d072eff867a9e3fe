"""A model's identity, declared once: what it is built from, what it takes, what its outputs mean.

Checkpoints, weight snapshots, predictors and exports all carry a ModelSpec and build the model from it, so
that a model trained in one place is rebuilt the same everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # torch loads only where a model is built: the window imports events before torch
    from torch import nn

    from playground.core.kinds.base import ModelKind

CLASSIFICATION = "classification"  # what a spec without a task (the oldest checkpoints) learnt


@dataclass(frozen=True)
class ModelSpec:
    arch: str
    arch_options: dict[str, Any] = field(default_factory=dict)
    input_shape: tuple[int, ...] = ()
    num_outputs: int = 0  # classes, 1 for regression, a language model's vocabulary; unused by generative models
    class_names: tuple[str, ...] = ()  # a language model's vocabulary: the characters it reads and writes
    mean: tuple[float, ...] = ()  # the normalisation of the training inputs (images), for drawing and export
    std: tuple[float, ...] = ()
    task: str = CLASSIFICATION  # the name of its kind (playground.core.kinds)
    dataset: str = ""
    inputs: str = ""  # what it reads (data.inputs): "text" for character ids, "" for numbers
    layers: list[Any] = field(default_factory=list)  # a custom network's layers, as TrainConfig.layers
    features: tuple[str, ...] = ()  # 2-D points read through these (data.features); () = the inputs as they are

    def build(self) -> nn.Module:
        """A freshly initialised model of this spec (on the CPU, in training mode)."""
        from playground.core.models.registry import build_model

        return build_model(self.arch, self.input_shape, self.num_outputs, self.arch_options, self.inputs, self.layers)

    def same_model(self, other: ModelSpec) -> bool:
        """True when other's weights fit this model as it is built."""
        return (self.arch, self.arch_options, tuple(self.input_shape), self.num_outputs, self.inputs, self.layers) == (
            other.arch, other.arch_options, tuple(other.input_shape), other.num_outputs, other.inputs, other.layers)

    def labels(self) -> tuple[str, ...]:
        names = tuple(self.class_names)
        return names if len(names) == self.num_outputs else tuple(str(i) for i in range(self.num_outputs))

    @property
    def kind(self) -> ModelKind:
        """Its kind of model (playground.core.kinds), which says how it trains and what shows it."""
        from playground.core.kinds import kind_named

        return kind_named(self.task)

    def to_dict(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: list(v) if isinstance(v, tuple) else (dict(v) if isinstance(v, dict) else v)
                for k, v in values.items()}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> ModelSpec:
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise KeyError(f"unknown model fields {', '.join(sorted(unknown))}")
        tuples = ("input_shape", "class_names", "mean", "std", "features")
        return cls(**{k: tuple(v) if k in tuples else v for k, v in values.items()})
