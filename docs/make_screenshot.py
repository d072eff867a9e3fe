"""Take the README's screenshot: the real window mid-training, under Xvfb.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/make_screenshot.py
        [--arch seed-cnn] [--dataset mnist] [--epochs 3] [--at-step 2000] [--out docs/screenshot.png]

Settings go to a temporary folder, so the user's own are untouched. The picture is taken once the run has
passed --at-step, then the window is closed, which stops the run.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))  # synthetic_input

from PySide6.QtCore import QObject, QSettings, QTimer, Slot
from PySide6.QtWidgets import QApplication


class Photographer(QObject):
    """Presses Train once torch is ready, and photographs the window when the run reaches a step."""

    def __init__(self, window, at_step: int, out: Path):
        super().__init__(window)
        self.window, self.at_step, self.out = window, at_step, out
        self.taken = False

    @Slot()
    def press_train(self) -> None:
        if not self.window.is_ready:
            QTimer.singleShot(200, self.press_train)
            return
        self.window.controls.train.click()
        self.window.run_controller.handle.worker.step.connect(self._on_worker_step)
        self.window.run_controller.handle.worker.failed.connect(self._on_worker_failed)

    @Slot(object)
    def _on_worker_failed(self, event) -> None:
        print(f"the run failed: {event.message}", file=sys.stderr)

    @Slot(object)
    def _on_worker_step(self, event) -> None:
        if event.step >= self.at_step and not self.taken:
            self.taken = True
            self.draw_a_three()
            QTimer.singleShot(1500, self.take)  # the plots redraw, the drawing panel answers

    def draw_a_three(self) -> None:
        """A handwritten 3 on the drawing panel, so the picture shows the network reading it mid-training."""
        if self.window.drawing is None or not hasattr(self.window.drawing, "canvas"):
            return
        from synthetic_input import draw_stroke

        upper = [(0.48 + 0.17 * math.cos(t), 0.34 + 0.12 * math.sin(t)) for t in _angles(-160, 90)]
        lower = [(0.48 + 0.2 * math.cos(t), 0.62 + 0.16 * math.sin(t)) for t in _angles(-90, 160)]
        draw_stroke(self.window.drawing.canvas, upper + lower[1:])

    @Slot()
    def take(self) -> None:
        self.window.grab().save(str(self.out))
        print(f"saved {self.out}")
        self.window.close()  # stops the run; the window closes once its thread has ended


def _angles(start_deg: float, end_deg: float, n: int = 24) -> list[float]:
    return [math.radians(start_deg + (end_deg - start_deg) * i / (n - 1)) for i in range(n)]


def main() -> int:
    args = _parse()
    shared_data = Path(__file__).resolve().parents[2] / "shared" / "data"
    if not os.environ.get("PLAYGROUND_DATA_DIR") and shared_data.is_dir():
        os.environ["PLAYGROUND_DATA_DIR"] = str(shared_data)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication(sys.argv)
    from playground.core.config import TrainConfig
    from playground.gui.main_window import MainWindow

    window = MainWindow()
    window.settings_panel.set_config(TrainConfig(arch=args.arch, dataset=args.dataset, epochs=args.epochs,
                                                 schedule=args.schedule, lr=args.lr, batch_size=args.batch_size))
    window.show()
    photographer = Photographer(window, args.at_step, args.out)
    window.training_finished.connect(app.quit)
    QTimer.singleShot(500, photographer.press_train)
    return app.exec()


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", default="seed-cnn")
    p.add_argument("--dataset", default="mnist")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--schedule", default="cosine")
    p.add_argument("--at-step", type=int, default=2000)
    p.add_argument("--out", type=Path, default=Path(__file__).with_name("screenshot.png"))
    return p.parse_args()


if __name__ == "__main__":
    sys.exit(main())
