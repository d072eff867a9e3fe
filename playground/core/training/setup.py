"""Turning a config into the things a run needs: device, optimizer, schedule."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch
from torch import nn

from playground.core.errors import ConfigError
from playground.core.optimizer_settings import OptimizerSettings
from playground.core.training.cpu_threads import FixedThreads, ThreadGovernor
from playground.core.training.eager_optim import eager


def available_devices() -> list[str]:
    """Every device this machine can train on, CPU first."""
    devices = ["cpu"]
    if torch.cuda.is_available():
        devices += [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        devices.append("mps")
    return devices


def resolve_device(name: str) -> torch.device:
    """'auto' picks CUDA, then MPS, then the CPU; a named device must exist here."""
    if name == "auto":
        return torch.device(next((d for d in available_devices() if d != "cpu"), "cpu"))
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ConfigError([("device", "CUDA is not available on this machine; choose cpu or auto")])
    if device.type == "cuda" and (device.index or 0) >= torch.cuda.device_count():
        raise ConfigError([("device", f"there is no {name}; this machine has {torch.cuda.device_count()} GPU(s)")])
    if device.type == "mps" and "mps" not in available_devices():
        raise ConfigError([("device", "MPS (Apple GPU) is not available on this machine; choose cpu or auto")])
    return device


def build_optimizer(settings: OptimizerSettings, params: list[nn.Parameter],
                    hidden: set[int] = frozenset()) -> torch.optim.Optimizer:
    """The optimizer, fused (one kernel for all parameters) where PyTorch offers it for the device, and eager (it
    does not import torch._dynamo: eager_optim). `hidden`: the
    ids of the parameters Muon steps (the others step with AdamW), for the muon optimizer."""
    common = {"lr": settings.lr, "weight_decay": settings.weight_decay}
    kind = settings.optimizer
    if kind == "muon":
        from playground.core.training.muon import MuonAdamW

        groups = [{"params": [p for p in params if id(p) in hidden], "use_muon": True},
                  {"params": [p for p in params if id(p) not in hidden]}]
        return eager(MuonAdamW)([g for g in groups if g["params"]], betas=(settings.beta1, settings.beta2), **common)
    if kind == "sgd":
        args = {**common, "momentum": settings.momentum, "nesterov": settings.nesterov}
        return _fused_or_foreach(torch.optim.SGD, params, args)
    if kind in ("adam", "adamw"):
        args = {**common, "betas": (settings.beta1, settings.beta2)}
        return _fused_or_foreach(torch.optim.Adam if kind == "adam" else torch.optim.AdamW, params, args)
    if kind == "rmsprop":
        return eager(torch.optim.RMSprop)(params, momentum=settings.momentum, foreach=True, **common)
    return eager(torch.optim.Adadelta)(params, foreach=True, **common)


def _fused_or_foreach(cls: type, params: list, args: dict) -> torch.optim.Optimizer:
    try:
        return eager(cls)(params, fused=True, **args)
    except (RuntimeError, TypeError, ValueError):
        return eager(cls)(params, foreach=True, **args)


def build_schedule(settings: OptimizerSettings, optimizer: torch.optim.Optimizer, total_steps: int,
                   epochs: int) -> torch.optim.lr_scheduler.LRScheduler | None:
    """A per-step learning-rate schedule over the whole run, or None for a constant rate."""
    S = torch.optim.lr_scheduler
    steps_per_epoch = max(1, total_steps // max(1, epochs))
    if settings.schedule == "step":
        return S.StepLR(optimizer, settings.step_epochs * steps_per_epoch, settings.gamma)
    if settings.schedule == "cosine":
        return S.CosineAnnealingLR(optimizer, total_steps)
    if settings.schedule == "onecycle":
        # cycling momentum needs an optimizer that has one (adadelta has none; Muon's momentum stays) and a user
        # who wants one
        cycle = settings.optimizer != "muon" and (
            "betas" in optimizer.defaults or ("momentum" in optimizer.defaults and settings.momentum > 0))
        return S.OneCycleLR(optimizer, settings.lr, total_steps=total_steps, cycle_momentum=cycle)
    return None


_DEFAULT_THREADS = torch.get_num_threads()  # PyTorch's own choice, one per core, before anyone changes it


def configure_threads(threads: int, device: torch.device | None = None) -> ThreadGovernor | FixedThreads:
    """`threads` CPU threads for torch ops, or for 0 as many as the cores other processes leave free (at most
    PyTorch's default, one per core), re-decided while the run goes: call `poll()` on the result between steps.

    The setting is process-wide, so 0 starts from the default rather than keeping an earlier run's choice.
    """
    if threads > 0:
        return FixedThreads(threads)
    if device is not None and device.type != "cpu":
        return FixedThreads(_DEFAULT_THREADS)  # the GPU does the work; the CPU threads only feed it
    return ThreadGovernor(_DEFAULT_THREADS)


@contextmanager
def denormals_flushed() -> Iterator[None]:
    """Treat numbers below ~1e-38 as 0 in this thread (and the OpenMP threads it starts) while training: on
    this CPU, arithmetic on such denormal numbers made the seed-cnn step 1.23x slower, for values no model
    needs. The thread gets IEEE behaviour back afterwards (other code in it, hypothesis say, relies on it)."""
    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_flush_denormal(False)


def is_conv_net(model: nn.Module) -> bool:
    return any(isinstance(m, nn.Conv2d) for m in model.modules())
