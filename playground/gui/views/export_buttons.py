"""Two small buttons under a view: save what it shows as PNG, and the numbers behind it as CSV."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QPushButton, QWidget


class ExportButtons(QWidget):
    def __init__(self, name: str, save_png: Callable[[str], bool], save_csv: Callable[[str], None],
                 parent: QWidget | None = None):
        """name: the default file name's stem; save_png(path) -> bool and save_csv(path) do the writing."""
        super().__init__(parent)
        self._name, self._save_png, self._save_csv = name, save_png, save_csv
        self.png = QPushButton("Save PNG…", self, objectName=f"{name}PngButton")
        self.png.setToolTip("Save this view as a picture")
        self.csv = QPushButton("Save CSV…", self, objectName=f"{name}CsvButton")
        self.csv.setToolTip("Save the numbers this view shows, one row per value")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        layout.addWidget(self.png)
        layout.addWidget(self.csv)
        self.png.clicked.connect(self._on_png_clicked)
        self.csv.clicked.connect(self._on_csv_clicked)

    @Slot()
    def _on_png_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save as PNG", f"{self._name}.png", "PNG images (*.png)")
        if path and not self._save_png(path):
            QMessageBox.warning(self, "Not saved", f"Could not write {path}; choose another folder")

    @Slot()
    def _on_csv_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save as CSV", f"{self._name}.csv", "CSV files (*.csv)")
        if not path:
            return
        try:
            self._save_csv(path)
        except OSError as e:
            QMessageBox.warning(self, "Not saved", f"Could not write {path}: {e.strerror or e}")
