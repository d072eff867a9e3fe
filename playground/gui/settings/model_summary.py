"""The model summary: each layer with its output shape and parameter count, and the total.

Built on torch's meta device (no memory, no compute), in the GUI thread, once torch has loaded; it never
touches the model a run trains.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from playground.core.data.inputs import TEXT
from playground.gui import formatting

_HEADERS = ("Layer", "Type", "Output shape", "Parameters")


class ModelSummaryView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(_HEADERS))
        self.table.setObjectName("summaryTable")
        self.table.setHorizontalHeaderLabels(_HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the layer type takes what is left
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.total = QLabel("The summary appears once PyTorch has loaded…")
        self.total.setObjectName("summaryTotal")
        self.total.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.total)
        self._request: tuple | None = None
        self._torch_ready = False
        self._timer = QTimer(self)  # coalesces a burst of option edits into one rebuild
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self._on_timer_timeout)

    def request(self, arch: str, options: dict[str, Any], input_shape: tuple[int, ...], num_outputs: int,
                inputs: str = "", layers: list[Any] | None = None) -> None:
        """Show the summary for these settings (soon, and only once torch is ready); inputs: the dataset's
        (data.inputs: "text" reads character ids); layers: a custom network's."""
        self._request = (arch, dict(options), tuple(input_shape), num_outputs, inputs, list(layers or []))
        if self._torch_ready:
            self._timer.start()

    def set_torch_ready(self) -> None:
        self._torch_ready = True
        self._on_timer_timeout()

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self._request is None:
            return
        if not self._request[2]:  # a table: its columns (one-hot categories included) are known once it is read
            self._show_rows([])
            self.total.setText("The inputs are the table's columns: their number, and the model's size, are known "
                               "once the file is read, when the run starts")
            return
        try:
            rows = summary_rows(*self._request)
        except Exception as e:  # invalid options: the settings panel names the problem; say why here too
            self._show_rows([])
            self.total.setText(f"No summary for these settings: {e}")
            return
        self._show_rows(rows)
        total = sum(r.params for r in rows)
        outputs = self._request[3]
        what = "character" if self._request[4] == TEXT else "class folder"
        note = "" if outputs else f" (outputs: one per {what}, counted when loaded)"
        self.total.setText(f"<b>Total: {formatting.count(total)} parameters</b> in {len(rows)} layers{note}")

    def _show_rows(self, rows: list) -> None:
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            cells = (row.name, row.kind, formatting.shape(row.output_shape), formatting.count(row.params))
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)


def summary_rows(arch: str, options: dict[str, Any], input_shape: tuple[int, ...], num_outputs: int,
                 inputs: str = "", layers: list[Any] | None = None) -> list:
    """The LayerRows of this architecture for these inputs; raises for options it cannot be built with."""

    from playground.core.models.meta_build import meta_build
    from playground.core.models.registry import build_model
    from playground.core.models.summary import summarize

    with meta_build():  # no weights are allocated or initialised
        model = build_model(arch, input_shape, num_outputs or 2, options, inputs, layers)
    return summarize(model, input_shape, tokens=inputs == TEXT)
