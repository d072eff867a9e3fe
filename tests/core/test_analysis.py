"""The evaluation's figures from known answers: the confusion matrix is exact, a cell's indices are exactly its
samples, mistakes come most confident first, and a saved classifier evaluates as its run did."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.analysis.confusion import (
    Confusion,
    cell_indices,
    confusion_matrix,
    mistakes,
    per_class_accuracy,
    row_normalised,
)
from playground.core.analysis.gallery import select, to_pixels

# ten answers over three classes, written out by hand
TRUE = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, 2])
PRED = np.array([0, 0, 1, 1, 1, 2, 0, 2, 2, 1])
PROB = np.array([.9, .8, .7, .95, .6, .99, .55, .9, .7, .65], dtype=np.float32)


def test_the_confusion_matrix_of_known_answers_is_exact():
    counts = confusion_matrix(TRUE, PRED, 3)
    assert counts.tolist() == [[2, 1, 0],
                               [1, 2, 1],
                               [0, 1, 2]]
    assert counts.dtype == np.int64 and counts.sum() == len(TRUE)
    assert np.allclose(row_normalised(counts), [[2 / 3, 1 / 3, 0], [.25, .5, .25], [0, 1 / 3, 2 / 3]])
    assert np.allclose(per_class_accuracy(counts), [2 / 3, .5, 2 / 3])
    c = Confusion.of(TRUE, PRED, ("a", "b", "c"))
    assert (c.total, c.correct, c.accuracy) == (10, 6, 0.6)


def test_empty_classes_and_bad_answers():
    counts = confusion_matrix(np.array([0, 0]), np.array([0, 1]), 3)
    assert row_normalised(counts)[2].tolist() == [0, 0, 0] and np.isnan(per_class_accuracy(counts)[2])
    with pytest.raises(ValueError, match="0..2"):
        confusion_matrix(np.array([3]), np.array([0]), 3)
    with pytest.raises(ValueError, match="length"):
        confusion_matrix(np.array([0, 1]), np.array([0]), 3)


def test_a_cells_indices_are_exactly_that_cells_samples():
    rng = np.random.default_rng(0)
    true, pred = rng.integers(0, 4, 500), rng.integers(0, 4, 500)
    prob = rng.random(500).astype(np.float32)
    counts = confusion_matrix(true, pred, 4)
    for t in range(4):
        for p in range(4):
            found = cell_indices(true, pred, t, p, prob)
            expected = {i for i in range(500) if true[i] == t and pred[i] == p}
            assert set(found.tolist()) == expected and len(found) == counts[t, p]
            assert (np.diff(prob[found]) <= 0).all(), "most confident first"
    assert cell_indices(TRUE, PRED, 1, 2).tolist() == [5]


def test_mistakes_come_most_confident_first():
    assert mistakes(TRUE, PRED, PROB).tolist() == [5, 2, 9, 6]  # probabilities 0.99, 0.7, 0.65, 0.55
    tied = np.array([.5, .5, .5], dtype=np.float32)
    assert mistakes(np.array([0, 0, 0]), np.array([1, 1, 1]), tied).tolist() == [0, 1, 2], "ties by index"


def test_the_gallery_takes_a_cells_images_and_undoes_the_standardisation():
    raw = np.arange(10 * 4, dtype=np.uint8).reshape(10, 1, 2, 2) * 6
    mean, std = (0.2,), (0.3,)
    test_x = (raw / 255 - 0.2) / 0.3
    g = select(TRUE, PRED, PROB, test_x, mean, std, cell=(1, 1))
    assert g.indices.tolist() == [3, 4] and g.total == 2 and g.cell == (1, 1)
    assert np.array_equal(g.pixels, raw[[3, 4], 0]) and g.inputs.shape == (2, 1, 2, 2)
    limited = select(TRUE, PRED, PROB, test_x, mean, std, limit=1)
    assert limited.indices.tolist() == [5] and limited.total == 4
    points = select(TRUE, PRED, PROB, np.zeros((10, 2)))
    assert points.pixels is None and len(points.indices) == 4
    colour = to_pixels(np.ones((1, 3, 2, 2)), (0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
    assert colour.shape == (1, 2, 2, 3) and (colour == 255).all()


def test_a_saved_classifier_evaluates_as_its_run_did(tmp_path):
    from playground.core.analysis.evaluation import evaluate_checkpoint
    from playground.core.checkpoint import load_checkpoint
    from playground.core.config import TrainConfig
    from playground.core.training.trainer import Trainer

    config = TrainConfig(arch="mlp", dataset="blobs", epochs=1, batch_size=32, device="cpu",
                         dataset_options={"samples": 300})
    result = Trainer().fit(config, checkpoint_path=tmp_path / "m.pt")
    event = evaluate_checkpoint(load_checkpoint(tmp_path / "m.pt"))
    assert len(event.true) == 75 and event.class_names == ("0", "1", "2") and event.epoch == 1
    assert np.mean(event.true == event.predicted) == pytest.approx(result.metrics[-1].test_accuracy)
    assert evaluate_checkpoint(load_checkpoint(tmp_path / "m.pt"), should_stop=lambda: True) is None
