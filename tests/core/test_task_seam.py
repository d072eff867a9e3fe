"""The training-task seam changed nothing for classifiers and regressors: the same losses, step for step.

tests/core/data/seam_reference_losses.json holds the losses and epoch metrics of the Trainer before the seam
(one torch thread, seed 0), recorded from the commit before it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playground.core.config import TrainConfig
from playground.core.training.callbacks import Callback
from playground.core.training.control import RunControl
from playground.core.training.trainer import Trainer

REFERENCE = json.loads((Path(__file__).parent / "data" / "seam_reference_losses.json").read_text())
STEPS_ON_MNIST = 30


class _Record(Callback):
    def __init__(self, control: RunControl, stop_after: int | None = None):
        self.control, self.stop_after = control, stop_after
        self.losses: list[float] = []
        self.epochs: list[dict] = []

    def on_step(self, e) -> None:
        self.losses += list(e.losses["loss"])
        if self.stop_after is not None and len(self.losses) >= self.stop_after:
            self.control.stop()

    def on_epoch_end(self, e) -> None:
        self.epochs.append(e.to_dict())


@pytest.mark.parametrize("name", list(REFERENCE))
def test_the_same_losses_as_before_the_seam(name, request):
    case = REFERENCE[name]
    if "mnist" in name:
        request.getfixturevalue("mnist_dir")
    control = RunControl()
    record = _Record(control, STEPS_ON_MNIST if "mnist" in name else None)
    Trainer(report_every_s=0).fit(TrainConfig(**case["config"]), record, control)
    n = len(case["losses"])
    assert record.losses[:n] == pytest.approx(case["losses"], rel=1e-5, abs=1e-7)
    for ours, theirs in zip(record.epochs, case["epochs"]):
        for key in ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "lr"):
            if theirs[key] is None:
                assert ours.get(key) is None
            else:
                assert ours[key] == pytest.approx(theirs[key], rel=1e-5, abs=1e-7), key
    assert len(record.epochs) == len(case["epochs"])
