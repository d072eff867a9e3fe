"""The confusion matrix's view: one cell picked at a time (an orange frame: the cell keeps its colour, which
Qt's selection would paint over), columns sharing the width, class names in the headers, counts shrunk to
fit a narrow column.

Everything per cell is painted by Qt's own delegate from the model's tables: no Python runs per cell, so a
repaint at an epoch's end costs the GUI thread little.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from playground.gui.views.confusion_table import ConfusionTableModel

PICK = QColor(255, 127, 14)  # the orange of the plots' test curves and the image grid's marks
TEXT_MARGIN = 10  # what the style keeps around a cell's text


class ConfusionTable(QTableView):
    def __init__(self, model: ConfusionTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        self.setModel(model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)  # clicked still says which cell
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no focus frame over the colours
        self.setCornerButtonEnabled(False)
        self.setWordWrap(False)
        self._base_font = QFont(self.font())
        self._widest = 0
        self.picked: tuple[int, int] | None = None
        self._setup_headers()
        self._cell_size = self._base_font.pointSizeF()
        model.modelReset.connect(self._on_model_reset)
        model.dataChanged.connect(self._on_data_changed)
        self.setToolTip("Rows: the true class; columns: what the model read. Click a cell to see its images")
        self.setMinimumHeight(180)

    def _setup_headers(self) -> None:
        columns, rows = self.horizontalHeader(), self.verticalHeader()
        for header, smallest in ((columns, 22), (rows, 20)):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(smallest)
        columns.setTextElideMode(Qt.TextElideMode.ElideRight)  # "Ankle boot" -> "Ank…", not a clipped middle

    # -- the counts fit their columns ---------------------------------------------------------------------
    @Slot()
    def _on_model_reset(self) -> None:
        self._measure()

    @Slot(QModelIndex, QModelIndex, list)
    def _on_data_changed(self, first: QModelIndex, last: QModelIndex, roles: list) -> None:
        if list(roles) != [Qt.ItemDataRole.FontRole]:  # not the font this view just set
            self._measure()

    def _measure(self) -> None:
        metrics = QFontMetrics(self._base_font)
        self._widest = max((metrics.horizontalAdvance(s) for s in self.model().display_texts()), default=0)
        self._fit_font()

    def updateGeometries(self) -> None:
        """Qt lays out the headers and the viewport here (a resize, new class names): fit the counts again."""
        super().updateGeometries()
        self._fit_font()

    def _fit_font(self) -> None:
        """The widest count in the base font, shrunk (not elided: 1,021 must not read 10…) to fit a column."""
        k = self.model().columnCount()
        if not k or not self._widest:
            return
        room = self.viewport().width() / k - TEXT_MARGIN  # the columns share the width (Stretch)
        size = round(max(5.0, self._base_font.pointSizeF() * min(1.0, room / self._widest)), 1)
        if size != self._cell_size:
            self._cell_size = size
            font = QFont(self._base_font)
            font.setPointSizeF(size)
            self.model().set_cell_font(font)

    # -- the picked cell ----------------------------------------------------------------------------------
    def set_picked(self, cell: tuple[int, int] | None) -> None:
        """Frame this cell (true, predicted), or none."""
        self.picked = cell
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.picked is not None and self.model().rowCount() > max(self.picked):
            painter = QPainter(self.viewport())
            painter.setPen(QPen(PICK, 3))
            painter.drawRect(self.visualRect(self.model().index(*self.picked)).adjusted(1, 1, -2, -2))
            painter.end()
