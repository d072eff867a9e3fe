"""Optimizer settings per network, for a model that trains several (a GAN's generator and discriminator):
each network's optimizer, learning rate and Adam's beta1, over the architecture's defaults."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QVBoxLayout, QWidget

from playground.core.models.catalogue import ARCH_CATALOGUE
from playground.core.optimizer_settings import OPTIMIZERS, OptimizerSettings
from playground.gui.settings.spin_boxes import LogSpinBox

_TIPS = {"generator": "The generator learns to draw digits that the discriminator takes for real ones",
         "discriminator": "The discriminator learns to tell real digits from drawn ones; if it learns too fast, "
                          "the generator gets nothing to learn from (lower its rate)"}


class _NetworkRow(QGroupBox):
    changed = Signal()

    def __init__(self, network: str, parent: QWidget | None = None):
        super().__init__(network.capitalize(), parent)
        self.network = network
        self.setObjectName(f"{network}Settings")
        self.setToolTip(_TIPS.get(network, ""))
        self.optimizer = QComboBox(objectName=f"{network}OptimizerCombo")
        self.optimizer.addItems(list(OPTIMIZERS))
        self.lr = LogSpinBox(1e-6, 10.0)
        self.lr.setObjectName(f"{network}LearningRateSpin")
        self.lr.setToolTip(f"Learning rate of the {network}")
        self.beta1 = QDoubleSpinBox(objectName=f"{network}Beta1Spin", decimals=2, singleStep=0.1)
        self.beta1.setRange(0.0, 0.99)
        self.beta1.setToolTip("Adam's beta1: how much of the last gradient carries on (DCGAN: 0.5)")
        form = QFormLayout(self)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.lr)
        form.addRow("Beta1", self.beta1)
        self.optimizer.currentIndexChanged.connect(self._on_edited)
        self.lr.valueChanged.connect(self._on_edited)
        self.beta1.valueChanged.connect(self._on_edited)

    def set_values(self, settings: OptimizerSettings) -> None:
        for widget in (self.optimizer, self.lr, self.beta1):
            widget.blockSignals(True)
        self.optimizer.setCurrentText(settings.optimizer)
        self.lr.setValue(settings.lr)
        self.beta1.setValue(settings.beta1)
        for widget in (self.optimizer, self.lr, self.beta1):
            widget.blockSignals(False)
        self.beta1.setEnabled(settings.optimizer in ("adam", "adamw"))

    def values(self) -> dict[str, Any]:
        return {"optimizer": self.optimizer.currentText(), "lr": self.lr.value(), "beta1": round(self.beta1.value(), 4)}

    @Slot()
    def _on_edited(self) -> None:
        self.beta1.setEnabled(self.optimizer.currentText() in ("adam", "adamw"))
        self.changed.emit()


class NetworkOptimizerForm(QWidget):
    """Empty (and hidden) for one-network models; one group per network otherwise."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._rows: list[_NetworkRow] = []
        self._arch = ""
        self.setVisible(False)

    def set_arch(self, arch: str, overrides: dict[str, Any] | None = None) -> None:
        from playground.core.optimizer_settings import network_settings  # torch-free

        networks = ARCH_CATALOGUE[arch].network_defaults()
        if arch != self._arch:
            for row in self._rows:
                row.deleteLater()
            self._rows = [_NetworkRow(name, self) for name in networks]
            for row in self._rows:
                self._layout.addWidget(row)
                row.changed.connect(self.changed)
            self._arch = arch
        settings = network_settings(networks, overrides or {})
        for row in self._rows:
            row.set_values(settings[row.network])
        self.setVisible(bool(self._rows))

    def values(self) -> dict[str, Any]:
        """Per network, the settings that differ from the architecture's defaults (TrainConfig.optimizers)."""
        from playground.core.optimizer_settings import network_settings

        defaults = ARCH_CATALOGUE[self._arch].network_defaults() if self._arch else {}
        base = network_settings(defaults, {})
        out = {}
        for row in self._rows:
            changed = {k: v for k, v in row.values().items() if getattr(base[row.network], k) != v}
            if changed:
                out[row.network] = changed
        return out

    def rows(self) -> list[_NetworkRow]:
        return list(self._rows)
