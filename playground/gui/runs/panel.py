"""The Runs panel: a search box, the actions on the selected runs, and the table (objectName runsTable).

It only shows and asks: each action is a signal that the RunsController answers (it holds the store).
"""

from __future__ import annotations

import os
import socket
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from playground.gui.runs.columns import COLUMN
from playground.gui.runs.table_model import RECORD_ROLE, RunsFilter, RunsTableModel

EMPTY_TEXT = ("<p style='font-size:13pt; color:#444'>No runs yet</p>"
              "<p style='color:#666'>Every run is kept here: press <b>Train</b>, or train in a terminal with "
              "<code>playground train --arch mlp --dataset spiral --epochs 20</code>; runs appear within a "
              "second.<br>Then select runs to overlay their curves (tick <b>Plot</b>), compare their settings, "
              "open one again or continue it.</p><p style='color:#888'>Runs are stored in {where}</p>")
_BUTTONS = (("open", "Open", "Restore the run's settings, its curves and its model (for drawing and the views)"),
            ("continue", "Continue…", "Train the run further from its last checkpoint, with its optimizer and "
             "schedule state; a learning rate changed in the Settings panel is applied"),
            ("follow", "Follow", "Watch a run that another process is training: its curves fill as it writes "
             "them, and Stop asks it to stop"),
            ("overlay", "Overlay", "Draw the selected runs' epoch curves over the plots, each in its own colour"),
            ("compare", "Compare", "What two selected runs did differently: their settings side by side"),
            ("clear", "Clear plots", "Remove every overlaid run from the plots"),
            ("delete", "Delete…", "Forget the selected runs and delete their folders (asks first)"))


class RunsPanel(QWidget):
    open_requested = Signal(str)
    continue_requested = Signal(str)
    follow_requested = Signal(str)
    overlay_requested = Signal(list)  # run ids
    overlays_cleared = Signal()
    compare_requested = Signal(str, str)
    note_requested = Signal(str)
    delete_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = RunsTableModel(self)
        self.proxy = RunsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = _table(self.proxy)
        self.search = QLineEdit(objectName="runsFilter", placeholderText="Filter runs: name, architecture, dataset, "
                                "status, notes…", clearButtonEnabled=True)
        self.count = QLabel(objectName="runsCount")
        self.buttons = {key: _button(key, text, tip) for key, text, tip in _BUTTONS}
        self.empty = QLabel(EMPTY_TEXT.format(where="the run store"), objectName="runsEmpty", wordWrap=True,
                            alignment=Qt.AlignmentFlag.AlignCenter, textInteractionFlags=Qt.TextInteractionFlag
                            .TextSelectableByMouse)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        self._layout()
        self._selected_before_reset: list[str] = []
        self._pending: list[Any] | None = None  # records that came while a name was being edited
        self._connect()
        self._on_selection_changed()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        self.search.setMinimumWidth(200)
        bar.addWidget(self.search, 2)
        for button in self.buttons.values():
            bar.addWidget(button)
        bar.addWidget(self.count, 1, Qt.AlignmentFlag.AlignRight)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(bar)
        column.addWidget(self.stack, 1)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._on_search_text_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.modelReset.connect(self._on_model_reset)
        self.table.itemDelegate().closeEditor.connect(self._on_editor_closed)
        for key, button in self.buttons.items():
            button.clicked.connect(getattr(self, f"_on_{key}_clicked"))
        delete = QAction("Delete", self.table, shortcut=QKeySequence.StandardKey.Delete,
                         shortcutContext=Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._on_delete_clicked)
        self.table.addAction(delete)

    # -- what the controller tells it -----------------------------------------------------------------------
    def show_runs(self, records: list[Any]) -> None:
        if self.table.state() == QAbstractItemView.State.EditingState:
            self._pending = records  # a refresh now would close the editor
            return
        self._pending = None
        self.model.set_records(records)
        self.stack.setCurrentWidget(self.table if records else self.empty)
        self._show_count()
        self._on_selection_changed()

    def show_location(self, where: str) -> None:
        self.empty.setText(EMPTY_TEXT.format(where=where or "the run store"))

    def show_problem(self, text: str) -> None:
        self.empty.setText(f"<p style='color:#b71c1c'>{text}</p>")
        self.stack.setCurrentWidget(self.empty)

    def show_overlays(self, colours: dict[str, tuple[int, int, int]]) -> None:
        self.model.set_overlaid(colours)
        self.buttons["clear"].setVisible(bool(colours))

    # -- what the user chose --------------------------------------------------------------------------------
    def selected(self) -> list[Any]:
        """The selected runs, in the table's order."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        return [i.data(RECORD_ROLE) for i in rows]

    def select(self, run_ids: list[str]) -> None:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(RECORD_ROLE).id in run_ids:
                selection.select(index, self.proxy.index(row, self.proxy.columnCount() - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.table.selectionModel().select(selection, flags)

    def rename(self, run_id: str) -> None:
        """Open the editor of the run's name cell."""
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(RECORD_ROLE).id == run_id:
                self.table.edit(self.proxy.index(row, COLUMN["name"]))

    def _show_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{total} run{'s' if total != 1 else ''}" if shown == total else f"{shown} of {total} runs")

    @Slot()
    def _on_selection_changed(self) -> None:
        chosen = self.selected()
        one = chosen[0] if len(chosen) == 1 else None
        enabled = {"open": one is not None, "overlay": any(r.epochs_done for r in chosen),
                   "continue": one is not None and one.status != "running" and one.checkpoint_path.is_file(),
                   "follow": one is not None and one.status == "running" and not _ours(one),
                   "compare": len(chosen) == 2, "clear": True,
                   "delete": bool(chosen) and all(r.status != "running" for r in chosen)}
        for key, button in self.buttons.items():
            button.setEnabled(enabled[key])

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._show_count()

    @Slot()
    def _on_model_about_to_be_reset(self) -> None:
        self._selected_before_reset = [r.id for r in self.selected()]

    @Slot()
    def _on_model_reset(self) -> None:
        self.select(self._selected_before_reset)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.column() not in (COLUMN["name"], COLUMN["plot"]):  # the name is edited there
            self.open_requested.emit(index.data(RECORD_ROLE).id)

    @Slot(QPoint)
    def _on_table_context_menu_requested(self, pos: QPoint) -> None:
        if self.selected():
            _context_menu(self).popup(self.table.viewport().mapToGlobal(pos))

    @Slot()
    def _on_open_clicked(self) -> None:
        self.open_requested.emit(self.selected()[0].id)

    @Slot()
    def _on_continue_clicked(self) -> None:
        self.continue_requested.emit(self.selected()[0].id)

    @Slot()
    def _on_follow_clicked(self) -> None:
        self.follow_requested.emit(self.selected()[0].id)

    @Slot()
    def _on_overlay_clicked(self) -> None:
        self.overlay_requested.emit([r.id for r in self.selected()])

    @Slot()
    def _on_compare_clicked(self) -> None:
        a, b = self.selected()
        self.compare_requested.emit(a.id, b.id)

    @Slot()
    def _on_clear_clicked(self) -> None:
        self.overlays_cleared.emit()

    @Slot()
    def _on_delete_clicked(self) -> None:
        if self.buttons["delete"].isEnabled():
            self.delete_requested.emit([r.id for r in self.selected()])

    @Slot()
    def _on_note_triggered(self) -> None:
        self.note_requested.emit(self.selected()[0].id)

    @Slot()
    def _on_rename_triggered(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            self.rename(chosen[0].id)

    @Slot()
    def _on_editor_closed(self) -> None:
        if self._pending is not None:
            self.show_runs(self._pending)


def _ours(record: Any) -> bool:
    """A run this window trains itself: its own controls stop it."""
    return record.owner_pid == os.getpid() and record.owner_host == socket.gethostname()


def _context_menu(panel: RunsPanel) -> QMenu:
    menu = QMenu(panel)
    menu.setObjectName("runsMenu")
    one = len(panel.selected()) == 1
    for key in ("open", "continue", "follow", "overlay", "compare"):
        button = panel.buttons[key]
        if button.isEnabled():
            menu.addAction(button.text(), button.click)
    menu.addSeparator()
    if one:
        menu.addAction("Rename", panel._on_rename_triggered)
        menu.addAction("Note…", panel._on_note_triggered)
    if panel.buttons["delete"].isEnabled():
        menu.addAction("Delete…", panel._on_delete_clicked)
    return menu


class _RunsTable(QTableView):
    def edit(self, index: QModelIndex, trigger: Any = None, event: Any = None) -> bool:
        """F2 on any cell of a row edits the run's name, the one cell that can change."""
        if trigger is None:
            return super().edit(index)
        if trigger == QAbstractItemView.EditTrigger.EditKeyPressed and index.isValid():
            index = index.siblingAtColumn(COLUMN["name"])
        return super().edit(index, trigger, event)


def _table(proxy: RunsFilter) -> QTableView:
    table = _RunsTable(objectName="runsTable")
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(COLUMN["started"], Qt.SortOrder.DescendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for key, width in (("plot", 40), ("name", 170), ("status", 84), ("best", 96), ("arch", 92), ("dataset", 78),
                       ("settings", 200), ("epochs", 72), ("duration", 66), ("kind", 96)):
        table.setColumnWidth(COLUMN[key], width)
    return table


def _button(key: str, text: str, tip: str) -> QPushButton:
    button = QPushButton(text, objectName=f"runs{key.capitalize()}Button", toolTip=tip)
    if key == "clear":
        button.setVisible(False)
    return button
