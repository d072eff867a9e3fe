"""The layer editor in the window: its dock, the settings panel's architecture, and saved networks.

- The editor's layers are the settings' layers (TrainConfig.layers): what a custom run trains.
- Choosing `custom` brings the editor forward; "Edit as layers" turns a built-in stack (mlp, seed-cnn, lenet5,
  cifar-convnet, linear) into custom with its exact layers (core.models.custom.builtin_stacks).
- Networks saved under a name (core.models.custom.saved) are items of the architecture list: custom with that
  network's layers.
- The layers are checked against the chosen dataset, in the editor's own thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton

from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.core.data.inputs import TEXT
from playground.core.errors import ConfigError
from playground.core.kinds import kind_for
from playground.core.models.catalogue import ARCH_CATALOGUE
from playground.core.models.custom.builtin_stacks import stack_of
from playground.core.models.custom.saved import load_network, save_network, saved_networks
from playground.gui.layers.editor import LayerEditor
from playground.gui.layers.shape_job import CheckContext

DOCK = "layers"  # its declaration in dock_declarations.DOCKS
CUSTOM = "custom"
SAVED_ROLE = Qt.ItemDataRole.UserRole + 1  # an architecture item's saved network name


class LayerEditorWiring(QObject):
    """panel: the SettingsPanel (config, layers, set_layers, model); docks: WindowDocks; window: the MainWindow
    (its torch_ready signal)."""

    def __init__(self, panel: Any, docks: Any, window: Any):
        super().__init__(window)
        self._panel, self._docks = panel, docks
        self.editor = LayerEditor()
        docks.put(DOCK, self.editor)
        self.edit_button = QPushButton("Edit as layers")
        self.edit_button.setObjectName("editAsLayersButton")
        self.edit_button.setToolTip("Open this architecture in the layer editor as its exact layers (the same "
                                    "parameter count), to change it layer by layer; it becomes custom")
        panel.model.layout().addWidget(self.edit_button)
        self._seen: list[Any] = panel.layers()  # the settings' layers as last seen (set_config changes them)
        self.refresh_saved()
        if self._seen:
            self.editor.load(self._seen)
        self.editor.layers_changed.connect(self._on_editor_layers_changed)
        self.editor.save_requested.connect(self._on_editor_save_requested)
        self.editor.checked.connect(self._on_editor_checked)
        panel.changed.connect(self._on_panel_changed)
        panel.model.combo.currentIndexChanged.connect(self._on_arch_index_changed)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        window.torch_ready.connect(self._on_window_torch_ready)
        self._on_panel_changed()

    def shutdown(self) -> None:
        self.editor.shutdown()

    # -- the settings and the editor, kept as one ----------------------------------------------------------------

    @Slot(list)
    def _on_editor_layers_changed(self, layers: list) -> None:
        self._seen = layers
        self._panel.set_layers(layers)

    @Slot(object)
    def _on_editor_checked(self, result: Any) -> None:
        self._panel.set_layer_problem(result.problem if self.editor.layers() else "")

    @Slot()
    def _on_panel_changed(self) -> None:
        config = self._panel.config()
        custom = ARCH_CATALOGUE[config.arch].takes_layers
        layers = self._panel.layers()
        if layers != self._seen:  # settings set from outside: a preset, a run's, the last session's
            self._seen = layers
            if layers or custom:
                self.editor.load(layers)
        elif custom and layers != self.editor.layers():  # back to custom: the editor's layers are the ones
            self._on_editor_layers_changed(self.editor.layers())
        self.editor.set_context(self._context(config))
        self.edit_button.setVisible(self._stack(config) is not None)

    def _context(self, config: Any) -> CheckContext:
        info = DATASET_CATALOGUE[config.dataset]
        custom = config.replace(arch=CUSTOM)  # the kind a custom network would train as (a language model on text)
        shape = tuple(kind_for(CUSTOM, config.dataset).planned_input(custom))
        return CheckContext(shape, info.inputs == TEXT, info.num_outputs or None, config.batch_size, config.dataset)

    def _stack(self, config: Any) -> list[dict[str, Any]] | None:
        info = DATASET_CATALOGUE[config.dataset]
        if ARCH_CATALOGUE[config.arch].takes_layers or info.inputs == TEXT or self._panel.model.options.problems():
            return None
        try:
            return stack_of(config.arch, config.arch_options, self._panel.input_shape(), info.num_outputs)
        except (TypeError, ValueError):  # options half typed: the form names the problem
            return None

    @Slot()
    def _on_edit_button_clicked(self) -> None:
        self.edit_as_layers()

    def edit_as_layers(self) -> None:
        """The chosen built-in architecture as its layers, in the editor, as custom."""
        config = self._panel.config()
        layers = self._stack(config)
        if layers is None:
            return
        self.editor.replace(layers, f"Edit {config.arch} as layers")
        self._panel.model.set_choice(CUSTOM, {})
        self._docks.bring_forward(DOCK)

    @Slot(int)
    def _on_arch_index_changed(self, index: int) -> None:
        combo = self._panel.model.combo
        if combo.itemData(index) != CUSTOM:
            return
        name = combo.itemData(index, SAVED_ROLE)
        if name:
            self._open_saved(name)
        self._docks.bring_forward(DOCK)

    @Slot()
    def _on_window_torch_ready(self) -> None:
        self.editor.set_types_ready()

    # -- saved networks ---------------------------------------------------------------------------------------------

    def _open_saved(self, name: str) -> None:
        try:
            layers = load_network(name)
        except ConfigError as e:
            QMessageBox.warning(self.editor, "Cannot open the network", e.problems[0][1])
            return
        self.editor.replace(layers, f"Open the network {name}")
        self._panel.model.options.set_values({"name": name})

    def refresh_saved(self) -> None:
        """Every saved network as an item of the architecture list (custom, with its name)."""
        combo = self._panel.model.combo
        listed = {combo.itemData(i, SAVED_ROLE) for i in range(combo.count())}
        combo.blockSignals(True)  # nothing is chosen by listing it
        for name, path in saved_networks().items():
            if name not in listed and name not in ARCH_CATALOGUE:
                combo.addItem(f"{name} (yours)", CUSTOM)
                combo.setItemData(combo.count() - 1, name, SAVED_ROLE)
                combo.setItemData(combo.count() - 1, f"Your network, saved in {path}", Qt.ItemDataRole.ToolTipRole)
        combo.blockSignals(False)

    def save_as(self, name: str) -> str:
        """Save the editor's layers as `name`, list it and choose it; returns the problem, or "" when saved."""
        try:
            save_network(name, self.editor.layers(), tuple(ARCH_CATALOGUE))
        except (ConfigError, OSError) as e:
            return e.problems[0][1] if isinstance(e, ConfigError) else f"cannot save the network: {e}"
        self.refresh_saved()
        combo = self._panel.model.combo
        index = next(i for i in range(combo.count()) if combo.itemData(i, SAVED_ROLE) == name)
        combo.setCurrentIndex(index)
        return ""

    @Slot()
    def _on_editor_save_requested(self) -> None:
        if not self.editor.layers():
            QMessageBox.information(self.editor, "Nothing to save", "Add some layers first.")
            return
        current = self._panel.model.options.values().get("name", "")
        name, ok = QInputDialog.getText(self.editor, "Save the network", "Name (letters, digits, - _ .):",
                                        text=current)
        if ok and name.strip() and (problem := self.save_as(name.strip())):
            QMessageBox.warning(self.editor, "Cannot save the network", problem)
