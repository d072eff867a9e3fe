"""The examples of one class as a grid of thumbnails (the saved 28×28 PNGs, enlarged with sharp pixels)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

THUMBNAIL = 56  # pixels: each 28×28 pixel drawn as 2×2


class ExampleGrid(QListWidget):
    """Thumbnails in rows; select some and delete them (the panel asks the store)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exampleGrid")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setSpacing(4)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setToolTip("Your examples of this class; select some and press Delete to remove them")

    def show_examples(self, paths: list[Path]) -> None:
        self.clear()
        for path in paths:
            pixmap = QPixmap(str(path))
            if pixmap.isNull():  # a damaged file: listed, so that it can be deleted
                item = QListWidgetItem(path.stem, self)
            else:
                item = QListWidgetItem(QIcon(pixmap.scaled(THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
                                                           Qt.TransformationMode.FastTransformation)), "", self)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(path.name)

    def selected_paths(self) -> list[Path]:
        return [Path(item.data(Qt.ItemDataRole.UserRole)) for item in self.selectedItems()]

    def paths(self) -> list[Path]:
        return [Path(self.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.count())]
