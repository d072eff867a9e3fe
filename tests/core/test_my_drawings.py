"""Your own drawings as an ordinary image folder: saved, listed, deleted, checked, and read by image-folder."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.data.my_drawings import DrawingSet, my_drawings_dir, training_config
from playground.core.data.registry import load_dataset
from playground.core.errors import DatasetError


def _square(i: int) -> np.ndarray:
    image = np.zeros((28, 28), np.uint8)
    image[6 + i % 3:20, 8:20] = 255
    return image


def test_examples_are_numbered_pngs_in_a_folder_per_class(tmp_path):
    drawings = DrawingSet(tmp_path / "d")
    assert drawings.add_class(" star ") == "star"
    paths = [drawings.add_example("star", _square(i)) for i in range(3)]
    assert [p.name for p in paths] == ["001.png", "002.png", "003.png"]
    drawings.delete_example(paths[1])
    assert drawings.add_example("star", _square(0)).name == "004.png"  # numbers are never reused
    assert drawings.counts() == {"star": 3}
    with pytest.raises(ValueError):
        drawings.delete_example(tmp_path / "elsewhere.png")


@pytest.mark.parametrize("name", ["", "../up", "a/b", ".hidden", "x" * 41])
def test_a_class_name_must_be_a_plain_folder_name(tmp_path, name):
    with pytest.raises(DatasetError, match="cannot name a class"):
        DrawingSet(tmp_path).add_class(name)


def test_training_problems_name_the_fix(tmp_path):
    drawings = DrawingSet(tmp_path)
    assert "at least 2 classes" in drawings.training_problem()
    for i in range(5):
        drawings.add_example("a", _square(i))
    assert "only 1 class" in drawings.training_problem()
    drawings.add_example("b", _square(0))
    assert "draw more of: b (1)" in drawings.training_problem()
    for i in range(4):
        drawings.add_example("b", _square(i))
    assert drawings.training_problem() is None


def test_the_cli_image_folder_dataset_reads_them(tmp_path):
    drawings = DrawingSet(tmp_path)
    for name in ("a", "b"):
        for i in range(5):
            drawings.add_example(name, _square(i) if name == "a" else _square(i).T.copy())
    config = training_config(tmp_path)
    data = load_dataset(config.dataset, config.dataset_options, seed=0)
    assert data.class_names == ("a", "b") and data.input_shape == (1, 28, 28)
    assert len(data.train_y) + len(data.test_y) == 10


def test_they_live_in_the_per_user_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("PLAYGROUND_HOME", str(tmp_path))
    assert my_drawings_dir() == tmp_path / "my-drawings"
