"""The confusion matrix as a Qt table model: row = true class, column = predicted class (the view: confusion_view).

DisplayRole is the count (an int) or, in percent mode, the row's share as text; COUNT_ROLE always gives the
count and SHARE_ROLE the share. Colours, text colours and tooltips are worked out once per matrix, so that
painting reads them from lists.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from playground.core.analysis.confusion import Confusion
from playground.gui.views.evaluation_texts import cell_tooltip

COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
SHARE_ROLE = Qt.ItemDataRole.UserRole + 2
_RIGHT, _WRONG = np.array((31, 119, 180)), np.array((214, 39, 40))  # the plots' blue; a red for mistakes
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def cell_colours(counts: np.ndarray, share: np.ndarray) -> np.ndarray:
    """K x K x 3 uint8: the diagonal blue by its share of the row, mistakes red, scaled to the largest
    mistake's share (square-rooted, so that small ones still show), empty cells white."""
    k = len(counts)
    off = ~np.eye(k, dtype=bool)
    worst = share[off].max() if k > 1 else 0.0
    strength = np.where(np.eye(k, dtype=bool), share, np.sqrt(share / worst) * 0.85 if worst > 0 else 0.0)
    strength = np.where(counts > 0, np.clip(strength, 0.0, 1.0), 0.0)
    base = np.where(np.eye(k, dtype=bool)[..., None], _RIGHT, _WRONG)
    white = np.full(3, 255.0)
    return np.rint(white + (base - white) * strength[..., None]).astype(np.uint8)


def share_text(share: float) -> str:
    """97%, 4.1%, 0: as narrow as a column allows, with the small shares (the mistakes) still readable."""
    if share <= 0:
        return "0"
    return f"{100 * share:.0f}%" if share >= 0.1 else f"{100 * share:.1f}%"


class ConfusionTableModel(QAbstractTableModel):
    """Every role of every cell is worked out once per matrix (set_confusion) into a table per role: a view
    asks data() about ten roles per cell at each repaint, and each answer is then one lookup."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.confusion: Confusion | None = None
        self.percent = False
        self._share = np.zeros((0, 0))
        self._accuracy = np.zeros(0)
        self._roles: dict[int, list[list[Any]]] = {}
        self._counts_text: list[list[Any]] = []
        self._shares_text: list[list[Any]] = []
        self._cell_font: QFont | None = None  # the view shrinks the cells' text to fit narrow columns

    def set_confusion(self, confusion: Confusion | None) -> None:
        """Show this matrix (None: empty); a matrix of the same classes updates the cells in place."""
        same = (confusion is not None and self.confusion is not None
                and confusion.class_names == self.confusion.class_names)
        if not same:
            self.beginResetModel()
        self.confusion = confusion
        self._prepare()
        if same:
            k = len(confusion.class_names)
            self.dataChanged.emit(self.index(0, 0), self.index(k - 1, k - 1))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, k - 1)
        else:
            self.endResetModel()

    def set_percent(self, on: bool) -> None:
        """Show each row's shares (%) instead of the counts; the counts stay under COUNT_ROLE."""
        self.percent = on
        if self.confusion is not None:
            self._roles[Qt.ItemDataRole.DisplayRole] = self._shares_text if on else self._counts_text
            k = self.rowCount()
            self.dataChanged.emit(self.index(0, 0), self.index(k - 1, k - 1), [Qt.ItemDataRole.DisplayRole])

    def set_cell_font(self, font: QFont) -> None:
        self._cell_font = font
        if self.confusion is not None:
            k = self.rowCount()
            self._roles[Qt.ItemDataRole.FontRole] = [[font] * k for _ in range(k)]
            self.dataChanged.emit(self.index(0, 0), self.index(k - 1, k - 1), [Qt.ItemDataRole.FontRole])

    def display_texts(self) -> set[str]:
        """Every text the cells show now (the view fits the widest into a column)."""
        table = self._roles.get(Qt.ItemDataRole.DisplayRole, [])
        return {str(v) for row in table for v in row}

    def _prepare(self) -> None:
        c = self.confusion
        if c is None:
            self._share, self._roles = np.zeros((0, 0)), {}
            return
        counts, names, k = c.counts, c.class_names, len(c.class_names)
        self._share, self._accuracy = c.normalised(), c.per_class_accuracy()
        rgb = cell_colours(counts, self._share)
        dark = rgb @ np.array([0.299, 0.587, 0.114]) < 150  # light text on dark cells
        white, ink = QColor("white"), QColor("#222")
        totals = counts.sum(axis=1)
        self._counts_text = counts.tolist()
        self._shares_text = [[share_text(v) for v in row] for row in self._share.tolist()]
        centre = Qt.AlignmentFlag.AlignCenter
        self._roles = {
            Qt.ItemDataRole.DisplayRole: self._shares_text if self.percent else self._counts_text,
            COUNT_ROLE: self._counts_text,
            SHARE_ROLE: self._share.tolist(),
            Qt.ItemDataRole.BackgroundRole: [[QColor(*px) for px in row] for row in rgb.tolist()],
            Qt.ItemDataRole.ForegroundRole: [[white if d else ink for d in row] for row in dark.tolist()],
            Qt.ItemDataRole.ToolTipRole: [[cell_tooltip(int(counts[t, p]), int(totals[t]), names[t], names[p], t == p)
                                           for p in range(k)] for t in range(k)],
            Qt.ItemDataRole.TextAlignmentRole: [[centre] * k for _ in range(k)],
        }
        if self._cell_font is not None:
            self._roles[Qt.ItemDataRole.FontRole] = [[self._cell_font] * k for _ in range(k)]

    # -- the model's interface -------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if self.confusion is None or parent.isValid() else len(self.confusion.class_names)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return self.rowCount(parent)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        table = self._roles.get(role)
        return None if table is None or not index.isValid() else table[index.row()][index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.confusion is None or not 0 <= section < len(self.confusion.class_names):
            return None
        name = self.confusion.class_names[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.ToolTipRole:
            if orientation == Qt.Orientation.Horizontal:
                return f"Read as {name}"
            accuracy = self._accuracy[section]
            right = "no test samples" if np.isnan(accuracy) else f"{100 * accuracy:.1f}% read right"
            return f"True class {name}: {right}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if index.isValid() else Qt.ItemFlag.NoItemFlags
