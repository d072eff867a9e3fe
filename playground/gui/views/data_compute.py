"""What the Data view shows of a dataset, computed in its background thread (no Qt here): the dataset asks its
own source what its inputs are (data.inputs), and each kind of input gets a look of its own: images a grid per
class with the counts, points a scatter, sequences a few curves per class, tables their rows and a summary per
column, text an excerpt and its vocabulary. A problem comes back as a Problem whose message names the fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.core.data.inputs import IMAGES, POINTS, SEQUENCES, TABLE, TEXT
from playground.core.errors import PlaygroundError

MOST_IMAGES = 600  # thumbnails kept in all: a few per class of a hundred classes, dozens of ten
PER_CLASS = 40
THUMB = 64  # larger images are shown at about this size
MOST_POINTS = 5000
CURVES_PER_CLASS = 3
TABLE_ROWS = 200
EXCERPT = 3000  # characters of text shown


@dataclass(frozen=True)
class DataJob:
    """The data of a run of this config (a TrainConfig), read the way the run reads it."""

    config: Any

    @property
    def key(self) -> tuple:
        return data_key(self.config)


def data_key(config: Any) -> tuple:
    """What decides the data a config trains on: the same key, the same data (the view reads it once)."""
    return (config.dataset, tuple(sorted(config.dataset_options.items())), config.data_file, config.target,
            tuple(config.features), config.task, config.seed, config.data_dir)


@dataclass(frozen=True)
class Problem:
    message: str


@dataclass(frozen=True)
class Counts:
    """How many samples each split holds, and (classes) how many of each class the training split holds."""

    dataset: str
    train: int
    test: int
    class_names: tuple[str, ...] = ()
    per_class: tuple[int, ...] = ()
    task: str = ""


@dataclass(frozen=True)
class Images:
    counts: Counts
    thumbnails: dict[int, np.ndarray]  # class -> uint8 N x H x W x 3, the first training images of that class


@dataclass(frozen=True)
class Points:
    counts: Counts
    x: np.ndarray  # N x 2 (or N x 1 with y the target: a 1-D regression)
    y: np.ndarray
    classes: bool


@dataclass(frozen=True)
class Sequences:
    counts: Counts
    curves: dict[int, np.ndarray]  # class -> K x T, a few training sequences of that class


@dataclass(frozen=True)
class Table:
    path: str
    preview: Any  # tables.TablePreview
    summaries: tuple[Any, ...]  # tables.ColumnSummary, one per column
    rows: int


@dataclass(frozen=True)
class Text:
    counts: Counts
    excerpt: str
    vocabulary: tuple[str, ...]
    characters: int = 0


def compute(job: DataJob) -> Any:
    """The result for the Data view; a Problem (never an exception) for data it cannot read."""
    config = job.config
    info = DATASET_CATALOGUE.get(config.dataset)
    if info is None:
        return Problem(f"unknown dataset {config.dataset!r}; choose one in the settings")
    try:
        if info.inputs == TABLE:
            return _table(config.data_file)
        from playground.core.data.registry import load_for  # torch: the view's own thread

        return _LOOKS[info.inputs](config.dataset, load_for(config))
    except PlaygroundError as e:
        return Problem(str(e))


def _counts(name: str, data: Any) -> Counts:
    # classes: labels to count (a regression has one output, text no labels)
    classes = data.num_classes > 1 and data.train_y.numel() > 0 and not data.train_y.is_floating_point()
    per_class = ()
    if classes:
        per_class = tuple(int(n) for n in np.bincount(data.train_y.numpy(), minlength=data.num_classes))
    return Counts(name, len(data.train_x), len(data.test_x), tuple(data.class_names), per_class, data.task)


def _images(name: str, data: Any) -> Images:
    counts = _counts(name, data)
    labels = data.train_y.numpy()
    each = max(4, min(PER_CLASS, MOST_IMAGES // max(1, len(counts.per_class))))
    thumbnails = {}
    for k in range(len(counts.per_class)):
        rows = np.flatnonzero(labels == k)[:each]
        thumbnails[k] = _pictures(data.train_x[rows].numpy(), data.mean, data.std)
    return Images(counts, thumbnails)


def _pictures(x: np.ndarray, mean: tuple[float, ...], std: tuple[float, ...]) -> np.ndarray:
    """Standardised N x C x H x W -> uint8 N x H x W x 3, shrunk by a whole step to about THUMB pixels."""
    if mean:
        x = x * np.asarray(std, np.float32)[:, None, None] + np.asarray(mean, np.float32)[:, None, None]
    step = max(1, x.shape[-1] // THUMB)
    x = np.clip(x[..., ::step, ::step], 0.0, 1.0)
    rgb = np.repeat(x, 3, axis=1) if x.shape[1] == 1 else x[:, :3]
    return np.ascontiguousarray((rgb.transpose(0, 2, 3, 1) * 255).round().astype(np.uint8))


def _points(name: str, data: Any) -> Points:
    counts = _counts(name, data)
    x, y = data.train_x.numpy()[:MOST_POINTS], data.train_y.numpy()[:MOST_POINTS]
    return Points(counts, x, y, bool(counts.per_class))


def _sequences(name: str, data: Any) -> Sequences:
    counts = _counts(name, data)
    x, labels = data.train_x.numpy(), data.train_y.numpy()
    curves = {k: x[np.flatnonzero(labels == k)[:CURVES_PER_CLASS]].reshape(-1, x.shape[1])
              for k in range(len(counts.per_class))}
    return Sequences(counts, curves)


def _text(name: str, data: Any) -> Text:
    vocabulary = tuple(data.class_names)
    ids = data.train_x[:EXCERPT].numpy()
    excerpt = "".join(vocabulary[i] for i in ids)
    validation = len(data.val_x) if data.val_x is not None else 0
    counts = Counts(name, len(data.train_x), validation)
    return Text(counts, excerpt, vocabulary, len(data.train_x) + validation)


def _table(path: str) -> Any:
    from playground.core.data.tables import column_summaries, preview

    if not path:
        return Problem("Choose a CSV file in the settings (Data, Browse…) to see its rows and columns here.")
    shown = preview(path, TABLE_ROWS)
    summaries = column_summaries(path)  # the whole file, within the limits of a run's own read
    rows = summaries[0].count + summaries[0].missing if summaries else 0
    return Table(shown.path, shown, summaries, rows)


_LOOKS = {IMAGES: _images, POINTS: _points, SEQUENCES: _sequences, TEXT: _text}
