"""The settings panel: architecture and dataset from the registries, their options, hyperparameters and device.

It builds a TrainConfig and says, in the config's own words, what keeps it from running. It needs no torch:
names, descriptions and options come from the torch-free catalogues; devices arrive once torch has loaded.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from playground.core.config import TrainConfig, validate
from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.core.data.inputs import TABLE
from playground.core.models.catalogue import ARCH_CATALOGUE, dataset_clash
from playground.gui.settings.catalogue_section import CatalogueSection
from playground.gui.settings.data_file import DataFileRow
from playground.gui.settings.hyper_form import HyperparameterForm
from playground.gui.settings.network_form import NetworkOptimizerForm
from playground.gui.settings.table_columns import TableColumns

_INVALID_STYLE = "border: 1px solid #c0392b; border-radius: 3px;"


class SettingsPanel(QWidget):
    changed = Signal()  # any setting changed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = CatalogueSection("Model", "archCombo", ARCH_CATALOGUE,
                                      "The network to train; its options appear below")
        self.data = CatalogueSection("Data", "datasetCombo", DATASET_CATALOGUE,
                                     "What to learn from; generated 2-D sets need no download")
        self.data_file = DataFileRow()
        self.data.layout().addWidget(self.data_file)
        self.table = TableColumns()  # a table's first rows and columns: its target, features and task
        self.data.layout().addWidget(self.table)
        self.training = HyperparameterForm()
        self.networks = NetworkOptimizerForm()
        self.device = QComboBox()
        self.device.setObjectName("deviceCombo")
        self.device.setToolTip("Where to train: the CPU, or a CUDA or Apple (MPS) GPU when this machine has one")
        self.device.addItem("cpu", "cpu")
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problemLabel")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #c0392b;")
        layout = QVBoxLayout(self)
        for section in (self.problem_label, self.model, self.data, self.training, self.networks,
                        _device_group(self.device)):
            layout.addWidget(section)
        layout.addStretch(1)
        self._highlighted: list[QWidget] = []
        self._wanted_device = "auto"  # until torch has listed the devices
        self._base = TrainConfig()
        self._layer_problem = ""  # the layer editor's last check of the layers: the first one that cannot train
        self.set_config(TrainConfig())  # the defaults: seed-cnn on mnist
        for source in (self.model.changed, self.data.changed, self.training.changed, self.networks.changed,
                       self.device.currentIndexChanged, self.data_file.changed):
            source.connect(self._on_setting_changed)
        self.model.combo.currentIndexChanged.connect(self._on_arch_chosen)
        self.table.changed.connect(self._on_setting_changed)
        self.data_file.changed.connect(self._on_data_file_changed)
        self.data.combo.currentIndexChanged.connect(self._on_dataset_chosen)
        self._inputs = self._dataset().inputs
        self._on_setting_changed()

    def config(self) -> TrainConfig:
        """The run these settings describe (which may be invalid: see problems()). Settings the form does not
        show (threads, augmentation, ...) keep the values of the last set_config."""
        takes_layers = ARCH_CATALOGUE[self.model.name()].takes_layers  # the editor's layers, for custom only
        return self._base.replace(arch=self.model.name(), arch_options=self.model.options.values(),
                                  layers=list(self._base.layers) if takes_layers else [],
                                  dataset=self.data.name(), dataset_options=self.data.options.values(),
                                  data_file=self.data_file.path() if self._dataset().needs_file else "",
                                  **self._table_settings(),
                                  device=self.device.currentData() or "cpu", optimizers=self.networks.values(),
                                  **self.training.values())

    def _dataset(self) -> Any:
        return DATASET_CATALOGUE[self.data.name()]

    def layers(self) -> list:
        """A custom network's layers (the layer editor's), kept whichever architecture is chosen."""
        return list(self._base.layers)

    def set_layers(self, layers: list) -> None:
        if layers != self._base.layers:
            self._base = self._base.replace(layers=list(layers))
            self._on_setting_changed()

    def set_layer_problem(self, message: str) -> None:
        """What the layer editor's shape check found ("" for nothing): Train refuses it with this message."""
        if message != self._layer_problem:
            self._layer_problem = message
            self._on_setting_changed()

    def set_config(self, config: TrainConfig) -> None:
        layers_changed = config.layers != self._base.layers
        self._base = config
        self.model.set_choice(config.arch, config.arch_options)
        self.data.set_choice(config.dataset, config.dataset_options)
        self.data_file.set_path(config.data_file)
        self.data_file.setVisible(self._dataset().needs_file)
        self.table.set_choice(config.target, config.features, config.task)
        self._show_table()
        self.training.set_values(config)
        self.networks.set_arch(config.arch, config.optimizers)
        self._show_network_settings()
        self._wanted_device = config.device
        self._select_device(config.device)
        if layers_changed:  # no widget of the form changed: the layer editor learns of them from `changed`
            self._on_setting_changed()

    def switch_dataset(self, name: str) -> str:
        """Choose another dataset, with mlp instead of a CNN if the architecture cannot take its inputs;
        returns what changed, for the status bar."""
        config = self.config()
        clash = dataset_clash(config.arch, name) is not None
        arch = next(a for a in (config.arch, "mlp", "lstm") if dataset_clash(a, name) is None)
        self.set_config(config.replace(dataset=name, dataset_options={}, arch=arch,
                                       arch_options={} if clash else config.arch_options))
        return f"Switched to {name}" + (f" with {arch} ({config.arch} cannot read it)" if clash else "")

    def input_shape(self) -> tuple[int, ...]:
        return DATASET_CATALOGUE[self.data.name()].shape_for(self.data.options.values())

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) for everything that keeps these settings from running; empty when they can run."""
        found = [("arch_options", m) for _, m in self.model.options.problems()]
        found += [("dataset_options", m) for _, m in self.data.options.problems()]
        if not found:
            found += validate(self.config(), deep=False)  # the layer editor checks the layers, off this thread
        if not found and self._layer_problem and ARCH_CATALOGUE[self.model.name()].takes_layers:
            found.append(("layers", self._layer_problem))
        if (clash := dataset_clash(self.model.name(), self.data.name(), self.data.options.values())) is not None \
                and ("arch", clash) not in found:
            found.append(("arch", clash))
        if self._dataset().inputs == TABLE and self.table.problem and ("data_file", self.table.problem) not in found:
            found.append(("data_file", self.table.problem))
        path = self.data.options.values().get("path")
        if self.data.name() == "image-folder" and not (path and os.path.isdir(path)):
            found.append(("dataset_options", "image-folder needs a path: type the folder that holds one "
                          "sub-folder of images per class"))
        return found

    def set_devices(self, devices: list[tuple[str, str]]) -> None:
        """Every device torch found here, CPU first; the best one is chosen unless the settings named another."""
        wanted = self._wanted_device
        self.device.blockSignals(True)
        self.device.clear()
        for name, label in devices:
            self.device.addItem(label, name)
        self.device.blockSignals(False)
        self._select_device(wanted)
        self._on_setting_changed()

    @Slot()
    def _on_arch_chosen(self) -> None:
        """A new architecture brings its own optimizer settings per network, and what it trains best with."""
        arch = ARCH_CATALOGUE[self.model.name()]
        self.networks.set_arch(arch.name)
        self._apply_run_defaults()
        self._show_network_settings()

    @Slot()
    def _on_dataset_chosen(self) -> None:
        """Text trains best with other settings than images: they change when the kind of data does."""
        self.data_file.setVisible(self._dataset().needs_file)
        self._show_table()
        info = self._dataset()
        if info.arch and dataset_clash(self.model.name(), info.name) is not None:
            self.model.set_choice(info.arch, {})  # a table's mlp: the CNN chosen cannot read one
        if self._dataset().inputs != self._inputs:
            self._inputs = self._dataset().inputs
            self._apply_run_defaults()

    def _table_settings(self) -> dict[str, Any]:
        if self._dataset().inputs != TABLE:
            return {"target": "", "features": [], "task": ""}
        return {"target": self.table.target_name(), "features": self.table.chosen_features(),
                "task": self.table.task_name()}

    def _show_table(self) -> None:
        shown = self._dataset().inputs == TABLE
        self.table.setVisible(shown)
        if shown:
            self.table.load(self.data_file.path())

    @Slot()
    def _on_data_file_changed(self) -> None:
        self._show_table()

    def shutdown(self) -> None:
        """The window closes: a table's preview still being read is not waited for past the closing bar."""
        self.table.shutdown()

    def _apply_run_defaults(self) -> None:
        defaults = {**dict(self._dataset().run_defaults),  # a table's epochs, under the architecture's own
                    **ARCH_CATALOGUE[self.model.name()].run_defaults_for(self._dataset().inputs)}
        if defaults:
            self.training.set_values(self.config().replace(**defaults))

    def _show_network_settings(self) -> None:
        several = bool(ARCH_CATALOGUE[self.model.name()].networks)
        self.training.set_single_network(not several)

    def refresh_enabled(self) -> None:
        """After a run: which rows apply to this architecture and optimizer, as before it was locked."""
        self._show_network_settings()
        for row in self.networks.rows():
            row.beta1.setEnabled(row.optimizer.currentText() in ("adam", "adamw"))

    def _select_device(self, name: str) -> None:
        index = self.device.findData(name)
        if index < 0:  # "auto", or a GPU this machine lacks: the best there is
            index = 1 if self.device.count() > 1 and name != "cpu" else 0
        self.device.setCurrentIndex(index)

    @Slot()
    def _on_setting_changed(self) -> None:
        problems = self.problems()
        self.problem_label.setText("\n".join(f"⚠ {m}" for _, m in problems))
        self.problem_label.setVisible(bool(problems))
        self._highlight({f for f, _ in problems})
        self.changed.emit()

    def _highlight(self, fields: set[str]) -> None:
        for widget in self._highlighted:
            widget.setStyleSheet("")
        self._highlighted = [w for w in (self._widget_for(f) for f in fields) if w is not None]
        for widget in self._highlighted:
            widget.setStyleSheet(_INVALID_STYLE)

    def _widget_for(self, field: str) -> QWidget | None:
        parts: dict[str, Any] = {"arch": self.model.combo, "arch_options": self.model.options,
                                 "dataset": self.data.combo, "dataset_options": self.data.options,
                                 "data_file": self.data_file, "device": self.device, "target": self.table.target,
                                 "features": self.table.features, "task": self.table.task}
        return parts.get(field) or self.training.widget_for(field)


def _device_group(combo: QComboBox) -> QGroupBox:
    group = QGroupBox("Device")
    form = QFormLayout(group)
    form.addRow("Train on", combo)
    return group
