"""A table's columns in the settings: the first rows of the chosen CSV file, the column to learn (the target),
the columns to learn from (every other one unless some are unticked) and the task (from the target unless chosen).

The file's head is read in a background thread (BackgroundJobs), so a large file or a slow disk never freezes the
window; only the first rows are read here, and a file over the size a run takes is said to be so at once.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QWidget,
)

from playground.core.errors import PlaygroundError
from playground.gui.views.background import BackgroundJobs

PREVIEW_ROWS = 20
TASKS = (("from the target column", ""), ("classification", "classification"), ("regression", "regression"))


def read_preview(path: str) -> Any:
    """(path, a tables.TablePreview and a note on its size) or (path, the problem's message); off the GUI thread."""
    from playground.core.data.tables import preview
    from playground.core.data.tables.read import MAX_BYTES

    try:
        shown = preview(path, PREVIEW_ROWS)
        size = os.path.getsize(shown.path)
    except PlaygroundError as e:
        return path, str(e)
    except OSError as e:
        return path, f"cannot read {path}: {e.strerror or e}; check the file"
    over = (f"; at {size / 2**20:,.0f} MB it is over the {MAX_BYTES // 2**20} MB a run reads: take a sample of "
            "the rows into a smaller file") if size > MAX_BYTES else ""
    return path, (shown, over)


def rows_model(preview: Any, parent: Any = None) -> QStandardItemModel:
    """A table's first rows (a tables.TablePreview) with each column's kind in its header's tooltip."""
    model = QStandardItemModel(len(preview.rows), len(preview.columns), parent)
    model.setHorizontalHeaderLabels(list(preview.columns))
    for c, kind in enumerate(preview.kinds):
        model.horizontalHeaderItem(c).setToolTip(f"{preview.columns[c]}: {kind}")
    for r, row in enumerate(preview.rows):
        for c, value in enumerate(row):
            model.setItem(r, c, QStandardItem(value))
    return model



class TableColumns(QWidget):
    changed = Signal()  # the target, the features or the task changed (or the file's columns arrived)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.info = QLabel("Choose a CSV file above", self, objectName="tableInfo", wordWrap=True)
        self.preview = QTableView(self, objectName="tablePreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setMaximumHeight(170)
        self.target = QComboBox(self, objectName="targetCombo")
        self.target.setToolTip("The column to learn: text or a few whole numbers make it classification, other "
                               "numbers regression")
        self.task = QComboBox(self, objectName="taskCombo")
        for label, value in TASKS:
            self.task.addItem(label, value)
        self.features = QListWidget(self, objectName="featureList")
        self.features.setToolTip("The columns to learn from; untick one to leave it out")
        self.features.setMaximumHeight(130)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.info)
        form.addRow(self.preview)
        form.addRow("Target", self.target)
        form.addRow("Task", self.task)
        form.addRow("Features", self.features)
        self.columns: tuple[str, ...] = ()
        self.problem: str | None = None  # why the file cannot be read, for the settings' problems
        self._path = ""
        self._wanted: tuple[str, list[str]] = ("", [])  # a config's target and features, until the columns come
        self._jobs = BackgroundJobs(read_preview, "playground-table-preview", self, torch_threads=False)
        self._jobs.done.connect(self._on_jobs_done)
        self.target.currentIndexChanged.connect(self._on_target_changed)
        self.task.currentIndexChanged.connect(self.changed)
        self.features.itemChanged.connect(self._on_feature_changed)

    # -- the settings' side ----------------------------------------------------------------------------------
    def load(self, path: str) -> None:
        """Read the head of this file (in the background) unless it is the one shown."""
        if path == self._path:
            return
        self._path, self.columns, self.problem = path, (), None
        self._fill_columns(())
        self.preview.setModel(None)
        if not path:
            self.info.setText("Choose a CSV file above: its first rows and columns appear here")
            return
        self.info.setText(f"Reading the first rows of {os.path.basename(path)}…")
        self._jobs.submit(path)

    def set_choice(self, target: str, features: list[str], task: str) -> None:
        self._wanted = (target, list(features))
        self.task.setCurrentIndex(max(0, self.task.findData(task)))
        if self.columns:
            self._fill_columns(self.columns)

    def target_name(self) -> str:
        return self.target.currentText() if self.columns else self._wanted[0]

    def chosen_features(self) -> list[str]:
        """The ticked columns; empty (every column but the target) when all are ticked."""
        if not self.columns:
            return list(self._wanted[1])
        items = [self.features.item(i) for i in range(self.features.count())]
        ticked = [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]
        return [] if len(ticked) == len(items) else ticked

    def task_name(self) -> str:
        return self.task.currentData() or ""

    def shutdown(self) -> None:
        self._jobs.close()

    # -- the file's columns ----------------------------------------------------------------------------------
    @Slot(object, object)
    def _on_jobs_done(self, path: str, result: Any) -> None:
        if path != self._path:
            return  # another file was chosen meanwhile
        _, found = result
        if isinstance(found, str):
            self.problem = found
            self.info.setText(f"⚠ {found}")
            self.changed.emit()
            return
        shown, over = found
        old = self.preview.model()
        self.preview.setModel(rows_model(shown, self.preview))
        if old is not None:
            old.deleteLater()
        self.problem = over[2:] if over else None
        self.info.setText(f"{len(shown.columns)} columns; the first {len(shown.rows)} rows{over}")
        self.columns = shown.columns
        self._fill_columns(shown.columns)
        self.changed.emit()

    def _fill_columns(self, columns: tuple[str, ...]) -> None:
        """The target combo and the feature list for these columns, keeping the wanted target and features."""
        target, features = self._wanted
        self.target.blockSignals(True)
        self.target.clear()
        self.target.addItems(list(columns))
        if columns:  # the wanted column, else the last one (where most tables keep what they record)
            self.target.setCurrentIndex(columns.index(target) if target in columns else len(columns) - 1)
        self.target.blockSignals(False)
        self._fill_features(set(features))

    def _fill_features(self, ticked: set[str]) -> None:
        self.features.blockSignals(True)
        self.features.clear()
        for name in self.columns:
            if name == self.target.currentText():
                continue
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = not ticked or name in ticked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.features.addItem(item)
        self.features.blockSignals(False)

    @Slot()
    def _on_target_changed(self) -> None:
        self._wanted = (self.target.currentText(), self.chosen_features())
        self._fill_features(set(self._wanted[1]))
        self.changed.emit()

    @Slot(QListWidgetItem)
    def _on_feature_changed(self, item: QListWidgetItem) -> None:
        self._wanted = (self.target.currentText(), self.chosen_features())
        self.changed.emit()
