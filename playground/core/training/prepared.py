"""Everything a run needs, on its device: the data, the model's task (modules, optimizers, step), the length.

`fit` and `benchmark` both build a PreparedRun, so the benchmark times exactly the step the app runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

from playground.core.checkpoint import Checkpoint
from playground.core.config import TrainConfig, lr_scale
from playground.core.data.splits import DataSplits
from playground.core.errors import CheckpointError, ConfigError
from playground.core.kinds import kind_named
from playground.core.models.catalogue import ARCH_CATALOGUE, arch_task
from playground.core.models.spec import ModelSpec
from playground.core.training.cpu_threads import FixedThreads, ThreadGovernor
from playground.core.training.events import Scale, WeightsSnapshot
from playground.core.training.ranks import SINGLE, Ranks, rank_seed
from playground.core.training.setup import is_conv_net
from playground.core.training.tasks import TaskContext, TrainingTask, build_task


@dataclass
class PreparedRun:
    config: TrainConfig
    device: torch.device
    data: DataSplits  # CPU copy, for shapes and names
    spec: ModelSpec
    task: TrainingTask
    batches: Any  # training.batches: how the kind draws batches from the training split, on the device
    steps_per_epoch: int
    total_steps: int
    generator: torch.Generator
    test: tuple[torch.Tensor, torch.Tensor]  # on the device in the model's layout, made once per run
    val: tuple[torch.Tensor, torch.Tensor] | None
    threads: FixedThreads | ThreadGovernor = field(default_factory=lambda: FixedThreads(torch.get_num_threads()))
    ranks: Ranks = SINGLE

    def step(self, idx: torch.Tensor) -> dict[str, torch.Tensor]:
        """One optimisation step on the units (samples, windows of text) at `idx` of the epoch's order; the task's
        named losses, still on the device."""
        return self.task.training_step(*self.batches.draw(idx))

    @property
    def samples_per_step(self) -> int:
        """This rank's samples per step: the batch size, or its whole shard where a batch is larger."""
        return min(self.config.batch_size, len(self.batches) // self.ranks.world_size)

    @property
    def items_per_step(self) -> int:
        """What the rates count in one step over every rank: samples, or characters of text."""
        return self.effective_batch * self.batches.per_unit

    @property
    def effective_batch(self) -> int:
        """The samples of one optimizer step over every rank: what rates and accuracies count."""
        return self.samples_per_step * self.ranks.world_size

    @property
    def scale(self) -> Scale:
        r, c = self.ranks, self.config
        return Scale(r.world_size, self.samples_per_step, self.effective_batch, c.lr_scaling,
                     lr_scale(c.lr_scaling, r.world_size), r.backend)

    def evaluate(self, split: tuple[torch.Tensor, torch.Tensor]) -> dict[str, float]:
        return self.task.evaluate(*split, max(self.config.eval_batch_size, self.config.batch_size))

    def snapshot(self, step: int, run_id: str = "") -> WeightsSnapshot:
        return WeightsSnapshot(self.spec, self.task.model_states(), step, run_id)

    def checkpoint(self, epoch: int, metrics: list[dict], step: int = 0, run_id: str = "",
                   partial: dict | None = None) -> Checkpoint:
        return Checkpoint(self.config, self.spec, self.task.model_states(), self.task.optimizer_states(), epoch,
                          list(metrics), step, run_id, partial, self.task.knob_values())


def model_spec(config: TrainConfig, data: DataSplits) -> ModelSpec:
    kind = kind_named(arch_task(config.arch, data.task))
    layers = list(config.layers) if ARCH_CATALOGUE[config.arch].takes_layers else []
    return ModelSpec(config.arch, dict(config.arch_options), kind.input_shape(config, data), data.num_classes,
                     data.class_names, data.mean, data.std, kind.name, config.dataset, data.inputs, layers,
                     data.features)


def prepare(config: TrainConfig, data: DataSplits, device: torch.device,
            resume: Checkpoint | None = None, ranks: Ranks = SINGLE) -> PreparedRun:
    world = ranks.world_size
    if len(data.train_x) < world:
        raise ConfigError([("dataset", f"the training split has {len(data.train_x)} samples, fewer than the "
                                       f"{world} ranks; use a larger dataset or fewer ranks")])
    torch.manual_seed(config.seed)
    spec = model_spec(config, data)
    model = spec.build()
    if resume is not None:
        resume.load_into(model)  # a CheckpointError when the data has changed shape (a new image class)
    if ranks.distributed:  # the same weights everywhere, but each rank its own dropout
        torch.manual_seed(rank_seed(config.seed, ranks.rank))
    memory_format = torch.channels_last if config.channels_last and is_conv_net(model) else torch.contiguous_format
    model = model.to(device, memory_format=memory_format)

    def split(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return _to_device(x, device, memory_format), _to_device(y, device, torch.contiguous_format)

    batches = spec.kind.batches(config, spec, *split(data.train_x, data.train_y))
    # full batches only, as the references do; one step takes a batch on every rank
    steps_per_epoch = max(1, len(batches) // (config.batch_size * world))
    total_steps = steps_per_epoch * config.epochs
    generator = torch.Generator(device=device).manual_seed(config.seed + (resume.epoch if resume else 0))
    context = TaskContext(config, spec, device, total_steps, memory_format, _amp_dtype(config, device), generator,
                          ranks, lr_scale(config.lr_scaling, world))
    task = build_task(context, model)
    if resume is not None and resume.optimizer_states:
        _load_optimizers(task, resume)
    for name, value in (resume.knobs if resume is not None else {}).items():
        task.apply_knob(name, value)  # where the live knobs were when the checkpoint was taken
    val = split(data.val_x, data.val_y) if data.val_x is not None else None
    return PreparedRun(config, device, data, spec, task, batches, steps_per_epoch, total_steps, generator,
                       split(data.test_x, data.test_y), val, ranks=ranks)


def _load_optimizers(task: TrainingTask, resume: Checkpoint) -> None:
    try:
        task.load_state({}, resume.optimizer_states, resume.config)
    except (ValueError, KeyError, TypeError, RuntimeError, IndexError, AttributeError) as e:
        raise CheckpointError(f"{resume.source or 'the checkpoint'}: its optimizer state does not fit this run "
                              f"({e}); resume with the settings it was trained with, or start a new run") from None


def _to_device(t: torch.Tensor, device: torch.device, memory_format: torch.memory_format) -> torch.Tensor:
    if device.type == "cuda":
        t = t.pin_memory()
    t = t.to(device, non_blocking=True)
    return t.contiguous(memory_format=memory_format) if t.dim() == 4 else t


def _amp_dtype(config: TrainConfig, device: torch.device) -> torch.dtype | None:
    """CUDA: bf16 where the GPU supports it, else fp16. The CPU: fp32, or bf16 with cpu_amp on a CPU that
    computes bf16 natively (AVX512-BF16 or AMX: 1.4-1.7x faster steps here); elsewhere it would be slower."""
    if device.type == "cuda":
        return (torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16) if config.amp else None
    if device.type == "cpu" and config.cpu_amp and cpu_has_bf16():
        return torch.bfloat16
    return None


def cpu_has_bf16() -> bool:
    """Whether this CPU multiplies bf16 in hardware (oneDNN then uses it)."""
    return bool(getattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)()
                or getattr(torch.cpu, "_is_amx_tile_supported", lambda: False)())
