"""A learning rate given on resume is applied, not overwritten by the saved optimizer state, and the schedule
goes on from where it was, scaled to the new rate."""

from __future__ import annotations

import pytest
import torch

from playground.core.optimizer_settings import OptimizerSettings
from playground.core.training.optimization import Optimization

TOTAL, EPOCHS, DONE = 40, 4, 20


def _stepped(settings: OptimizerSettings, steps: int) -> Optimization:
    params = [torch.nn.Parameter(torch.linspace(-1, 1, 3))]
    optimization = Optimization(settings, params, TOTAL, EPOCHS)
    for _ in range(steps):
        optimization.step((params[0] ** 2).sum())
    return optimization


@pytest.mark.parametrize("schedule", ["none", "step", "cosine", "onecycle"])
def test_a_new_lr_on_resume_scales_the_rest_of_the_schedule(schedule):
    old = OptimizerSettings(lr=0.01, schedule=schedule, step_epochs=1)
    new = OptimizerSettings(lr=0.02, schedule=schedule, step_epochs=1)
    saved = _stepped(old, DONE).state_dict()
    resumed = _stepped(new, 0)
    resumed.load_state_dict(saved)
    reference = _stepped(new, DONE)  # a run at the new rate from the start, at the same step
    assert resumed.lr == pytest.approx(reference.lr, rel=1e-12)
    for _ in range(TOTAL - DONE - 1):
        resumed.step((resumed.params[0] ** 2).sum())
        reference.step((reference.params[0] ** 2).sum())
        assert resumed.lr == pytest.approx(reference.lr, rel=1e-9)


def test_the_same_lr_on_resume_keeps_the_saved_state_exactly():
    settings = OptimizerSettings(lr=0.01, schedule="onecycle")
    run = _stepped(settings, DONE)
    resumed = _stepped(settings, 0)
    resumed.load_state_dict(run.state_dict())
    assert resumed.optimizer.param_groups[0]["lr"] == run.optimizer.param_groups[0]["lr"]
    assert resumed.optimizer.param_groups[0]["max_lr"] == 0.01


def test_a_new_weight_decay_on_resume_is_applied():
    saved = _stepped(OptimizerSettings(weight_decay=0.0), 3).state_dict()
    resumed = _stepped(OptimizerSettings(weight_decay=0.01), 0)
    resumed.load_state_dict(saved)
    assert resumed.optimizer.param_groups[0]["weight_decay"] == 0.01
