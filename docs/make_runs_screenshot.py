"""Take docs/runs.png: the Runs panel after real runs, two of them overlaid on the plots of a run trained in
the window, under Xvfb.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/make_runs_screenshot.py [--out docs/runs.png]

The runs are real: `playground train` in subprocesses (one diverges and fails, one is killed and reads back as
interrupted), then one run trained in the window. The run store and the settings go to temporary folders, so
the user's own are untouched.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Slot
from PySide6.QtWidgets import QApplication

SPIRAL = ["--dataset", "spiral", "--epochs", "30", "--batch-size", "32", "--device", "cpu", "--quiet"]
CLI_RUNS = {  # name -> the flags of its `playground train`
    "spiral-mlp-lr0.003": ["--arch", "mlp", "-O", "hidden=64,64", "--lr", "0.003", *SPIRAL],
    "spiral-mlp-lr0.03": ["--arch", "mlp", "-O", "hidden=64,64", "--lr", "0.03", *SPIRAL],
    "spiral-linear": ["--arch", "linear", "--lr", "0.01", *SPIRAL],
    "moons-mlp-tanh": ["--arch", "mlp", "-O", "hidden=16", "-O", "activation=tanh", "--lr", "0.01", "--dataset",
                       "moons", "--epochs", "10", "--device", "cpu", "--quiet"],
    "spiral-sgd-lr100": ["--arch", "mlp", "--optimizer", "sgd", "--lr", "100", *SPIRAL],  # diverges: failed
}
OVERLAID = ("spiral-mlp-lr0.003", "spiral-mlp-lr0.03")


def record_cli_runs() -> None:
    for name, flags in CLI_RUNS.items():
        subprocess.run([sys.executable, "-m", "playground", "train", *flags, "--name", name],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    killed = subprocess.Popen([sys.executable, "-m", "playground", "train", "--arch", "mlp", "--lr", "0.01",
                               *SPIRAL[:2], "--epochs", "1000", "--device", "cpu", "--quiet", "--name",
                               "spiral-mlp-killed"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(8)  # a few epochs
    killed.send_signal(signal.SIGKILL)
    killed.wait()


class Photographer(QObject):
    def __init__(self, window, out: Path):
        super().__init__(window)
        self.window, self.out = window, out

    @Slot()
    def train(self) -> None:
        if not self.window.is_ready:
            QTimer.singleShot(200, self.train)
            return
        from playground.core.config import TrainConfig

        self.window.settings_panel.set_config(TrainConfig(arch="mlp", arch_options={"hidden": [64, 64]},
                                                          dataset="spiral", epochs=30, batch_size=32, lr=0.01))
        self.window.training_finished.connect(self.overlay)
        self.window.controls.train.click()

    @Slot()
    def overlay(self) -> None:
        runs = self.window.runs
        records = {r.name: r for r in runs.controller.source.records}
        if not all(name in records for name in OVERLAID):
            QTimer.singleShot(500, self.overlay)  # the panel reads the store about every second
            return
        runs.panel.select([records[name].id for name in OVERLAID])
        runs.panel.buttons["overlay"].click()
        runs.panel.table.scrollToBottom()  # the overlaid runs are the oldest
        QTimer.singleShot(1500, self.take)

    @Slot()
    def take(self) -> None:
        self.window.grab().save(str(self.out))
        print(f"saved {self.out}")
        self.window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("runs.png"))
    args = parser.parse_args()
    os.environ["PLAYGROUND_RUNS_DIR"] = store = tempfile.mkdtemp(prefix="playground-screenshot-runs-")
    atexit.register(shutil.rmtree, store, True)
    record_cli_runs()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication(sys.argv)
    from playground.gui.main_window import MainWindow

    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    photographer = Photographer(window, args.out.absolute())
    QTimer.singleShot(0, photographer.train)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
