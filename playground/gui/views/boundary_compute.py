"""The decision boundary view's work, in its background thread: a model of its own, the dataset's points (made
again from the run's settings: generated sets are cheap and cached), and the class regions or fitted curve.

`BoundaryComputer` is only ever called from one worker thread (BackgroundJobs), so its caches need no lock.
torch is imported only inside functions: this module is imported with the window's views.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.gui.views.colours import CLASS_COLOURS

TRAINING_SOURCE = "the training run"


@dataclass(frozen=True)
class BoundaryJob:
    source: tuple  # ("snapshot", WeightsSnapshot, TrainConfig) or ("checkpoint", path, label)


@dataclass(frozen=True)
class Points:
    key: tuple  # (dataset, options, seed): a new key means new points to draw
    train_x: np.ndarray  # M x 2 (or M x 1)
    train_y: np.ndarray  # classes, or regression targets
    test_x: np.ndarray
    test_y: np.ndarray
    bounds: Any  # core.analysis.boundary.Bounds


@dataclass(frozen=True)
class BoundaryResult:
    kind: str  # applies.REGIONS or applies.CURVE
    points: Points
    info: Any  # the model's ModelInfo (arch, step, source)
    dataset: str
    image: np.ndarray | None = None  # N x N x 3 uint8, row 0 at the lowest y
    grid: Any = None  # BoundaryGrid, for CSV
    curve: tuple[np.ndarray, np.ndarray] | None = None


class BoundaryComputer:
    def __init__(self) -> None:
        self._predictor: Any = None
        self._file: tuple[str, Any] | None = None  # (path, its config) of the model read from a file
        self._points: Points | None = None

    def __call__(self, job: BoundaryJob) -> BoundaryResult:
        from playground.core.analysis.applies import REGIONS, boundary_kind
        from playground.core.analysis.boundary import decision_grid, fitted_curve, region_image
        from playground.core.data.features import plane_features

        predictor, config = self._model_for(job.source)
        points = self._points_for(config)
        kind = boundary_kind(predictor.info.spec)
        if kind == REGIONS:
            grid = decision_grid(predictor.model, points.bounds, features=plane_features(predictor.info.spec))
            return BoundaryResult(kind, points, predictor.info, config.dataset, region_image(grid, CLASS_COLOURS),
                                  grid)
        return BoundaryResult(kind, points, predictor.info, config.dataset,
                              curve=fitted_curve(predictor.model, points.bounds))

    def _model_for(self, source: tuple) -> tuple[Any, Any]:
        from playground.core.checkpoint import load_checkpoint
        from playground.core.inference.predictor import ModelInfo, Predictor

        if source[0] == "snapshot":
            _, snapshot, config = source
            if self._predictor is None or self._file is not None or not self._predictor.load_snapshot(
                    snapshot, TRAINING_SOURCE):
                self._predictor = Predictor.from_snapshot(snapshot, TRAINING_SOURCE)
            self._file = None
            return self._predictor, config
        _, path, label = source
        if self._file is None or self._file[0] != path:
            ckpt = load_checkpoint(path)
            self._predictor = Predictor(ckpt.build_model(), ModelInfo(ckpt.spec, label))
            self._file = (path, ckpt.config)
        return self._predictor, self._file[1]

    def _points_for(self, config: Any) -> Points:
        from playground.core.analysis.boundary import data_bounds
        from playground.core.data.features import plane_of
        from playground.core.data.registry import load_for

        key = (config.dataset, tuple(sorted(config.dataset_options.items())), config.seed, config.data_file,
               config.target, tuple(config.features), config.task)  # a table's points come from its columns
        if self._points is None or self._points.key != key:
            data = load_for(plane_of(config))  # the points themselves, not the features the model reads
            train_x, test_x = data.train_x.numpy(), data.test_x.numpy()
            bounds = data_bounds(np.concatenate([train_x, test_x]))
            self._points = Points(key, train_x, data.train_y.numpy(), test_x, data.test_y.numpy(), bounds)
        return self._points
