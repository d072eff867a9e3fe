"""The training hyperparameters: epochs, batch size, learning rate, optimizer and momentum, schedule, weight
decay, seed; each with a tooltip that says what it does."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QSpinBox, QWidget

from playground.core.config import OPTIMIZERS, SCHEDULES, TrainConfig
from playground.gui.settings.spin_boxes import LogSpinBox

_MOMENTUM_OPTIMIZERS = ("sgd", "rmsprop")
_SEVERAL_NETWORKS = "A GAN's generator and discriminator have optimizer settings of their own, below"
_SCHEDULE_HELP = ("none: constant rate; step: multiply by 0.1 every epoch; cosine: glide to 0; "
                  "onecycle: warm up, then down")


class HyperparameterForm(QGroupBox):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Training", parent)
        d = TrainConfig()
        self.epochs = _spin("epochsSpin", 1, 1000, d.epochs, "Passes over the whole training set")
        self.batch_size = _spin("batchSizeSpin", 1, 65536, d.batch_size,
                                "Samples per step: larger is faster per sample but takes fewer steps per epoch")
        self.lr = LogSpinBox(1e-6, 10.0)
        _describe(self.lr, "learningRateSpin", "Learning rate: how far each step moves the weights "
                  "(Adam: about 0.001; SGD: about 0.01 to 0.1)")
        self.optimizer = _combo("optimizerCombo", OPTIMIZERS, "How gradients become weight updates")
        self.momentum = QDoubleSpinBox()
        self.momentum.setRange(0.0, 0.999)
        self.momentum.setSingleStep(0.05)
        self.momentum.setDecimals(3)
        _describe(self.momentum, "momentumSpin", "Momentum of SGD and RMSprop: how much of the last update carries on")
        self.schedule = _combo("scheduleCombo", SCHEDULES, f"Learning-rate schedule. {_SCHEDULE_HELP}")
        self.weight_decay = LogSpinBox(1e-6, 1.0, allow_zero=True)
        _describe(self.weight_decay, "weightDecaySpin", "L2 penalty on the weights (0 = none; try 0.0001)")
        self.l1 = LogSpinBox(1e-7, 1.0, allow_zero=True)
        _describe(self.l1, "l1Spin", "L1 penalty: the sum of the weights' sizes added to the loss, pushing many "
                  "to exactly 0 (0 = none; try 1e-5)")
        self.seed = _spin("seedSpin", 0, 2**31 - 1, d.seed, "Random seed: the same seed gives the same run")
        self._single = True
        self._tips = {w: w.toolTip() for w in self._per_network()}
        form = QFormLayout(self)
        for label, widget in (("Epochs", self.epochs), ("Batch size", self.batch_size), ("Learning rate", self.lr),
                              ("Optimizer", self.optimizer), ("Momentum", self.momentum),
                              ("Schedule", self.schedule), ("Weight decay", self.weight_decay), ("L1", self.l1),
                              ("Seed", self.seed)):
            form.addRow(label, widget)
        self.set_values(d)
        for spin in (self.epochs, self.batch_size, self.seed, self.lr, self.momentum, self.weight_decay, self.l1):
            spin.valueChanged.connect(self._on_value_changed)
        self.schedule.currentIndexChanged.connect(self._on_value_changed)
        self.optimizer.currentIndexChanged.connect(self._on_optimizer_changed)

    def values(self) -> dict[str, Any]:
        return {"epochs": self.epochs.value(), "batch_size": self.batch_size.value(), "lr": self.lr.value(),
                "optimizer": self.optimizer.currentText(), "momentum": self.momentum.value(),
                "schedule": self.schedule.currentText(), "weight_decay": self.weight_decay.value(),
                "l1": self.l1.value(), "seed": self.seed.value()}

    def set_values(self, config: TrainConfig) -> None:
        self.epochs.setValue(config.epochs)
        self.batch_size.setValue(config.batch_size)
        self.lr.setValue(config.lr)
        self.optimizer.setCurrentText(config.optimizer)
        self.momentum.setValue(config.momentum)
        self.schedule.setCurrentText(config.schedule)
        self.weight_decay.setValue(config.weight_decay)
        self.l1.setValue(config.l1)
        self.seed.setValue(config.seed)
        self._on_optimizer_changed()

    def set_single_network(self, single: bool) -> None:
        """A model of several networks (a GAN) sets each one's optimizer below: these rows do not apply."""
        self._single = single
        for widget in self._per_network():
            widget.setToolTip(self._tips[widget] if single else _SEVERAL_NETWORKS)
        self._enable()

    def _per_network(self) -> tuple[QWidget, ...]:
        return (self.lr, self.optimizer, self.momentum, self.schedule, self.weight_decay)

    def _enable(self) -> None:
        for widget in self._per_network():
            widget.setEnabled(self._single)
        self.momentum.setEnabled(self._single and self.optimizer.currentText() in _MOMENTUM_OPTIMIZERS)

    def widget_for(self, field: str) -> QWidget | None:
        return {"epochs": self.epochs, "batch_size": self.batch_size, "lr": self.lr, "optimizer": self.optimizer,
                "momentum": self.momentum, "schedule": self.schedule, "weight_decay": self.weight_decay,
                "l1": self.l1, "seed": self.seed}.get(field)

    @Slot()
    def _on_value_changed(self) -> None:
        self.changed.emit()

    @Slot()
    def _on_optimizer_changed(self) -> None:
        self._enable()
        self.changed.emit()


def _describe(widget: QWidget, name: str, tip: str) -> None:
    widget.setObjectName(name)
    widget.setToolTip(tip)


def _spin(name: str, low: int, high: int, value: int, tip: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    _describe(spin, name, tip)
    return spin


def _combo(name: str, items: tuple[str, ...], tip: str) -> QComboBox:
    combo = QComboBox()
    combo.addItems(list(items))
    _describe(combo, name, tip)
    return combo
