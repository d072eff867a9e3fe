"""Run › Presets: named settings from resources/presets, applied to the settings form in one click."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from playground.core.config import TrainConfig
from playground.core.errors import PlaygroundError
from playground.core.presets import load_preset, preset_description, preset_names
from playground.gui.dialogs import show_message


class PresetMenu(QObject):
    """Fills the form with a preset; the device and the settings the preset does not name keep the defaults."""

    def __init__(self, window: QMainWindow, menu: QMenu):
        super().__init__(window)
        self._window = window
        self.menu = menu.addMenu("Pre&sets")
        self.menu.setToolTipsVisible(True)
        for name in preset_names():
            action = self.menu.addAction(name.replace("-", " ").capitalize())
            action.setData(name)
            action.setToolTip(preset_description(name))
            action.setStatusTip(preset_description(name))
        self.menu.setEnabled(bool(self.menu.actions()))
        self.menu.triggered.connect(self._on_menu_triggered)

    def apply(self, name: str) -> None:
        panel = self._window.settings_panel
        device = panel.config().device
        panel.set_config(TrainConfig.from_dict({**load_preset(name), "device": device}))

    @Slot(QAction)
    def _on_menu_triggered(self, action: QAction) -> None:
        try:
            self.apply(action.data())
        except PlaygroundError as e:
            show_message(self._window, "Cannot use this preset", str(e))
            return
        self._window.statusBar().showMessage(f"Preset: {preset_description(action.data())}", 8000)
