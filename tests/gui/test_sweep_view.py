"""Sweeps in the app: the dialog builds a sweep from the ticked settings and refuses bad ones with the core's
messages; a real sweep (spiral, tiny epochs, one worker process) fills the Sweep view as its trials end; and
"Use the best settings" puts the best trial's settings into the form."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from playground.core.config import TrainConfig
from playground.gui.session import SessionModel
from playground.gui.settings.settings_panel import SettingsPanel

SPIRAL = TrainConfig(arch="mlp", arch_options={"hidden": [16]}, dataset="spiral",
                     dataset_options={"samples": 300}, epochs=1, batch_size=32, device="cpu", threads=1)
SWEEP_MS = 60_000  # a worker process: importing torch and optuna, then three sub-second trials


class _Status:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 (Qt's name)
        self.messages.append(text)


class _Messages:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, title: str, text: str, details: str = "") -> None:
        self.errors.append((title, text))


def _dialog(qtbot, config: TrainConfig = SPIRAL):
    from playground.gui.sweeps.dialog import SweepDialog

    dialog = SweepDialog(config)
    qtbot.addWidget(dialog)
    return dialog


def test_the_dialog_makes_a_sweep_of_the_ticked_settings(qtbot):
    dialog = _dialog(qtbot)
    assert dialog.ticks["lr"].isChecked() and dialog.fields["lr"].text().startswith("log:")  # log-uniform lr
    assert {"batch_size", "epochs", "weight_decay", "arch_options.hidden", "arch_options.dropout", "arch"} \
        <= set(dialog.ticks)
    dialog.set_values("batch_size", "16,32")
    dialog.set_values("arch_options.hidden", "[8],[16,16]")
    dialog.trials.setValue(7)
    dialog.workers.setValue(1)
    spec = dialog.spec()
    assert dialog.ok.isEnabled() and not dialog.problems()
    assert [p.path for p in spec.space] == ["lr", "batch_size", "arch_options.hidden"]
    lr = spec.space[0]
    assert lr.kind == "log_uniform" and lr.low < SPIRAL.lr < lr.high
    assert spec.space[2].choices == ([8], [16, 16])
    assert (spec.trials, spec.strategy, spec.metric, spec.direction) == (7, "tpe", "test_accuracy", "maximize")
    assert spec.config == SPIRAL


@pytest.mark.parametrize(("path", "values", "expected"), [
    ("lr", "log:1e-1:1e-4", "reversed"),
    ("lr", "log:0.01:0.01", "empty"),
    ("batch_size", "", "is not NAME=VALUES"),
    ("arch_options.dropout", "0:5", "dropout"),  # a value no run can take: validate's message
])
def test_the_dialog_refuses_bad_ranges_with_the_cores_message(qtbot, path, values, expected):
    dialog = _dialog(qtbot)
    dialog.set_values("weight_decay", "log:1e-5:1e-3")  # still something to vary once `path` is unticked
    dialog.set_values(path, values)
    assert not dialog.ok.isEnabled() and dialog.spec() is None
    assert any(expected in p for p in dialog.problems()), dialog.problems()
    dialog.set_values(path, values, ticked=False)  # unticked, it no longer counts
    assert dialog.ok.isEnabled() and not dialog.problems()


def test_a_grid_larger_than_the_trials_and_an_empty_sweep_are_refused(qtbot):
    dialog = _dialog(qtbot)
    dialog.strategy.setCurrentText("grid")
    dialog.set_values("lr", "0.001,0.01,0.1")
    dialog.set_values("batch_size", "16,32")
    dialog.trials.setValue(4)
    assert not dialog.ok.isEnabled() and any("the grid has 6 points" in p for p in dialog.problems())
    dialog.trials.setValue(6)
    assert dialog.ok.isEnabled()
    dialog.set_values("lr", "", ticked=False)
    dialog.set_values("batch_size", "", ticked=False)
    assert not dialog.ok.isEnabled() and any("nothing varies" in p for p in dialog.problems())


@pytest.fixture
def sweeping(qtbot, tmp_path):
    """A SweepController over a settings panel and a Sweep view (no window), its study in tmp_path."""
    from playground.gui.sweeps.controller import SweepController
    from playground.gui.sweeps.view import SweepView

    panel, view, session = SettingsPanel(), SweepView(), SessionModel()
    for widget in (panel, view):
        qtbot.addWidget(widget)
    panel.set_config(SPIRAL)
    status, messages = _Status(), _Messages()
    parent = QWidget()
    qtbot.addWidget(parent)
    controller = SweepController(panel, session, status, messages, lambda forward=True: view, parent,
                                 storage_url=f"sqlite:///{tmp_path / 'sweeps.db'}", parent=parent)
    yield controller, panel, view, session
    controller.shutdown()
    panel.shutdown()


def test_the_sweep_view_fills_as_trials_end_and_the_best_settings_go_into_the_form(qtbot, sweeping):
    controller, panel, view, session = sweeping
    assert view.pages.currentWidget() is view.empty and "Run › Sweep…" in view.empty.text()
    dialog = _dialog(qtbot, panel.config())
    dialog.set_values("lr", "log:0.003:0.3")
    dialog.set_values("arch_options.hidden", "[4],[32]")
    dialog.trials.setValue(3)
    dialog.prune.setChecked(False)
    controller.start(dialog.spec())
    assert controller.active
    qtbot.waitUntil(lambda: view.table.rowCount() >= 1 and view.table.item(0, 1).text() == "complete",
                    timeout=SWEEP_MS)  # the first trial, while the worker goes on
    with qtbot.waitSignal(controller.runner.ended, timeout=SWEEP_MS) as ended:
        pass
    assert ended.args[0].endswith("ended.") and not controller.active
    summary = view.state.summary
    assert [t.state for t in summary.trials] == ["complete"] * 3 and view.table.rowCount() == 3
    assert set(view.scatters.plots) == {"lr", "arch_options.hidden"}
    assert view.importance.values and abs(sum(view.importance.values.values()) - 1) < 1e-6
    best = summary.best
    assert session.overlays and session.overlays[0].run_id == best.run and session.overlays[0].epochs
    assert view.use_best.isEnabled()
    view.use_best.click()
    config = panel.config()
    assert config.lr == pytest.approx(best.params["lr"])
    assert config.arch_options["hidden"] == best.params["arch_options.hidden"]
    assert config.dataset == "spiral" and config.epochs == SPIRAL.epochs  # the rest of the form stays


def test_the_window_has_run_sweep_and_a_sweep_dock(qtbot):
    from playground.gui import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    assert window.findChild(QWidget, "sweepView") is window.docks.views["sweep"]
    assert window.docks.docks["sweep"].objectName() == "sweepDock"
    window.sweeps.menu.sweep.trigger()  # Run › Sweep… opens the dialog over the form's settings
    dialog = window.sweeps.dialog
    assert dialog.isVisible() and dialog.config == window.settings_panel.config()
    started = []
    window.sweeps.start = started.append  # what Start sweep hands on (the real start is tested above)
    dialog.accept()
    assert started == [dialog.spec()] and started[0].config == window.settings_panel.config()
    assert not window.sweeps.menu.stop.isEnabled()


def test_stop_sweep_stops_its_worker_processes(qtbot, sweeping):
    controller, panel, view, _ = sweeping
    dialog = _dialog(qtbot, panel.config().replace(epochs=50))  # long enough to be stopped mid-trial
    dialog.trials.setValue(20)
    controller.start(dialog.spec())
    qtbot.waitUntil(lambda: view.table.rowCount() >= 1, timeout=SWEEP_MS)  # a trial runs in the worker
    workers = list(controller.runner.workers)
    assert workers and view.stop.isEnabled()
    with qtbot.waitSignal(controller.runner.ended, timeout=SWEEP_MS) as ended:
        view.stop.click()
    assert "stopped" in ended.args[0] and "--resume" in ended.args[0]
    assert all(w.poll() is not None for w in workers) and not controller.active
    assert not view.stop.isEnabled()
