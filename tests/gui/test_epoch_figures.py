"""The epoch plots: legends name only the curves a kind reports; runs drawn over them show them."""

from __future__ import annotations

from playground.core.kinds import kind_named
from playground.gui.plots.epoch_figures import EpochFigures


def test_a_score_reported_on_held_out_data_only_has_no_train_entry():
    assert EpochFigures(kind_named("classification").score).labels()["train_acc"] == "train"
    for kind in ("regression", "gan"):
        labels = EpochFigures(kind_named(kind).score).labels()
        assert labels["train_acc"] == "", kind
        assert labels["test_acc"], kind


def test_runs_drawn_over_the_plots_show_them_before_any_run(qtbot):
    from playground.gui.plots.area import PlotArea

    area = PlotArea()
    qtbot.addWidget(area)
    area.on_overlays_changed(())
    assert area.currentWidget() is area.empty
    area.on_overlays_changed(("a stored run",))
    assert area.plots is not None and area.currentWidget() is area.plots


def test_the_plots_replace_the_empty_state_when_the_run_has_started_or_is_still_loading(qtbot):
    from playground.gui.plots import area as area_module
    from playground.gui.plots.area import PlotArea

    area = PlotArea()
    qtbot.addWidget(area)
    area.on_run_starting(None)
    assert area.currentWidget() is area.empty, "their first paint waits: the run's setup needs the GIL"
    area.on_run_started(None)
    assert area.plots is not None and area.currentWidget() is area.plots

    loading = PlotArea()
    qtbot.addWidget(loading)
    loading.on_run_starting(None)
    qtbot.waitUntil(lambda: loading.currentWidget() is loading.plots, timeout=area_module.SHOW_AFTER_MS * 10)
