"""The pretrained MNIST model that ships in resources/models, and the user's adaptation of it to their handwriting
(inference/adapt.py), which the Draw panel reads instead until it is reset."""

from __future__ import annotations

from pathlib import Path

from playground.core.data.paths import app_data_dir
from playground.core.resources import resource_path

BUNDLED_MODEL = "models/mnist-seed-cnn.pt"
BUNDLED_MODEL_LABEL = "the bundled model"
ADAPTED_MODEL_LABEL = "the bundled model, adapted to your handwriting"


def bundled_model_path() -> Path | None:
    """The bundled model's file, or None if this installation lacks it."""
    path = resource_path(*BUNDLED_MODEL.split("/"))
    return path if path.is_file() else None


def adapted_model_path() -> Path:
    """Where the digit model adapted to the user's handwriting is kept (it may not exist)."""
    return app_data_dir() / "models" / "my-handwriting.pt"


def digit_model() -> tuple[Path | None, str]:
    """The Draw panel's digit model and its label: the adapted one where it exists, else the bundled one."""
    adapted = adapted_model_path()
    if adapted.is_file():
        return adapted, ADAPTED_MODEL_LABEL
    return bundled_model_path(), BUNDLED_MODEL_LABEL


def reset_to_bundled() -> None:
    """Forget the adaptation (the personal digits stay, to adapt again)."""
    adapted_model_path().unlink(missing_ok=True)
