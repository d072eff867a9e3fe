"""Each store test gets a run store of its own (PLAYGROUND_RUNS_DIR in a temporary folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground.core.config import TrainConfig
from playground.core.store import RunStore


@pytest.fixture
def runs_dir(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "runs"
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(folder))
    return folder


@pytest.fixture
def store(runs_dir: Path):
    with RunStore.open() as s:
        yield s


@pytest.fixture
def tiny() -> TrainConfig:
    """An MLP on 120 spiral points: 3 steps of 30 per epoch, a few milliseconds each."""
    return TrainConfig(arch="mlp", arch_options={"hidden": [8]}, dataset="spiral", dataset_options={"samples": 120},
                       batch_size=30, epochs=3, lr=0.01, device="cpu", threads=1)
