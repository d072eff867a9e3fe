"""The epoch plots' legends name only the curves a kind reports."""

from __future__ import annotations

from playground.core.kinds import kind_named
from playground.gui.plots.epoch_figures import EpochFigures


def test_a_score_reported_on_held_out_data_only_has_no_train_entry():
    assert EpochFigures(kind_named("classification").score).labels()["train_acc"] == "train"
    for kind in ("regression", "gan"):
        labels = EpochFigures(kind_named(kind).score).labels()
        assert labels["train_acc"] == "", kind
        assert labels["test_acc"], kind
