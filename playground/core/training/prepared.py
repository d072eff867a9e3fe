"""Everything a run needs, on its device: data, model, optimizer, schedule, and the one training step.

`fit` and `benchmark` both build a PreparedRun, so the benchmark times exactly the step the app runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import torch
from torch import nn

from playground.core.checkpoint import Checkpoint
from playground.core.config import TrainConfig
from playground.core.data.splits import DataSplits
from playground.core.models.registry import build_model
from playground.core.training.augment import random_shift
from playground.core.training.cpu_threads import FixedThreads, ThreadGovernor
from playground.core.training.evaluate import loss_and_correct
from playground.core.training.setup import build_optimizer, build_schedule, is_conv_net

log = logging.getLogger(__name__)


@dataclass
class PreparedRun:
    config: TrainConfig
    device: torch.device
    data: DataSplits  # CPU copy, for shapes and names
    train_x: torch.Tensor
    train_y: torch.Tensor
    model: nn.Module  # the module whose weights are saved
    step_model: nn.Module  # what the step calls: the model or its compiled form
    optimizer: torch.optim.Optimizer
    schedule: torch.optim.lr_scheduler.LRScheduler | None
    amp_dtype: torch.dtype | None
    scaler: torch.amp.GradScaler | None
    steps_per_epoch: int
    total_steps: int
    generator: torch.Generator
    test: tuple[torch.Tensor, torch.Tensor]  # on the device in the model's layout, made once per run
    val: tuple[torch.Tensor, torch.Tensor] | None
    compile_checked: bool = False
    threads: FixedThreads | ThreadGovernor = field(default_factory=lambda: FixedThreads(torch.get_num_threads()))

    def step(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """One optimisation step on the samples at `idx`; returns (loss, correct) still on the device."""
        if self.step_model is self.model or self.compile_checked:
            return self._step(idx)
        try:  # torch.compile fails lazily, at the first call: fall back to the plain model then
            result = self._step(idx)
        except Exception as e:  # noqa: BLE001 - any compiler failure means "run uncompiled"
            log.warning("torch.compile failed here (%s); training without it", str(e).splitlines()[0][:200])
            self.step_model = self.model
            self.optimizer.zero_grad(set_to_none=True)
            return self._step(idx)
        self.compile_checked = True
        return result

    def _step(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        xb, yb = self.train_x[idx], self.train_y[idx]
        if self.config.augment and xb.dim() == 4:
            xb = random_shift(xb, generator=self.generator)
        with torch.autocast(self.device.type, self.amp_dtype, enabled=self.amp_dtype is not None):
            out = self.step_model(xb)
        loss, correct = loss_and_correct(out, yb, self.data.task, self.config.label_smoothing)
        if self.config.l1 > 0:
            loss = loss + self.config.l1 * sum(p.abs().sum() for p in self.model.parameters())
        self.optimizer.zero_grad(set_to_none=True)
        if self.scaler is not None:
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            loss.backward()
            self.optimizer.step()
        if self.schedule is not None:
            self.schedule.step()
        return loss.detach(), correct

    @property
    def samples_per_step(self) -> int:
        """The batch size, or the whole split where a batch is larger: what rates and accuracies count."""
        return min(self.config.batch_size, len(self.train_x))

    @property
    def lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])

    def weights_copy(self) -> dict[str, torch.Tensor]:
        return {k: v.detach().to("cpu", copy=True) for k, v in self.model.state_dict().items()}

    def checkpoint(self, epoch: int, metrics: list[dict]) -> Checkpoint:
        return Checkpoint(
            config=self.config, state_dict=self.weights_copy(), input_shape=self.data.input_shape,
            num_outputs=self.data.num_classes, epoch=epoch, metrics=list(metrics),
            class_names=self.data.class_names, mean=self.data.mean, std=self.data.std, task=self.data.task,
            optimizer_state=self.optimizer.state_dict(),
            schedule_state=self.schedule.state_dict() if self.schedule else None)


def prepare(config: TrainConfig, data: DataSplits, device: torch.device,
            resume: Checkpoint | None = None) -> PreparedRun:
    torch.manual_seed(config.seed)
    model = build_model(config.arch, data.input_shape, data.num_classes, config.arch_options)
    if resume is not None:
        model.load_state_dict(resume.state_dict)
    memory_format = torch.channels_last if config.channels_last and is_conv_net(model) else torch.contiguous_format
    model = model.to(device, memory_format=memory_format)

    def split(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return _to_device(x, device, memory_format), _to_device(y, device, torch.contiguous_format)

    train_x, train_y = split(data.train_x, data.train_y)
    steps_per_epoch = max(1, len(train_x) // config.batch_size)  # full batches only, as the references do
    total_steps = steps_per_epoch * config.epochs
    optimizer = build_optimizer(config, list(model.parameters()), device)
    schedule = build_schedule(config, optimizer, total_steps)
    if resume is not None and resume.optimizer_state is not None:
        optimizer.load_state_dict(resume.optimizer_state)
        if schedule is not None and resume.schedule_state is not None:
            _restore_schedule(schedule, resume.schedule_state)
    amp_dtype = _amp_dtype(config, device)
    scaler = torch.amp.GradScaler(device.type) if amp_dtype == torch.float16 else None
    generator = torch.Generator(device=device).manual_seed(config.seed + (resume.epoch if resume else 0))
    val = split(data.val_x, data.val_y) if data.val_x is not None else None
    return PreparedRun(config, device, data, train_x, train_y, model, _compiled(model, config), optimizer,
                       schedule, amp_dtype, scaler, steps_per_epoch, total_steps, generator,
                       split(data.test_x, data.test_y), val)


# The parts of a schedule's state that follow from the run's length (OneCycleLR, CosineAnnealingLR, StepLR)
_HORIZON = ("total_steps", "_schedule_phases", "T_max", "step_size")


def _restore_schedule(schedule: torch.optim.lr_scheduler.LRScheduler, saved: dict) -> None:
    """Continue from the saved position, over this run's length: a run resumed with more epochs stretches the
    schedule instead of stepping past its end (OneCycleLR raises there)."""
    fresh = schedule.state_dict()
    schedule.load_state_dict({**saved, **{k: fresh[k] for k in _HORIZON if k in fresh}})


def _to_device(t: torch.Tensor, device: torch.device, memory_format: torch.memory_format) -> torch.Tensor:
    if device.type == "cuda":
        t = t.pin_memory()
    t = t.to(device, non_blocking=True)
    return t.contiguous(memory_format=memory_format) if t.dim() == 4 else t


def _amp_dtype(config: TrainConfig, device: torch.device) -> torch.dtype | None:
    """bf16 where the GPU supports it, else fp16; the CPU stays fp32."""
    if not config.amp or device.type != "cuda":
        return None
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


def _compiled(model: nn.Module, config: TrainConfig) -> nn.Module:
    if not config.compile:
        return model
    try:
        return torch.compile(model)
    except Exception as e:  # no compiler, unsupported platform: train uncompiled
        log.warning("torch.compile is unavailable here (%s); training without it", e)
        return model
