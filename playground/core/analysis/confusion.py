"""A classifier's answers on a test split, summed up: the confusion matrix (row = true class, column = the
predicted one), its row-normalised version, per-class accuracy, and which samples sit where.

Plain numpy on the answers an EvaluationEvent carries: cheap enough (10,000 answers in well under a
millisecond) to run at every epoch's end, and usable without torch or Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def confusion_matrix(true: np.ndarray, predicted: np.ndarray, num_classes: int) -> np.ndarray:
    """K x K int64 counts: [t, p] = how many samples of true class t were predicted as p."""
    true, predicted = np.asarray(true, np.int64), np.asarray(predicted, np.int64)
    if true.shape != predicted.shape:
        raise ValueError(f"true and predicted differ in length ({true.shape} vs {predicted.shape})")
    out_of_range = (true < 0) | (true >= num_classes) | (predicted < 0) | (predicted >= num_classes)
    if out_of_range.any():
        raise ValueError(f"class indices must lie in 0..{num_classes - 1}")
    flat = np.bincount(true * num_classes + predicted, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


def row_normalised(counts: np.ndarray) -> np.ndarray:
    """Each row divided by its total: the share of each true class read as each class (0 for empty rows)."""
    counts = np.asarray(counts, np.float64)
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)


def per_class_accuracy(counts: np.ndarray) -> np.ndarray:
    """The diagonal over each row's total: how often each true class is read right (nan for an empty row)."""
    counts = np.asarray(counts, np.float64)
    totals = counts.sum(axis=1)
    return np.divide(np.diag(counts), totals, out=np.full(len(counts), np.nan), where=totals > 0)


def by_confidence(indices: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """`indices` ordered by the model's probability for its answer, highest first (ties by index)."""
    indices = np.asarray(indices, np.int64)
    order = np.lexsort((indices, -np.asarray(probability)[indices]))
    return indices[order]


def cell_indices(true: np.ndarray, predicted: np.ndarray, true_class: int, predicted_class: int,
                 probability: np.ndarray | None = None) -> np.ndarray:
    """The test samples of one cell: true class `true_class` read as `predicted_class` (most confident first
    when `probability` is given, else in test-split order)."""
    found = np.flatnonzero((np.asarray(true) == true_class) & (np.asarray(predicted) == predicted_class))
    return found if probability is None else by_confidence(found, probability)


def mistakes(true: np.ndarray, predicted: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """Every misclassified sample, the most confident mistakes first."""
    return by_confidence(np.flatnonzero(np.asarray(true) != np.asarray(predicted)), probability)


@dataclass(frozen=True)
class Confusion:
    """A confusion matrix with its class names and the figures read from it."""

    counts: np.ndarray  # K x K int64, row = true class, column = predicted class
    class_names: tuple[str, ...]

    @classmethod
    def of(cls, true: np.ndarray, predicted: np.ndarray, class_names: tuple[str, ...]) -> Confusion:
        return cls(confusion_matrix(true, predicted, len(class_names)), tuple(class_names))

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    @property
    def correct(self) -> int:
        return int(np.trace(self.counts))

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else float("nan")

    def normalised(self) -> np.ndarray:
        return row_normalised(self.counts)

    def per_class_accuracy(self) -> np.ndarray:
        return per_class_accuracy(self.counts)

    def row_total(self, true_class: int) -> int:
        return int(self.counts[true_class].sum())
