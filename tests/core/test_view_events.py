"""What the views are fed: a classifier's answers for every test sample, and the layers' gradient norms."""

from __future__ import annotations

import math

import numpy as np

from playground.core.config import TrainConfig
from playground.core.training.callbacks import Callback
from playground.core.training.trainer import Trainer


class _Record(Callback):
    def __init__(self):
        self.evaluations, self.health = [], []

    def on_evaluation(self, e):
        self.evaluations.append(e)

    def on_layer_health(self, e):
        self.health.append(e)


def test_the_answers_are_those_the_accuracy_counted():
    record = _Record()
    config = TrainConfig(arch="mlp", dataset="blobs", epochs=2, batch_size=32, device="cpu", val_fraction=0.2,
                         dataset_options={"samples": 600})
    result = Trainer().fit(config, record)
    assert [e.epoch for e in record.evaluations] == [1, 2]
    last = record.evaluations[-1]
    assert len(last.true) == len(last.predicted) == len(last.probability) == 150  # the test split, not val
    assert np.mean(last.true == last.predicted) == result.metrics[-1].test_accuracy
    assert last.class_names == ("0", "1", "2") and ((last.probability > 0) & (last.probability <= 1)).all()


def test_regression_and_generative_runs_have_no_answers():
    record = _Record()
    Trainer().fit(TrainConfig(arch="mlp", dataset="sine", epochs=1, device="cpu"), record)
    assert record.evaluations == []


def test_layer_health_names_every_weight_and_reads_finite_norms():
    record = _Record()
    Trainer(report_every_s=0).fit(TrainConfig(arch="mlp", dataset="spiral", epochs=300, batch_size=32,
                                              device="cpu", dataset_options={"samples": 400}), record)
    assert record.health, "reported twice a second"
    first = record.health[0]
    assert first.layers == ("1", "3", "5")  # the Linear layers of Flatten, Linear, ReLU, Linear, ReLU, Linear
    assert all(math.isfinite(v) and v >= 0 for e in record.health for v in e.grad_norms + e.weight_norms)
