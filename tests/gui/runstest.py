"""Helpers for the Runs tests: a store of made-up runs (no training), and the panel with its controller."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fakes import FakeMessages, FakeView

from playground.core.config import TrainConfig
from playground.core.store import Owner, RunStore, this_process
from playground.core.store.folder import start_run_dir

QUICK = TrainConfig(arch="mlp", dataset="spiral", epochs=3, batch_size=32, device="cpu", lr=0.01,
                    arch_options={"hidden": [8]}, dataset_options={"samples": 200})
# name -> (learning rate, test accuracy per epoch, how it ended)
MADE_UP = {"alpha": (0.01, (0.80, 0.85, 0.90), "completed"), "beta": (0.1, (0.70, 0.95, 0.93), "completed"),
           "gamma": (0.3, (0.50,), "failed"), "delta": (0.03, (0.60, 0.65), "interrupted")}


def _dead_owner() -> Owner:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    me = this_process()
    return Owner(child.pid, me.host, me.started)


def made_up_store(folder: Path) -> dict[str, str]:
    """A store in `folder` with the MADE_UP runs (folders, epochs, endings; no checkpoints); name -> id."""
    ids = {}
    with RunStore.open(folder / "runs.db") as store:
        for name, (lr, accuracies, ending) in MADE_UP.items():
            config = QUICK.replace(lr=lr, epochs=len(accuracies) + (ending != "completed"))
            owner = _dead_owner() if ending == "interrupted" else None
            run = store.create(config.to_dict(), start_run_dir(folder / name, config), "classification", name, owner)
            for epoch, accuracy in enumerate(accuracies, 1):
                store.add_epoch(run.id, {"epoch": epoch, "train_loss": 1.2 - accuracy, "test_loss": 1.1 - accuracy,
                                         "test_accuracy": accuracy, "lr": lr, "seconds": 0.1,
                                         "samples_per_s": 1000.0}, 7 * epoch)
            if ending != "interrupted":
                store.finish(run.id, ending, message="the loss became nan at step 7: lower the learning rate"
                             if ending == "failed" else "")
            ids[name] = run.id
    return ids


def panel_and_controller(qapp, session=None):
    """A RunsPanel and its RunsController over $PLAYGROUND_RUNS_DIR, with fake neighbours; polling fast."""
    from playground.gui.controllers.runs_controller import RunsController
    from playground.gui.runs.panel import RunsPanel
    from playground.gui.runs.source import RunsSource
    from playground.gui.session import SessionModel

    session = session or SessionModel()
    panel, source = RunsPanel(), RunsSource(poll_ms=50, full_read_s=0.3)
    settings, runs = FakeView(config=QUICK), FakeView()
    runs.active = False
    shown = []
    controller = RunsController(session, panel, source, settings, runs, FakeView(), shown.append,
                                lambda: None, FakeView(), FakeMessages(), None, qapp)
    controller.opened_models = shown
    return panel, controller


def names_in_table(panel) -> list[str]:
    from playground.gui.runs.table_model import RECORD_ROLE

    return [panel.proxy.index(row, 0).data(RECORD_ROLE).name for row in range(panel.proxy.rowCount())]
