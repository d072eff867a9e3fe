"""The editor's layers as a table: position, type, settings, output shape and parameters (from the last shape
check), the first layer that cannot take its input marked; rows dragged within it, or types from the palette.

The model only shows the layers: every edit goes through commands.LayerEdits (undoable); a drop asks for one
through rows_dropped / type_dropped and returns False, so the view removes nothing itself.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from playground.gui import formatting
from playground.gui.layers.shape_job import CheckResult
from playground.gui.layers.values import describe_layer, shown_shape

ROWS_MIME = "application/x-playground-layer-rows"
TYPE_MIME = "application/x-playground-layer-type"
HEADERS = ("#", "Layer", "Output", "Parameters")
POSITION, TYPE, OUTPUT, PARAMS = range(len(HEADERS))
_PROBLEM = QColor("#f8d7da")
_UNKNOWN = QColor("#888888")
Index = QModelIndex | QPersistentModelIndex


class LayerStackModel(QAbstractTableModel):
    rows_dropped = Signal(list, int)  # rows moved to before this row
    type_dropped = Signal(str, int)  # a palette type dropped before this row
    selection_wanted = Signal(list)  # rows to select after an edit (an undo included)
    layers_replaced = Signal()  # after every edit, undo and load

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.layers: list[dict[str, Any]] = []
        self.result: CheckResult | None = None  # the check of these very layers; None while one runs

    def set_layers(self, layers: list[dict[str, Any]], select: list[int] | None = None) -> None:
        if len(layers) == len(self.layers) and layers:  # the same rows: the selection (and the form) stay
            self.layers, self.result = [dict(layer) for layer in layers], None
            self.dataChanged.emit(self.index(0, 0), self.index(len(layers) - 1, len(HEADERS) - 1))
        else:
            self.beginResetModel()
            self.layers, self.result = [dict(layer) for layer in layers], None
            self.endResetModel()
        self.layers_replaced.emit()
        if select is not None:
            self.selection_wanted.emit(select)

    def set_result(self, result: CheckResult | None) -> None:
        self.result = result
        if self.layers:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.layers) - 1, len(HEADERS) - 1))

    def check_of(self, row: int) -> Any:
        """The shape check's LayerCheck of this row, or None (not checked yet, or the layers unreadable)."""
        rows = self.result.rows if self.result is not None else ()
        return rows[row] if 0 <= row < len(rows) else None

    # -- the table --------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.layers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.BackgroundRole and self._is_problem(row):
            return QBrush(_PROBLEM)
        if role == Qt.ItemDataRole.ForegroundRole and column in (OUTPUT, PARAMS) and self._unknown(row):
            return QBrush(_UNKNOWN)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (POSITION, PARAMS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: int, column: int) -> str:
        layer = self.layers[row]
        if column == POSITION:
            return str(row + 1)
        if column == TYPE:  # as PyTorch writes it: Conv2d(out_channels=6, kernel_size=5)
            return ("⚠ " if self._is_problem(row) else "") + f"{layer.get('type', '?')}({describe_layer(layer)})"
        check = self.check_of(row)
        if check is None:
            return "…" if self.result is None else "?"
        if column == OUTPUT:
            return shown_shape(check.output)
        return "?" if check.params is None else formatting.count(check.params)

    def _tooltip(self, row: int) -> str:
        layer = self.layers[row]
        text = f"Layer {row + 1}, {layer.get('type', '?')}({describe_layer(layer)})"
        if self._is_problem(row):
            return f"{text}\n⚠ {self.result.problem}"
        check = self.check_of(row)
        if check is not None and check.output is not None:
            return f"{text}: gives {shown_shape(check.output)} for each example, {check.params:,} parameters"
        return text

    def _is_problem(self, row: int) -> bool:
        return self.result is not None and self.result.problem_row == row

    def _unknown(self, row: int) -> bool:
        check = self.check_of(row)
        return check is None or check.output is None

    # -- drag and drop ----------------------------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # between rows, and below the last one
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [ROWS_MIME, TYPE_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes})
        data.setData(ROWS_MIME, QByteArray(json.dumps(rows).encode()))
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        return data.hasFormat(ROWS_MIME) or data.hasFormat(TYPE_MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self.layers))
        if data.hasFormat(ROWS_MIME):
            self.rows_dropped.emit(json.loads(bytes(data.data(ROWS_MIME).data()).decode()), target)
        elif data.hasFormat(TYPE_MIME):
            self.type_dropped.emit(bytes(data.data(TYPE_MIME).data()).decode(), target)
        return False  # done through an undoable command: the view must not remove the dragged rows
