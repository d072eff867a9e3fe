"""The training-task seam: what a kind of model learns, apart from how the loop runs it.

A task says *what*: its modules, its optimizers (one Optimization per network it trains), the training step
(named losses, still on the device), its evaluation (named metrics), and its state for a checkpoint. The loop
(`playground.core.training.loop`) says *how*: device, order, control, reporting, checkpoints. Lightning's
`training_step` / `configure_optimizers` / `validation_step` split is the model for it; every step here is
"manual optimisation" in Lightning's words, so a GAN's two updates fit as well as a classifier's one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import torch
from torch import nn

from playground.core.config import TrainConfig
from playground.core.models.spec import ModelSpec
from playground.core.optimizer_settings import OptimizerSettings
from playground.core.training.optimization import Optimization
from playground.core.training.ranks import SINGLE, Ranks


@dataclass
class TaskContext:
    """What a task is built with: the run's settings, the model's identity, where and how long it trains."""

    config: TrainConfig
    spec: ModelSpec
    device: torch.device
    total_steps: int
    memory_format: torch.memory_format
    amp_dtype: torch.dtype | None
    generator: torch.Generator  # the run's own random numbers on the device (augmentation, latent vectors)
    ranks: Ranks = SINGLE  # under torchrun: train through ranks.wrap(network), DDP
    lr_factor: float = 1.0  # on every optimizer's learning rate (the config's lr_scaling over the ranks)


class TrainingTask:
    """Subclasses set `kind` and `loss_names` and build their modules and optimizations in __init__."""

    kind = ""
    loss_names: tuple[str, ...] = ("loss",)  # the keys of training_step's losses; the first is the main one
    counts_correct = False  # training_step also returns "correct": right answers in the batch

    def __init__(self, context: TaskContext):
        self.context = context
        # a classifier's (predicted classes, their probabilities) from its last evaluation, CPU tensors
        self.last_answers: tuple[torch.Tensor, torch.Tensor] | None = None
        self.config, self.spec, self.device = context.config, context.spec, context.device
        self.modules: dict[str, nn.Module] = {}
        self.optimizations: dict[str, Optimization] = {}
        self.l1 = context.config.l1  # a live knob: the config is the value at the start

    # -- what subclasses implement --------------------------------------------------------------------------
    def training_step(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        """One update on a batch; returns the named losses (detached, on the device), and "correct" if counted."""
        raise NotImplementedError

    def evaluate(self, x: torch.Tensor, y: torch.Tensor, batch_size: int) -> dict[str, float]:
        """Named metrics over a whole split (test or validation), e.g. {"loss": 0.05, "accuracy": 0.98}."""
        raise NotImplementedError

    def epoch_samples(self) -> dict[str, Any] | None:
        """What the model makes now, as SamplesEvent fields: a generative model's drawings ({"images": uint8
        N x H x W}), a language model's writing ({"text": ..., "prompt": ...}); None for a model that makes nothing."""
        return None

    def notice(self, mean_losses: dict[str, float]) -> str | None:
        """A warning about how training goes, from the mean losses since the last report, or None."""
        return None

    # -- shared ---------------------------------------------------------------------------------------------
    def train(self) -> None:
        for module in self.modules.values():
            module.train()

    def autocast(self) -> torch.autocast:
        """bf16/fp16 autocast where the run asks for it (CUDA's amp, or cpu_amp on a CPU with native bf16)."""
        amp = self.context.amp_dtype
        return torch.autocast(self.device.type, amp or torch.float32, enabled=amp is not None)

    def settings_for(self, network: str) -> OptimizerSettings:
        return settings_for(self.config, network)

    def optimization(self, network: str, module: nn.Module) -> Optimization:
        """The optimizer, schedule and scaler of one network (a module of the task's)."""
        from playground.core.training.muon import hidden_matrices

        scaler = self.device.type if self.context.amp_dtype == torch.float16 else None
        settings = self.settings_for(network)
        if self.context.lr_factor != 1.0:
            settings = replace(settings, lr=settings.lr * self.context.lr_factor)
        return Optimization(settings, list(module.parameters()), self.context.total_steps, self.config.epochs, scaler,
                            self.context.lr_factor, hidden_matrices(module))

    def apply_knob(self, name: str, value: float, network: str = "") -> float:
        """Change a hyperparameter between steps; returns its old value. Raises ValueError when it cannot."""
        if name in ("lr", "momentum", "weight_decay"):
            targets = [self.optimizations[network]] if network else list(self.optimizations.values())
            old = targets[0].get(name)
            for optimization in targets:
                optimization.set(name, value)
            return old
        if name == "l1":
            old, self.l1 = self.l1, value
            return old
        if name == "dropout":
            layers = [m for module in self.modules.values() for m in module.modules() if isinstance(m, nn.Dropout)]
            if not layers:
                raise ValueError("this model was built without dropout; set its dropout above 0 before training "
                                 "to change it while it trains")
            old = float(layers[0].p)
            for layer in layers:
                layer.p = value
            return old
        raise ValueError(f"{name} cannot change while a run trains; the live knobs are lr, momentum, "
                         "weight_decay, l1 and dropout")

    def knob_values(self) -> dict[str, float]:
        """What a checkpoint must carry beyond the optimizer state to resume with the knobs where they were."""
        dropout = [m.p for module in self.modules.values() for m in module.modules() if isinstance(m, nn.Dropout)]
        return {"l1": self.l1, **({"dropout": float(dropout[0])} if dropout else {})}

    @property
    def lrs(self) -> dict[str, float]:
        if list(self.optimizations) == ["model"]:
            return {"lr": self.optimizations["model"].lr}
        return {name: o.lr for name, o in self.optimizations.items()}

    def layer_health(self) -> tuple[tuple[str, ...], list[float], list[float]]:
        """(layer names, gradient norms, weight norms) of every weight matrix or kernel that has a gradient:
        vanishing and exploding gradients show here first. One device read for all of them."""
        named = [(f"{net}.{name}" if len(self.modules) > 1 else name, p)
                 for net, module in self.modules.items() for name, p in module.named_parameters()
                 if p.dim() > 1 and p.grad is not None]
        if not named:
            return (), [], []
        grads = torch._foreach_norm([p.grad for _, p in named])
        weights = torch._foreach_norm([p.detach() for _, p in named])
        values = torch.stack([*grads, *weights]).float().tolist()
        names = tuple(n.removesuffix(".weight") for n, _ in named)
        return names, values[:len(named)], values[len(named):]

    @property
    def num_params(self) -> int:
        return sum(p.numel() for m in self.modules.values() for p in m.parameters())

    def model_states(self) -> dict[str, dict[str, torch.Tensor]]:
        """CPU copies of every module's weights, no tensor shared with training."""
        return {name: cpu_state(m) for name, m in self.modules.items()}

    def optimizer_states(self) -> dict[str, dict[str, Any]]:
        return {name: o.state_dict() for name, o in self.optimizations.items()}

    def load_state(self, model_states: dict[str, dict], optimizer_states: dict[str, dict] | None,
                   saved_config: TrainConfig | None = None) -> None:
        """Weights and optimizer states; a learning rate or weight decay set anew since `saved_config` (the
        checkpoint's) is applied over the saved state, the rest goes on as saved."""
        for name, state in model_states.items():
            self.modules[name].load_state_dict(state)
        for name, state in (optimizer_states or {}).items():
            if name in self.optimizations and state is not None:
                now = self.settings_for(name)
                then = settings_for(saved_config, name) if saved_config is not None else None
                changed = frozenset(k for k in ("lr", "weight_decay")
                                    if then is None or getattr(now, k) != getattr(then, k))
                self.optimizations[name].load_state_dict(state, changed)


def cpu_state(module: nn.Module) -> dict[str, torch.Tensor]:
    """A CPU copy of a module's weights and buffers that shares no tensor with it."""
    return {k: v.detach().to("cpu", copy=True) for k, v in module.state_dict().items()}


def settings_for(config: TrainConfig, network: str) -> OptimizerSettings:
    """The optimizer settings of one network in a run of this config."""
    from playground.core.models.catalogue import ARCH_CATALOGUE
    from playground.core.optimizer_settings import network_settings

    networks = ARCH_CATALOGUE[config.arch].network_defaults()
    if not networks:
        return OptimizerSettings.of_config(config)
    return network_settings(networks, config.optimizers)[network]
