"""Helpers for the GUI tests: timeouts and filling the settings form."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from playground.core.config import TrainConfig

TORCH_READY_MS = 60_000  # importing torch on a busy 2-core machine
RUN_MS = 60_000


def configure(window, **settings) -> TrainConfig:
    """Put these settings (over a quick spiral run) into the form, as a user would choose them."""
    values = {"arch": "mlp", "dataset": "spiral", "epochs": 2, "batch_size": 32, **settings}
    config = TrainConfig(**values)
    window.settings_panel.set_config(config)
    return config


class Recorder(QObject):
    """Collects what a signal carries, in the GUI thread.

    Connected to a worker's signal, the slot of this GUI-thread object is queued, as the window's are;
    qtbot.waitSignal on a worker's signal would run its callback in the worker's thread instead.
    """

    def __init__(self, signal=None, kind: type | None = None):
        """kind: keep only the events of this type (a worker's `event` signal carries every type)."""
        super().__init__()
        self.events: list = []
        self.kind = kind
        if signal is not None:
            signal.connect(self.record)

    @Slot(object)
    def record(self, event: object) -> None:
        if self.kind is None or isinstance(event, self.kind):
            self.events.append(event)
