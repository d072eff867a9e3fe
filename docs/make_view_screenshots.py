"""Screenshots of the views that look inside the model, from the real window mid-training, under Xvfb.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/make_view_screenshots.py \
        --arch mlp --dataset spiral --lr 0.01 --epochs 200 --at-step 4000 --shoot boundary=docs/boundary.png
    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/make_view_screenshots.py --at-step 600 \
        --shoot inside=docs/inside.png --shoot health=docs/layer-health.png

Once the run passes --at-step, a handwritten 3 is drawn on the Draw panel (the inside view's input), then
each named dock is brought forward, widened, and photographed two seconds later; then the window closes,
which stops the run. Settings go to a temporary folder, so the user's own are untouched.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))  # synthetic_input

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication

SETTLE_MS = 2000  # the views get a few snapshots and redraw


class Photographer(QObject):
    def __init__(self, window, at_step: int, shots: list[tuple[str, Path]], dock_width: int):
        super().__init__(window)
        self.window, self.at_step, self.shots, self.dock_width = window, at_step, list(shots), dock_width
        self.started = False

    @Slot()
    def press_train(self) -> None:
        if not self.window.is_ready:
            QTimer.singleShot(200, self.press_train)
            return
        self.window.controls.train.click()
        self.window.run_controller.handle.worker.step.connect(self._on_worker_step)

    @Slot(object)
    def _on_worker_step(self, event) -> None:
        if event.step >= self.at_step and not self.started:
            self.started = True
            self._draw_a_three()
            self._next()

    def _draw_a_three(self) -> None:
        from synthetic_input import draw_stroke

        self.window.docks.bring_forward("draw")
        upper = [(0.48 + 0.17 * math.cos(t), 0.34 + 0.12 * math.sin(t)) for t in _angles(-160, 90)]
        lower = [(0.48 + 0.2 * math.cos(t), 0.62 + 0.16 * math.sin(t)) for t in _angles(-90, 160)]
        draw_stroke(self.window.drawing.canvas, upper + lower[1:])
        self.window.drawing.predict_now()

    def _next(self) -> None:
        if not self.shots:
            self.window.close()  # stops the run; the window closes once its thread has ended
            return
        name = self.shots[0][0]
        dock = self.window.docks.docks[name]
        self.window.docks.bring_forward(name)
        self.window.resizeDocks([dock], [self.dock_width], Qt.Orientation.Horizontal)
        QTimer.singleShot(SETTLE_MS, self._take)

    @Slot()
    def _take(self) -> None:
        name, out = self.shots.pop(0)
        self.window.grab().save(str(out))
        print(f"saved {out} ({name})")
        self._next()


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

    options = {"hidden": [int(h) for h in args.hidden.split(",")]} if args.hidden else {}
    window = MainWindow()
    window.settings_panel.set_config(TrainConfig(arch=args.arch, dataset=args.dataset, epochs=args.epochs,
                                                 lr=args.lr, batch_size=args.batch_size, arch_options=options))
    window.show()
    shots = [(name, Path(path)) for name, _, path in (s.partition("=") for s in args.shoot)]
    photographer = Photographer(window, args.at_step, shots, args.dock_width)
    window.training_finished.connect(app.quit)
    QTimer.singleShot(500, photographer.press_train)
    return app.exec()


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", default="seed-cnn")
    p.add_argument("--dataset", default="mnist")
    p.add_argument("--hidden", default="", help="an mlp's hidden sizes, e.g. 64,64")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--at-step", type=int, default=600)
    p.add_argument("--dock-width", type=int, default=720, help="width of the photographed dock, in pixels")
    p.add_argument("--shoot", action="append", default=[], metavar="DOCK=FILE",
                   help="a dock to photograph (inside, boundary, health, ...) and the PNG to write; repeatable")
    return p.parse_args()


if __name__ == "__main__":
    sys.exit(main())
