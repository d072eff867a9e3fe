"""`playground export RUN --format F --out PATH`: a run's model, weights, settings or training script."""

from __future__ import annotations

import argparse
from typing import Any

FORMATS = ("onnx", "pt2", "safetensors", "toml", "script")
_FORMAT_HELP = ("onnx: an ONNX model (onnxruntime and others); pt2: a torch.export program (torch.export.load); "
                "safetensors: the weights alone; toml: the settings (playground train --config); script: a "
                "standalone PyTorch training script (torch and torchvision only)")


def add_export_parser(sub: Any) -> None:
    export = sub.add_parser("export", help="export a run's model, weights, settings or training script",
                            description="Export a run. Exported models take images with intensities 0..1 (the "
                            "dataset's normalisation is part of them) in batches of any size, and carry their "
                            "class names; each export is checked against the model on a batch.")
    export.add_argument("ref", metavar="RUN", help="a run's id, name or folder, or a model.pt")
    export.add_argument("--format", required=True, choices=FORMATS, help=_FORMAT_HELP)
    export.add_argument("--out", required=True, metavar="PATH", help="the file to write")
    export.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from playground.core.export import export_run

    result = export_run(args.ref, args.format, args.out)
    print(result.summary())
    return 0
