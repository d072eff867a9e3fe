"""What every exported model shares: 0..1 images in (the dataset's normalisation inside), any batch size, the
class names beside it, and a check against the original model on a batch."""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections.abc import Iterator
from pathlib import Path

import torch
from torch import nn

from playground.core.checkpoint import Checkpoint
from playground.core.data.inputs import TEXT
from playground.core.errors import ExportError
from playground.core.models.spec import ModelSpec
from playground.core.store.folder import temporary_beside

TOLERANCE = 1e-4  # largest difference allowed between an export's outputs and the model's
CHECK_BATCH = 5  # the check's batch differs in size from the example's: the batch dimension must be free
EXAMPLE_BATCH = 3  # not 1: an export would take a size of 1 as fixed
MAX_BATCH = 1 << 20


class NormalisedModel(nn.Module):
    """The model with the dataset's standardisation as its first step: it takes images with intensities in 0..1
    (N x C x H x W), or the raw inputs of a dataset that has no normalisation (points, sequences)."""

    def __init__(self, model: nn.Module, spec: ModelSpec):
        super().__init__()
        self.model = model
        self.normalises = takes_images(spec)
        if self.normalises:
            self.register_buffer("mean", torch.tensor(spec.mean, dtype=torch.float32).view(1, -1, 1, 1))
            self.register_buffer("std", torch.tensor(spec.std, dtype=torch.float32).view(1, -1, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.normalises:
            x = (x - self.mean) / self.std
        return self.model(x)


def takes_images(spec: ModelSpec) -> bool:
    return len(spec.input_shape) == 3 and len(spec.mean) == spec.input_shape[0]


def exportable_model(ckpt: Checkpoint, fmt: str) -> NormalisedModel:
    """The checkpoint's model wrapped for export, on the CPU in eval mode; refuses what its kind cannot export."""
    ckpt.spec.kind.check_export(fmt)
    return NormalisedModel(ckpt.build_model(), ckpt.spec).eval()


def takes_text(spec: ModelSpec) -> bool:
    return spec.inputs == TEXT


def example_batch(spec: ModelSpec, n: int = EXAMPLE_BATCH, seed: int = 0) -> torch.Tensor:
    """Inputs of the kind the exported model takes: 0..1 images, character ids, else standard normal values."""
    g = torch.Generator().manual_seed(seed)
    shape = (n, *spec.input_shape)
    if takes_text(spec):
        return torch.randint(spec.num_outputs, shape, generator=g)
    return torch.rand(shape, generator=g) if takes_images(spec) else torch.randn(shape, generator=g)


@torch.inference_mode()
def reference_outputs(model: NormalisedModel, spec: ModelSpec, x: torch.Tensor) -> torch.Tensor:
    """What the trained model answers for 0..1 inputs, normalised as in training (not by the wrapper)."""
    if takes_images(spec):
        mean = torch.tensor(spec.mean).view(1, -1, 1, 1)
        std = torch.tensor(spec.std).view(1, -1, 1, 1)
        x = (x - mean) / std
    return model.model(x)


def check_close(expected: torch.Tensor, actual: torch.Tensor, what: str) -> float:
    """The largest difference; an ExportError when the export's outputs do not match the model's."""
    actual = torch.as_tensor(actual, dtype=expected.dtype)
    if actual.shape != expected.shape:
        raise ExportError(f"the {what} gives outputs of shape {tuple(actual.shape)}, the model "
                          f"{tuple(expected.shape)}; this is a bug in playground, please report it")
    difference = float((actual - expected).abs().max()) if expected.numel() else 0.0
    if not difference <= TOLERANCE or math.isnan(difference):
        raise ExportError(f"the {what} differs from the model by {difference:.3g} (more than {TOLERANCE:g}) on a "
                          "test batch; this is a bug in playground, please report it")
    return difference


def batch_dim() -> torch.export.Dim:
    return torch.export.Dim("batch", min=1, max=MAX_BATCH)


def metadata(ckpt: Checkpoint) -> dict[str, str]:
    """What travels with an exported model (string values: ONNX, safetensors and extra files take strings)."""
    spec = ckpt.spec
    images = takes_images(spec)
    layout = "N x " + " x ".join(map(str, spec.input_shape))
    inputs = f"images with intensities 0..1, {layout}" if images else f"raw inputs, {layout}"
    if takes_text(spec):
        inputs = f"character ids (int64, indices into class_names), N x T with T at most {spec.input_shape[0]}"
    return {
        "class_names": json.dumps(list(spec.labels())) if spec.kind.names_outputs else "[]",
        "task": spec.task, "arch": spec.arch, "arch_options": json.dumps(spec.arch_options),
        "dataset": spec.dataset, "input_shape": json.dumps(list(spec.input_shape)), "input": inputs,
        "normalisation": json.dumps({"mean": list(spec.mean), "std": list(spec.std)}) if images else "{}",
        "output": spec.kind.output,
        "run_id": ckpt.run_id, "epoch": str(ckpt.epoch), "producer": "playground",
    }


@contextlib.contextmanager
def replaced(out: Path) -> Iterator[Path]:
    """A temporary path beside `out` to write to; it becomes `out` (os.replace) only if the block succeeds."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"cannot write into {out.parent}: {e.strerror or e}; choose another --out") from None
    tmp = temporary_beside(out)
    tmp = tmp.with_name(tmp.name + out.suffix)  # some writers go by the suffix
    try:
        yield tmp
        os.replace(tmp, out)
    except OSError as e:
        raise ExportError(f"cannot write {out}: {e.strerror or e}; free some disk space or choose another --out") \
            from None
    finally:
        tmp.unlink(missing_ok=True)
