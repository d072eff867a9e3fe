"""A form built from OptionSpecs (an architecture's or a dataset's options): one widget per option, with tooltips."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from playground.core.models.options import OptionSpec
from playground.gui.formatting import option_label


class OptionForm(QWidget):
    """Edits a dict of option values; `problems()` says what is wrong with them, in the options' own words."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._specs: tuple[OptionSpec, ...] = ()
        self._widgets: dict[str, QWidget] = {}

    def set_specs(self, specs: tuple[OptionSpec, ...], values: dict[str, Any] | None = None) -> None:
        """Rebuild the form for these options, filled with `values` or the defaults."""
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._specs, self._widgets = specs, {}
        for spec in specs:
            widget = _make_widget(spec, self._on_widget_changed)
            widget.setToolTip(f"{spec.help[:1].upper()}{spec.help[1:]} (default: {_text(spec.default)})")
            widget.setObjectName(f"option_{spec.name}")
            self._widgets[spec.name] = widget
            self._layout.addRow(option_label(spec.name), widget)
        self.set_values(values or {})
        self.setVisible(bool(specs))

    def set_values(self, values: dict[str, Any]) -> None:
        for spec in self._specs:
            value = values.get(spec.name, spec.default)
            if spec.problem(value) is not None:
                value = spec.default  # a remembered value the option no longer accepts
            _set_value(self._widgets[spec.name], spec, value)

    def values(self) -> dict[str, Any]:
        return {spec.name: _value(self._widgets[spec.name], spec) for spec in self._specs}

    def problems(self) -> list[tuple[str, str]]:
        """(option name, message) for every option whose value is not acceptable."""
        found = []
        for spec in self._specs:
            value = _value(self._widgets[spec.name], spec)
            message = f"{spec.name} must be whole numbers separated by commas, for example " \
                      f"{_text(spec.default)}" if value is None else spec.problem(value)
            if message is not None:
                found.append((spec.name, message))
        return found

    def widget(self, name: str) -> QWidget | None:
        return self._widgets.get(name)

    @Slot()
    def _on_widget_changed(self) -> None:
        self.changed.emit()


def _make_widget(spec: OptionSpec, on_change: Any) -> QWidget:
    if spec.kind == "bool":
        box = QCheckBox()
        box.toggled.connect(on_change)
        return box
    if spec.choices:
        combo = QComboBox()
        combo.addItems(list(spec.choices))
        combo.currentIndexChanged.connect(on_change)
        return combo
    if spec.kind == "int":
        spin = QSpinBox()
        spin.setRange(int(spec.minimum if spec.minimum is not None else 0),
                      int(spec.maximum if spec.maximum is not None else 1_000_000_000))
        spin.valueChanged.connect(on_change)
        return spin
    if spec.kind == "float":
        dspin = QDoubleSpinBox()
        dspin.setDecimals(3)
        dspin.setRange(spec.minimum if spec.minimum is not None else -1e9,
                       spec.maximum if spec.maximum is not None else 1e9)
        dspin.setSingleStep(0.05)
        dspin.valueChanged.connect(on_change)
        return dspin
    line = QLineEdit()
    if spec.kind == "int_list":
        line.setPlaceholderText(_text(spec.default))
    line.textChanged.connect(on_change)
    return line


def _set_value(widget: QWidget, spec: OptionSpec, value: Any) -> None:
    if isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QComboBox):
        widget.setCurrentText(str(value))
    elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        widget.setValue(value)
    else:
        widget.setText(_text(value))


def _value(widget: QWidget, spec: OptionSpec) -> Any:
    """The widget's value as the option wants it; None for a list that cannot be read."""
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value()
    if spec.kind == "int_list":
        try:
            return spec.parse(widget.text())
        except ValueError:
            return None
    return widget.text()


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)
