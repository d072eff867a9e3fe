"""Small immutable events the Trainer reports: numbers and strings, never live tensors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LoadProgress:
    message: str
    done: int
    total: int  # 0 = unknown


@dataclass(frozen=True)
class RunStarted:
    config: dict[str, Any]
    device: str
    num_params: int
    train_size: int
    test_size: int
    steps_per_epoch: int
    total_steps: int
    start_epoch: int  # epochs already done (resume)
    input_shape: tuple[int, ...]
    class_names: tuple[str, ...]
    task: str


@dataclass(frozen=True)
class StepEvent:
    """The steps since the previous event: one loss per step, read from the device in one go."""

    epoch: int  # 1-based
    step: int  # global step of the last loss, 1-based
    total_steps: int
    losses: tuple[float, ...]
    lr: float
    samples_per_s: float
    elapsed_s: float
    remaining_s: float


@dataclass(frozen=True)
class EpochMetrics:
    epoch: int
    train_loss: float
    train_accuracy: float | None
    test_loss: float
    test_accuracy: float | None  # None for regression
    lr: float
    seconds: float
    samples_per_s: float
    val_loss: float | None = None
    val_accuracy: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class WeightsSnapshot:
    """A copy of the model's weights (CPU tensors no one else holds), taken between steps."""

    arch: str
    arch_options: dict[str, Any]
    input_shape: tuple[int, ...]
    num_outputs: int
    state_dict: dict[str, Any]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    class_names: tuple[str, ...]
    step: int


@dataclass(frozen=True)
class RunFinished:
    reason: str  # "completed" or "stopped"
    epochs_done: int
    seconds: float
    metrics: tuple[EpochMetrics, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RunFailed:
    message: str  # names the problem and the fix
    kind: str  # "config", "dataset", "incompatible", "nan", "oom", "checkpoint", "internal"
    metrics: tuple[EpochMetrics, ...] = field(default_factory=tuple)
    details: str = ""  # a traceback for internal errors
