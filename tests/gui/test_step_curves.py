"""The per-step curves between runs: kept where the next run has the same losses and optimizers (making a curve
costs the GUI thread milliseconds while Train waits for its first point), emptied, and never left over."""

from __future__ import annotations

import pyqtgraph as pg

from playground.core.training.events import StepEvent
from playground.gui.plots.step_curves import StepCurves


def _step(step: int, losses: dict[str, float], lrs: dict[str, float]) -> StepEvent:
    return StepEvent(1, step, 100, {n: (v,) for n, v in losses.items()}, lrs, 10.0, 1.0, 2.0)


def _drawn(plot: pg.PlotWidget) -> list[tuple[str, int]]:
    items = [i for i in plot.getPlotItem().listDataItems()]
    return sorted((i.name(), 0 if i.xData is None else len(i.xData)) for i in items)


def test_a_run_like_the_last_reuses_its_curves_emptied(qtbot):
    loss_plot, lr_plot = pg.PlotWidget(), pg.PlotWidget()
    qtbot.addWidget(loss_plot)
    qtbot.addWidget(lr_plot)
    curves = StepCurves(loss_plot, lr_plot)
    first = dict(curves._curves)
    for i in (1, 2):
        curves.add(_step(i, {"loss": 1.0 / i}, {"lr": 0.1}))
    curves.draw_losses()
    curves.draw_lrs()
    assert _drawn(loss_plot) == [("loss (each step)", 2), ("loss, smoothed", 2)]
    lr_curve = curves._lr_curves["lr"]

    curves.reset(("loss",), 0.9)
    assert curves._curves == first and curves._lr_curves["lr"] is lr_curve, "the same curves, not new ones"
    assert _drawn(loss_plot) == [("loss (each step)", 0), ("loss, smoothed", 0)]
    assert _drawn(lr_plot) == [("learning rate", 0)] and len(curves.lr_series()) == 0
    curves.add(_step(1, {"loss": 0.5}, {"lr": 0.2}))
    curves.draw_lrs()
    assert _drawn(lr_plot) == [("learning rate", 1)] and curves.lr_series().y[-1] == 0.2


def test_a_run_of_another_kind_gets_its_own_curves_and_none_of_the_last(qtbot):
    loss_plot, lr_plot = pg.PlotWidget(), pg.PlotWidget()
    qtbot.addWidget(loss_plot)
    qtbot.addWidget(lr_plot)
    curves = StepCurves(loss_plot, lr_plot)
    curves.add(_step(1, {"loss": 1.0}, {"lr": 0.1}))
    curves.reset(("g_loss", "d_loss"), 0.9)
    curves.add(_step(1, {"g_loss": 2.0, "d_loss": 0.5}, {"generator": 2e-4, "discriminator": 2e-4}))
    curves.draw_losses()
    curves.draw_lrs()
    assert [n for n, _ in _drawn(loss_plot)] == ["discriminator (each step)", "discriminator, smoothed",
                                                 "generator (each step)", "generator, smoothed"]
    assert _drawn(lr_plot) == [("discriminator", 1), ("generator", 1)], "the classifier's learning rate is gone"
