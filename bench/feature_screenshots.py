"""Screenshots of the layer editor, the Network view, the Data view, My classes, the handwriting row and the Sweep
view, from the real window under Xvfb, for the README's tour.

    export PLAYGROUND_HOME=$(mktemp -d) PLAYGROUND_RUNS_DIR=$(mktemp -d)   # a clean store, nothing of yours
    xvfb-run -a -s "-screen 0 1600x1000x24" python bench/feature_screenshots.py SHOT OUT.png

SHOT is one of:
  layers       lenet5 on MNIST opened with "Edit as layers": the editor's shapes, counts and total
  network      mlp (hidden 8, 8, tanh) trained on spiral with the features x, y, x², y², the Network view forward
  csv          a generated table of flats (a category column, booleans, missing values): a regression of the
               price trained for a few epochs, the Data view on its column summaries
  mnist-data   the Data view on MNIST: the grid and the count of each class (the dock alone)
  my-classes   three classes drawn with mouse strokes (8 examples each), trained, a new one read by the Draw panel:
               the My classes dock and the Draw dock, side by side
  handwriting  a sloppy writer's digits recorded with "It was a…", then "Adapt to my handwriting" (the Draw dock)
  sweep        a run of mlp on spiral, then a sweep of 8 trials over its lr and hidden sizes in 2 worker processes,
               started as Run › Sweep…'s dialog starts it; --tab NAME adds pictures of the view's other tabs

Each shot opens the window at 1600×1000, does its part and saves window.grab(). Settings go to a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_driver import make_app, settle  # noqa: E402

SIZE = (1600, 1000)


def wait(app: QApplication, seconds: float) -> None:
    settle(app, lambda: False, seconds)


class Shooter:
    """The window, opened as the app opens it, with a few helpers."""

    def __init__(self, app: QApplication, config):
        from playground.gui.main_window import MainWindow

        self.app = app
        self.window = MainWindow()
        self.window.settings_panel.set_config(config)
        self.window.show()
        self.window.resize(*SIZE)
        if not settle(app, lambda: self.window.is_ready, 120):
            raise SystemExit("torch did not load")
        self.window.build_slow_parts()
        wait(app, 0.5)

    def forward(self, dock: str, width: int = 0) -> None:
        docks = self.window.docks
        docks.bring_forward(dock)
        if width:
            self.window.resizeDocks([docks.docks[dock]], [width], Qt.Orientation.Horizontal)
        wait(self.app, 0.5)

    def train(self) -> None:
        problems = self.window.settings_panel.problems()
        if problems:
            raise SystemExit(f"these settings cannot run: {problems}")
        self.window.controls.train.click()

    def step(self) -> int:
        run = self.window.session.run
        return run.last_step.step if run is not None and run.last_step is not None else 0

    def finish_run(self, timeout_s: float = 300) -> None:
        controller = self.window.run_controller
        settle(self.app, lambda: not controller.active, timeout_s)

    def save(self, out: Path, dock: str = "") -> None:
        """The whole window, or only that dock as it is in the window."""
        self.window.resize(*SIZE)  # a run's progress bar widens the window past the screen; back to it
        wait(self.app, 1.0)
        picture = self.window.grab()
        if dock:
            picture = picture.copy(self.window.docks.docks[dock].geometry())
        picture.save(str(out))
        print(f"{out}: {picture.width()}×{picture.height()}")

    def close(self) -> None:
        if self.window.run_controller.active:
            self.window.run_controller.stop()
            settle(self.app, lambda: not self.window.run_controller.active, 60)
        self.window.close()


# --- the shots -------------------------------------------------------------------------------------------------

def shot_layers(app: QApplication, out: Path) -> None:
    from playground.core.config import TrainConfig

    s = Shooter(app, TrainConfig(arch="lenet5", dataset="mnist", epochs=1))
    wiring = s.window.layer_editor
    editor = wiring.editor
    settle(app, lambda: editor.palette_list.loaded, 60)
    wiring.edit_as_layers()
    s.forward("layers", 820)
    settle(app, lambda: editor.model.result is not None and "Total" in editor.total.text(), 30)
    editor.table.select_rows([3])  # the second convolution: its settings in the form
    s.save(out)
    s.close()


def shot_network(app: QApplication, out: Path, epochs: int) -> None:
    from playground.core.config import TrainConfig

    s = Shooter(app, TrainConfig(arch="mlp", dataset="spiral", epochs=epochs, lr=0.03,
                                 arch_options={"hidden": [8, 8], "activation": "tanh"},
                                 dataset_options={"features": "x,y,x2,y2"}))
    s.train()
    settle(app, lambda: s.window.session.run is not None and s.window.session.run.started is not None, 60)
    s.forward("network")  # over the Boundary, which a run on 2-D points brings forward
    view = s.window.docks.views["network"]
    s.finish_run()
    print(f"{s.step():,} steps:", s.window.status.currentMessage())
    s.window.resize(*SIZE)  # the run's progress bar made the window wider; back to the screen
    s.forward("network", 900)
    settle(app, lambda: view.result is not None and view.result.wires is not None, 30)
    wait(app, 1.5)
    s.save(out)  # the large picture: the output's decision boundary under the training points
    s.close()


def flats_csv(path: Path, rows: int = 2000, seed: int = 0) -> Path:
    """A table of flats for sale: numbers, a category, booleans, an identifier, and missing values."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    city = rng.choice(["Lyon", "Lille", "Nantes", "Paris", "Toulouse"], rows, p=[0.2, 0.15, 0.15, 0.3, 0.2])
    area = np.round(rng.gamma(6, 10, rows) + 15, 1)
    rooms = np.clip(np.round(area / 22 + rng.normal(0, 0.7, rows)), 1, 7).astype(int)
    floor = rng.integers(0, 12, rows)
    year = rng.integers(1890, 2024, rows)
    balcony = rng.random(rows) < 0.4
    lift = (floor > 3) & (rng.random(rows) < 0.85) | (rng.random(rows) < 0.1)
    per_m2 = pd.Series(city).map({"Paris": 10200, "Lyon": 5100, "Lille": 3500, "Nantes": 3900,
                                  "Toulouse": 3600}).to_numpy()
    price = area * per_m2 * (1 + 0.06 * balcony + 0.04 * lift + 0.0008 * (year - 1960)) * rng.normal(1, 0.08, rows)
    frame = pd.DataFrame({"listing": [f"L{100000 + i}" for i in range(rows)], "city": city, "area_m2": area,
                          "rooms": rooms, "floor": floor, "year_built": year, "balcony": balcony, "lift": lift,
                          "price_k": np.round(price / 1000, 1)})
    for column, share in (("year_built", 0.12), ("floor", 0.05), ("city", 0.03), ("area_m2", 0.02)):
        frame.loc[rng.random(rows) < share, column] = None
    frame.to_csv(path, index=False)
    return path


def shot_csv(app: QApplication, out: Path) -> None:
    from playground.core.config import TrainConfig

    path = flats_csv(Path(tempfile.mkdtemp()) / "flats.csv")
    s = Shooter(app, TrainConfig(arch="mlp", dataset="csv", data_file=str(path), target="price_k", epochs=12,
                                 batch_size=32, lr=0.003))
    panel = s.window.settings_panel
    settle(app, lambda: panel.table.target.count() > 0, 30)
    s.train()
    s.finish_run()
    s.window.resize(*SIZE)
    docks = s.window.docks.docks
    s.window.resizeDocks([docks["runs"]], [130], Qt.Orientation.Vertical)  # room for the table
    s.forward("data", 720)
    view = s.window.docks.views["data"]
    from PySide6.QtWidgets import QSplitter

    from playground.gui.views.data_compute import Table

    settle(app, lambda: isinstance(view.result, Table), 60)
    view.table.findChild(QSplitter).setSizes([170, 300, 260])  # as a user drags it: every column's summary
    summary = view.table.summary
    names = [summary.item(r, 0).text() for r in range(summary.rowCount())]
    summary.setCurrentCell(names.index("city"), 0)  # its histogram: the count of each city
    result = s.window.session.last_completed.result
    print("last epoch:", {k: round(v, 4) for k, v in result.metrics[-1].values.items()})
    print("status:", s.window.status.currentMessage())
    s.save(out)
    s.close()


def shot_mnist_data(app: QApplication, out: Path) -> None:
    from playground.core.config import TrainConfig
    from playground.gui.views.data_compute import Images

    s = Shooter(app, TrainConfig(arch="seed-cnn", dataset="mnist"))
    s.forward("data", 640)
    view = s.window.docks.views["data"]
    settle(app, lambda: isinstance(view.result, Images), 120)
    s.save(out, dock="data")
    s.close()


CLASSES = ("circle", "cross", "line")


def _strokes(kind: str, rng: np.random.Generator) -> list[list[tuple[float, float]]]:
    """One drawing of a kind, in canvas-relative coordinates, with a hand's jitter in size, place and tilt
    (as tests/gui/test_my_classes.py draws them)."""
    cx, cy = 0.5 + rng.normal(0, 0.04, 2)
    r = rng.uniform(0.22, 0.34)
    if kind == "circle":
        t = np.linspace(0, 2.05 * np.pi, 40)
        return [[(cx + r * np.cos(a), cy + r * 1.1 * np.sin(a)) for a in t]]
    if kind == "cross":
        d = r * (1 + rng.normal(0, 0.05, 4))
        return [_line(cx - d[0], cy - d[1], cx + d[0], cy + d[1]), _line(cx + d[2], cy - d[3], cx - d[2], cy + d[3])]
    tilt = rng.normal(0, 0.04)
    return [_line(cx - r * 1.2, cy - tilt, cx + r * 1.2, cy + tilt)]


def _line(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in np.linspace(0, 1, 12)]


def _draw(canvas, strokes) -> None:
    from synthetic_input import draw_stroke

    canvas.clear()
    for stroke in strokes:
        draw_stroke(canvas, stroke)


def shot_my_classes(app: QApplication, out: Path, per_class: int) -> None:
    from playground.core.config import TrainConfig

    s = Shooter(app, TrainConfig())
    mine = s.window.docks.views["myClasses"]
    s.forward("myClasses", 640)
    rng = np.random.default_rng(0)
    for name in CLASSES:
        mine.add_class(name)
        for _ in range(per_class):
            _draw(mine.canvas, _strokes(name, rng))
            mine.add_example()
            app.processEvents()
    mine.select_class(CLASSES[0])
    started = time.monotonic()
    trained: list[object] = []
    mine.model_trained.connect(lambda *a: trained.append(a))
    mine.train()
    settle(app, lambda: trained and not mine.training.running(), 300)
    print(f"trained in {time.monotonic() - started:.1f} s: {mine.message_label.text()}")
    _draw(mine.canvas, _strokes("circle", np.random.default_rng(99)))  # the next example, drawn, not yet added
    s.save(out.with_name(out.stem + "-panel.png"), dock="myClasses")
    draw = s.window.drawing
    s.forward("draw", 640)
    _draw(draw.canvas, _strokes("cross", np.random.default_rng(7)))  # a new cross, read with your classes
    draw.predict_now()
    wait(app, 1.0)
    print("the Draw panel reads:", draw.prediction_label.text())
    s.save(out.with_name(out.stem + "-draw.png"), dock="draw")
    s.close()
    _side_by_side(out, out.with_name(out.stem + "-panel.png"), out.with_name(out.stem + "-draw.png"))


def _side_by_side(out: Path, *parts: Path) -> None:
    """The docks' pictures next to each other, top-aligned (ImageMagick)."""
    import subprocess

    gap = ["(", "-size", "8x8", "xc:#efefef", ")"]
    images = [arg for part in parts for arg in (*gap, str(part))][len(gap):]  # a gap between each two
    subprocess.run(["convert", *images, "-background", "#efefef", "-gravity", "north", "+append", str(out)],
                   check=True)
    for part in parts:
        part.unlink()
    print(f"{out}: side by side")


def shot_handwriting(app: QApplication, out: Path, per_digit: int) -> None:
    from synthetic_handwriting import writers_set

    from playground.core.config import TrainConfig

    s = Shooter(app, TrainConfig())
    s.forward("draw", 620)
    draw = s.window.drawing
    settle(app, draw.has_model, 60)
    teach = draw.teach
    digits = [d for d in writers_set(per_digit, count=40, seed=3) if d.writer == 11]  # one sloppy writer
    wrong = 0
    for digit in digits:
        _draw_digit(draw, digit)
        draw.predict_now()
        app.processEvents()
        wrong += draw.prediction_label.text() != str(digit.digit)
        teach.record(digit.digit)
        app.processEvents()
    print(f"{len(digits)} digits recorded, {wrong} read wrong by the bundled model")
    done: list[object] = []
    teach.adapted.connect(done.append)
    started = time.monotonic()
    teach.adapt()
    settle(app, lambda: done and not teach.running(), 600)
    print(f"adapted in {time.monotonic() - started:.1f} s: {teach.result_label.text()}")
    sample = [d for d in writers_set(per_digit, count=40, seed=5) if d.writer == 11 and d.digit == 7][0]
    _draw_digit(draw, sample)
    draw.predict_now()
    wait(app, 1.0)
    s.save(out, dock="draw")
    s.close()


def _draw_digit(panel, digit) -> None:
    from playground.gui.drawing.canvas import PEN_FRACTION

    panel.canvas.pen_fraction = PEN_FRACTION * digit.pen
    _draw(panel.canvas, [[(float(x), float(y)) for x, y in stroke] for stroke in digit.strokes])


def shot_sweep(app: QApplication, out: Path, trials: int, tabs: list[str]) -> None:
    """The window with the Sweep view's trials; then, for each of `tabs`, that tab of the dock alone, side by
    side in OUT-tabs.png."""
    from playground.core.config import TrainConfig
    from playground.gui.sweeps.dialog import SweepDialog

    s = Shooter(app, TrainConfig(arch="mlp", dataset="spiral", epochs=100, batch_size=32,
                                 arch_options={"hidden": [16]}))
    s.train()  # a first run, as a user has trained before asking "which learning rate? how wide?"
    s.finish_run()
    controller = s.window.sweeps
    dialog = SweepDialog(s.window.settings_panel.config())  # Run › Sweep…'s dialog, filled in
    dialog.set_values("lr", "log:3e-3:3e-2")
    dialog.set_values("arch_options.hidden", "[16],[64,64],[128,128],[256,256]")
    dialog.trials.setValue(trials)
    dialog.workers.setValue(2)
    spec = dialog.spec()
    if spec is None:
        raise SystemExit(f"the sweep cannot start: {dialog.problems()}")
    started = time.monotonic()
    controller.start(spec)
    ended: list[str] = []
    controller.runner.ended.connect(ended.append)
    settle(app, lambda: ended, 600)
    print(f"{ended[0] if ended else 'not ended'} in {time.monotonic() - started:.1f} s")
    s.forward("sweep", 900)
    wait(app, 3.0)  # the best trials' curves are read from the store
    s.save(out)
    view = s.window.docks.views["sweep"]
    parts = []
    for title in tabs:
        index = next(i for i in range(view.tabs.count()) if view.tabs.tabText(i).replace("&", "") == title)
        view.tabs.setCurrentIndex(index)
        wait(app, 1.0)
        part = out.with_name(f"{out.stem}-{index}.png")
        s.save(part, dock="sweep")
        parts.append(part)
    if parts:
        _side_by_side(out.with_name(f"{out.stem}-tabs.png"), *parts)
    s.close()


def main() -> int:
    args = _parse()
    app = make_app()
    if args.shot == "layers":
        shot_layers(app, args.out)
    elif args.shot == "network":
        shot_network(app, args.out, args.epochs)
    elif args.shot == "csv":
        shot_csv(app, args.out)
    elif args.shot == "mnist-data":
        shot_mnist_data(app, args.out)
    elif args.shot == "my-classes":
        shot_my_classes(app, args.out, args.per_class)
    elif args.shot == "handwriting":
        shot_handwriting(app, args.out, args.per_digit)
    elif args.shot == "sweep":
        shot_sweep(app, args.out, args.trials, args.tabs)
    return 0


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("shot", choices=["layers", "network", "csv", "mnist-data", "my-classes", "handwriting", "sweep"])
    p.add_argument("out", type=Path)
    p.add_argument("--epochs", type=int, default=150, help="network: epochs trained before the picture")
    p.add_argument("--per-class", type=int, default=8, help="my-classes: examples drawn of each class")
    p.add_argument("--per-digit", type=int, default=2, help="handwriting: digits of each kind the writer records")
    p.add_argument("--trials", type=int, default=8, help="sweep: trials in all")
    p.add_argument("--tab", dest="tabs", action="append", default=[],
                   help="sweep: also this tab of the Sweep view (Best so far, Settings, Parallel, Importance)")
    return p.parse_args()


if __name__ == "__main__":
    sys.exit(main())
