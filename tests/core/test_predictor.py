"""The predictor: its own model, loaded from checkpoints and snapshots, probabilities out."""

from pathlib import Path

import numpy as np
import pytest
import torch

from playground.core.checkpoint import Checkpoint, save_checkpoint
from playground.core.config import TrainConfig
from playground.core.errors import CheckpointError
from playground.core.inference.bundled import bundled_model_path
from playground.core.inference.drawable import dataset_problem, drawing_problem
from playground.core.inference.predictor import Predictor
from playground.core.models.registry import build_model
from playground.core.models.spec import ModelSpec
from playground.core.training.events import WeightsSnapshot

NAMES = tuple(str(i) for i in range(10))


def _snapshot(arch: str = "seed-cnn", options: dict | None = None, step: int = 7,
              shape: tuple = (1, 28, 28)) -> WeightsSnapshot:
    torch.manual_seed(step)
    model = build_model(arch, shape, 10, options or {})
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    spec = ModelSpec(arch, options or {}, shape, 10, NAMES, (0.1307,), (0.3081,), dataset="mnist")
    return WeightsSnapshot(spec, {"model": state}, step)


def _checkpoint(tmp_path: Path, arch: str = "seed-cnn") -> Path:
    snap = _snapshot(arch)
    path = tmp_path / "model.pt"
    save_checkpoint(path, Checkpoint(TrainConfig(arch=arch), snap.spec, snap.states))
    return path


def test_probabilities_from_a_checkpoint(tmp_path: Path):
    predictor = Predictor.from_checkpoint(_checkpoint(tmp_path))
    probs = predictor.predict(torch.zeros(1, 1, 28, 28))
    assert probs.shape == (10,) and probs.sum() == pytest.approx(1.0, abs=1e-5)
    assert predictor.info.source == "model.pt" and predictor.info.labels() == NAMES
    assert not predictor.model.training


def test_snapshot_weights_are_copied_not_shared():
    snap = _snapshot()
    predictor = Predictor.from_snapshot(snap)
    x = torch.randn(1, 1, 28, 28)
    before = predictor.predict(x)
    for tensor in snap.states["model"].values():
        tensor.zero_()  # the training model moves on
    assert np.allclose(predictor.predict(x), before)


def test_a_later_snapshot_is_loaded_in_place():
    predictor = Predictor.from_snapshot(_snapshot(step=1))
    model = predictor.model
    later = _snapshot(step=2)
    assert predictor.load_snapshot(later)
    assert predictor.model is model and predictor.info.step == 2
    assert torch.equal(model.state_dict()["0.weight"], later.states["model"]["0.weight"])


def test_a_snapshot_of_another_architecture_needs_a_new_predictor():
    predictor = Predictor.from_snapshot(_snapshot())
    assert not predictor.load_snapshot(_snapshot("seed-cnn", {"channels": [8, 16]}))
    assert not predictor.load_snapshot(_snapshot("lenet5"))


def test_unreadable_checkpoints_raise_with_a_message(tmp_path: Path):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="not a readable playground checkpoint"):
        Predictor.from_checkpoint(bad)
    with pytest.raises(CheckpointError, match="does not exist"):
        Predictor.from_checkpoint(tmp_path / "missing.pt")


def test_drawing_needs_single_channel_28x28_classifiers():
    def spec(shape, task="classification"):
        return ModelSpec("mlp", input_shape=shape, num_outputs=10, task=task)

    assert drawing_problem(spec((1, 28, 28))) is None
    assert "3-channel 32×32" in drawing_problem(spec((3, 32, 32)), name="cifar10")
    assert "not images" in drawing_problem(spec((8,)))
    assert "predicts a number" in drawing_problem(spec((1, 28, 28), "regression"))
    assert "Samples panel" in drawing_problem(spec((1, 28, 28), "gan"))
    assert "Text panel" in drawing_problem(spec((64,), "language"))
    assert dataset_problem("fashion-mnist", (1, 28, 28)) is None
    assert "Choose MNIST" in dataset_problem("cifar10", (3, 32, 32))


def test_the_bundled_model_ships_small_and_reads_mnist(mnist_dir: Path):
    from playground.core.data.idx import read_idx
    from playground.core.data.splits import apply_normalisation

    path = bundled_model_path()
    assert path is not None and path.stat().st_size <= 2_000_000
    predictor = Predictor.from_checkpoint(path)
    assert drawing_problem(predictor.info.spec) is None
    raw = mnist_dir / "MNIST" / "raw"
    x = apply_normalisation(read_idx(raw / "t10k-images-idx3-ubyte")[:1000, None], predictor.info.mean,
                            predictor.info.std)
    y = read_idx(raw / "t10k-labels-idx1-ubyte")[:1000]
    with torch.inference_mode():
        accuracy = (predictor.model(x).argmax(1) == y).float().mean().item()
    assert accuracy > 0.98
