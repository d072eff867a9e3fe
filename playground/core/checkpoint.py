"""Checkpoints: one file with the config, the weights, the optimizer state and the metrics so far.

Written to a temporary file in the same folder and then os.replace'd, so a crash never leaves half a
file; read with torch.load(weights_only=True), so a checkpoint cannot run code.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from playground.core.config import TrainConfig
from playground.core.errors import CheckpointError, ConfigError
from playground.core.models.registry import build_model

FORMAT_VERSION = 1


@dataclass
class Checkpoint:
    config: TrainConfig
    state_dict: dict[str, torch.Tensor]
    input_shape: tuple[int, ...]
    num_outputs: int
    epoch: int = 0  # epochs completed
    metrics: list[dict[str, Any]] = field(default_factory=list)
    class_names: tuple[str, ...] = ()
    mean: tuple[float, ...] = ()
    std: tuple[float, ...] = ()
    task: str = "classification"
    optimizer_state: dict[str, Any] | None = None
    schedule_state: dict[str, Any] | None = None

    def build_model(self) -> nn.Module:
        """A model with these weights, in eval mode, on the CPU."""
        model = build_model(self.config.arch, self.input_shape, self.num_outputs, self.config.arch_options)
        try:
            model.load_state_dict(self.state_dict)
        except RuntimeError as e:
            raise CheckpointError(f"the checkpoint's weights do not fit {self.config.arch}: {e}") from None
        return model.eval()


def save_checkpoint(path: str | os.PathLike, ckpt: Checkpoint) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format_version": FORMAT_VERSION, "config": ckpt.config.to_dict(), "state_dict": ckpt.state_dict,
        "input_shape": list(ckpt.input_shape), "num_outputs": ckpt.num_outputs, "epoch": ckpt.epoch,
        "metrics": ckpt.metrics, "class_names": list(ckpt.class_names), "mean": list(ckpt.mean),
        "std": list(ckpt.std), "task": ckpt.task, "optimizer_state": ckpt.optimizer_state,
        "schedule_state": ckpt.schedule_state,
    }
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(payload, f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_checkpoint(path: str | os.PathLike) -> Checkpoint:
    """Read a checkpoint; every failure is a CheckpointError that says what to do."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint {path} does not exist; check the path")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # a damaged file fails in many ways (IndexError, KeyError, ...); weights_only runs no code
        raise CheckpointError(f"{path} is not a readable playground checkpoint ({_first_line(e)}); "
                              "it may be truncated or from another program: train again or pick another file") from None
    if not isinstance(payload, dict) or payload.get("format_version") != FORMAT_VERSION:
        raise CheckpointError(f"{path} is not a playground checkpoint of format {FORMAT_VERSION}; "
                              "open a model.pt written by playground")
    try:
        return Checkpoint(
            config=TrainConfig.from_dict(payload["config"]), state_dict=payload["state_dict"],
            input_shape=tuple(payload["input_shape"]), num_outputs=payload["num_outputs"],
            epoch=payload["epoch"], metrics=payload["metrics"], class_names=tuple(payload["class_names"]),
            mean=tuple(payload["mean"]), std=tuple(payload["std"]), task=payload["task"],
            optimizer_state=payload["optimizer_state"], schedule_state=payload["schedule_state"])
    except (KeyError, TypeError, AttributeError) as e:
        raise CheckpointError(f"{path} lacks part of a checkpoint ({e}); train again to write a new one") from None
    except ConfigError as e:
        raise CheckpointError(f"{path} holds settings this version cannot read ({e}); "
                              "train again to write a new one") from None


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
