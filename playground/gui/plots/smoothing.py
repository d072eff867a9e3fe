"""The smoothing factor of the loss curves, as TensorBoard has it: 0 shows the raw losses, 0.99 a slow average."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

DEFAULT = 0.95


class SmoothingControl(QWidget):
    changed = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="smoothingSlider")
        self.slider.setRange(0, 99)
        self.slider.setValue(round(DEFAULT * 100))
        self.slider.setTracking(False)  # smoothing a long run again costs a moment: once, on release
        self.slider.setMaximumWidth(220)
        self.slider.setToolTip("How much the dark loss curves average over the last steps (an exponential moving "
                               "average, as TensorBoard draws it); the light curve is every step's own loss")
        self.label = QLabel(self._text(DEFAULT))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(QLabel("Smoothing"))
        layout.addWidget(self.slider)
        layout.addWidget(self.label)
        layout.addStretch(1)
        self.slider.valueChanged.connect(self._on_slider_value_changed)

    @property
    def weight(self) -> float:
        return self.slider.value() / 100

    @staticmethod
    def _text(weight: float) -> str:
        return "off (raw losses)" if weight == 0 else f"{weight:.2f}"

    @Slot(int)
    def _on_slider_value_changed(self, value: int) -> None:
        self.label.setText(self._text(value / 100))
        self.changed.emit(value / 100)
