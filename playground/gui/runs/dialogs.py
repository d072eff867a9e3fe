"""The Runs panel's dialogs: two runs' settings side by side, how far to continue a run, a run's note, and the
confirmation before deleting. Each opens with open() (window-modal, the event loop runs on: training signals
keep arriving and tests answer them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

MAX_MORE_EPOCHS = 10_000


def compare_settings(parent: QWidget, a: Any, b: Any, difference: dict[str, tuple[Any, Any]]) -> QDialog:
    """A table of the settings in which runs a and b differ (from config_difference), open."""
    dialog = QDialog(parent, objectName="compareDialog", windowTitle=f"Settings: {a.name} and {b.name}")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    table = QTableWidget(len(difference), 3, objectName="compareTable")
    table.setHorizontalHeaderLabels(["setting", a.name, b.name])
    for row, (key, values) in enumerate(difference.items()):
        for column, value in enumerate((key, *values)):
            text = "(not set)" if value is None and column else str(value)
            table.setItem(row, column, QTableWidgetItem(text))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    same = "" if difference else "<p>The two runs have the same settings: any difference in their results " \
                                 "comes from chance alone (the seed is one of the settings).</p>"
    label = QLabel(f"<p>{len(difference)} setting(s) differ between <b>{a.name}</b> ({a.status}, best "
                   f"{_best(a)}) and <b>{b.name}</b> ({b.status}, best {_best(b)}).</p>{same}", wordWrap=True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    for widget in (label, table, buttons):
        layout.addWidget(widget)
    dialog.resize(620, 360)
    dialog.open()
    return dialog


def _best(r: Any) -> str:
    from playground.gui.runs.columns import best_text

    return best_text(r)


class ContinueDialog(QDialog):
    """How many more epochs; says which settings change from the run's own (the Settings panel's, when they fit
    the run), so that a new learning rate is chosen, never a surprise."""

    chosen = Signal(str, int)  # run id, epochs more

    def __init__(self, parent: QWidget, record: Any, changes: dict[str, tuple[Any, Any]], more: int):
        super().__init__(parent, objectName="continueDialog", windowTitle=f"Continue {record.name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.record = record
        self.epochs = QSpinBox(objectName="continueEpochs", minimum=1, maximum=MAX_MORE_EPOCHS, value=more)
        self.epochs.setToolTip("Epochs to train beyond the ones the run has done")
        changed = "".join(f"<li>{k}: {old} → <b>{new}</b></li>" for k, (old, new) in changes.items())
        how = (f"<p>With these settings from the Settings panel:</p><ul>{changed}</ul>" if changes else
               "<p>With the run's own settings. To change the learning rate (or another setting that may "
               "change), open the run, change it in the Settings panel, then Continue.</p>")
        text = QLabel(f"<p><b>{record.name}</b> has done {record.epochs_done} epoch(s) "
                      f"({record.steps_done:,} steps). It goes on from its last checkpoint, with its optimizer "
                      f"and schedule state; its curves and step count go on.</p>{how}", wordWrap=True)
        form = QFormLayout()
        form.addRow("Epochs more", self.epochs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton("Continue", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(480, 0)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self.chosen.emit(self.record.id, self.epochs.value())
        self.accept()


def ask_note(parent: QWidget, record: Any) -> QInputDialog:
    """A note about the run (plain text), open; its textValueSelected signal carries the new text."""
    dialog = QInputDialog(parent, objectName="noteDialog")
    dialog.setWindowTitle(f"Note on {record.name}")
    dialog.setLabelText("What was this run for, what did it show? (searchable in the filter box)")
    dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    dialog.setTextValue(record.notes)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def confirm_delete(parent: QWidget, records: list[Any]) -> QMessageBox:
    """Asks before deleting; the deletion goes ahead when its `delete_button` is clicked."""
    names = ", ".join(r.name for r in records[:5]) + (f" and {len(records) - 5} more" if len(records) > 5 else "")
    folders = "\n".join(str(r.folder) for r in records[:5])
    box = QMessageBox(QMessageBox.Icon.Warning, "Delete runs" if len(records) > 1 else "Delete run",
                      f"Delete {names}?\n\nThe run store forgets {'them' if len(records) > 1 else 'it'}, and "
                      f"the files playground wrote in {'their folders' if len(records) > 1 else 'its folder'} "
                      f"(config, metrics, checkpoint, samples) are deleted:\n{folders}", parent=parent)
    box.setObjectName("deleteRunsBox")
    box.delete_button = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
