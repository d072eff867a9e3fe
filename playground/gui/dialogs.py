"""Messages for the user: run failures, settings that cannot run, and the offline-dataset dialog.

Every dialog opens with open() (window-modal, not blocking the event loop), so training signals keep
arriving and tests can find and answer it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from playground.core.data.catalogue import DATASET_CATALOGUE, NO_DOWNLOAD

_DATA_ROLE = Qt.ItemDataRole.UserRole


def show_message(parent: QWidget, title: str, text: str, details: str = "",
                 icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("messageBox")
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class WindowMessages:
    """The window's message boxes, for controllers (tests hand them a fake with the same methods)."""

    def __init__(self, parent: QWidget):
        self._parent = parent

    def error(self, title: str, text: str, details: str = "") -> None:
        show_message(self._parent, title, text, details)

    def info(self, title: str, text: str) -> None:
        show_message(self._parent, title, text, icon=QMessageBox.Icon.Information)

    def offline_dataset(self, dataset: str, message: str) -> OfflineDatasetDialog:
        """The offline dialog, open; its dataset_chosen signal says which no-download set the user picked."""
        dialog = OfflineDatasetDialog(dataset, message, self._parent)
        dialog.open()
        return dialog


class OfflineDatasetDialog(QDialog):
    """Says what is missing and where it was looked for, and offers the datasets that need no download."""

    dataset_chosen = Signal(str)

    def __init__(self, dataset: str, message: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("offlineDialog")
        self.setWindowTitle(f"{dataset} is not available")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        text = QLabel(f"<p><b>{dataset} could not be loaded.</b></p><p>{_html(message)}</p>"
                      "<p>You can train right away on a dataset that is generated on this computer:</p>")
        text.setWordWrap(True)
        self.choices = QListWidget()
        self.choices.setObjectName("offlineChoices")
        for name in NO_DOWNLOAD:
            item = QListWidgetItem(f"{name} — {DATASET_CATALOGUE[name].description}")
            item.setData(_DATA_ROLE, name)
            self.choices.addItem(item)
        self.choices.setCurrentRow(0)
        self.choices.itemDoubleClicked.connect(self._on_choices_item_double_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.use_button = buttons.addButton("Use this dataset", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.choices)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def choose(self, name: str) -> None:
        """Pick `name` and close, as the Use button does."""
        self.dataset_chosen.emit(name)
        self.accept()

    @Slot()
    def _on_buttons_accepted(self) -> None:
        item = self.choices.currentItem()
        if item is not None:
            self.choose(item.data(_DATA_ROLE))

    @Slot(QListWidgetItem)
    def _on_choices_item_double_clicked(self, item: QListWidgetItem) -> None:
        self.choose(item.data(_DATA_ROLE))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
