"""`playground export RUN --format F --out PATH` from the command line: a recorded run found by its id, each
format written and checked, and refusals in one line."""

from __future__ import annotations

import json

import pytest

from playground.cli import main

TINY_TRAIN = ["train", "--arch", "mlp", "-O", "hidden=8", "--dataset", "spiral", "--dataset-option", "samples=120",
              "--batch-size", "30", "--device", "cpu", "--threads", "1", "--epochs", "1", "--quiet"]


def in_process(capsys, *args) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as e:
        code = e.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory) -> str:
    """A store with one run, recorded by playground train."""
    folder = str(tmp_path_factory.mktemp("runs"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLAYGROUND_RUNS_DIR", folder)
        assert main(TINY_TRAIN) == 0
    return folder


@pytest.fixture
def run_id(runs_dir, monkeypatch, capsys) -> str:
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", runs_dir)
    capsys.readouterr()
    code, out, _ = in_process(capsys, "runs", "--json")
    return json.loads(out.splitlines()[0])["id"]


# ONNX through the CLI costs seconds; tests/core/test_export.py checks it with onnxruntime
@pytest.mark.parametrize("fmt", ["pt2", "safetensors", "toml", "script"])
def test_each_format_is_written_and_checked(run_id, tmp_path, capsys, fmt):
    out = tmp_path / "exports" / f"model.{fmt}"
    code, stdout, err = in_process(capsys, "export", run_id, "--format", fmt, "--out", out)
    assert code == 0, err
    assert out.is_file() and stdout.startswith("Wrote the ") and "checked:" in stdout


def test_a_gan_is_refused_in_one_line_with_the_reason(tmp_path, monkeypatch, capsys):
    from playground.core.checkpoint import Checkpoint, save_checkpoint
    from playground.core.config import TrainConfig
    from playground.core.models.spec import ModelSpec

    spec = ModelSpec("gan", {}, (1, 28, 28), 10, tuple("0123456789"), (0.1307,), (0.3081,), "gan", "mnist")
    weights = {name: m.state_dict() for name, m in spec.build().named_children()}
    save_checkpoint(tmp_path / "gan" / "model.pt", Checkpoint(TrainConfig(arch="gan"), spec, weights, epoch=1))
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path / "runs"))
    code, out, err = in_process(capsys, "export", tmp_path / "gan", "--format", "onnx", "--out", tmp_path / "g.onnx")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "a GAN run cannot be exported as onnx" in err and "safetensors" in err


def test_an_unknown_run_or_format_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path / "runs"))
    code, out, err = in_process(capsys, "export", "nothing", "--format", "toml", "--out", tmp_path / "x.toml")
    assert code == 2 and "nothing does not exist" in err
    code, out, err = in_process(capsys, "export", "nothing", "--format", "keras", "--out", tmp_path / "x")
    assert code == 2 and "invalid choice: 'keras'" in err and len(err.strip().splitlines()) == 1
