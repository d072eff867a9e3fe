"""The window's File and Help menu work: open and save models, save settings, export plots, show help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMessageBox

from playground.core.errors import PlaygroundError
from playground.gui import file_actions, help_text
from playground.gui.dialogs import show_message

if TYPE_CHECKING:
    from playground.gui.main_window import MainWindow

_EXPORTS = {  # kind -> (dialog title, file suffix, filter)
    "png": ("Export plots as PNG", "-plots.png", "PNG image (*.png)"),
    "steps": ("Export loss per step as CSV", "-steps.csv", "CSV (*.csv)"),
    "epochs": ("Export metrics per epoch as CSV", "-epochs.csv", "CSV (*.csv)"),
}


class WindowFiles(QObject):
    """Slots for the File and Help menus (see menus.build_menus)."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self._w = window

    def save_model(self, path: str) -> None:
        checkpoint = self._w.run_presenter.last_checkpoint
        if checkpoint is None:
            raise PlaygroundError("there is no trained model yet; press Train, then save when the run has ended")
        file_actions.save_model(path, checkpoint)

    @Slot()
    def _on_open_model_triggered(self) -> None:
        path = file_actions.ask_open_model(self._w)
        if path:
            self._try(lambda: self._w.load_checkpoint(path), "Cannot open this model")

    @Slot()
    def _on_save_model_triggered(self) -> None:
        if self._w.run_presenter.last_checkpoint is None:
            show_message(self._w, "Nothing to save yet", "Train a model first: press Train (Ctrl+Enter). "
                         "When the run has finished or you have stopped it, Ctrl+S saves it.",
                         icon=QMessageBox.Icon.Information)
            return
        config = self._w.run_presenter.last_checkpoint.config
        path = file_actions.ask_save_path(self._w, "Save model", file_actions.suggested_name(config, ".pt"),
                                          file_actions.MODEL_FILTER)
        if path and self._try(lambda: self.save_model(path), "Cannot save the model"):
            self._w.status.showMessage(f"Saved the model to {path}", 8000)

    @Slot()
    def _on_save_config_triggered(self) -> None:
        config = self._w.settings_panel.config()
        path = file_actions.ask_save_path(self._w, "Save settings", file_actions.suggested_name(config, ".toml"),
                                          "TOML (*.toml)")
        if path and self._try(lambda: file_actions.save_config_toml(path, config), "Cannot save the settings"):
            self._w.status.showMessage(f"Saved; run it headless with: playground train --config {path}", 10000)

    def export_interactive(self, kind: str) -> None:
        plots = self._w.plot_area.plots
        if plots is None or not len(plots.steps):
            show_message(self._w, "Nothing to export yet", "The plots are empty: train a model first.",
                         icon=QMessageBox.Icon.Information)
            return
        title, suffix, file_filter = _EXPORTS[kind]
        path = file_actions.ask_save_path(self._w, title, file_actions.suggested_name(
            self._w.settings_panel.config(), suffix), file_filter)
        if not path:
            return
        export = {"png": plots.export_png, "steps": plots.export_steps_csv, "epochs": plots.export_epochs_csv}[kind]
        if self._try(lambda: export(path), "Cannot export"):
            self._w.status.showMessage(f"Exported to {path}", 8000)

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
        show_message(self._w, title, text, icon=QMessageBox.Icon.Information)

    def _try(self, action, title: str) -> bool:
        """Run a file action; a failure becomes a message naming the problem, and False."""
        try:
            action()
        except (PlaygroundError, OSError) as e:
            show_message(self._w, title, f"{e}")
            return False
        return True
