"""The weights alone, as safetensors (no code, no pickle), with the model's identity in the metadata."""

from __future__ import annotations

import json
from pathlib import Path

import torch

from playground.core.checkpoint import Checkpoint
from playground.core.errors import ExportError
from playground.core.export.exported import metadata, replaced
from playground.core.export.extras import require

SPEC_KEY = "model_spec"  # ModelSpec.to_dict() as JSON: ModelSpec.from_dict(...).build() takes these weights


def export_safetensors(ckpt: Checkpoint, out: Path) -> float:
    """Every network's weights under its name in the whole model (generator.net.0.weight, ...); returns 0."""
    require("safetensors")
    from safetensors.torch import save_file

    # copies: tied weights (a gpt reads and writes characters with one matrix) share memory, which safetensors
    # refuses; each name gets its own copy, and loading puts the same values back into the one tensor
    state = {k: v.detach().clone().contiguous() for k, v in ckpt.build_model().state_dict().items()}
    info = {**metadata(ckpt), SPEC_KEY: json.dumps(ckpt.spec.to_dict())}
    with replaced(out) as tmp:
        save_file(state, str(tmp), metadata=info)
        return _check(tmp, state)


def _check(path: Path, state: dict[str, torch.Tensor]) -> float:
    """The file's weights load into a fresh model of its spec and equal the checkpoint's."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    from playground.core.models.spec import ModelSpec

    with safe_open(str(path), framework="pt") as f:
        spec = ModelSpec.from_dict(json.loads(f.metadata()[SPEC_KEY]))
    loaded = load_file(str(path))
    spec.build().load_state_dict(loaded, strict=True)
    if loaded.keys() != state.keys() or not all(torch.equal(loaded[k], state[k]) for k in state):
        raise ExportError(f"the weights in {path} differ from the checkpoint's; this is a bug in playground, "
                          "please report it")
    return 0.0
