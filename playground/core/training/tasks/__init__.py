"""The task of each kind of model: classification and regression, GAN, VAE (see base.TrainingTask)."""

from __future__ import annotations

from torch import nn

from playground.core.models.spec import GAN, VAE
from playground.core.training.tasks.base import TaskContext, TrainingTask

__all__ = ["TaskContext", "TrainingTask", "build_task"]


def build_task(context: TaskContext, model: nn.Module) -> TrainingTask:
    """The task for the spec's kind, around a model already built (and placed on the device)."""
    kind = context.spec.task
    if kind == GAN:
        from playground.core.training.tasks.gan import GanTask

        return GanTask(context, model)
    if kind == VAE:
        from playground.core.training.tasks.vae import VaeTask

        return VaeTask(context, model)
    from playground.core.training.tasks.supervised import SupervisedTask

    return SupervisedTask(context, model)
