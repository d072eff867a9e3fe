"""The Sweep view's trials table: number, state, value, one column per varied setting, and the trial's run."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

STATE_COLOURS = {"complete": "#2c7a2c", "pruned": "#a05a00", "failed": "#c0392b", "running": "#1f77b4"}


class TrialsTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sweepTrialsTable")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._paths: list[str] = []

    def show_summary(self, summary: Any) -> None:
        paths = [p.path for p in summary.spec.space]
        if paths != self._paths:
            self._paths = paths
            self.setColumnCount(4 + len(paths))
            self.setHorizontalHeaderLabels(["trial", "state", summary.spec.metric, *paths, "run"])
        best = summary.best.number if summary.best is not None else None
        self.setRowCount(len(summary.trials))
        for row, trial in enumerate(summary.trials):
            cells = [str(trial.number), trial.state, "" if trial.value is None else f"{trial.value:.4g}",
                     *(_shown(trial.params.get(p, "")) for p in paths), trial.run[:12]]
            for column, text in enumerate(cells):
                self._set(row, column, text, trial, trial.number == best)

    def _set(self, row: int, column: int, text: str, trial: Any, best: bool) -> None:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(row, column, item)
        if item.text() != text:
            item.setText(text)
        item.setToolTip(trial.message or (f"run {trial.run}" if trial.run else ""))
        if column == 1 and trial.state in STATE_COLOURS:
            item.setForeground(QColor(STATE_COLOURS[trial.state]))
        font = item.font()
        if font.bold() != best:
            font.setBold(best)
            item.setFont(font)
        item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
