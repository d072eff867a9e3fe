"""A torch.export program (.pt2), loaded with torch.export.load; the class names are one of its extra files."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import torch

from playground.core.checkpoint import Checkpoint
from playground.core.errors import ExportError
from playground.core.export.exported import (
    CHECK_BATCH,
    batch_dim,
    check_close,
    example_batch,
    exportable_model,
    metadata,
    reference_outputs,
    replaced,
)

METADATA_FILE = "playground.json"  # read it back: torch.export.load(path, extra_files={METADATA_FILE: ""})


def export_pt2(ckpt: Checkpoint, out: Path) -> float:
    model = exportable_model(ckpt, "pt2")
    try:
        with warnings.catch_warnings():  # torch.export warns about RNN weights it handles itself
            warnings.simplefilter("ignore")
            program = torch.export.export(model, (example_batch(ckpt.spec),), dynamic_shapes=({0: batch_dim()},))
    except Exception as e:  # every failure of the tracer means this model does not export
        raise ExportError(f"torch.export cannot trace this {ckpt.spec.arch} model "
                          f"({str(e).strip().splitlines()[0][:200]}); export it as safetensors instead") from None
    with replaced(out) as tmp:
        torch.export.save(program, tmp, extra_files={METADATA_FILE: json.dumps(metadata(ckpt))})
        return _check(tmp, model, ckpt)


def _check(path: Path, model: torch.nn.Module, ckpt: Checkpoint) -> float:
    extra = {METADATA_FILE: ""}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = torch.export.load(path, extra_files=extra)
    if json.loads(extra[METADATA_FILE]).get("class_names") is None:
        raise ExportError(f"{path} lost its class names; this is a bug in playground, please report it")
    x = example_batch(ckpt.spec, CHECK_BATCH, seed=1)
    with torch.inference_mode():
        outputs = loaded.module()(x)
    return check_close(reference_outputs(model, ckpt.spec, x), outputs, "torch.export program")
