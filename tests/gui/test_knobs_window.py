"""Hands on the controls in the window: live knobs, locked settings, one batch, +1 epoch, plots people trust."""

from __future__ import annotations

import math

from guitest import RUN_MS, configure
from PySide6.QtCore import Qt

from playground.gui.settings.live_knobs import LOCKED


def _train(qtbot, window, **settings):
    configure(window, **settings)
    qtbot.mouseClick(window.controls.train, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.plot_area.plots.steps) > 0, timeout=RUN_MS)


def _stop(qtbot, window):
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()


def test_a_learning_rate_change_reaches_the_next_step_the_plot_and_the_run(qtbot, window):
    _train(qtbot, window, epochs=500, optimizer="sgd", lr=0.01)
    window.settings_panel.training.lr.setValue(0.05)
    qtbot.waitUntil(lambda: bool(window.session.run.knob_changes), timeout=RUN_MS)
    change = window.session.run.knob_changes[0]
    assert (change.name, change.old, change.new) == ("lr", 0.01, 0.05)
    plots = window.plot_area.plots
    qtbot.waitUntil(lambda: plots.curves.lr_series().y[-1] == 0.05, timeout=RUN_MS)
    lrs = plots.curves.lr_series()
    assert lrs.y[lrs.x <= change.step].max() == 0.01 and lrs.y[lrs.x > change.step].min() == 0.05
    assert plots.knob_marks.labels == ["lr 0.01 → 0.05"]
    handle = window.run_controller.handle
    assert handle.control.knobs_pending is False
    _stop(qtbot, window)
    assert window.session.last_completed.checkpoint.optimizer_states["model"]["optimizer"]["param_groups"][0][
        "lr"] == 0.05


def test_settings_that_cannot_change_are_locked_and_say_why(qtbot, window):
    _train(qtbot, window, epochs=500)
    panel, knobs = window.settings_panel, window.knobs
    for widget in (panel.model.combo, panel.training.batch_size, panel.training.epochs, panel.data):
        assert not widget.isEnabled() and widget.toolTip() == LOCKED
    for widget in (panel.training.lr, panel.training.weight_decay, panel.training.l1):
        assert widget.isEnabled()
    assert "locked while training" in panel.model.title()
    qtbot.keyClicks(panel.training.batch_size, "9")  # a locked box takes no input
    assert window.session.run.config.batch_size == 32 and panel.training.batch_size.value() == 32
    _stop(qtbot, window)
    assert panel.model.combo.isEnabled() and panel.training.batch_size.isEnabled() and not knobs.locked_widgets()
    assert panel.model.title() == "Model"


def test_one_batch_advances_exactly_one_step(qtbot, window):
    _train(qtbot, window, epochs=500)
    window.controls.pause.click()
    plots, control = window.plot_area.plots, window.run_controller.handle.control

    def shown_and_held(step=None) -> bool:
        held = control.held_at
        return held is not None and int(plots.steps.x[-1]) == held and (step is None or held == step)

    qtbot.waitUntil(shown_and_held, timeout=RUN_MS)  # every step trained before the pause is on the plot
    held = control.held_at
    for expected in (held + 1, held + 2, held + 3):
        qtbot.mouseClick(window.controls.step, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda expected=expected: shown_and_held(expected), timeout=RUN_MS)
    assert window.controls.pause.text() == "Resume"
    _stop(qtbot, window)


def test_plus_one_epoch_continues_the_step_count(qtbot, window):
    configure(window, epochs=1)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.train.click()
    done = window.session.last_completed.checkpoint.step
    assert window.controls.more.isEnabled()
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        qtbot.mouseClick(window.controls.more, Qt.MouseButton.LeftButton)
    run = window.session.last_completed
    assert [m.epoch for m in run.epochs] == [2] and run.checkpoint.step == 2 * done
    assert int(window.plot_area.plots.steps.x[0]) == done + 1


def test_a_constant_learning_rate_is_drawn_at_its_value(qtbot, window):
    configure(window, epochs=2, lr=0.001)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.train.click()
    plot = window.plot_area.plots.lr_plot
    (y0, y1) = plot.getPlotItem().vb.viewRange()[1]  # log10 units: the axis is logarithmic
    assert y0 < math.log10(0.001) < y1 and y1 - y0 <= 1.01, "the axis fits 0.001, not ±0.5 around it"


def test_the_best_epoch_is_marked(qtbot, window):
    configure(window, epochs=3)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.train.click()
    plots = window.plot_area.plots
    accuracies = [m.test_accuracy for m in window.session.last_completed.epochs]
    best = max(range(3), key=lambda i: accuracies[i])
    assert plots.best_accuracy.best == (best + 1, accuracies[best] * 100)
    assert plots.best_accuracy.label.toPlainText().startswith(f"best: epoch {best + 1}")


def test_the_epoch_plots_say_what_they_will_show_until_the_first_epoch_ends(qtbot, window):
    plots = window.plot_area.plots
    notes = [note.label for note in plots.empty_notes]
    assert all(not n.isHidden() and "appear here" in n.text() for n in notes)
    assert "accuracy" in notes[1].text()
    _train(qtbot, window, epochs=500)  # still running when stopped below, however fast its epochs go
    qtbot.waitUntil(lambda: "first epoch ends" in notes[0].text(), timeout=RUN_MS)
    qtbot.waitUntil(lambda: len(plots.epochs) > 0, timeout=RUN_MS)
    qtbot.waitUntil(lambda: all(n.isHidden() for n in notes), timeout=RUN_MS)
    assert plots.epoch_loss_plot.getAxis("left").style["showValues"], "a value to read: the axis says it"
    _stop(qtbot, window)


def test_a_typed_rate_is_one_change_and_an_arrow_click_applies_at_once(qtbot, window):
    _train(qtbot, window, epochs=500, optimizer="sgd", lr=0.01)
    spin = window.settings_panel.training.lr
    emitted = []
    window.knobs.changed.connect(lambda name, value, network: emitted.append((name, value)))  # the test's own listener
    try:
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin.lineEdit(), "0.005")
        assert emitted == [], "not while the number is being typed"
        qtbot.waitUntil(lambda: bool(emitted), timeout=RUN_MS)
        assert emitted == [("lr", 0.005)], "the number typed, as one change"
        spin.stepBy(1)  # an arrow click: no waiting for more keys
        assert len(emitted) == 2 and emitted[-1][0] == "lr" and emitted[-1][1] > 0.005, emitted
    finally:
        _stop(qtbot, window)
