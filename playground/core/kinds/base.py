"""A kind of model as one plug-in (after Lightning's LightningModule and napari's plugin manifests): what it
learns from, how it trains (its task), how its batches are drawn, what it makes (samples), which views apply
to it, what `playground generate` does with it and which checkpoints and exports it takes.

Everything else asks the kind (`playground.core.kinds.kind_named(spec.task)`); nothing outside a kind's module
tests a kind's name. A kind's module imports no torch at module level: the window reads the kinds before torch
has loaded (the methods that build tasks and batches import it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from playground.core.errors import CheckpointError, ExportError

if TYPE_CHECKING:
    from playground.core.checkpoint import Checkpoint
    from playground.core.config import TrainConfig
    from playground.core.data.splits import DataSplits
    from playground.core.models.spec import ModelSpec


@dataclass(frozen=True)
class EpochScore:
    """The figure plotted per epoch beside the loss: a classifier's accuracy, a regression's R², ..."""

    title: str  # the plot's title
    axis: str  # its y axis
    metric: str  # the EpochMetrics name after the split prefix: "accuracy" for train_accuracy, test_accuracy
    percent: bool = False  # shown times 100
    higher_is_better: bool | None = True  # the best epoch is starred; None: no epoch is best
    splits: tuple[str, ...] = ("train", "test", "val")  # whichever of these the epochs report
    also: tuple[tuple[str, str], ...] = ()  # further (metric key, legend label) curves on the same plot
    held_label: str = ""  # the legend's name of the held-out curve ("" = test, or validation)


@dataclass(frozen=True)
class GenerateRequest:
    """What `playground generate` asks of a checkpoint (the kind uses what applies to it)."""

    count: int = 16
    seed: int = 0
    out: str = ""  # a folder for images
    prompt: str = ""
    length: int = 500
    temperature: float = 0.8
    top_k: int = 0


class ModelKind:
    """Subclasses set the class attributes and override the methods that differ from a classifier's."""

    name = ""  # what a ModelSpec records as its task
    title = ""  # how messages name a model of this kind: "a classifier"
    does = ""  # what it does, for messages: "predicts a number, not a class"
    views: frozenset[str] = frozenset()  # the docks (by name) that show something of this kind
    samples = ""  # what its SamplesEvents carry: "images", "text" or nothing
    drawing = ""  # what the Draw panel does with a drawing: "classify", "reconstruct", or "" (it cannot)
    score: EpochScore | None = None
    exports: tuple[str, ...] = ("onnx", "pt2", "safetensors", "toml", "script")
    # for the views it has nothing to show in: why, and where to look instead (by dock name; "" for any other)
    notes: dict[str, str] = {}
    output = "class scores (logits), N x classes"  # what an exported model answers
    names_outputs = True  # its class names (a language model: its vocabulary) name its outputs
    classifies = False  # learns a class per input: accuracy, confusion matrices

    def note(self, view: str) -> str:
        """Why `view` shows nothing of a model of this kind, and where to look instead."""
        return self.notes.get(view) or self.notes.get("") or f"{self.title} has nothing to show in this view"

    # -- training ---------------------------------------------------------------------------------------------
    def build_task(self, context: Any, model: Any) -> Any:
        """The TrainingTask of a run of this kind, around its model (on the device)."""
        raise NotImplementedError

    def input_shape(self, config: TrainConfig, data: DataSplits) -> tuple[int, ...]:
        """The shape of one input of the model (what ModelSpec records)."""
        return data.input_shape

    def planned_input(self, config: TrainConfig) -> tuple[int, ...]:
        """The shape of one input of a run of this config, known before its data loads (the summary's)."""
        from playground.core.data.catalogue import DATASET_CATALOGUE

        return DATASET_CATALOGUE[config.dataset].shape_for(config.dataset_options)

    def batches(self, config: TrainConfig, spec: ModelSpec, x: Any, y: Any) -> Any:
        """How batches are drawn from the training split (already on the device)."""
        from playground.core.training.batches import SampleBatches

        return SampleBatches(x, y)

    def config_problems(self, config: TrainConfig) -> list[tuple[str, str]]:
        """What keeps a run of this config from training as this kind, as (setting, message) pairs."""
        return []

    def final_figure(self, values: dict[str, Any]) -> str:
        """The last line of `playground train`, which scripts parse: key=value pairs."""
        return f"test_loss={values.get('test_loss', float('nan')):.4f}"

    # -- what the app shows -----------------------------------------------------------------------------------
    def front_view(self, spec: ModelSpec, opened: bool = False) -> str:
        """The dock brought forward when a run of this kind starts, or (opened) such a model is opened from a
        file; "" leaves the view in front where it is."""
        return ""

    def boundary(self, spec: ModelSpec) -> str:
        """What the Boundary view draws of such a model: "regions", "curve", or "" (nothing)."""
        return ""

    def drawing_problem(self, spec: ModelSpec, name: str) -> str | None:
        """Why the Draw panel cannot feed a drawing to this model, or None."""
        return f"{name} is {self.title}; the Draw panel reads digits with classifiers"

    # -- checkpoints ----------------------------------------------------------------------------------------
    def generate(self, ckpt: Checkpoint, request: GenerateRequest) -> str:
        """Do what `playground generate` does with such a checkpoint; returns what to print."""
        raise CheckpointError(f"{_named(ckpt)} holds {self.title} ({ckpt.spec.arch} on "
                              f"{ckpt.spec.dataset or 'its dataset'}): it reads inputs, it does not make them. "
                              "generate needs a GAN, a VAE or a language model, e.g. from playground train "
                              "--arch gpt --dataset shakespeare")

    def export_problem(self, fmt: str) -> str | None:
        if fmt in self.exports:
            return None
        return (f"{self.title} cannot be exported as {fmt}: {', '.join(self.exports)} are the formats for it")

    def check_export(self, fmt: str) -> None:
        if (problem := self.export_problem(fmt)) is not None:
            raise ExportError(problem)


def _named(ckpt: Checkpoint) -> str:
    from pathlib import Path

    return Path(ckpt.source).name if ckpt.source else "the checkpoint"
