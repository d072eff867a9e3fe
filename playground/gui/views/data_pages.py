"""The pages of the Data view, one per kind of input: images (a grid filterable by class, the count per class),
points and sequences (a plot coloured by class) and text (an excerpt, the vocabulary). Tables are in
data_table_page.py. Each page takes a finished result of data_compute and only draws it. Imports pyqtgraph."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.gui.views.colours import CLASS_COLOURS
from playground.gui.views.data_compute import Counts, Images, Points, Sequences, Text

ICON = 56  # pixels of a thumbnail in the grid
ALL_SHOWN_PER_CLASS = 8  # "All classes" shows this many of each, mixed


def class_colour(k: int) -> tuple[int, ...]:
    return tuple(int(c) for c in CLASS_COLOURS[k % len(CLASS_COLOURS)])


def count_rows(table: QTableWidget, counts: Counts) -> None:
    """One row per class: its name and how many training samples it has."""
    table.setRowCount(len(counts.per_class))
    for k, (name, n) in enumerate(zip(counts.class_names or map(str, range(len(counts.per_class))),
                                      counts.per_class)):
        table.setItem(k, 0, QTableWidgetItem(name))
        item = QTableWidgetItem(f"{n:,}")
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        table.setItem(k, 1, item)
    table.resizeColumnsToContents()


def _icon(picture: np.ndarray) -> QIcon:
    h, w = picture.shape[:2]
    image = QImage(picture.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()  # owns its pixels
    return QIcon(QPixmap.fromImage(image).scaled(ICON, ICON, Qt.AspectRatioMode.KeepAspectRatio))


class ImagesPage(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.filter = QComboBox(self, objectName="dataClassFilter")
        self.filter.setToolTip("Show the images of one class, or of every class")
        self.counts = QTableWidget(0, 2, self, objectName="dataCounts")
        self.counts.setHorizontalHeaderLabels(["Class", "Training images"])
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts.verticalHeader().setVisible(False)
        self.counts.setMaximumWidth(220)
        self.grid = QListWidget(self, objectName="dataGrid")
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(ICON, ICON))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setUniformItemSizes(True)
        left = QVBoxLayout()
        left.addWidget(self.filter)
        left.addWidget(self.counts, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left)
        layout.addWidget(self.grid, 1)
        self.result: Images | None = None
        self.filter.currentIndexChanged.connect(self._on_filter_changed)

    def show_result(self, result: Images) -> None:
        self.result = result
        names = result.counts.class_names or tuple(map(str, range(len(result.counts.per_class))))
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem(f"All classes ({result.counts.train:,})", -1)
        for k, (name, n) in enumerate(zip(names, result.counts.per_class)):
            self.filter.addItem(f"{name} ({n:,})", k)
        self.filter.blockSignals(False)
        count_rows(self.counts, result.counts)
        self._fill(-1)

    def shown_classes(self) -> list[str]:
        """The label under each thumbnail of the grid, in order (what tests read)."""
        return [self.grid.item(i).text() for i in range(self.grid.count())]

    @Slot()
    def _on_filter_changed(self) -> None:
        self._fill(self.filter.currentData())

    def _fill(self, chosen: int) -> None:
        self.grid.clear()
        if self.result is None:
            return
        names = self.result.counts.class_names
        for k, picture in self._pictures(chosen):
            item = QListWidgetItem(_icon(picture), names[k] if k < len(names) else str(k))
            item.setToolTip(f"a training image of class {names[k] if k < len(names) else k}")
            self.grid.addItem(item)

    def _pictures(self, chosen: int) -> list[tuple[int, np.ndarray]]:
        thumbs = self.result.thumbnails
        if chosen >= 0:
            return [(chosen, p) for p in thumbs.get(chosen, ())]
        # every class in turn, so that "All" shows each of them at once
        return [(k, thumbs[k][i]) for i in range(ALL_SHOWN_PER_CLASS) for k in sorted(thumbs) if i < len(thumbs[k])]


class PlotPage(QWidget):
    """2-D points coloured by class, a 1-D regression's points, or a few sequences of each class."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("dataScatter")
        self.legend = self.plot.addLegend(offset=(-10, 10), brush=pg.mkBrush(255, 255, 255, 210))
        self.counts = QTableWidget(0, 2, self, objectName="dataPointCounts")
        self.counts.setHorizontalHeaderLabels(["Class", "Training samples"])
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts.verticalHeader().setVisible(False)
        self.counts.setMaximumWidth(220)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.counts)
        layout.addWidget(self.plot, 1)
        self.items: list = []  # what is drawn now, one per class (tests count them)

    def _clear(self) -> None:
        for item in self.items:
            self.plot.removeItem(item)
        self.legend.clear()
        self.items = []

    def show_points(self, result: Points) -> None:
        self._clear()
        count_rows(self.counts, result.counts)
        self.counts.setVisible(result.classes)
        if not result.classes:  # a 1-D regression: x against its target
            self._add(pg.ScatterPlotItem(result.x[:, 0], result.y, size=5, brush=pg.mkBrush(class_colour(0)),
                                         pen=None), "training points")
            self.plot.setLabels(bottom="x", left="target")
        else:
            names = result.counts.class_names
            for k in range(len(result.counts.per_class)):
                chosen = result.y == k
                self._add(pg.ScatterPlotItem(result.x[chosen, 0], result.x[chosen, 1], size=5,
                                             brush=pg.mkBrush(class_colour(k)), pen=pg.mkPen("w", width=0.5)),
                          f"{names[k] if k < len(names) else k} ({int(chosen.sum()):,})")
            self.plot.setLabels(bottom="x₁", left="x₂")
        self.plot.setAspectLocked(result.classes)
        self.plot.autoRange()

    def show_sequences(self, result: Sequences) -> None:
        self._clear()
        count_rows(self.counts, result.counts)
        self.counts.setVisible(True)
        self.plot.setAspectLocked(False)
        names = result.counts.class_names
        for k, curves in result.curves.items():
            pen = pg.mkPen(class_colour(k), width=1.5)
            for n, curve in enumerate(curves):
                item = self.plot.plot(curve, pen=pen, name=(names[k] if k < len(names) else str(k)) if not n else None)
                self.items.append(item)
        self.plot.setLabels(bottom="step", left="value")
        self.plot.autoRange()

    def _add(self, item: pg.GraphicsObject, name: str) -> None:
        self.plot.addItem(item)
        self.legend.addItem(item, name)
        self.items.append(item)


class TextPage(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.vocabulary = QLabel(self, objectName="dataVocabulary", wordWrap=True)
        self.vocabulary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.excerpt = QPlainTextEdit(self, objectName="dataExcerpt", readOnly=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.vocabulary)
        layout.addWidget(self.excerpt, 1)

    def show_result(self, result: Text) -> None:
        shown = " ".join(_visible(c) for c in result.vocabulary)
        self.vocabulary.setText(f"Vocabulary: {len(result.vocabulary)} characters: {shown}")
        self.excerpt.setPlainText(result.excerpt)


def _visible(c: str) -> str:
    """A character as the vocabulary shows it: whitespace by name."""
    return {"\n": "⏎", " ": "␣", "\t": "⇥", "\r": "␍"}.get(c, c)
