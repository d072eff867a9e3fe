"""Optimizers, model summaries and checkpoints without torch._dynamo's import (seconds on a slow machine)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from playground.core.optimizer_settings import OptimizerSettings
from playground.core.training.eager_optim import eager
from playground.core.training.setup import build_optimizer

NO_DYNAMO = """
import sys
import torch
from playground.core.optimizer_settings import OptimizerSettings
from playground.core.training.setup import build_optimizer
from playground.gui.settings.model_summary import summary_rows

for arch, shape, inputs in [("seed-cnn", (1, 28, 28), ""), ("gan", (1, 28, 28), ""), ("vit", (1, 28, 28), ""),
                            ("gpt", (32,), "text"), ("lstm", (32,), "text"), ("mlp", (2,), "")]:
    assert summary_rows(arch, {}, shape, 10, inputs), arch
model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(144, 2))
for kind in ("sgd", "adam", "adamw", "rmsprop", "adadelta"):
    optimizer = build_optimizer(OptimizerSettings(optimizer=kind, lr=0.01), list(model.parameters()))
    model(torch.randn(4, 1, 8, 8)).sum().backward()
    optimizer.step()
    optimizer.zero_grad()
    optimizer.load_state_dict(optimizer.state_dict())
print("torch._dynamo" in sys.modules)
"""


def test_optimizers_and_summaries_do_not_import_torch_dynamo():
    out = subprocess.run([sys.executable, "-c", NO_DYNAMO], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("cls, args", [(torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
                                       (torch.optim.Adam, {}), (torch.optim.AdamW, {"weight_decay": 0.1}),
                                       (torch.optim.RMSprop, {"momentum": 0.5}), (torch.optim.Adadelta, {})])
def test_an_eager_optimizer_steps_exactly_as_torch_s(cls, args):
    torch.manual_seed(0)
    a = torch.nn.Linear(5, 3)
    b = torch.nn.Linear(5, 3)
    b.load_state_dict(a.state_dict())
    opt_a, opt_b = cls(a.parameters(), lr=0.05, **args), eager(cls)(b.parameters(), lr=0.05, **args)
    assert type(opt_b).__name__ == cls.__name__ and isinstance(opt_b, cls)
    x = torch.randn(16, 5)
    for _ in range(5):
        for model, opt in ((a, opt_a), (b, opt_b)):
            opt.zero_grad()
            model(x).pow(2).mean().backward()
            opt.step()
            assert torch.is_grad_enabled()  # the step's no-grad mode ends with it
    assert torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias)
    assert str(opt_a.state_dict()) == str(opt_b.state_dict())


def test_a_schedule_drives_an_eager_optimizer():
    model = torch.nn.Linear(2, 1)
    optimizer = build_optimizer(OptimizerSettings(optimizer="sgd", lr=0.1), list(model.parameters()))
    schedule = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    model(torch.ones(1, 2)).sum().backward()
    optimizer.step()
    schedule.step()
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.05)
