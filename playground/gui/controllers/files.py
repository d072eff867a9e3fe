"""The File and Help menus' work: open and save models, save settings, export plots, show help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from playground.core.errors import PlaygroundError
from playground.gui import file_actions, help_text
from playground.gui.session import SessionModel

_EXPORTS = {  # kind -> (dialog title, file suffix, filter)
    "png": ("Export plots as PNG", "-plots.png", "PNG image (*.png)"),
    "steps": ("Export loss per step as CSV", "-steps.csv", "CSV (*.csv)"),
    "epochs": ("Export metrics per epoch as CSV", "-epochs.csv", "CSV (*.csv)"),
}


class FileController(QObject):
    """Slots for the File and Help menus (see menus.build_menus)."""

    def __init__(self, session: SessionModel, settings: Any, plots: Callable[[], Any], status: Any, messages: Any,
                 dialog_parent: QWidget, open_model: Callable[[str], None], parent: QObject | None = None):
        """settings: SettingsPanel (config()); plots: returns the PlotsPanel or None; status: the status bar;
        messages: WindowMessages; open_model(path) loads a checkpoint for drawing (raises PlaygroundError)."""
        super().__init__(parent)
        self.session, self._settings, self._plots, self._status = session, settings, plots, status
        self._messages, self._dialog_parent, self._open_model = messages, dialog_parent, open_model

    def _last_checkpoint(self) -> Any:
        last = self.session.last_completed
        return last.checkpoint if last is not None else None

    def save_model(self, path: str) -> None:
        checkpoint = self._last_checkpoint()
        if checkpoint is None:
            raise PlaygroundError("there is no trained model yet; press Train, then save when the run has ended")
        file_actions.save_model(path, checkpoint)

    @Slot()
    def _on_open_model_triggered(self) -> None:
        path = file_actions.ask_open_model(self._dialog_parent)
        if path:
            self._try(lambda: self._open_model(path), "Cannot open this model")

    @Slot()
    def _on_save_model_triggered(self) -> None:
        checkpoint = self._last_checkpoint()
        if checkpoint is None:
            self._messages.info("Nothing to save yet", "Train a model first: press Train (Ctrl+Enter). "
                                "When the run has finished or you have stopped it, Ctrl+S saves it.")
            return
        path = file_actions.ask_save_path(self._dialog_parent, "Save model",
                                          file_actions.suggested_name(checkpoint.config, ".pt"),
                                          file_actions.MODEL_FILTER)
        if path and self._try(lambda: self.save_model(path), "Cannot save the model"):
            self._status.showMessage(f"Saved the model to {path}", 8000)

    @Slot()
    def _on_save_config_triggered(self) -> None:
        config = self._settings.config()
        path = file_actions.ask_save_path(self._dialog_parent, "Save settings",
                                          file_actions.suggested_name(config, ".toml"), "TOML (*.toml)")
        if path and self._try(lambda: file_actions.save_config_toml(path, config), "Cannot save the settings"):
            self._status.showMessage(f"Saved; run it headless with: playground train --config {path}", 10000)

    def export_interactive(self, kind: str) -> None:
        plots = self._plots()
        drawn = plots is not None and (len(plots.steps) if kind == "steps" else
                                       len(plots.steps) or plots.epochs or plots.overlays.runs)
        if not drawn:
            self._messages.info("Nothing to export yet", "The plots are empty: train a model first, or open a "
                                "run in the Runs panel.")
            return
        title, suffix, file_filter = _EXPORTS[kind]
        path = file_actions.ask_save_path(self._dialog_parent, title,
                                          file_actions.suggested_name(self._settings.config(), suffix), file_filter)
        if not path:
            return
        export = {"png": plots.export_png, "steps": plots.export_steps_csv, "epochs": plots.export_epochs_csv}[kind]
        if self._try(lambda: export(path), "Cannot export"):
            self._status.showMessage(f"Exported to {path}", 8000)

    @Slot()
    def _on_export_png_triggered(self) -> None:
        self.export_interactive("png")

    @Slot()
    def _on_export_steps_csv_triggered(self) -> None:
        self.export_interactive("steps")

    @Slot()
    def _on_export_epochs_csv_triggered(self) -> None:
        self.export_interactive("epochs")

    @Slot()
    def _on_getting_started_triggered(self) -> None:
        self.show_help("getting_started")

    @Slot()
    def _on_about_triggered(self) -> None:
        self.show_help("about")

    def show_help(self, topic: str) -> None:
        title, text = help_text.TOPICS[topic]
        self._messages.info(title, text)

    def _try(self, action: Callable[[], Any], title: str) -> bool:
        """Run a file action; a failure becomes a message naming the problem, and False."""
        try:
            action()
        except (PlaygroundError, OSError) as e:
            self._messages.error(title, f"{e}")
            return False
        return True
