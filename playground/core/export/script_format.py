"""A run as a standalone PyTorch training script: torch and torchvision only, readable top to bottom, the
same architecture, data and hyperparameters. `python SCRIPT --data-dir DIR --epochs N`; its last line is
`test_accuracy=<float>` (a regression: `test_loss=<float>`). A language model's script reads a text file
(script_text.py)."""

from __future__ import annotations

import types
from pathlib import Path

import torch

from playground.core.checkpoint import Checkpoint
from playground.core.config import TrainConfig
from playground.core.data.inputs import TEXT
from playground.core.errors import ExportError
from playground.core.export.exported import (
    NormalisedModel,
    check_close,
    example_batch,
    reference_outputs,
    replaced,
)
from playground.core.export.script_data import data_source
from playground.core.export.script_models import model_source
from playground.core.export.script_text import DATA, run_text_file, text_header, text_training_source
from playground.core.export.script_training import optimizer_source, schedule_source, training_source
from playground.core.models.spec import ModelSpec


def export_script(ckpt: Checkpoint, out: Path) -> float:
    """Write the script, after checking that its model is the run's (the run's weights load into it and answer
    alike); returns the largest difference of their answers."""
    ckpt.spec.kind.check_export("script")
    source = script_source(ckpt.config, ckpt.spec, ckpt.run_id)
    difference = _check(source, ckpt)
    with replaced(out) as tmp:
        tmp.write_text(source, encoding="utf-8")
    out.chmod(out.stat().st_mode | 0o111)  # runs as ./train.py too
    return difference


def script_source(config: TrainConfig, spec: ModelSpec, run_id: str = "") -> str:
    if spec.inputs == TEXT:
        return _sections(text_header(config, spec, run_id, run_text_file(config)), {
            "The data": [DATA], "The model": [model_source(spec)],
            "Training": [optimizer_source(config), schedule_source(config), text_training_source(config)]})
    classification = spec.kind.classifies
    header = f'''#!/usr/bin/env python3
"""Train {spec.arch} on {config.dataset} with the settings of playground run {run_id or "(unrecorded)"}.

A standalone script exported by `playground export RUN --format script`; it needs only torch and torchvision
and trains the same architecture on the same data with the same hyperparameters:

    python THIS_SCRIPT.py --data-dir DATA --epochs {config.epochs}

It prints one line per epoch and, last, {"test_accuracy=<float>" if classification else "test_loss=<float>"}.
"""

import argparse
import math

import torch
import torch.nn.functional as F
from torch import nn

# The run's settings
EPOCHS = {config.epochs}
BATCH_SIZE = {config.batch_size}
EVAL_BATCH_SIZE = {max(config.eval_batch_size, config.batch_size)}
LR = {config.lr!r}
SEED = {config.seed}
VAL_FRACTION = {config.val_fraction!r}  # held out of the training split (not trained on)
LABEL_SMOOTHING = {config.label_smoothing!r}
L1 = {config.l1!r}
CLASSIFICATION = {classification}
INPUT_SHAPE = {tuple(spec.input_shape)!r}
NUM_OUTPUTS = {spec.num_outputs}
CLASS_NAMES = {list(spec.labels()) if classification else []!r}
MEAN, STD = {tuple(spec.mean)!r}, {tuple(spec.std)!r}  # the training images' statistics
'''
    return _sections(header, {
        "The data": [data_source(config, spec)], "The model": [model_source(spec)],
        "Training": [optimizer_source(config), schedule_source(config), training_source(config)]})


def _sections(header: str, sections: dict[str, list[str]]) -> str:
    body = "\n\n".join(f"# {title}\n" + "\n\n\n".join(p.strip() for p in parts) + "\n"
                       for title, parts in sections.items())
    return header + "\n\n" + body


def load_script(source: str, name: str = "exported_script") -> types.ModuleType:
    """The script as a module (its main() does not run): what the check and the tests look inside."""
    module = types.ModuleType(name)
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)  # noqa: S102 - our own generated source
    return module


def _check(source: str, ckpt: Checkpoint) -> float:
    try:
        module = load_script(source)
        model = module.build_model()
        model.load_state_dict(ckpt.build_model().state_dict(), strict=True)
    except Exception as e:  # a script that does not build the run's model must never be written
        raise ExportError(f"the exported script does not build the run's {ckpt.spec.arch} model ({e}); this is a "
                          "bug in playground, please report it") from None
    original = NormalisedModel(ckpt.build_model(), ckpt.spec).eval()
    x = example_batch(ckpt.spec, 4, seed=2)
    expected = reference_outputs(original, ckpt.spec, x)
    with torch.inference_mode():
        got = NormalisedModel(model, ckpt.spec).eval()(x)
    return check_close(expected, got, "exported script's model")
