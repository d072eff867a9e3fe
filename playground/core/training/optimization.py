"""One optimizer with its schedule and, for fp16, its gradient scaler: what a task steps after a loss.

A task owns one Optimization per network it trains (a GAN has two) and calls `step(loss)`; the loop never
needs to know how many there are.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from playground.core.optimizer_settings import OptimizerSettings
from playground.core.training.setup import build_optimizer, build_schedule

# The parts of a schedule's state that follow from the run's length (OneCycleLR, CosineAnnealingLR, StepLR)
_HORIZON = ("total_steps", "_schedule_phases", "T_max", "step_size")
_RATES = ("lr", "initial_lr", "max_lr", "min_lr")  # a parameter group's rates, as the schedules keep them


class Optimization:
    def __init__(self, settings: OptimizerSettings, params: list[nn.Parameter], total_steps: int, epochs: int,
                 fp16_scaler_device: str | None = None, lr_factor: float = 1.0, hidden: set[int] = frozenset()):
        """hidden: the ids of the network's hidden weight matrices, which the muon optimizer steps with Muon."""
        self.settings = settings  # its lr already multiplied by lr_factor (the ranks' lr_scaling)
        self.lr_factor = lr_factor
        self.params = list(params)
        self.optimizer = build_optimizer(settings, self.params, hidden)
        self.schedule = build_schedule(settings, self.optimizer, total_steps, epochs)
        self.scaler = torch.amp.GradScaler(fp16_scaler_device) if fp16_scaler_device else None

    def zero_grad(self) -> None:
        self.optimizer.zero_grad(set_to_none=True)

    def step(self, loss: torch.Tensor) -> None:
        """Gradients of `loss`, one optimizer step, one schedule step."""
        self.zero_grad()
        if self.scaler is not None:
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            loss.backward()
            self.optimizer.step()
        if self.schedule is not None:
            self.schedule.step()

    @property
    def lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])

    def get(self, name: str) -> float:
        """The current learning rate, momentum (Adam's beta1) or weight decay."""
        group = self.optimizer.param_groups[0]
        if name == "momentum" and "betas" in group:
            return float(group["betas"][0])
        return float(group.get(name, 0.0))

    def set(self, name: str, value: float) -> None:
        """Change a hyperparameter from the next step on. A new learning rate rescales the schedule, so that it
        goes on from the new rate with the same shape."""
        for group in self.optimizer.param_groups:
            if name == "lr":
                self._rescale_lr(group, value / max(float(group["lr"]), 1e-30))
            elif name == "momentum" and "betas" in group:
                group["betas"] = (value, group["betas"][1])
            elif name == "momentum" and "momentum" not in group:
                raise ValueError(f"{self.settings.optimizer} has no momentum")
            elif name == "momentum" and getattr(self.schedule, "cycle_momentum", False):
                raise ValueError("the onecycle schedule sets the momentum at every step; choose another "
                                 "schedule to change it while training")
            else:
                group[name] = value

    def _rescale_lr(self, group: dict, ratio: float) -> None:
        group["lr"] *= ratio
        for key in ("initial_lr", "max_lr", "min_lr"):  # what the schedules compute the rate from
            if key in group:
                group[key] *= ratio
        if self.schedule is not None and hasattr(self.schedule, "base_lrs"):
            self.schedule.base_lrs = [lr * ratio for lr in self.schedule.base_lrs]

    def state_dict(self) -> dict[str, Any]:
        return {"optimizer": self.optimizer.state_dict(),
                "schedule": self.schedule.state_dict() if self.schedule is not None else None,
                "lr_factor": self.lr_factor}

    def load_state_dict(self, state: dict[str, Any], changed: frozenset[str] = frozenset({"lr", "weight_decay"})
                        ) -> None:
        """Continue from a saved state, over this run's length: a run resumed with more epochs stretches the
        schedule instead of stepping past its end (OneCycleLR raises there). The settings named in `changed`
        (the ones the user set anew for this run) are applied, not overwritten by the saved state; the others
        go on as saved, live knob changes included. A state saved over another number of ranks has its rates
        scaled as lr_scaling scales them here."""
        self.optimizer.load_state_dict(state["optimizer"])
        if self.schedule is not None and state.get("schedule") is not None:
            fresh = self.schedule.state_dict()
            self.schedule.load_state_dict({**state["schedule"], **{k: fresh[k] for k in _HORIZON if k in fresh}})
        ratio = self.lr_factor / float(state.get("lr_factor", 1.0))
        if ratio != 1.0:
            self._rescale(ratio)
        self._apply_settings(changed)

    def _rescale(self, ratio: float) -> None:
        for group in self.optimizer.param_groups:
            for key in _RATES:
                if key in group:
                    group[key] *= ratio
        if self.schedule is not None:
            self.schedule.base_lrs = [lr * ratio for lr in self.schedule.base_lrs]

    def _apply_settings(self, changed: frozenset[str]) -> None:
        """Put this run's lr and weight decay over the loaded ones. Every schedule here scales with the lr it was
        built with (OneCycleLR's max_lr, the others' initial_lr), so the whole schedule is scaled by new / old:
        the run goes on at the same point of the same curve, at the new height."""
        for group in self.optimizer.param_groups:
            if "weight_decay" in changed:
                group["weight_decay"] = self.settings.weight_decay
            old = group.get("max_lr", group.get("initial_lr", group["lr"]))
            wanted = self.settings.lr * self.lr_factor
            if "lr" in changed and old and not math.isclose(old, wanted, rel_tol=1e-9):
                self._rescale(wanted / old)
                break  # one group: the ratio is the same for all
