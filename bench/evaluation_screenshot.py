"""A screenshot of the Evaluation view in the real window after a real run (seed-cnn on MNIST, one epoch).

    xvfb-run -a -s "-screen 0 1600x1000x24" python bench/evaluation_screenshot.py docs/evaluation.png
        [--window] [--cell 4,9] [--epochs 1] [--arch seed-cnn] [--dataset mnist]

The Evaluation dock is brought forward and widened; once the run has ended and the view is filled, the dock
(or with --window the whole window) is saved. --cell T,P first clicks that cell of the confusion matrix.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_driver import TrainingDriver, make_app, settle  # noqa: E402


def main() -> int:
    args = _parse()
    app = make_app()
    from playground.core.config import TrainConfig

    driver = TrainingDriver(TrainConfig(arch=args.arch, dataset=args.dataset, epochs=args.epochs), lambda e: None)
    window = driver.window
    dock = window.docks.docks["evaluation"]
    dock.show()
    dock.raise_()
    window.resizeDocks([dock], [args.dock_width], Qt.Orientation.Horizontal)
    panel = dock.widget()
    driver.start()
    if not settle(app, lambda: window.is_ready and not window.run_controller.active and panel.result is not None,
                  args.timeout):
        print("the view was not filled in time", file=sys.stderr)
        window.close()
        return 1
    if args.cell:
        true_class, predicted_class = (int(v) for v in args.cell.split(","))
        panel.show_cell(true_class, predicted_class)
        settle(app, lambda: panel.result.gallery.cell == (true_class, predicted_class), 30)
    (window if args.window else dock).grab().save(str(args.out))
    r = panel.result
    print(f"{args.out}: {r.confusion.correct} of {r.confusion.total} right; "
          f"{panel.content.gallery_label.text()}")
    window.close()
    return 0


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--window", action="store_true", help="the whole window, not just the Evaluation dock")
    p.add_argument("--cell", default="", help="T,P: show the images of this cell (true T read as P)")
    p.add_argument("--arch", default="seed-cnn")
    p.add_argument("--dataset", default="mnist")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--dock-width", type=int, default=640)
    p.add_argument("--timeout", type=float, default=600)
    return p.parse_args()


if __name__ == "__main__":
    sys.exit(main())
