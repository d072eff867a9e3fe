"""Classifiers: learn a class from each input (images, points, sequences, table rows) with cross-entropy."""

from __future__ import annotations

from typing import Any

from playground.core.data.features import plane_features
from playground.core.inference.drawable import DRAWABLE_SHAPE, shape_problem
from playground.core.kinds.base import EpochScore, ModelKind


class Classifier(ModelKind):
    name = "classification"
    title = "a classifier"
    does = "sorts each input into a class"
    views = frozenset({"draw", "evaluation", "inside", "boundary", "health", "attention"})
    drawing = "classify"
    classifies = True
    score = EpochScore("Accuracy per epoch", "accuracy (%)", "accuracy", percent=True)

    def build_task(self, context: Any, model: Any) -> Any:
        from playground.core.training.tasks.supervised import SupervisedTask

        return SupervisedTask(context, model, counts_correct=True)

    def final_figure(self, values: dict[str, Any]) -> str:
        accuracy = values.get("test_accuracy")
        return f"test_accuracy={accuracy if accuracy is not None else float('nan'):.4f}"

    def front_view(self, spec: Any, opened: bool = False) -> str:
        if len(spec.input_shape) == 1:  # 2-D points: nothing to draw, a boundary to watch
            return "boundary"
        return "draw" if opened and tuple(spec.input_shape) == DRAWABLE_SHAPE else ""

    def boundary(self, spec: Any) -> str:
        return "regions" if plane_features(spec) is not None else ""  # 2-D points, maybe through features

    def drawing_problem(self, spec: Any, name: str) -> str | None:
        return shape_problem(spec.input_shape, name)


KIND = Classifier()
