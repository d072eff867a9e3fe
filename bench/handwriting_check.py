"""Does the drawing panel read handwriting? Synthetic handwritten digits, drawn with mouse events.

Two sets (playground.core.inference.synthetic_handwriting):
- `--writers N` (the default, 40): N writers, each with their own habits (how sloppy, how large, how slanted,
  a fine stylus or a broad finger, loops left open, strokes run on, a favourite style of each digit), write every
  digit --per-digit times. This is the harder check, made to predict how real people's digits are read.
- `--writers 0`: every style of every digit (1 with and without a flag, 7 with and without a bar, open and
  closed 4, ...) --per-style times with random size, slant, rotation, jitter and tremor, careful by default.
Each digit is drawn onto the panel's canvas as mouse press / move / release events at whole-pixel positions
(with the writer's pen), and read back from the panel's prediction. Prints the accuracy per digit, per style
and overall, and the most frequent confusions.

    python bench/handwriting_check.py [--writers 40] [--per-digit 5] [--per-style 50] [--seed 0]
                                      [--sloppiness 1] [--checkpoint PATH] [--grid mistakes.png] [--points 8]

--points 8 writes each digit as 8 points joined by straight lines, as a quick touchpad stroke reports it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter, defaultdict

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEvent, QPointF  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from synthetic_handwriting import (  # noqa: E402
    HandwrittenDigit,
    few_points,
    handwriting_set,
    writers_set,
)
from synthetic_input import send_mouse, to_widget  # noqa: E402

from playground.gui.drawing.panel import DrawingPanel  # noqa: E402


def draw_with_mouse(panel: DrawingPanel, digit: HandwrittenDigit) -> None:
    """Mouse events at whole pixels, as a real mouse reports them."""
    canvas = panel.canvas
    canvas.clear()
    canvas.pen_fraction = panel.default_pen * digit.pen
    for stroke in digit.strokes:
        points = [to_widget(canvas, x, y) for x, y in stroke]
        points = [QPointF(round(p.x()), round(p.y())) for p in points]
        send_mouse(canvas, QEvent.Type.MouseButtonPress, points[0], True)
        for p in points[1:]:
            send_mouse(canvas, QEvent.Type.MouseMove, p, True)
        send_mouse(canvas, QEvent.Type.MouseButtonRelease, points[-1], False)


def read_all(panel: DrawingPanel, digits: list[HandwrittenDigit]) -> tuple[list, list]:
    """The panel's answers, and for comparison those of a naive input: the whole canvas shrunk to 28x28."""
    answers, naive = [], []
    for digit in digits:
        draw_with_mouse(panel, digit)
        panel.predict_now()
        answers.append((digit, panel.prediction_label.text()))
        naive.append((digit, naive_answer(panel)))
    return answers, naive


def naive_answer(panel: DrawingPanel) -> str:
    import torch
    import torch.nn.functional as F

    predictor = panel._predictor
    ink = torch.from_numpy(panel.canvas.ink_array().astype(np.float32) / 255)[None, None]
    x = (F.interpolate(ink, size=(28, 28), mode="area") - predictor.info.mean[0]) / predictor.info.std[0]
    return predictor.info.labels()[int(predictor.predict(x).argmax())]


def print_report(answers: list[tuple[HandwrittenDigit, str]]) -> float:
    by_digit, by_style = defaultdict(list), defaultdict(list)
    confusions = Counter()
    for digit, said in answers:
        ok = said == str(digit.digit)
        by_digit[digit.digit].append(ok)
        by_style[(digit.digit, digit.style)].append(ok)
        if not ok:
            confusions[(digit.digit, said)] += 1
    print("digit  accuracy   styles")
    for d in sorted(by_digit):
        styles = ", ".join(f"{s} {np.mean(v):.0%}" for (dd, s), v in by_style.items() if dd == d)
        print(f"  {d}    {np.mean(by_digit[d]):6.1%}    {styles}")
    overall = float(np.mean([ok for v in by_digit.values() for ok in v]))
    print(f"overall {overall:.1%} of {len(answers)} digits; per-digit mean "
          f"{np.mean([np.mean(v) for v in by_digit.values()]):.1%}")
    top = ", ".join(f"{a} read as {b}: {n}" for (a, b), n in confusions.most_common(6))
    print(f"most frequent confusions: {top or 'none'}")
    return overall


def save_mistakes(panel: DrawingPanel, answers: list, path: str, limit: int = 60) -> None:
    """A sheet of the misread digits' 28x28 inputs (each labelled only by its order in the printout)."""
    tiles = []
    for digit, said in answers:
        if said != str(digit.digit) and len(tiles) < limit:
            draw_with_mouse(panel, digit)
            panel.predict_now()
            tiles.append(np.pad(panel.preview.pixels(), 2, constant_values=80))
            print(f"  mistake {len(tiles)}: {digit.digit} ({digit.style}) read as {said}")
    if tiles:
        cols = 10
        tiles += [np.zeros_like(tiles[0])] * (-len(tiles) % cols)
        sheet = np.vstack([np.hstack(tiles[i:i + cols]) for i in range(0, len(tiles), cols)])
        sheet = np.ascontiguousarray(np.kron(sheet, np.ones((3, 3), np.uint8)))
        QImage(sheet.data, sheet.shape[1], sheet.shape[0], sheet.shape[1], QImage.Format.Format_Grayscale8).save(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=40, help="writers with habits of their own; 0: every style "
                        "written carefully (default: %(default)s)")
    parser.add_argument("--per-digit", type=int, default=5, help="each writer's samples of each digit "
                        "(default: %(default)s)")
    parser.add_argument("--per-style", type=int, default=50, help="with --writers 0: samples of each style "
                        "(default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the handwriting (default: 0)")
    parser.add_argument("--sloppiness", type=float, default=1.0,
                        help="scale of shape jitter, slant and rotation: 1 careful, 2 hurried (default: 1)")
    parser.add_argument("--checkpoint", help="a checkpoint to read with, instead of the bundled model")
    parser.add_argument("--canvas", type=int, default=340, help="canvas side in pixels (default: %(default)s)")
    parser.add_argument("--pen", type=float, help="pen width as a fraction of the canvas side (default: the app's)")
    parser.add_argument("--grid", help="save the misread digits' 28x28 inputs to this PNG")
    parser.add_argument("--points", type=int, default=0, help="each digit as this many points in all, joined by "
                        "straight lines: a quick stroke on a touchpad (0: the whole trajectory; default: 0)")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])  # noqa: F841 (needed alive)
    panel = DrawingPanel(load_bundled=args.checkpoint is None)
    if args.checkpoint:
        panel.load_checkpoint(args.checkpoint)
    elif not panel.wait_for_bundled_model():
        print("the bundled model did not load")
        return 1
    QApplication.processEvents()
    panel.canvas.setFixedSize(args.canvas, args.canvas)
    panel.show()
    if args.pen:
        panel.canvas.pen_fraction = args.pen
    panel.default_pen = panel.canvas.pen_fraction
    digits = (writers_set(args.per_digit, args.writers, args.seed) if args.writers
              else handwriting_set(args.per_style, args.seed, args.sloppiness))
    if args.points:
        digits = [few_points(d, args.points) for d in digits]
    who = f"{args.writers} writers" if args.writers else f"every style, sloppiness {args.sloppiness}"
    who += f", {args.points} points a digit" if args.points else ", whole trajectories"
    print(f"model: {panel.model_description()}; canvas {args.canvas} px, pen {panel.canvas.pen_width():.1f} px, "
          f"{who}")
    answers, naive = read_all(panel, digits)
    print_report(answers)
    right = np.mean([said == str(d.digit) for d, said in naive])
    print(f"for comparison, the whole canvas shrunk to 28x28 without MNIST's cropping and centring: {right:.1%}")
    if args.grid:
        save_mistakes(panel, answers, args.grid)
    panel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
