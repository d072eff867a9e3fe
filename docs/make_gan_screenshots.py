"""The README's GAN pictures from the real window under Xvfb: a GAN run mid-training, and a latent walk.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/make_gan_screenshots.py \
        [--at-step 1500] [--checkpoint RUN/model.pt] [--out-dir docs]

1. Trains a GAN on MNIST with the app's defaults and grabs the window once the run has passed --at-step
   (docs/gan-training.png): both losses on the plots, the Samples panel drawing from 64 fixed vectors.
2. Opens --checkpoint (a finished GAN, e.g. from `playground train --arch gan --dataset mnist`), clicks two
   digits of the sample grid and grabs the Samples panel with the walk between them (docs/latent-walk.png).
Settings go to a temporary folder; the user's own are untouched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, QSettings, Qt, QTimer, Slot
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


class GanPhotographer(QObject):
    def __init__(self, window, args: argparse.Namespace):
        super().__init__(window)
        self.window, self.args = window, args
        self.taken = False

    @Slot()
    def press_train(self) -> None:
        if not self.window.is_ready:
            QTimer.singleShot(200, self.press_train)
            return
        self.window.controls.train.click()
        self.window.session.steps_added.connect(self.on_steps)

    def on_steps(self, event) -> None:
        if event.step >= self.args.at_step and not self.taken:
            self.taken = True
            QTimer.singleShot(1500, self.take_training)  # the grid refreshes, the plots redraw

    @Slot()
    def take_training(self) -> None:
        path = self.args.out_dir / "gan-training.png"
        self.window.grab().save(str(path))
        print(f"saved {path}")
        self.window.training_finished.connect(self.open_checkpoint)
        self.window.run_controller.stop()

    @Slot()
    def open_checkpoint(self) -> None:
        self.window.load_checkpoint(str(self.args.checkpoint))
        QTimer.singleShot(2500, self.pick_two)

    @Slot()
    def pick_two(self) -> None:
        samples = self.window.views[0]
        for index in self.args.walk:
            rect = samples.grid.cell_rect(index)
            QTest.mouseClick(samples.grid, Qt.MouseButton.LeftButton, pos=QPoint(int(rect.center().x()),
                                                                              int(rect.center().y())))
        QTimer.singleShot(2500, self.take_walk)

    @Slot()
    def take_walk(self) -> None:
        path = self.args.out_dir / "latent-walk.png"
        self.window.docks.docks["samples"].grab().save(str(path))
        print(f"saved {path}")
        self.window.close()
        QApplication.instance().quit()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--at-step", type=int, default=1500)
    p.add_argument("--checkpoint", type=Path, required=True)
    p.add_argument("--walk", type=int, nargs=2, default=[9, 30], help="the two grid digits to walk between")
    p.add_argument("--out-dir", type=Path, default=Path(__file__).parent)
    args = p.parse_args()
    shared = Path(__file__).resolve().parents[2] / "shared" / "data"
    if not os.environ.get("PLAYGROUND_DATA_DIR") and shared.is_dir():
        os.environ["PLAYGROUND_DATA_DIR"] = str(shared)
    os.environ.setdefault("PLAYGROUND_RUNS_DIR", tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication(sys.argv[:1])
    from playground.core.config import TrainConfig
    from playground.gui.main_window import MainWindow

    window = MainWindow()
    window.settings_panel.set_config(TrainConfig(arch="gan", dataset="mnist", epochs=4))
    window.show()
    photographer = GanPhotographer(window, args)
    QTimer.singleShot(500, photographer.press_train)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
