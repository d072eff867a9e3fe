"""The list of layers: rows selected whole, dragged to reorder, types dropped from the palette, and a word on
what to do while it is empty."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from playground.gui.layers.stack_model import TYPE

EMPTY_TEXT = ("Add a layer from the palette: double-click a type, or drag it here.\n\n"
              "Or choose a built-in architecture in Settings and press \"Edit as layers\".")


class LayerTable(QTableView):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("layerTable")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setDropIndicatorShown(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)  # a long network fits
        self.setWordWrap(False)
        self.setToolTip("The network, first layer on top: drag rows, or Ctrl+Up / Ctrl+Down, to reorder; Delete "
                        "removes, Ctrl+D duplicates, Ctrl+Z / Ctrl+Shift+Z undo and redo")

    def setModel(self, model: object) -> None:  # noqa: N802 (Qt's name)
        super().setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TYPE, QHeaderView.ResizeMode.Stretch)

    def selected_rows(self) -> list[int]:
        model = self.selectionModel()
        return sorted(i.row() for i in model.selectedRows()) if model is not None else []

    def select_rows(self, rows: list[int]) -> None:
        """Select these rows in one change (none when the selection is already this): the form is not rebuilt
        for a selection cleared on the way."""
        model, selection = self.model(), QItemSelection()
        for row in rows:
            if 0 <= row < model.rowCount():
                selection.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
        flag = QItemSelectionModel.SelectionFlag
        self.selectionModel().select(selection, flag.ClearAndSelect | flag.Rows)
        if rows and 0 <= rows[-1] < model.rowCount():
            self.selectionModel().setCurrentIndex(model.index(rows[-1], 0), flag.NoUpdate)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.model() is not None and self.model().rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            rect = self.viewport().rect().adjusted(16, 16, -16, -16)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, EMPTY_TEXT)
