"""The Runs panel in the window: a CLI run appears without a restart, two runs overlay in the plots, a run
opens and continues from the panel with a new learning rate, and a run trained by another process is followed
live and stopped from the window."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from guitest import RUN_MS, TORCH_READY_MS, configure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from runstest import made_up_store, names_in_table

from playground.core.store import RunStore
from playground.gui.runs.columns import COLUMN

TINY = ["--arch", "mlp", "-O", "hidden=8", "--dataset", "spiral", "--dataset-option", "samples=400",
        "--batch-size", "20", "--device", "cpu", "--threads", "1", "--quiet"]


@pytest.fixture
def runs_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path / "store"))
    return tmp_path / "store"


@pytest.fixture
def window(qtbot, runs_dir):
    """The window over a run store of the test's own (the env var is set before the store opens)."""
    from playground.gui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.is_ready, timeout=TORCH_READY_MS)
    return w


def _row_of(window, name: str) -> bool:
    return name in names_in_table(window.runs.panel)


def test_a_run_recorded_by_the_cli_appears_without_restarting(qtbot, window, runs_dir):
    from playground.cli import main

    panel = window.runs.panel
    qtbot.waitUntil(lambda: str(runs_dir) in panel.empty.text())  # the store is open, and empty
    assert panel.stack.currentWidget() is panel.empty
    assert main(["train", *TINY, "--epochs", "1", "--name", "from-the-cli"]) == 0
    qtbot.waitUntil(lambda: _row_of(window, "from-the-cli"), timeout=5000)  # polled about every second
    row = names_in_table(panel).index("from-the-cli")
    assert panel.proxy.index(row, COLUMN["status"]).data() == "completed"
    assert panel.stack.currentWidget() is panel.table


def test_two_runs_overlay_in_the_plots_each_in_its_colour_with_a_legend(qtbot, window, runs_dir, tmp_path):
    ids = made_up_store(runs_dir)
    panel = window.runs.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=5000)
    panel.select([ids["alpha"], ids["beta"]])
    panel.buttons["overlay"].click()
    plots = window.plot_area.plots
    assert window.plot_area.currentWidget() is plots
    assert [r.name for r in plots.overlays.runs] == ["beta", "alpha"]  # in the table's order
    colours = {r.name: r.colour for r in plots.overlays.runs}
    assert colours["alpha"] != colours["beta"]
    legend = [label.text for _, label in plots.accuracy_plot.getPlotItem().legend.items]
    assert any(t.startswith("alpha test (best 90.00% @3") for t in legend)
    assert any(t.startswith("beta test (best 95.00% @2") for t in legend)
    pens = {item.opts["name"].split()[0]: item.opts["pen"].color().getRgb()[:3]
            for item in plots.accuracy_plot.getPlotItem().listDataItems() if item.opts.get("name")}
    assert pens["alpha"] == colours["alpha"] and pens["beta"] == colours["beta"]
    plots.export_epochs_csv(str(tmp_path / "epochs.csv"))
    lines = (tmp_path / "epochs.csv").read_text().splitlines()
    assert lines[0].startswith("run,epoch") and sum(line.startswith(("alpha,", "beta,")) for line in lines) == 6
    index = panel.proxy.index(names_in_table(panel).index("alpha"), COLUMN["plot"])  # untick: alpha goes
    panel.proxy.setData(index, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert [r.name for r in window.session.overlays] == ["beta"]
    assert panel.buttons["clear"].isVisible()
    panel.buttons["clear"].click()
    legend = [label.text for _, label in plots.accuracy_plot.getPlotItem().legend.items]
    assert plots.overlays.runs == () and legend == ["train", "test"]  # the current run's alone


def test_a_run_opens_and_continues_from_the_panel_with_a_new_learning_rate(qtbot, window):
    configure(window, epochs=1, lr=0.01)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.train.click()
    first = window.session.last_completed
    steps, run_id = first.checkpoint.step, first.run_id
    panel = window.runs.panel
    qtbot.waitUntil(lambda: window.runs.controller.source.record(run_id) is not None, timeout=5000)
    panel.select([run_id])
    panel.buttons["open"].click()
    assert window.settings_panel.config().lr == 0.01 and window.session.opened[0].endswith("model.pt")
    assert [m.epoch for m in window.plot_area.plots.epochs] == [1]
    window.settings_panel.training.lr.setValue(0.05)  # a new learning rate, chosen before continuing
    panel.buttons["continue"].click()
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "continueDialog")
    assert "lr: 0.01 → <b>0.05</b>" in dialog.findChild(QLabel).text()
    dialog.epochs.setValue(1)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        dialog.go.click()
    run = window.session.last_completed
    assert run.run_id == run_id and run.checkpoint.step == 2 * steps  # the same run, its step count goes on
    assert run.started.start_epoch == 1 and run.last_step.lrs["lr"] == pytest.approx(0.05)
    assert [m.epoch for m in window.plot_area.plots.epochs] == [1, 2]  # its curves go on
    assert int(window.plot_area.plots.steps.x[0]) == steps + 1
    with RunStore.open() as store:
        record = store.get(run_id)
    assert record.epochs_done == 2 and record.status == "completed" and record.config["lr"] == 0.05


def test_a_run_trained_elsewhere_is_followed_live_and_stopped_from_the_window(qtbot, window, tmp_path):
    out, log = tmp_path / "elsewhere", tmp_path / "elsewhere.log"
    with open(log, "w") as stderr:  # the environment carries the test's run store
        process = subprocess.Popen([sys.executable, "-m", "playground", "train", *TINY, "--epochs", "2000", "--out",
                                    str(out), "--name", "elsewhere"], env=dict(os.environ),
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        panel, plots = window.runs.panel, window.plot_area.plots
        qtbot.waitUntil(lambda: _row_of(window, "elsewhere"), timeout=RUN_MS)
        record = window.runs.controller.source.records[0]
        panel.select([record.id])
        assert panel.buttons["follow"].isEnabled() and not panel.buttons["delete"].isEnabled()
        panel.buttons["follow"].click()
        bar = window.findChild(type(window.runs.follow._bar), "followBar")
        assert bar.isVisible() and window.session.following.run_id == record.id
        qtbot.waitUntil(lambda: len(plots.epochs) >= 3, timeout=RUN_MS)  # its epochs, as they are written
        assert [m.epoch for m in plots.epochs] == list(range(1, len(plots.epochs) + 1))
        qtbot.waitUntil(lambda: window.session.opened is not None, timeout=RUN_MS)  # its latest checkpoint
        assert window.session.opened[0] == str(out / "model.pt")
        bar.stop.click()
        asked = time.monotonic()
        assert process.wait(timeout=20) == 0, log.read_text()
        assert time.monotonic() - asked < 10  # it stops at its next step, and saves it
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=10_000)  # the store says it stopped
    assert window.session.following is None and "stopped" in window.status.currentMessage()
    with RunStore.open() as store:
        assert store.get(record.id).status == "stopped"
