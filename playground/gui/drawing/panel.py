"""STUB, to be replaced by the drawing work (issue 4). The interface below is what MainWindow relies on."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class DrawingPanel(QWidget):
    """Canvas + live prediction. MainWindow wires it to the training worker."""

    weights_wanted = Signal()  # asks the running training for a WeightsSnapshot (RunControl.request_weights)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Drawing panel (coming soon)"))

    @Slot(object)
    def on_weights(self, snapshot: object) -> None:
        """A playground.core.training.events.WeightsSnapshot from the running training."""

    def set_dataset(self, name: str, input_shape: tuple[int, ...]) -> None:
        """The dataset chosen in the settings; the panel turns itself off (saying why) if it cannot draw for it."""

    def set_training(self, active: bool) -> None:
        """While a run is active, the panel asks for weights (weights_wanted) a few times per second at most."""

    def load_checkpoint(self, path: str) -> None:
        """Use the model in this checkpoint; raises playground.core.errors.CheckpointError with a message."""
