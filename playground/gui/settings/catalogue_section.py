"""One choice from a catalogue (architecture or dataset): a combo, its one-line description, and its options."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from playground.gui.settings.option_form import OptionForm


class CatalogueSection(QGroupBox):
    """`entries` maps a name to an object with .description and .options (ArchInfo or DatasetInfo)."""

    changed = Signal()

    def __init__(self, title: str, combo_name: str, entries: dict[str, Any], tooltip: str,
                 parent: QWidget | None = None):
        super().__init__(title, parent)
        self._entries = entries
        self._remembered: dict[str, dict[str, Any]] = {}  # options per entry, kept while switching back and forth
        self.combo = QComboBox()
        self.combo.setObjectName(combo_name)
        self.combo.setToolTip(tooltip)
        for name, entry in entries.items():
            self.combo.addItem(name, name)
            self.combo.setItemData(self.combo.count() - 1, entry.description, Qt.ItemDataRole.ToolTipRole)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setObjectName("description")
        self.options = OptionForm()
        layout = QVBoxLayout(self)
        layout.addWidget(self.combo)
        layout.addWidget(self.description)
        layout.addWidget(self.options)
        self._current = ""
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self.options.changed.connect(self.changed)
        self._on_combo_changed()

    def name(self) -> str:
        return self.combo.currentData()

    def set_choice(self, name: str, options: dict[str, Any] | None = None) -> None:
        if name in self._entries:
            self._remembered[name] = dict(options or {})
            self.combo.setCurrentIndex(self.combo.findData(name))
            self.options.set_values(self._remembered[name])

    @Slot()
    def _on_combo_changed(self) -> None:
        if self._current:
            self._remembered[self._current] = self.options.values()
        self._current = self.name()
        entry = self._entries[self._current]
        self.description.setText(entry.description)
        self.options.set_specs(entry.options, self._remembered.get(self._current))
        self.changed.emit()

