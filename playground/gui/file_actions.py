"""File menu work: choosing paths with dialogs, then saving models, settings and plot exports."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from playground.core.config import TrainConfig, to_toml

MODEL_FILTER = "PyTorch model (*.pt);;All files (*)"


def ask_open_model(parent: QWidget) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Open model", str(Path.home()), MODEL_FILTER)
    return path


def ask_save_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), file_filter)
    return path


def save_model(path: str, checkpoint: object) -> None:
    """Write a run's checkpoint; raises OSError or CheckpointError with a message."""
    from playground.core.checkpoint import save_checkpoint  # torch: loaded by now

    save_checkpoint(path, checkpoint)


def save_config_toml(path: str, config: TrainConfig) -> None:
    Path(path).write_text(to_toml(config), encoding="utf-8")


def suggested_name(config: TrainConfig, suffix: str) -> str:
    return f"{config.arch}-{config.dataset}{suffix}"
