"""Run › Also write TensorBoard files to…: every run trained here also writes TensorBoard event files (one
folder per run, named as in the Runs panel) under a folder the user picks; remembered between launches.
Without the optional tensorboard package the setting says what to install and stays off."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QWidget

from playground.gui.settings import settings_store

_KEY = "run/tensorboard_dir"


def tensorboard_installed() -> bool:
    return importlib.util.find_spec("tensorboard") is not None  # without importing torch or tensorboard


class TensorBoardSetting(QObject):
    def __init__(self, runs: Any, status: Any, messages: Any, dialog_parent: QWidget | None,
                 ask_folder: Callable[[QWidget | None, str], str] | None = None, parent: QObject | None = None):
        """runs: the RunController, whose tensorboard_dir every run started later uses."""
        super().__init__(parent)
        self._runs, self._status, self._messages, self._dialog_parent = runs, status, messages, dialog_parent
        self._ask_folder = ask_folder or _ask_folder
        self.action = QAction("Also write &TensorBoard files to…", parent, checkable=True)
        self.action.setStatusTip("Every run also writes TensorBoard event files (tensorboard --logdir FOLDER)")
        self.action.toggled.connect(self._on_action_toggled)
        remembered = str(settings_store.open_settings().value(_KEY, "") or "")
        if remembered and tensorboard_installed():
            self.set_folder(remembered)

    def set_folder(self, folder: str | None) -> None:
        """Write TensorBoard files under `folder` from the next run on (None: no longer)."""
        self._runs.tensorboard_dir = Path(folder) if folder else None
        self.action.blockSignals(True)
        self.action.setChecked(bool(folder))
        self.action.setText(f"Also write &TensorBoard files to {folder}" if folder else
                            "Also write &TensorBoard files to…")
        self.action.blockSignals(False)
        settings = settings_store.open_settings()
        settings.setValue(_KEY, folder or "")
        settings.sync()

    @Slot(bool)
    def _on_action_toggled(self, on: bool) -> None:
        if not on:
            self.set_folder(None)
            self._status.showMessage("Runs no longer write TensorBoard files", 6000)
            return
        if not tensorboard_installed():
            from playground.core.tensorboard import INSTALL_HINT

            self.set_folder(None)
            self._messages.error("TensorBoard is not installed", "Writing TensorBoard files needs the tensorboard "
                                 f"package: {INSTALL_HINT} (in the environment playground runs in), then start "
                                 "playground again and turn this on.")
            return
        folder = self._ask_folder(self._dialog_parent, "Write TensorBoard files to")
        self.set_folder(folder or None)
        if folder:
            self._status.showMessage(f"Runs from now on also write TensorBoard files; see them with "
                                     f"tensorboard --logdir {folder}", 12000)


def _ask_folder(parent: QWidget | None, title: str) -> str:
    return QFileDialog.getExistingDirectory(parent, title, str(Path.home()))
