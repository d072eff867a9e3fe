"""Evaluate a saved classifier on its dataset's test split: the same answers an epoch's end reports
(EvaluationEvent), for a model opened from a file or the last run's final weights.

torch is imported inside the functions: the window imports this module before torch has loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from playground.core.training.events import EvaluationEvent

if TYPE_CHECKING:
    from playground.core.checkpoint import Checkpoint

BATCH_SIZE = 1000


def predict_all(model: Any, x: Any, batch_size: int = BATCH_SIZE,
                should_stop: Callable[[], bool] = lambda: False) -> tuple[Any, Any] | None:
    """(predicted class, its probability) as numpy arrays for every row of `x`, in eval mode without
    autograd; None when `should_stop()` turned true between two batches."""
    import torch

    predicted, probability = [], []
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            for i in range(0, len(x), batch_size):
                if should_stop():
                    return None
                p, k = torch.softmax(model(x[i:i + batch_size]).float(), dim=1).max(dim=1)
                predicted.append(k)
                probability.append(p)
    finally:
        model.train(was_training)
    if not predicted:
        return torch.zeros(0, dtype=torch.long).numpy(), torch.zeros(0).numpy()
    return torch.cat(predicted).numpy(), torch.cat(probability).numpy()


def evaluate_checkpoint(ckpt: Checkpoint, should_stop: Callable[[], bool] = lambda: False,
                        data_dir: str | None = None) -> EvaluationEvent | None:
    """The checkpoint's classifier on the test split of the dataset it was trained on (loaded as its run
    loaded it, so the in-process cache answers); None when stopped. Raises PlaygroundError (DatasetError,
    CheckpointError) with a message when the data or the weights cannot be used."""
    from playground.core.data.registry import load_for
    from playground.core.errors import IncompatibleError

    config = ckpt.config
    if "evaluation" not in ckpt.spec.kind.views:
        raise IncompatibleError(f"{ckpt.spec.arch} is {ckpt.spec.kind.title}: only classifiers have classes to "
                                "confuse")
    data = load_for(config, data_dir=data_dir)
    answers = predict_all(ckpt.build_model(), data.test_x, should_stop=should_stop)
    if answers is None:
        return None
    predicted, probability = answers
    return EvaluationEvent(ckpt.epoch, data.test_y.numpy(), predicted, probability, ckpt.spec.labels(),
                           config.dataset, ckpt.run_id)
