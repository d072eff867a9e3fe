"""Fixtures of the fault suite: a small real checkpoint and the CLI in this process."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from faultkit import tiny

from playground.cli import main
from playground.core.training.trainer import Trainer


@pytest.fixture(autouse=True)
def _keep_torch_threads():
    """A run with threads=1 sets torch's thread count for the whole process: put it back."""
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def small_checkpoint(tmp_path_factory) -> Path:
    """A real two-epoch checkpoint (a few KB): the base of the corrupt, doctored and fuzzed ones."""
    path = tmp_path_factory.mktemp("small") / "model.pt"
    result = Trainer().fit(tiny(), checkpoint_path=path)
    assert result.status == "completed", result.message
    return path


@pytest.fixture
def cli(capsys):
    """main(ARGS) in this process (torch is loaded already); returns (exit code, stdout, stderr)."""

    def run(*args) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in args])
        except SystemExit as e:
            code = e.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
