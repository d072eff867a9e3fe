"""The pretrained MNIST model that ships in resources/models."""

from __future__ import annotations

from pathlib import Path

from playground.core.resources import resource_path

BUNDLED_MODEL = "models/mnist-seed-cnn.pt"
BUNDLED_MODEL_LABEL = "the bundled model"


def bundled_model_path() -> Path | None:
    """The bundled model's file, or None if this installation lacks it."""
    path = resource_path(*BUNDLED_MODEL.split("/"))
    return path if path.is_file() else None
