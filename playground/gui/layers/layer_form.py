"""One layer's settings: a field per constructor argument, empty for its default (or, for input sizes, the
value inferred from the layer before, shown greyed). A value is checked as it is typed; Enter or leaving the
field applies it (one undoable edit)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from playground.gui.layers.values import parse_value, show_layers, show_value

_BAD = "border: 1px solid #c0392b; border-radius: 3px;"
_EMPTY = "Select a layer to see and change its settings."


class ArgumentEdit(QLineEdit):
    """The field of one argument: it says which argument it holds when its value is applied or typed (a slot
    asking for the sender got None when Qt emitted from a focus change)."""

    applied = Signal(str)  # the argument's name: Enter, or leaving the field
    typed = Signal(str)

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.setObjectName(f"arg_{name}")
        self.editingFinished.connect(self._on_editing_finished)
        self.returnPressed.connect(self._on_editing_finished)  # Enter applies even where Qt leaves that out
        self.textEdited.connect(self._on_text_edited)

    @Slot()
    def _on_editing_finished(self) -> None:
        self.applied.emit(self.name)

    @Slot(str)
    def _on_text_edited(self, text: str) -> None:
        self.typed.emit(self.name)


class LayerForm(QWidget):
    edited = Signal(int, str, object)  # row, argument, value (None: left out)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("layerForm")
        self.title = QLabel(_EMPTY)
        self.title.setObjectName("layerFormTitle")
        self.title.setWordWrap(True)
        self._fields = QWidget()
        self._form = QFormLayout(self._fields)
        self._form.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self._fields)
        self.edits: dict[str, QLineEdit] = {}
        self._row, self._type, self._args = -1, "", {}  # what the form shows: its layer's row, type, arguments

    def clear(self, text: str = _EMPTY) -> None:
        self._rebuild(-1, "", {})
        self.title.setText(text)

    def show_layer(self, row: int, layer: dict[str, Any], filled: dict[str, Any] | None) -> None:
        """Show layer `row` (its arguments as given; filled: as the shape check filled them in, or None)."""
        from playground.core.models.custom.layer_types import LAYER_TYPES

        layer_type = LAYER_TYPES.get(layer.get("type", ""))
        if layer_type is None:
            self.clear(f"Layer {row + 1}: unknown type {layer.get('type')!r}; remove it or undo")
            return
        args = dict(layer_type.args)
        if layer_type.name == "Residual":
            args = {"layers": None}
        if (row, layer_type.name) != (self._row, self._type):
            self._rebuild(row, layer_type.name, args)
        self.title.setText(f"Layer {row + 1}, {layer_type.name}: leave a field empty for its default")
        for name, edit in self.edits.items():
            self._fill(edit, name, layer, layer_type, filled or {})

    def _rebuild(self, row: int, type_name: str, args: dict[str, Any]) -> None:
        for edit in self.edits.values():
            edit.blockSignals(True)  # a field losing focus as it goes must not apply its text again
        while self._form.rowCount():
            self._form.removeRow(0)
        self.edits = {}
        self._row, self._type, self._args = row, type_name, args
        for name in args:
            edit = ArgumentEdit(name)
            edit.applied.connect(self._on_edit_applied)
            edit.typed.connect(self._on_edit_typed)
            self.edits[name] = edit
            self._form.addRow(name, edit)

    def _fill(self, edit: QLineEdit, name: str, layer: dict[str, Any], layer_type: Any,
              filled: dict[str, Any]) -> None:
        value = layer.get(name)
        text = "" if value is None else (show_layers(value) if name == "layers" else show_value(value))
        if not edit.isModified() and edit.text() != text:  # never over what is being typed
            edit.setText(text)
        arg = self._args.get(name)
        if name == layer_type.inferred:
            shown = filled.get(name)
            edit.setPlaceholderText(f"inferred: {show_value(shown)}" if shown is not None
                                    else "inferred from the layer before")
            edit.setToolTip(f"{name}: read from the input's {layer_type.inferred_from}; type a number to fix it")
        elif arg is None:  # a Residual's layers
            edit.setPlaceholderText('[{type = "ReLU"}]')
            edit.setToolTip('The layers inside the block, as TOML: [{type = "Conv2d", out_channels = 16, '
                            'kernel_size = 3, padding = 1}, {type = "ReLU"}]; their output is added to the input')
        else:
            edit.setPlaceholderText(_placeholder(name, arg, filled))
            edit.setToolTip(_tooltip(arg))
        self._mark(edit, name)

    def _mark(self, edit: QLineEdit, name: str) -> None:
        problem = self._problem(name, parse_value(edit.text()))
        edit.setStyleSheet(_BAD if problem else "")
        if problem:
            edit.setToolTip(f"⚠ {problem}")

    def _problem(self, name: str, value: Any) -> str | None:
        arg = self._args.get(name)
        if value is None or arg is None:
            return None
        return arg.problem(value)

    @Slot(str)
    def _on_edit_typed(self, name: str) -> None:
        if name in self.edits:
            self._mark(self.edits[name], name)

    @Slot(str)
    def _on_edit_applied(self, name: str) -> None:
        edit = self.edits.get(name)
        if edit is None or self._row < 0 or not edit.isModified():
            return  # a field of an earlier layer, or nothing new (Enter and leaving the field both apply)
        edit.setModified(False)  # applied: the layers' value shows from now on
        self.edited.emit(self._row, name, parse_value(edit.text()))


def _placeholder(name: str, arg: Any, filled: dict[str, Any]) -> str:
    if name == "out_features" and arg.required:
        shown = filled.get(name)
        return f"the dataset's outputs: {shown}" if shown is not None else "the dataset's outputs (last Linear)"
    if arg.required:
        return "required"
    return "optional" if arg.default is None else f"default: {show_value(arg.default)}"


def _tooltip(arg: Any) -> str:
    from playground.core.models.custom.arguments import describe_kinds

    default = "required" if arg.required else "optional" if arg.default is None else \
        f"empty for the default, {show_value(arg.default)}"
    return f"{arg.name}: {describe_kinds(arg.kinds)}; {default}"
