"""The file a dataset reads (a text or a table of yours): a path, typed or picked with Browse…, shown for the
datasets that read one (DatasetInfo.needs_file) and left out of the settings for the others."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

FILTERS = "Text files (*.txt *.md *.csv *.tsv *.py *.json);;All files (*)"


class DataFileRow(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit(self, objectName="dataFileEdit", placeholderText="the file to learn from")
        self.edit.setToolTip("The file this dataset reads: for text any UTF-8 text (a book, your own writing, "
                             "code…), the last 10% kept aside to check the model; for csv a table (CSV file)")
        self.browse = QPushButton("Browse…", self, objectName="dataFileButton")
        self.browse.setToolTip("Pick the file")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse)
        self.edit.textChanged.connect(self.changed)
        self.browse.clicked.connect(self._on_browse_clicked)

    def path(self) -> str:
        return self.edit.text().strip()

    def set_path(self, path: str) -> None:
        self.edit.setText(path)

    @Slot()
    def _on_browse_clicked(self) -> None:
        start = str(Path(self.path()).expanduser().parent) if self.path() else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Choose the file to learn from", start, FILTERS)
        if path:
            self.set_path(path)
