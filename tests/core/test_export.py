"""Exports round-trip: ONNX (onnxruntime) and torch.export programs answer like the model within 1e-4 on batches
of another size than they were exported with, take 0..1 images and carry the class names; safetensors weights
load; TOML reads back; the script builds the very model and loads the very data."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import torch

from playground.core.checkpoint import Checkpoint, save_checkpoint
from playground.core.config import TrainConfig, read_toml
from playground.core.data.synthetic import generate, waves
from playground.core.errors import ExportError
from playground.core.export import export_checkpoint, export_run
from playground.core.export.script_format import load_script
from playground.core.models.catalogue import arch_task
from playground.core.models.spec import ModelSpec

DIGITS = tuple("0123456789")
CIFAR = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
SHAPES = {  # dataset -> input shape, classes, class names, mean, std, task
    "mnist": ((1, 28, 28), 10, DIGITS, (0.1307,), (0.3081,), "classification"),
    "cifar10": ((3, 32, 32), 10, CIFAR, (0.4914, 0.4822, 0.4465), (0.247, 0.2435, 0.2616), "classification"),
    "spiral": ((2,), 2, ("0", "1"), (), (), "classification"),
    "sine": ((1,), 1, (), (), (), "regression"),
    "waves": ((32, 1), 4, ("sine", "square", "sawtooth", "triangle"), (), (), "classification"),
}


def checkpoint(arch: str, dataset: str, **options) -> Checkpoint:
    """A run's checkpoint without the training: seeded weights, and batch norm statistics that are not 0 and 1."""
    shape, outputs, names, mean, std, task = SHAPES[dataset]
    config = TrainConfig(arch=arch, arch_options=options, dataset=dataset, epochs=1, batch_size=32, lr=0.01)
    spec = ModelSpec(arch, options, shape, outputs, names, mean, std, arch_task(arch, task), dataset)
    torch.manual_seed(0)
    model = spec.build()
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
    return Checkpoint(config, spec, {"model": model.state_dict()}, None, 1, [], 10, "abc123")


def inputs(spec: ModelSpec, n: int = 7) -> torch.Tensor:
    g = torch.Generator().manual_seed(5)
    return torch.rand(n, *spec.input_shape, generator=g) if spec.mean else torch.randn(n, *spec.input_shape,
                                                                                       generator=g)


def expected(ckpt: Checkpoint, x: torch.Tensor) -> torch.Tensor:
    """The model on inputs standardised as in training."""
    spec = ckpt.spec
    if spec.mean:
        x = (x - torch.tensor(spec.mean).view(1, -1, 1, 1)) / torch.tensor(spec.std).view(1, -1, 1, 1)
    with torch.no_grad():
        return ckpt.build_model()(x)


@pytest.mark.parametrize(("arch", "dataset"), [("seed-cnn", "mnist"), ("mlp", "sine")])
def test_onnx_matches_the_model_on_any_batch_and_carries_the_classes(tmp_path, arch, dataset):
    import onnx
    import onnxruntime

    ckpt = checkpoint(arch, dataset)
    result = export_checkpoint(ckpt, "onnx", tmp_path / "model.onnx")
    assert result.max_difference <= 1e-4 and result.path.is_file()
    session = onnxruntime.InferenceSession(str(result.path), providers=["CPUExecutionProvider"])
    for n in (1, 7):
        x = inputs(ckpt.spec, n)
        (out,) = session.run(None, {session.get_inputs()[0].name: x.numpy()})
        assert torch.allclose(torch.from_numpy(out), expected(ckpt, x), atol=1e-4, rtol=0)
    meta = {p.key: p.value for p in onnx.load(str(result.path)).metadata_props}
    assert json.loads(meta["class_names"]) == list(SHAPES[dataset][2]) and meta["task"] == SHAPES[dataset][5]
    assert session.get_inputs()[0].shape[0] == "batch"


@pytest.mark.parametrize(("arch", "dataset"), [("seed-cnn", "mnist"), ("resnet-small", "cifar10"),
                                               ("lstm", "mnist")])
def test_torch_export_program_matches_the_model_and_carries_the_classes(tmp_path, arch, dataset):
    ckpt = checkpoint(arch, dataset)
    result = export_checkpoint(ckpt, "pt2", tmp_path / "model.pt2")
    extra = {"playground.json": ""}
    program = torch.export.load(result.path, extra_files=extra)
    for n in (2, 9):
        x = inputs(ckpt.spec, n)
        assert torch.allclose(program.module()(x), expected(ckpt, x), atol=1e-4, rtol=0)
    meta = json.loads(extra["playground.json"])
    assert json.loads(meta["class_names"]) == list(SHAPES[dataset][2])
    assert json.loads(meta["normalisation"]).get("mean", []) == list(SHAPES[dataset][3])


@pytest.mark.parametrize(("arch", "dataset"), [("lenet5", "mnist"), ("gan", "mnist")])
def test_safetensors_weights_load_into_a_fresh_model(tmp_path, arch, dataset):
    from safetensors import safe_open
    from safetensors.torch import load_file

    ckpt = checkpoint(arch, dataset)
    path = export_checkpoint(ckpt, "safetensors", tmp_path / "w.safetensors").path
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata()
    model = ModelSpec.from_dict(json.loads(meta["model_spec"])).build()
    model.load_state_dict(load_file(str(path)), strict=True)
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), ckpt.build_model().state_dict().values()))
    assert meta["arch"] == arch


def test_toml_reads_back_as_the_runs_settings(tmp_path):
    ckpt = checkpoint("mlp", "spiral", hidden=[16, 8])
    path = export_checkpoint(ckpt, "toml", tmp_path / "run.toml").path
    assert TrainConfig.from_dict(read_toml(path)) == ckpt.config


CLASSIFIERS = [("linear", "mnist", {}), ("mlp", "mnist", {"hidden": [32, 16], "dropout": 0.1}),
               ("seed-cnn", "mnist", {"batch_norm": True, "channels": [8, 16]}), ("lenet5", "mnist", {}),
               ("cifar-convnet", "cifar10", {}), ("resnet-small", "cifar10", {"width": 8, "blocks": 2}),
               ("rnn", "mnist", {}), ("lstm", "waves", {"bidirectional": True, "layers": 2}), ("gru", "mnist", {}),
               ("mlp", "spiral", {}), ("linear", "sine", {})]


@pytest.mark.parametrize(("arch", "dataset", "options"), CLASSIFIERS, ids=[f"{a}-{d}" for a, d, _ in CLASSIFIERS])
def test_the_script_builds_the_very_model_of_the_run(tmp_path, arch, dataset, options):
    ckpt = checkpoint(arch, dataset, **options)
    path = export_checkpoint(ckpt, "script", tmp_path / "train.py").path
    module = load_script(path.read_text())
    model = module.build_model()
    model.load_state_dict(ckpt.build_model().state_dict(), strict=True)  # same layers, same names, same shapes
    x = inputs(ckpt.spec)
    if ckpt.spec.mean:
        x = (x - torch.tensor(ckpt.spec.mean).view(1, -1, 1, 1)) / torch.tensor(ckpt.spec.std).view(1, -1, 1, 1)
    with torch.no_grad():
        assert torch.allclose(model.eval()(x), ckpt.build_model()(x), atol=1e-6)
    assert os.access(path, os.X_OK)


def test_the_script_makes_the_same_generated_data():
    for dataset, ours in (("spiral", generate("spiral", 300, 0.2, seed=3)), ("sine", generate("sine", 300, seed=3)),
                          ("waves", waves(200, seed=3))):
        ckpt = checkpoint("mlp" if dataset != "waves" else "gru", dataset)
        options = {"samples": 300, "noise": 0.2} if dataset == "spiral" else {"samples": 300 if dataset == "sine"
                                                                              else 200}
        ckpt.config = ckpt.config.replace(dataset_options=options, seed=3)
        from playground.core.export.script_format import script_source

        train_x, train_y, test_x, test_y = load_script(script_source(ckpt.config, ckpt.spec)).load_data()
        for mine, theirs in zip((train_x, train_y, test_x, test_y), (ours.train_x, ours.train_y, ours.test_x,
                                                                     ours.test_y)):
            assert torch.equal(mine, theirs), dataset


def test_the_script_runs_as_it_is_on_generated_data(tmp_path):
    ckpt = checkpoint("mlp", "spiral")
    ckpt.config = ckpt.config.replace(epochs=2, dataset_options={"samples": 200})
    path = export_checkpoint(ckpt, "script", tmp_path / "train.py").path
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # torch and torchvision only
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, env=env,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split()[1] for line in lines[:-1]] == ["1/2", "2/2"]
    assert lines[-1].startswith("test_accuracy=") and 0 <= float(lines[-1].split("=")[1]) <= 1


def test_the_script_runs_a_few_steps_on_mnist(tmp_path, mnist_dir):
    ckpt = checkpoint("linear", "mnist")  # a model that evaluates 10,000 digits at once: the data is the point
    path = export_checkpoint(ckpt, "script", tmp_path / "train.py").path
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, str(path), "--data-dir", str(mnist_dir), "--epochs", "1",
                             "--max-steps", "5", "--device", "cpu"], capture_output=True, text=True, timeout=300,
                            env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("test_accuracy=")


def test_kinds_and_data_that_cannot_be_exported_say_why(tmp_path):
    for fmt in ("onnx", "pt2", "script"):
        with pytest.raises(ExportError, match="a gan run cannot be exported.*safetensors|toml"):
            export_checkpoint(checkpoint("gan", "mnist"), fmt, tmp_path / "x")
    folder_run = checkpoint("seed-cnn", "mnist")
    folder_run.config = folder_run.config.replace(dataset="image-folder")
    with pytest.raises(ExportError, match="image-folder cannot be exported as a training script"):
        export_checkpoint(folder_run, "script", tmp_path / "x.py")
    with pytest.raises(ExportError, match="is a folder"):
        export_checkpoint(checkpoint("mlp", "spiral"), "toml", tmp_path)
    assert not list(tmp_path.glob("x*")) and not list(tmp_path.glob(".*tmp*"))


def test_a_missing_package_names_the_extra(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name, *a))
    with pytest.raises(ExportError, match=r"needs onnxruntime.*pip install 'playground\[export\]'"):
        export_checkpoint(checkpoint("mlp", "spiral"), "onnx", tmp_path / "m.onnx")


def test_export_run_finds_the_run_by_its_checkpoint(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path / "runs"))
    save_checkpoint(tmp_path / "run" / "model.pt", checkpoint("mlp", "spiral"))
    result = export_run(tmp_path / "run", "toml", tmp_path / "out" / "settings.toml")
    assert result.path.is_file() and "settings (TOML)" in result.summary()
