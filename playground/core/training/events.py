"""Small immutable events the Trainer reports: numbers and strings, never live tensors.

Losses and metrics are named, as the run's task reports them ("loss" for a classifier; "g_loss" and "d_loss"
for a GAN; "loss", "recon" and "kl" for a VAE), so that plots and files show whatever a task measures.
Every event carries the id of its run ("" for a run that is not in the run store).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from playground.core.models.spec import ModelSpec


class Event:
    """What every event the Trainer reports has: the Callback method it is delivered to (`on_event` dispatches
    by it) and whether a record of the run keeps each one (a history) or only the latest."""

    hook: ClassVar[str] = ""
    kept: ClassVar[bool] = False


@dataclass(frozen=True)
class LoadProgress(Event):
    hook = "on_load_progress"

    message: str
    done: int
    total: int  # 0 = unknown
    run_id: str = ""


@dataclass(frozen=True)
class Scale:
    """How a run is spread over ranks (torchrun): one process is a world of 1."""

    world_size: int = 1
    batch_size: int = 0  # per rank
    effective_batch_size: int = 0  # batch_size x world_size: the samples of one optimizer step
    lr_scaling: str = "none"
    lr_factor: float = 1.0  # on every optimizer's learning rate, from lr_scaling
    backend: str = ""  # "gloo" or "nccl"; "" for one process


@dataclass(frozen=True)
class RunStarted(Event):
    hook = "on_start"

    config: dict[str, Any]
    device: str
    num_params: int
    train_size: int
    test_size: int
    steps_per_epoch: int
    total_steps: int
    start_epoch: int  # epochs already done (resume)
    spec: ModelSpec
    loss_names: tuple[str, ...] = ("loss",)  # the keys of StepEvent.losses, the first being the main one
    run_id: str = ""
    folder: str = ""  # the run's folder, where it has one
    scale: Scale = field(default_factory=Scale)
    unit: str = "samples"  # what samples_per_s counts: samples, or characters of text

    @property
    def input_shape(self) -> tuple[int, ...]:
        return self.spec.input_shape

    @property
    def class_names(self) -> tuple[str, ...]:
        return self.spec.class_names

    @property
    def task(self) -> str:
        return self.spec.task


@dataclass(frozen=True)
class StepEvent(Event):
    """The steps since the previous event: each named loss once per step, read from the device in one go."""
    hook = "on_step"

    epoch: int  # 1-based
    step: int  # global step of the last loss, 1-based
    total_steps: int
    losses: dict[str, tuple[float, ...]]
    lrs: dict[str, float]  # each optimizer's learning rate ("lr" when there is one)
    samples_per_s: float
    elapsed_s: float
    remaining_s: float
    run_id: str = ""

    @property
    def main_losses(self) -> tuple[float, ...]:
        return next(iter(self.losses.values()), ())

    @property
    def count(self) -> int:
        return len(self.main_losses)

    @property
    def lr(self) -> float:
        return next(iter(self.lrs.values()), float("nan"))


@dataclass(frozen=True)
class EpochMetrics(Event):
    """The figures of one epoch: `values` holds train_<loss> for each loss of the task, train_accuracy, and
    test_/val_ versions of what the task's evaluation measures (test_loss, test_accuracy, test_kl...)."""
    hook = "on_epoch_end"
    kept = True

    epoch: int
    values: dict[str, float | None]
    lrs: dict[str, float]
    seconds: float
    samples_per_s: float  # of the whole run: every rank's samples together
    run_id: str = ""
    knob_changes: tuple[KnobChange, ...] = ()  # made during this epoch
    world_size: int = 1

    @property
    def samples_per_s_per_rank(self) -> float:
        """Each rank's throughput; DDP keeps the ranks in step, so they share one rate."""
        return self.samples_per_s / self.world_size

    def get(self, name: str) -> float | None:
        return self.values.get(name)

    @property
    def train_loss(self) -> float | None:
        return self.values.get("train_loss")

    @property
    def train_accuracy(self) -> float | None:
        return self.values.get("train_accuracy")

    @property
    def test_loss(self) -> float | None:
        return self.values.get("test_loss")

    @property
    def test_accuracy(self) -> float | None:
        return self.values.get("test_accuracy")

    @property
    def val_loss(self) -> float | None:
        return self.values.get("val_loss")

    @property
    def val_accuracy(self) -> float | None:
        return self.values.get("val_accuracy")

    @property
    def lr(self) -> float:
        return next(iter(self.lrs.values()), float("nan"))

    def to_dict(self) -> dict[str, Any]:
        """One flat JSON object, as metrics.jsonl stores it: epoch, the values, lr (lr_<name> for several);
        a run over several ranks adds world_size and samples_per_s_per_rank."""
        rates = {"lr": self.lr} if list(self.lrs) == ["lr"] else {f"lr_{k}": v for k, v in self.lrs.items()}
        ranks = {"world_size": self.world_size, "samples_per_s_per_rank": self.samples_per_s_per_rank}
        knobs = {"knob_changes": [k.to_dict() for k in self.knob_changes]} if self.knob_changes else {}
        return {"epoch": self.epoch, **self.values, **rates, "seconds": self.seconds,
                "samples_per_s": self.samples_per_s, **knobs, **(ranks if self.world_size > 1 else {})}

    @classmethod
    def from_dict(cls, d: dict[str, Any], run_id: str = "") -> EpochMetrics:
        own = ("epoch", "seconds", "samples_per_s", "knob_changes", "world_size", "samples_per_s_per_rank")
        rest = {k: v for k, v in d.items() if k not in own}
        lrs = {("lr" if k == "lr" else k.removeprefix("lr_")): v for k, v in rest.items()
               if k == "lr" or k.startswith("lr_")}
        values = {k: v for k, v in rest.items() if k != "lr" and not k.startswith("lr_")}
        knobs = tuple(KnobChange(**k, run_id=run_id) for k in d.get("knob_changes", ()))
        return cls(int(d["epoch"]), values, lrs, float(d.get("seconds", 0.0)), float(d.get("samples_per_s", 0.0)),
                   run_id, knobs, int(d.get("world_size", 1)))


@dataclass(frozen=True)
class WeightsSnapshot(Event):
    """Copies of the model's weights (CPU tensors no one else holds), taken between steps.

    `states` maps each of the task's modules ("model", or "generator" and "discriminator") to its state_dict.
    """
    hook = "on_weights"

    spec: ModelSpec
    states: dict[str, dict[str, Any]]
    step: int
    run_id: str = ""


@dataclass(frozen=True)
class KnobChange(Event):
    """A hyperparameter changed while the run trained: it applies from `step` + 1 on."""
    hook = "on_knob"
    kept = True


    step: int
    name: str
    old: float
    new: float
    network: str = ""
    run_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "name": self.name, "old": self.old, "new": self.new, "network": self.network}


@dataclass(frozen=True)
class EvaluationEvent(Event):
    """A classifier's answer for every test sample at an epoch's end: what the confusion matrix and the gallery
    of mistakes show. The arrays are numpy, in test-split order; the counted accuracy is (true == predicted)."""
    hook = "on_evaluation"

    epoch: int
    true: Any  # int64 N
    predicted: Any  # int64 N
    probability: Any  # float32 N: the model's probability for its predicted class
    class_names: tuple[str, ...]
    dataset: str
    run_id: str = ""


@dataclass(frozen=True)
class LayerHealth(Event):
    """Per layer (a weight tensor), the norm of its gradient at the last step and of the weight itself."""
    hook = "on_layer_health"


    step: int
    layers: tuple[str, ...]
    grad_norms: tuple[float, ...]
    weight_norms: tuple[float, ...]
    run_id: str = ""


@dataclass(frozen=True)
class SamplesEvent(Event):
    """What the model makes at the end of an epoch: a generative model's drawings from its fixed latent vectors
    (images), or a language model's continuation of a fixed prompt (text)."""
    hook = "on_samples"

    epoch: int
    images: Any = None  # uint8 numpy array, N x H x W (white ink on black)
    run_id: str = ""
    text: str = ""  # the prompt and what the model wrote after it
    prompt: str = ""


@dataclass(frozen=True)
class RunNotice(Event):
    """Something the user should know while the run goes on (a GAN whose discriminator has won, say)."""
    hook = "on_notice"
    kept = True

    message: str
    step: int
    kind: str = "warning"
    run_id: str = ""


@dataclass(frozen=True)
class RunFinished(Event):
    hook = "on_finished"

    reason: str  # "completed", "stopped" or "interrupted" (a signal, or the app closing)
    epochs_done: int
    seconds: float
    metrics: tuple[EpochMetrics, ...] = field(default_factory=tuple)
    run_id: str = ""
    steps_done: int = 0


@dataclass(frozen=True)
class RunFailed(Event):
    hook = "on_failed"

    message: str  # names the problem and the fix
    kind: str  # "config", "dataset", "incompatible", "nan", "oom", "checkpoint", "internal"
    metrics: tuple[EpochMetrics, ...] = field(default_factory=tuple)
    details: str = ""  # a traceback for internal errors
    run_id: str = ""
