"""The desktop app: a thin layer of widgets over playground.core, with training on a worker QThread."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playground.gui.main_window import MainWindow

__all__ = ["MainWindow"]


def __getattr__(name: str):  # `from playground.gui import MainWindow` without importing Qt on package import
    if name == "MainWindow":
        from playground.gui.main_window import MainWindow

        return MainWindow
    raise AttributeError(name)
