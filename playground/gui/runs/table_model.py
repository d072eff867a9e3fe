"""The runs table's model over RunStore.runs(), and the proxy that sorts it and filters it by the search box.

Refreshing keeps the table still: when the same runs come back (epochs added, a status changed) only their
cells change, so the selection, the scroll position and the sort stay; new or deleted runs reset the rows, and
the panel selects the same runs again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from playground.gui.runs.columns import COLUMN, COLUMNS, STATUS_COLOURS, haystack, tooltip

SORT_ROLE = Qt.ItemDataRole.UserRole
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class RunsTableModel(QAbstractTableModel):
    rename_requested = Signal(str, str)  # run id, new name (the store decides whether it may have it)
    overlay_toggled = Signal(str, bool)  # run id, whether to draw it over the plots

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.records: list[Any] = []
        self.overlaid: dict[str, tuple[int, int, int]] = {}  # run id -> its colour in the plots

    def set_records(self, records: list[Any]) -> None:
        if [r.id for r in records] == [r.id for r in self.records]:
            changed = [i for i, (a, b) in enumerate(zip(self.records, records)) if a != b]
            self.records = list(records)
            for row in changed:  # whole rows: an open editor keeps what is being typed
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def set_overlaid(self, colours: dict[str, tuple[int, int, int]]) -> None:
        self.overlaid = dict(colours)
        if self.records:
            column = COLUMN["plot"]
            self.dataChanged.emit(self.index(0, column), self.index(len(self.records) - 1, column))

    def record(self, row: int) -> Any:
        return self.records[row]

    # -- QAbstractTableModel ------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tip
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, column = self.records[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(r)
        if role == Qt.ItemDataRole.EditRole:
            return r.name if column.key == "name" else column.text(r)
        if role == SORT_ROLE and column.key == "plot":  # the overlaid runs first, in the order they were added
            return (0, list(self.overlaid).index(r.id)) if r.id in self.overlaid else (1, 0)
        if role == SORT_ROLE:
            return column.sort(r)
        if role == RECORD_ROLE:
            return r
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(column, r)
        return self._looks(column.key, r, role)

    def _looks(self, key: str, r: Any, role: int) -> Any:
        if key == "plot":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if r.id in self.overlaid else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DecorationRole and r.id in self.overlaid:
                return QColor(*self.overlaid[r.id])
        if key == "status" and r.status in STATUS_COLOURS:
            text, background = STATUS_COLOURS[r.status]
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(*text))
            if role == Qt.ItemDataRole.BackgroundRole and background is not None:
                return QBrush(QColor(*background))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        key = COLUMNS[index.column()].key if index.isValid() else ""
        if key == "name":
            flags |= Qt.ItemFlag.ItemIsEditable
        if key == "plot":
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        r, key = self.records[index.row()], COLUMNS[index.column()].key
        if key == "name" and role == Qt.ItemDataRole.EditRole:
            name = str(value).strip()
            if name and name != r.name:
                self.rename_requested.emit(r.id, name)
            return False  # the name changes when the store has taken it, at the refresh that follows
        if key == "plot" and role == Qt.ItemDataRole.CheckStateRole:
            self.overlay_toggled.emit(r.id, Qt.CheckState(value) == Qt.CheckState.Checked)
            return True
        return False


class RunsFilter(QSortFilterProxyModel):
    """Sorts by each column's value (numbers as numbers), and keeps the runs that hold every word typed."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            self._words = text.lower().split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = text.lower().split()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if not self._words:
            return True
        text = haystack(self.sourceModel().record(source_row))
        return all(word in text for word in self._words)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:  # values of two kinds in one column (should not happen): keep their order
            return False
