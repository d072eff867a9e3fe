"""What the Evaluation view exports: the confusion matrix as CSV (Qt-free) and its pictures as PNG."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from playground.core.analysis.confusion import Confusion

CORNER = "true \\ predicted"


def write_confusion_csv(path: str | Path, confusion: Confusion) -> None:
    """One row per true class: its name, the count read as each class, and the share read right."""
    names = confusion.class_names
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow([CORNER, *names, "total", "accuracy"])
        for t, (name, accuracy) in enumerate(zip(names, confusion.per_class_accuracy())):
            row = [int(v) for v in confusion.counts[t]]
            out.writerow([name, *row, sum(row), "" if math.isnan(accuracy) else f"{accuracy:.6f}"])
        out.writerow(["total", *(int(v) for v in confusion.counts.sum(axis=0)), confusion.total,
                      f"{confusion.accuracy:.6f}"])


def save_png(widget, path: str | Path) -> None:
    """A widget's picture as PNG; raises OSError naming the file when it cannot be written."""
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(f"cannot write {path}; choose a folder you can write to")
