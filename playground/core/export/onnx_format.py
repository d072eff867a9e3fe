"""ONNX, through torch's dynamo exporter (onnxscript), checked with onnxruntime."""

from __future__ import annotations

import contextlib
import io
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
from playground.core.export.extras import require

INPUT, OUTPUT = "input", "output"


def export_onnx(ckpt: Checkpoint, out: Path) -> float:
    """Write the model as ONNX with the class names in its metadata_props; returns the largest difference."""
    require("onnx", "onnxscript", "onnxruntime")
    model = exportable_model(ckpt, "onnx")
    try:
        with _quiet():
            program = torch.onnx.export(model, (example_batch(ckpt.spec),), dynamo=True, verbose=False,
                                        input_names=[INPUT], output_names=[OUTPUT],
                                        dynamic_shapes=({0: batch_dim()},))
    except Exception as e:  # the exporter fails in many ways; all of them mean this model does not convert
        raise ExportError(f"torch's ONNX exporter cannot convert this {ckpt.spec.arch} model "
                          f"({str(e).strip().splitlines()[0][:200]}); export it as pt2 or safetensors instead") \
            from None
    program.model.metadata_props.update(metadata(ckpt))
    with replaced(out) as tmp:
        program.save(str(tmp))
        return _check(tmp, model, ckpt)


def _check(path: Path, model: torch.nn.Module, ckpt: Checkpoint) -> float:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    x = example_batch(ckpt.spec, CHECK_BATCH, seed=1)
    (outputs,) = session.run([OUTPUT], {INPUT: x.numpy()})
    return check_close(reference_outputs(model, ckpt.spec, x), torch.from_numpy(outputs), "ONNX model")


@contextlib.contextmanager
def _quiet():
    """The exporter reports its progress and warns about what it handles itself (RNN weights); keep it quiet."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield
