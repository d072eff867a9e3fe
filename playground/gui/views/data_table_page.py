"""The Data view's page for a table: its first rows as the file writes them, a summary of every column (kind,
values present and missing, range, mean and spread, or the most frequent values) and the histogram of the column
chosen in the summary. Imports pyqtgraph."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.gui.settings.table_columns import rows_model
from playground.gui.views.data_compute import Table

SUMMARY_COLUMNS = ("Column", "Kind", "Present", "Missing", "Min", "Mean", "Max", "Std", "Most frequent")


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4g}"


class TablePage(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows = QTableView(self, objectName="dataRows")
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary = QTableWidget(0, len(SUMMARY_COLUMNS), self, objectName="dataColumns")
        self.summary.setHorizontalHeaderLabels(list(SUMMARY_COLUMNS))
        self.summary.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.summary.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.summary.verticalHeader().setVisible(False)
        self.histogram = pg.PlotWidget(title="Choose a column in the summary")
        self.histogram.setObjectName("dataHistogram")
        self.histogram.setMinimumHeight(140)
        self.bars: pg.BarGraphItem | None = None
        split = QSplitter(Qt.Orientation.Vertical, self)
        for part in (self.rows, self.summary, self.histogram):
            split.addWidget(part)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.result: Table | None = None
        self.summary.currentCellChanged.connect(self._on_summary_cell_changed)

    def show_result(self, result: Table) -> None:
        self.result = result
        old = self.rows.model()
        self.rows.setModel(rows_model(result.preview, self.rows))
        if old is not None:
            old.deleteLater()
        self.summary.setRowCount(len(result.summaries))
        for r, s in enumerate(result.summaries):
            top = ", ".join(f"{value} ({n:,})" for value, n in s.top[:3])
            cells = (s.name, s.kind, f"{s.count:,}", f"{s.missing:,}", _number(s.minimum), _number(s.mean),
                     _number(s.maximum), _number(s.std), top)
            for c, text in enumerate(cells):
                self.summary.setItem(r, c, QTableWidgetItem(text))
        self.summary.resizeColumnsToContents()
        if result.summaries:
            self.summary.setCurrentCell(0, 0)
            self.show_histogram(0)

    @Slot(int, int, int, int)
    def _on_summary_cell_changed(self, row: int, column: int, old_row: int, old_column: int) -> None:
        if row >= 0 and row != old_row:
            self.show_histogram(row)

    def show_histogram(self, index: int) -> None:
        """The chosen column's histogram (numbers), or its most frequent values as bars (anything else)."""
        if self.result is None or not 0 <= index < len(self.result.summaries):
            return
        s = self.result.summaries[index]
        if self.bars is not None:
            self.histogram.removeItem(self.bars)
        axis = self.histogram.getAxis("bottom")
        if s.histogram:
            edges = np.asarray(s.bin_edges)
            self.bars = pg.BarGraphItem(x0=edges[:-1], x1=edges[1:], height=list(s.histogram), brush=(31, 119, 180))
            axis.setTicks(None)
        else:
            self.bars = pg.BarGraphItem(x=np.arange(len(s.top)), height=[n for _, n in s.top], width=0.8,
                                        brush=(255, 127, 14))
            axis.setTicks([[(i, value[:12]) for i, (value, _) in enumerate(s.top)]])
        self.histogram.addItem(self.bars)
        self.histogram.setTitle(f"{s.name} ({s.kind}): {s.count:,} values, {s.missing:,} missing")
        self.histogram.autoRange()
