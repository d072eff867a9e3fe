"""The layer editor (objectName layerEditor): the palette, the list of layers with their output shapes and
parameters, the selected layer's settings, the total, and the first layer that cannot take its input.

Every edit is a command on its QUndoStack; the shape check runs in a thread of its own (shape_job) each time the
layers or the dataset change. `layers_changed` carries the layers a run would train.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QToolButton, QVBoxLayout, QWidget

from playground.gui import formatting
from playground.gui.layers.commands import LayerEdits
from playground.gui.layers.layer_form import LayerForm
from playground.gui.layers.palette import LayerPalette
from playground.gui.layers.shape_job import CheckContext, CheckResult, ShapeChecker
from playground.gui.layers.stack_model import LayerStackModel
from playground.gui.layers.table import LayerTable

_ACTIONS = (  # name, text, shortcuts, what it does
    ("add", "Add", (), "Add the palette's chosen type after the selected layer"),
    ("remove", "Remove", ("Delete",), "Remove the selected layers (Delete)"),
    ("duplicate", "Duplicate", ("Ctrl+D",), "Copy the selected layers below them (Ctrl+D)"),
    ("up", "Up", ("Ctrl+Up",), "Move the selected layers one place up (Ctrl+Up)"),
    ("down", "Down", ("Ctrl+Down",), "Move the selected layers one place down (Ctrl+Down)"),
    ("undo", "Undo", ("Ctrl+Z",), "Undo the last change to the layers (Ctrl+Z)"),
    ("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo what was undone (Ctrl+Shift+Z)"),
    ("save", "Save as…", (), "Save this network under a name: it then appears in the architecture list, and "
                             "playground train --arch NAME trains it"),
)


class LayerEditor(QWidget):
    layers_changed = Signal(list)  # the layers as they are now (plain data, a copy)
    save_requested = Signal()  # "Save as…" pressed
    checked = Signal(object)  # a CheckResult of the layers as they are now

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("layerEditor")
        self.model = LayerStackModel(self)
        self.undo_stack = QUndoStack(self)
        self.edits = LayerEdits(self.model, self.undo_stack)
        self.palette_list = LayerPalette()
        self.table = LayerTable()
        self.table.setModel(self.model)
        self.form = LayerForm()
        self.total = QLabel("No layers yet")
        self.total.setObjectName("layerTotal")
        self.total.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("layerProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        self.actions_by_name = self._make_actions()
        self._checker = ShapeChecker(self)
        self._context = CheckContext()
        self.result: CheckResult | None = None
        self._types_ready = False
        self._build_layout()
        self._connect()

    def _make_actions(self) -> dict[str, QAction]:
        made = {}
        for name, text, keys, tip in _ACTIONS:
            action = QAction(text, self)
            action.setObjectName(f"layers_{name}")
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(tip)
            self.addAction(action)
            made[name] = action
        return made

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for action in self.actions_by_name.values():
            button = QToolButton()
            button.setDefaultAction(action)
            buttons.addWidget(button)
        buttons.addStretch(1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.table)
        right.addWidget(self.form)
        right.setStretchFactor(0, 3)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.palette_list)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([self.palette_list.maximumWidth(), 10_000])  # the list of layers takes the room
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.total)

    def _connect(self) -> None:
        for name, action in self.actions_by_name.items():
            action.triggered.connect(getattr(self, f"_on_{name}_triggered"))
        self.undo_stack.canUndoChanged.connect(self.actions_by_name["undo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(self.actions_by_name["redo"].setEnabled)
        self.actions_by_name["undo"].setEnabled(False)
        self.actions_by_name["redo"].setEnabled(False)
        self.palette_list.chosen.connect(self._on_palette_chosen)
        self.model.layers_replaced.connect(self._on_model_layers_replaced)
        self.model.selection_wanted.connect(self._on_model_selection_wanted)
        self.model.rows_dropped.connect(self._on_model_rows_dropped)
        self.model.type_dropped.connect(self._on_model_type_dropped)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.form.edited.connect(self._on_form_edited)
        self._checker.checked.connect(self._on_checker_checked)
        self._checker.failed.connect(self._on_checker_failed)

    # -- what the window tells it -----------------------------------------------------------------------------

    def layers(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self.model.layers)

    def load(self, layers: list[dict[str, Any]]) -> None:
        """Show these layers as a fresh start (a run's or a preset's settings): nothing to undo."""
        if layers != self.model.layers:
            self.undo_stack.clear()
            self.model.set_layers(copy.deepcopy(layers), [])

    def replace(self, layers: list[dict[str, Any]], text: str) -> None:
        """Put these layers in as one undoable edit ("Edit lenet5 as layers")."""
        self.edits.replace(layers, text)

    def set_context(self, context: CheckContext) -> None:
        """The dataset the layers are checked against; they are checked again when it changes."""
        if context != self._context:
            self._context = context
            self._check()

    def set_types_ready(self) -> None:
        """torch has loaded: the palette fills, and the shape check begins."""
        self._types_ready = True
        self.palette_list.load()
        self._check()
        self._show_selected()

    def shutdown(self) -> None:
        self._checker.close()

    # -- edits --------------------------------------------------------------------------------------------------

    @Slot()
    def _on_add_triggered(self) -> None:
        item = self.palette_list.currentItem()
        if item is not None and item.data(Qt.ItemDataRole.UserRole):
            self._on_palette_chosen(item.data(Qt.ItemDataRole.UserRole))

    @Slot(str)
    def _on_palette_chosen(self, type_name: str) -> None:
        rows = self.table.selected_rows()
        self.edits.add(type_name, rows[-1] + 1 if rows else len(self.model.layers), rows)

    @Slot()
    def _on_remove_triggered(self) -> None:
        self.edits.remove(self.table.selected_rows())

    @Slot()
    def _on_duplicate_triggered(self) -> None:
        self.edits.duplicate(self.table.selected_rows())

    @Slot()
    def _on_up_triggered(self) -> None:
        self.edits.move(self.table.selected_rows(), -1)

    @Slot()
    def _on_down_triggered(self) -> None:
        self.edits.move(self.table.selected_rows(), +1)

    @Slot()
    def _on_undo_triggered(self) -> None:
        self.undo_stack.undo()

    @Slot()
    def _on_redo_triggered(self) -> None:
        self.undo_stack.redo()

    @Slot()
    def _on_save_triggered(self) -> None:
        self.save_requested.emit()

    @Slot(list, int)
    def _on_model_rows_dropped(self, rows: list, target: int) -> None:
        self.edits.move_to([int(r) for r in rows], target)

    @Slot(str, int)
    def _on_model_type_dropped(self, type_name: str, row: int) -> None:
        self.edits.add(type_name, row, self.table.selected_rows())

    @Slot(int, str, object)
    def _on_form_edited(self, row: int, name: str, value: object) -> None:
        self.edits.set_argument(row, name, value)

    # -- what follows an edit -------------------------------------------------------------------------------------

    @Slot()
    def _on_model_layers_replaced(self) -> None:
        self.result = None
        self._check()
        self.layers_changed.emit(self.layers())

    @Slot(list)
    def _on_model_selection_wanted(self, rows: list) -> None:
        self.table.select_rows(rows)
        self._show_selected()

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        rows = self.table.selected_rows()
        if len(rows) != 1 or not self._types_ready:
            self.form.clear("Select one layer to see and change its settings." if self._types_ready
                            else "The layer settings appear once PyTorch has loaded…")
            return
        check = self.model.check_of(rows[0])
        self.form.show_layer(rows[0], self.model.layers[rows[0]], check.args if check is not None else None)

    def _check(self) -> None:
        if not self._types_ready:
            return
        if not self.model.layers:
            self._show_result(CheckResult(0))
            return
        self.total.setText("Checking the shapes…")
        self._checker.check(self.model.layers, self._context)

    @Slot(object)
    def _on_checker_checked(self, result: CheckResult) -> None:
        self._show_result(result)

    @Slot(str)
    def _on_checker_failed(self, message: str) -> None:
        self.problem.setText(f"⚠ The shape check failed: {message}")
        self.problem.show()

    def _show_result(self, result: CheckResult) -> None:
        self.result = result
        self.model.set_result(result if self.model.layers else None)
        self.problem.setText(f"⚠ {result.problem}" if result.problem else "")
        self.problem.setVisible(bool(result.problem))
        self.total.setText(_total_text(result, self._context, bool(self.model.layers)))
        self._show_selected()
        self.checked.emit(result)


def _total_text(result: CheckResult, context: CheckContext, any_layers: bool) -> str:
    if not any_layers:
        return "No layers yet: add one from the palette"
    where = f" for {context.dataset} ({formatting.shape(context.input_shape)})" if context.dataset else ""
    if result.note:
        return f"Total: not known yet; {result.note}"
    if result.problem_row >= 0 or (result.problem and not result.rows):
        return f"Total: – (fix layer {result.problem_row + 1} first)" if result.problem_row >= 0 else "Total: –"
    output = f", output {formatting.shape(result.output)}" if result.output is not None else ""
    return f"Total: {formatting.count(result.total_params)} parameters{output}{where}"
