"""The Evaluation view's background work (Qt-free): evaluate a saved model when asked, sum the answers up,
and pick and convert the gallery's images, so that the GUI thread only fills a table and a grid.

A job names where the answers come from: an epoch's EvaluationEvent (with the run's settings, to find its
test images in the dataset cache), or a checkpoint (a file, or the last run's final weights) to evaluate.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from playground.core.analysis.confusion import Confusion
from playground.core.analysis.gallery import Gallery, select
from playground.core.config import TrainConfig


@dataclass(frozen=True)
class EvaluationJob:
    """event + config: answers already given; else checkpoint (a Checkpoint) or path (a model.pt) to evaluate."""

    source: str  # for the title: "seed-cnn on mnist", "model.pt"
    event: Any = None  # EvaluationEvent
    config: TrainConfig | None = None
    checkpoint: Any = None
    path: str = ""
    cell: tuple[int, int] | None = None  # the gallery's selection: a cell, or None for all the mistakes
    ticket: int = 0  # the view's count of runs and models when asked: older results are dropped


@dataclass(frozen=True)
class EvaluationResult:
    job: EvaluationJob
    event: Any  # the EvaluationEvent the figures come from
    config: TrainConfig  # the settings its model was trained with
    confusion: Confusion
    gallery: Gallery


class EvaluationWork:
    """compute(job) for BackgroundJobs; stop() makes an evaluation in progress give up at its next batch."""

    def __init__(self) -> None:
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def __call__(self, job: EvaluationJob) -> EvaluationResult | None:
        event, config = job.event, job.config
        if event is None:
            event, config = self._evaluate(job)
            if event is None:
                return None  # stopped: the view is closing
        from playground.core.data.registry import load_for  # the run's dataset: cached in this process

        data = load_for(config)
        gallery = select(event.true, event.predicted, event.probability, data.test_x, data.mean, data.std, job.cell)
        return EvaluationResult(job, event, config, Confusion.of(event.true, event.predicted, event.class_names),
                                gallery)

    def _evaluate(self, job: EvaluationJob) -> tuple[Any, TrainConfig | None]:
        from playground.core.analysis.evaluation import evaluate_checkpoint
        from playground.core.checkpoint import load_checkpoint

        ckpt = job.checkpoint if job.checkpoint is not None else load_checkpoint(job.path)
        return evaluate_checkpoint(ckpt, self._stop.is_set), ckpt.config
