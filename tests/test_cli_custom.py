"""Custom networks from the command line: `playground train --config net.toml` trains the layers of a TOML file,
refuses a broken stack in one line naming the layer and the fix before any data loads, saves and reuses a network
by name, and exports it in every format, each checked against the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playground.cli import main
from tests.core.test_custom_networks import SEED_CNN_TOML

# the layers alone, the last one's outputs given: an image folder's class count is known only once it is read
SEED_CNN_LAYERS = SEED_CNN_TOML.replace('arch = "custom"\n', "").rstrip("\n") + "\nout_features = 10\n"

DENSE_LAYERS = """
[[layers]]
type = "Linear"
out_features = 32
[[layers]]
type = "Tanh"
[[layers]]
type = "Residual"
layers = [{type = "Linear", out_features = 32}, {type = "Tanh"}]
[[layers]]
type = "Linear"
"""

SPIRAL = 'dataset = "spiral"\ndevice = "cpu"\nthreads = 1\nbatch_size = 50\n[dataset_options]\nsamples = 400\n'


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as e:
        code = e.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _digits(root: Path) -> Path:
    """Ten classes of four 28x28 grey squares, brighter per class: images without MNIST."""
    from PIL import Image

    for digit in range(10):
        (root / str(digit)).mkdir(parents=True)
        for k in range(4):
            Image.new("L", (28, 28), 20 * digit + k).save(root / str(digit) / f"{k}.png")
    return root


def test_the_seed_cnn_stack_from_toml_trains_with_the_builtin_parameter_count(tmp_path, capsys):
    folder = _digits(tmp_path / "digits")
    config = tmp_path / "net.toml"
    config.write_text(f'arch = "custom"\ndataset = "image-folder"\ndevice = "cpu"\nthreads = 1\nbatch_size = 8\n'
                      f'[dataset_options]\npath = "{folder}"\nsize = 28\ngrayscale = true\n{SEED_CNN_LAYERS}')
    code, out, err = run(capsys, "train", "--config", config, "--out", tmp_path / "run", "--quiet")
    assert code == 0, err
    assert "406,270" in out + err or "406270" in out + err
    saved = (tmp_path / "run" / "config.toml").read_text()
    assert 'type = "Conv2d"' in saved, "the run keeps its layers"
    lines = (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    assert json.loads(lines[-1])["epoch"] == 1


def test_a_dense_network_with_a_residual_block_learns_the_spiral(tmp_path, capsys):
    config = tmp_path / "net.toml"
    config.write_text(f'arch = "custom"\nepochs = 60\nlr = 0.02\n{SPIRAL.replace("400", "1000")}{DENSE_LAYERS}')
    code, out, err = run(capsys, "train", "--config", config, "--out", tmp_path / "run", "--quiet")
    assert code == 0, err
    last = json.loads((tmp_path / "run" / "metrics.jsonl").read_text().splitlines()[-1])
    assert last["test_accuracy"] > 0.8


@pytest.mark.parametrize(("layers", "expected"), [
    ('[[layers]]\ntype = "Linear"\nout_features = 8\n[[layers]]\ntype = "Conv2d"\nout_channels = 4\n'
     'kernel_size = 3\n', "layer 2, Conv2d"),
    ('[[layers]]\ntype = "Linaer"\nout_features = 8\n', "layer 1"),
    ('[[layers]]\ntype = "Linear"\nout_features = -3\n', "layer 1, Linear"),
    ('[[layers]]\ntype = "Dropout"\np = 1.5\n', "layer 1, Dropout"),
])
def test_a_broken_stack_is_refused_in_one_line_before_any_data_loads(tmp_path, capsys, layers, expected):
    config = tmp_path / "net.toml"
    config.write_text(f'arch = "custom"\n{SPIRAL}{layers}')
    code, out, err = run(capsys, "train", "--config", config, "--out", tmp_path / "run", "--quiet")
    assert code == 2
    message = err.strip().splitlines()
    assert len(message) == 1 and expected in message[0], err
    assert not (tmp_path / "run" / "metrics.jsonl").exists()


def test_a_network_saved_by_name_is_listed_and_trains_with_arch_name(tmp_path, capsys):
    import tomllib

    from playground.core.models.custom.saved import save_network

    save_network("twisty", tomllib.loads(DENSE_LAYERS)["layers"])
    code, out, _ = run(capsys, "list")
    assert code == 0 and "twisty" in out
    config = tmp_path / "run.toml"
    config.write_text(f"epochs = 2\n{SPIRAL}")
    code, out, err = run(capsys, "train", "--config", config, "--arch", "twisty", "--out", tmp_path / "run", "--quiet")
    assert code == 0, err
    assert "Residual" in (tmp_path / "run" / "config.toml").read_text()


@pytest.mark.parametrize("fmt", ["onnx", "pt2", "safetensors", "toml", "script"])
def test_a_custom_network_exports_in_every_format_and_each_is_checked(tmp_path, capsys, monkeypatch, fmt):
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path / "store"))
    config = tmp_path / "net.toml"
    config.write_text(f'arch = "custom"\nepochs = 1\n{SPIRAL}{DENSE_LAYERS}')
    assert run(capsys, "train", "--config", config, "--name", "mine", "--quiet")[0] == 0
    code, out, err = run(capsys, "export", "mine", "--format", fmt, "--out", tmp_path / f"model.{fmt}")
    assert code == 0, err
    assert "checked" in (out + err).lower() or fmt in ("toml", "safetensors")
