"""Adapting the digit model to one person's handwriting: better on their digits, as good on MNIST."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.core.checkpoint import load_checkpoint
from playground.core.data.my_drawings import DrawingSet
from playground.core.data.registry import load_dataset
from playground.core.errors import DatasetError
from playground.core.inference.adapt import MNIST_SUBSET, adapt_to_handwriting
from playground.core.inference.bundled import (
    ADAPTED_MODEL_LABEL,
    BUNDLED_MODEL_LABEL,
    adapted_model_path,
    bundled_model_path,
    digit_model,
    reset_to_bundled,
)

PER_DIGIT = 8


def _mirrored_digits(mnist_dir) -> tuple[np.ndarray, np.ndarray]:
    """MNIST training digits written mirrored (as some children do): a style the bundled model reads badly."""
    data = load_dataset("mnist", data_dir=str(mnist_dir))
    images = (data.train_x[:, 0] * 0.3081 + 0.1307).clamp(0, 1).mul(255).round().to(torch.uint8).numpy()
    return np.ascontiguousarray(images[:, :, ::-1]), data.train_y.numpy()


def _accuracy(path, images: np.ndarray, labels: np.ndarray) -> float:
    model = load_checkpoint(path).build_model()
    x = torch.from_numpy(images).float().div(255).sub(0.1307).div(0.3081).unsqueeze(1)
    with torch.inference_mode():
        return float((model(x).argmax(1).numpy() == labels).mean())


@pytest.fixture
def home(monkeypatch, tmp_path):
    monkeypatch.setenv("PLAYGROUND_HOME", str(tmp_path))
    return tmp_path


def test_adapting_learns_a_style_and_keeps_mnist(home, mnist_dir):
    images, labels = _mirrored_digits(mnist_dir)
    mine = DrawingSet(home / "my-handwriting")
    for digit in range(10):
        for i in np.flatnonzero(labels == digit)[:PER_DIGIT]:
            mine.add_example(str(digit), images[i])
    held_out = slice(30000, 30500)  # more of the same style, never trained on
    before = _accuracy(bundled_model_path(), images[held_out], labels[held_out])
    result = adapt_to_handwriting(mine.root, data_dir=str(mnist_dir))
    assert result.path == adapted_model_path() and result.path.is_file()
    after = _accuracy(result.path, images[held_out], labels[held_out])
    assert after > before + 0.2  # measured: 42% -> 80%
    assert result.personal_count == 10 * PER_DIGIT and result.personal_after > result.personal_before
    assert result.mnist_count == MNIST_SUBSET
    assert abs(result.mnist_after - result.mnist_before) <= 0.005  # within half a point on MNIST test
    assert digit_model() == (result.path, ADAPTED_MODEL_LABEL)  # the Draw panel's model from now on
    reset_to_bundled()
    assert digit_model() == (bundled_model_path(), BUNDLED_MODEL_LABEL) and not result.path.exists()


def test_a_stopped_adaptation_saves_nothing(home, mnist_dir):
    DrawingSet(home / "my-handwriting").add_example("3", np.zeros((28, 28), np.uint8))
    result = adapt_to_handwriting(home / "my-handwriting", data_dir=str(mnist_dir), should_stop=lambda: True)
    assert result.steps == 0 and result.path is None and not adapted_model_path().exists()


def test_no_digits_yet_says_what_to_do(home):
    with pytest.raises(DatasetError, match="click what it was"):
        adapt_to_handwriting(home / "my-handwriting")
