"""Taking a run out of the playground: its model as ONNX or a torch.export program, its weights as
safetensors, its settings as TOML, or the whole recipe as a standalone training script.

Exported models take images with intensities 0..1 (the dataset's normalisation is inside them) in batches of
any size, and carry their class names. Every export is checked before `export_run` returns: the ONNX model
(with onnxruntime) and the program answer a batch as the model does within 1e-4, the weights load into a
fresh model, the settings read back, the script builds the run's very model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playground.core.checkpoint import Checkpoint, load_checkpoint
from playground.core.errors import ExportError

FORMATS = ("onnx", "pt2", "safetensors", "toml", "script")
_WHAT = {"onnx": "ONNX model", "pt2": "torch.export program", "safetensors": "weights (safetensors)",
         "toml": "settings (TOML)", "script": "training script"}
_CHECKED = {"onnx": "outputs match the model's (onnxruntime) within {d:.1e}",
            "pt2": "outputs match the model's within {d:.1e}", "safetensors": "weights load into a fresh model",
            "toml": "settings read back as the run's", "script": "builds the run's model (outputs within {d:.1e})"}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    max_difference: float  # between the export's outputs and the model's on a check batch (0 where none)

    def summary(self) -> str:
        checked = _CHECKED[self.format].format(d=self.max_difference)
        return f"Wrote the {_WHAT[self.format]} {self.path}; checked: {checked}"


def export_run(ref: str | Path, fmt: str, out: str | Path) -> ExportResult:
    """Export the run `ref` (an id, a name, a folder or a model.pt) in format `fmt` to the file `out`."""
    from playground.core.store import RunStore, resume_target

    with RunStore.open() as store:
        checkpoint = resume_target(ref, store).checkpoint
    return export_checkpoint(load_checkpoint(checkpoint), fmt, out)


def export_checkpoint(ckpt: Checkpoint, fmt: str, out: str | Path) -> ExportResult:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out).expanduser().absolute()
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give the file to write, such as {out / ('model.' + fmt)}")
    return ExportResult(out, fmt, _exporter(fmt)(ckpt, out))


def _exporter(fmt: str) -> Callable[[Checkpoint, Path], float]:
    """Each format's module loads only when used (onnx and safetensors are optional)."""
    if fmt == "onnx":
        from playground.core.export.onnx_format import export_onnx as exporter
    elif fmt == "pt2":
        from playground.core.export.pt2_format import export_pt2 as exporter
    elif fmt == "safetensors":
        from playground.core.export.weights_format import export_safetensors as exporter
    elif fmt == "toml":
        from playground.core.export.settings_format import export_toml as exporter
    else:
        from playground.core.export.script_format import export_script as exporter
    return exporter
