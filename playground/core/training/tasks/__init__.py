"""The training tasks of the kinds of model (see base.TrainingTask); each kind (playground.core.kinds) builds
its own."""

from __future__ import annotations

from torch import nn

from playground.core.training.tasks.base import TaskContext, TrainingTask

__all__ = ["TaskContext", "TrainingTask", "build_task"]


def build_task(context: TaskContext, model: nn.Module) -> TrainingTask:
    """The task of the spec's kind, around a model already built (and placed on the device)."""
    return context.spec.kind.build_task(context, model)
