"""The menu bar and its shortcuts: File (open, save, export, quit), Run (train, pause, stop, one batch, +1 epoch),
View, Help."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from playground.gui.settings.preset_menu import PresetMenu


@dataclass
class WindowActions:
    open_model: QAction
    save_model: QAction
    save_config: QAction
    export_png: QAction
    export_steps_csv: QAction
    export_epochs_csv: QAction
    quit: QAction
    train: QAction
    pause: QAction
    stop: QAction
    step: QAction
    more: QAction
    getting_started: QAction
    about: QAction
    presets: PresetMenu | None = field(default=None, init=False)
    file_menu: QMenu | None = field(default=None, init=False)  # for the parts that add their own entries (runs)
    run_menu: QMenu | None = field(default=None, init=False)


_WINDOW_ACTIONS = ("train", "pause", "stop", "step", "more", "quit")  # the others are file and help work: window.files


def build_menus(window: QMainWindow, docks: list[QDockWidget]) -> WindowActions:
    """Create the menus; each action calls an _on_<action>_triggered slot of the window or of window.files."""
    a = WindowActions(
        open_model=_action(window, "&Open model…", QKeySequence.StandardKey.Open,
                           "Load a saved model (.pt) to draw against"),
        save_model=_action(window, "&Save model…", QKeySequence.StandardKey.Save,
                           "Save the model of the last run to a file"),
        save_config=_action(window, "Save settings as &TOML…", None,
                            "Write these settings to a file that `playground train --config FILE` runs"),
        export_png=_action(window, "Export plots as &PNG…", None, "Save a picture of the plots"),
        export_steps_csv=_action(window, "Export loss per step as &CSV…", None, "Step, loss, smoothed loss"),
        export_epochs_csv=_action(window, "Export metrics per &epoch as CSV…", None,
                                  "Loss and accuracy of each epoch"),
        quit=_action(window, "&Quit", "Ctrl+Q", "Close playground (stops a run first)"),
        train=_action(window, "&Train", "Ctrl+Return", "Start training with these settings"),
        pause=_action(window, "&Pause / Resume", "Ctrl+P", "Pause the run, or carry on"),
        stop=_action(window, "&Stop", "Esc", "End the run after the current step"),
        step=_action(window, "One &batch", "Ctrl+.", "Hold the run and train exactly one more batch"),
        more=_action(window, "+1 &epoch", "Ctrl+E", "Finish this epoch and hold; after a run, train one epoch more"),
        getting_started=_action(window, "&Getting started", "F1", "A first run, step by step"),
        about=_action(window, "&About playground", None, ""),
    )
    a.train.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([a.open_model, a.save_model, a.save_config])
    file_menu.addSeparator()
    file_menu.addActions([a.export_png, a.export_steps_csv, a.export_epochs_csv])
    file_menu.addSeparator()
    file_menu.addAction(a.quit)
    a.file_menu = file_menu
    run_menu = a.run_menu = bar.addMenu("&Run")
    run_menu.addActions([a.train, a.pause, a.stop, a.step, a.more])
    run_menu.addSeparator()
    a.presets = PresetMenu(window, run_menu)
    bar.addMenu("&View").addActions([dock.toggleViewAction() for dock in docks])
    bar.addMenu("&Help").addActions([a.getting_started, a.about])
    for name in (f.name for f in fields(WindowActions) if f.init):
        receiver = window if name in _WINDOW_ACTIONS else window.files
        getattr(a, name).triggered.connect(getattr(receiver, f"_on_{name}_triggered"))
    return a


def _action(window: QMainWindow, text: str, shortcut, tip: str) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setStatusTip(tip)
    action.setToolTip(tip)
    return action
