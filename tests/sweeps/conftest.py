"""Sweeps on tiny generated data: xor points, a 16-unit mlp, a fraction of a second per trial."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.core.config import TrainConfig, check

TINY = {"arch": "mlp", "arch_options": {"hidden": [16]}, "dataset": "xor", "dataset_options": {"samples": 400},
        "batch_size": 32, "device": "cpu", "epochs": 2, "threads": 1, "lr": 0.02}


def tiny_config(**changes) -> TrainConfig:
    return check(TrainConfig.from_dict({**TINY, **changes}))


@pytest.fixture(scope="session")
def storage(tmp_path_factory) -> str:
    """One SQLite study file for the session (making optuna's tables costs over a second); each test its own
    sweep names."""
    from playground.core.sweeps.storage import open_storage

    url = f"sqlite:///{tmp_path_factory.mktemp('sweeps') / 'sweeps.db'}"
    open_storage(url)
    return url


@pytest.fixture
def quick_heartbeat(monkeypatch) -> None:
    """A killed worker's trial is failed after 3 s rather than 30."""
    monkeypatch.setenv("PLAYGROUND_SWEEP_HEARTBEAT_S", "1")


def join(name: str, storage_url: str) -> subprocess.Popen:
    """`playground sweep --join NAME` in a process of its own (the run store is this session's)."""
    return subprocess.Popen([sys.executable, "-m", "playground", "sweep", "--join", name, "--storage", storage_url,
                             "--threads", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ}, cwd=Path(__file__).resolve().parents[2])
