"""Regressions: learn a number from each input with the mean squared error; R² says how much they explain."""

from __future__ import annotations

from typing import Any

from playground.core.kinds.base import EpochScore, ModelKind


class Regressor(ModelKind):
    name = "regression"
    title = "a regression"
    does = "predicts a number, not a class"
    views = frozenset({"boundary", "health"})
    score = EpochScore("R² per epoch", "R² (1 = every difference explained)", "r2", splits=("test", "val"))
    notes = {"inside": "the inside view explains a classifier's answer, and a regression predicts a number",
             "evaluation": "A confusion matrix counts which classes a classifier mixes up; for a regression the "
                           "test loss (mean squared error) and R² in the plots say how far off the predictions are. "
                           "Choose a classification dataset (mnist, fashion-mnist, spiral, blobs…) to see this view."}
    output = "predictions, N x 1"
    names_outputs = False

    def build_task(self, context: Any, model: Any) -> Any:
        from playground.core.training.tasks.supervised import SupervisedTask

        return SupervisedTask(context, model, counts_correct=False)

    def final_figure(self, values: dict[str, Any]) -> str:
        figure = f"test_loss={values.get('test_loss', float('nan')):.4f}"
        r2 = values.get("test_r2")
        return figure + (f" test_r2={r2:.4f}" if r2 is not None else "")

    def front_view(self, spec: Any, opened: bool = False) -> str:
        return "boundary" if tuple(spec.input_shape) == (1,) else ""

    def boundary(self, spec: Any) -> str:
        return "curve" if tuple(spec.input_shape) == (1,) else ""

    def drawing_problem(self, spec: Any, name: str) -> str | None:
        return f"{name} predicts a number, not a class, so there is nothing to recognise in a drawing"


KIND = Regressor()
