"""Checkpoints: one file with the config, the model's identity, the weights of each of its networks, their
optimizer and schedule states, and the metrics so far.

Written to a temporary file in the same folder and then os.replace'd, so a crash never leaves half a file;
read with torch.load(weights_only=True), so a checkpoint cannot run code. Format 1 (one model, one optimizer:
the bundled model's) still opens.
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
from playground.core.errors import CheckpointError, ConfigError, PlaygroundError
from playground.core.models.meta_build import meta_build
from playground.core.models.spec import ModelSpec

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)


@dataclass
class Checkpoint:
    config: TrainConfig
    spec: ModelSpec
    model_states: dict[str, dict[str, torch.Tensor]]  # "model", or each network ("generator", ...)
    optimizer_states: dict[str, dict[str, Any]] | None = None  # per network: {"optimizer": ..., "schedule": ...}
    epoch: int = 0  # epochs completed
    metrics: list[dict[str, Any]] = field(default_factory=list)
    step: int = 0  # training steps done
    run_id: str = ""
    # where a run stopped inside an epoch, to go on from that very step: the step within the epoch, the loss
    # sums so far, and the random number generators' states (see training.loop.EpochLoop.partial_state)
    resume_state: dict[str, Any] | None = None
    knobs: dict[str, float] = field(default_factory=dict)  # live knobs the optimizer state lacks (l1, dropout)

    source: str = ""  # the file it was read from, for messages

    def build_model(self) -> nn.Module:
        """A model with these weights, in eval mode, on the CPU; raises CheckpointError when they do not fit.

        The model is first built on the meta device (no memory) and its shapes compared with the file's, so
        that a damaged or doctored spec (a hidden layer of a billion units) never allocates anything."""
        with meta_build():
            shell = self._build_spec()
        self._check_fits(shell)
        model = self._build_spec()
        self.load_into(model)
        return model.eval()

    def load_into(self, model: nn.Module) -> None:
        """Copy the weights into `model` (built from this spec, or from the config of a resumed run)."""
        self._check_fits(model)
        try:
            load_states(model, self.model_states)
        except (RuntimeError, KeyError, AttributeError, TypeError, ValueError) as e:
            raise self._error(f"its weights do not fit {self.spec.arch}: {_first_line(e)}") from None

    def _build_spec(self) -> nn.Module:
        try:
            return self.spec.build()
        except PlaygroundError as e:
            raise self._error(f"the model it describes cannot be built: {e}") from None
        except (KeyError, TypeError, ValueError, RuntimeError, OverflowError, IndexError) as e:
            raise self._error(f"the model it describes cannot be built ({_first_line(e)})") from None

    def _check_fits(self, model: nn.Module) -> None:
        """Every network's weights have the names and shapes of the model's: nothing is copied otherwise."""
        if not self.model_states:
            raise self._error("it holds no weights")
        for name, state in self.model_states.items():
            module = model if name == "model" else getattr(model, name, None)
            if not isinstance(module, nn.Module):
                raise self._error(f"{self.spec.arch} has no network {name!r}")
            want = {k: tuple(v.shape) for k, v in module.state_dict().items()}
            have = {k: tuple(v.shape) if isinstance(v, torch.Tensor) else None for k, v in state.items()}
            if want != have:
                wrong = sorted(set(want) ^ set(have)) or [k for k in want if want[k] != have[k]]
                raise self._error(f"its weights do not fit {self.spec.arch} with {self.spec.input_shape} inputs "
                                  f"and {self.spec.num_outputs} outputs (first difference: {wrong[0]})")

    def _error(self, problem: str) -> CheckpointError:
        return CheckpointError(f"{self.source or 'the checkpoint'}: {problem}; train again or pick another file")

    @property
    def state_dict(self) -> dict[str, torch.Tensor]:
        """The weights of a one-network model."""
        return self.model_states["model"]


def load_states(model: nn.Module, states: dict[str, dict[str, Any]]) -> None:
    """Weights by network: "model" is the whole model, any other name one of its sub-modules."""
    for name, state in states.items():
        (model if name == "model" else getattr(model, name)).load_state_dict(state)


def save_checkpoint(path: str | os.PathLike, ckpt: Checkpoint) -> None:
    """Write atomically; raises PlaygroundError naming the folder when it cannot (the old file stays whole)."""
    path = Path(path)
    payload = {
        "format_version": FORMAT_VERSION, "config": ckpt.config.to_dict(), "model": ckpt.spec.to_dict(),
        "model_states": ckpt.model_states, "optimizer_states": ckpt.optimizer_states, "epoch": ckpt.epoch,
        "metrics": ckpt.metrics, "step": ckpt.step, "run_id": ckpt.run_id, "resume_state": ckpt.resume_state,
        "knobs": ckpt.knobs,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise PlaygroundError(f"cannot write the checkpoint into {path.parent}: {e.strerror or e}; "
                              "choose a folder you can write to") from None
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(payload, f)
        os.replace(tmp, path)
    except (OSError, RuntimeError) as e:  # a full disk, a file too large, a folder gone: the old one stays intact
        Path(tmp).unlink(missing_ok=True)
        cause = e if isinstance(e, OSError) else e.__context__  # torch's zip writer wraps the OSError
        if not isinstance(cause, OSError):
            raise
        raise PlaygroundError(f"cannot write the checkpoint {path}: {cause.strerror or cause}; free some disk "
                              "space or choose another folder (the previous checkpoint there is intact)") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_checkpoint(path: str | os.PathLike) -> Checkpoint:
    """Read a checkpoint; every failure is a CheckpointError that names the file and says what to do."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint {path} does not exist; check the path")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # a damaged file fails in many ways (IndexError, KeyError, ...); weights_only runs no code
        raise CheckpointError(f"{path} is not a readable playground checkpoint ({_first_line(e)}); it may be "
                              "truncated, from another program, or carry code, which is never run: train again "
                              "or pick another file") from None
    version = payload.get("format_version") if isinstance(payload, dict) else None
    if version not in READABLE_VERSIONS:
        raise CheckpointError(f"{path} is not a playground checkpoint of format {FORMAT_VERSION}; "
                              "open a model.pt written by playground")
    try:
        ckpt = _from_v1(payload) if version == 1 else _from_v2(payload)
    except (KeyError, TypeError, AttributeError, ValueError, OverflowError, IndexError) as e:
        raise CheckpointError(f"{path} lacks part of a checkpoint ({_first_line(e)}); "
                              "train again to write a new one") from None
    except ConfigError as e:
        raise CheckpointError(f"{path} holds settings this version cannot read ({e}); "
                              "train again to write a new one") from None
    if (problem := spec_problem(ckpt.spec)) is not None:
        raise CheckpointError(f"{path} describes a model this version cannot build ({problem}); "
                              "train again to write a new one")
    ckpt.source = str(path)
    return ckpt


def spec_problem(spec: ModelSpec) -> str | None:
    """What makes a checkpoint's model identity unusable (it came from a file: anything may be in it)."""
    from playground.core.models.catalogue import ARCH_CATALOGUE, option_problems

    if not isinstance(spec.arch, str) or spec.arch not in ARCH_CATALOGUE:
        return f"unknown architecture {spec.arch!r}"
    if not isinstance(spec.arch_options, dict):
        return "its architecture options are not a table"
    if problems := option_problems(spec.arch, spec.arch_options):
        return problems[0]
    if not spec.input_shape or not all(_is_count(n) and n > 0 for n in spec.input_shape) or \
            not _is_count(spec.num_outputs):
        return f"inputs of shape {spec.input_shape} with {spec.num_outputs!r} outputs"
    if not all(isinstance(n, str) for n in spec.class_names):
        return "class names that are not text"
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (*spec.mean, *spec.std)):
        return "a normalisation that is not numbers"
    from playground.core.kinds import KINDS

    if not isinstance(spec.task, str) or spec.task not in KINDS:
        return f"unknown task {spec.task!r}"
    if not isinstance(spec.inputs, str):
        return f"unknown inputs {spec.inputs!r}"
    return None


def _is_count(n: object) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= 0


def _from_v2(p: dict) -> Checkpoint:
    config = TrainConfig.from_dict(p["config"])
    states = p["model_states"]
    if not isinstance(states, dict) or not all(isinstance(s, dict) for s in states.values()):
        raise TypeError("model_states is not a table of weights")
    return Checkpoint(config, ModelSpec.from_dict(p["model"]), states,
                      p["optimizer_states"], int(p["epoch"]), list(p["metrics"]), int(p.get("step", 0)),
                      str(p.get("run_id", "")), p.get("resume_state"), dict(p.get("knobs") or {}))


def _from_v1(p: dict) -> Checkpoint:
    """Format 1: one model and one optimizer, the model's identity in top-level fields."""
    config = TrainConfig.from_dict(p["config"])
    spec = ModelSpec(config.arch, dict(config.arch_options), tuple(p["input_shape"]), p["num_outputs"],
                     tuple(p["class_names"]), tuple(p["mean"]), tuple(p["std"]), p["task"], config.dataset)
    optimizer = None
    if p["optimizer_state"] is not None:
        optimizer = {"model": {"optimizer": p["optimizer_state"], "schedule": p["schedule_state"]}}
    if not isinstance(p["state_dict"], dict):
        raise TypeError("state_dict is not a table of weights")
    return Checkpoint(config, spec, {"model": p["state_dict"]}, optimizer, int(p["epoch"]), list(p["metrics"]))


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
