"""A screenshot of the drawing panel (or the whole window) with a synthetic handwritten digit on it.

    xvfb-run -s "-screen 0 1400x900x24" python bench/drawing_screenshot.py docs/drawing.png [--window] [--digit 7]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from app_driver import settle
from PySide6.QtWidgets import QApplication, QWidget
from synthetic_handwriting import STYLES, write_digit
from synthetic_input import draw_strokes

from playground.gui.drawing.panel import DrawingPanel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="PNG file to write")
    parser.add_argument("--window", action="store_true", help="the whole main window, not just the panel")
    parser.add_argument("--digit", type=int, default=7, help="digit to draw (default: 7)")
    parser.add_argument("--seed", type=int, default=3, help="random seed of the handwriting (default: 3)")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    if args.window:
        from playground.gui import MainWindow

        shown: QWidget = MainWindow()
        panel: DrawingPanel = shown.drawing
        ready = lambda: shown.is_ready and panel.has_model()  # noqa: E731
    else:
        shown = panel = DrawingPanel()
        shown.resize(900, 520)
        ready = panel.has_model
    shown.show()
    settle(app, ready, 60)
    style = next(iter(STYLES[args.digit]))
    digit = write_digit(args.digit, style, np.random.default_rng(args.seed))
    draw_strokes(panel.canvas, [stroke.tolist() for stroke in digit.strokes])
    panel.predict_now()
    settle(app, lambda: True, 0)
    shown.grab().save(args.out)
    print(f"{args.out}: drew a {args.digit}, the panel says {panel.prediction_label.text()} "
          f"{panel.confidence_label.text()}; {panel.model_description()}")
    shown.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
