"""My classes: name a few classes, draw examples of each, train, and the Draw panel reads your classes.

The examples are 28×28 PNGs in an ordinary image folder in the per-user folder (core/data/my_drawings.py),
made from the canvas exactly as the Draw panel makes its input (MNIST-style: cropped, fitted to 20 px,
centred), so that what the model learns from is what it will be shown. Training runs through the app's
ordinary run path in a worker thread (training.py); the trained model is opened in the session, where the
Draw panel (and the other views) pick it up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.data.my_drawings import MIN_EXAMPLES, DrawingSet, my_drawings_dir
from playground.core.errors import PlaygroundError
from playground.gui.drawing.canvas import DrawCanvas
from playground.gui.my_classes.example_grid import ExampleGrid
from playground.gui.my_classes.training import MyClassesTraining
from playground.gui.session import SessionModel

CLASS_ROLE = Qt.ItemDataRole.UserRole


class MyClassesPanel(QWidget):
    """The classes, a canvas to draw examples on, the chosen class's examples, and Train."""

    message_shown = Signal(str)  # every message the panel shows (a problem with its fix, or the training's state)
    model_trained = Signal(str)  # the trained checkpoint's path, once the session has it

    def __init__(self, session: SessionModel | None = None, root: Path | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session or SessionModel()
        self.drawings = DrawingSet(root or my_drawings_dir())
        self.training = MyClassesTraining(self)
        self.training.progress.connect(self._on_training_progress)
        self.training.trained.connect(self._on_training_trained)
        self.training.failed.connect(self._on_training_failed)
        self.training.ended.connect(self._on_training_ended)
        self._build_widgets()
        self._build_layout()
        self.refresh()

    # --- commands (the buttons', and for tests) ---------------------------------------------------------------
    def add_class(self, name: str) -> bool:
        try:
            name = self.drawings.add_class(name)
        except PlaygroundError as e:
            self.show_message(str(e), problem=True)
            return False
        self.name_field.clear()
        self.refresh(select=name)
        self.show_message(f"Draw examples of {name} (at least {MIN_EXAMPLES}), pressing Enter after each")
        return True

    def remove_class(self, name: str) -> None:
        self.drawings.remove_class(name)
        self.refresh()

    def add_example(self) -> Path | None:
        """The canvas's drawing, as the network will see it, becomes an example of the chosen class."""
        name = self.selected_class()
        if name is None:
            self.show_message("Add a class first: type its name and press Add class", problem=True)
            return None
        from playground.core.inference.mnist_style import prepare_digit  # torch: after the window is shown

        digit = prepare_digit(self.canvas.ink_array())
        if digit is None:
            self.show_message(f"Draw an example of {name} on the canvas first", problem=True)
            return None
        path = self.drawings.add_example(name, digit.preview)
        self.canvas.clear()
        self.refresh(select=name)
        return path

    def delete_selected_examples(self) -> None:
        for path in self.grid.selected_paths():
            self.drawings.delete_example(path)
        self.refresh(select=self.selected_class())

    def train(self, epochs: int | None = None) -> bool:
        """Start training on the examples, or say what is missing (nothing saved is touched)."""
        problem = self.drawings.training_problem()
        if problem is not None:
            self.show_message(f"Cannot train yet: {problem}.", problem=True)
            return False
        if not self.training.start(self.drawings.root, epochs):
            return False
        self.train_button.setEnabled(False)
        self.show_message("Training on your classes…")
        return True

    def selected_class(self) -> str | None:
        item = self.class_list.currentItem()
        return item.data(CLASS_ROLE) if item is not None else None

    def select_class(self, name: str) -> None:
        for i in range(self.class_list.count()):
            if self.class_list.item(i).data(CLASS_ROLE) == name:
                self.class_list.setCurrentRow(i)

    def show_message(self, text: str, problem: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #c0392b;" if problem else "")
        self.message_shown.emit(text)

    def shutdown(self) -> None:
        """The window closes: the training stops at its next step."""
        self.training.stop()
        self.training.wait(3000)

    # --- showing the examples ----------------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        select = select or self.selected_class()
        self.class_list.blockSignals(True)
        self.class_list.clear()
        for name, count in self.drawings.counts().items():
            item = QListWidgetItem(f"{name}  ({count})", self.class_list)
            item.setData(CLASS_ROLE, name)
            if count < MIN_EXAMPLES:
                item.setToolTip(f"{MIN_EXAMPLES - count} more to go before it can be trained on")
        self.class_list.blockSignals(False)
        if select is not None:
            self.select_class(select)
        if self.class_list.currentItem() is None and self.class_list.count():
            self.class_list.setCurrentRow(0)
        self._show_selected_class()

    def _show_selected_class(self) -> None:
        name = self.selected_class()
        self.grid.show_examples(self.drawings.examples(name) if name else [])
        self.grid_title.setText(f"<b>Examples of {name}</b>" if name else "<b>Examples</b>")
        self.add_example_button.setText(f"Add to {name}" if name else "Add example")
        for widget in (self.add_example_button, self.delete_class_button, self.delete_examples_button):
            widget.setEnabled(name is not None)
        self.canvas.set_hint(f"Draw an example of {name} here" if name else "Add a class, then draw it here")

    # --- building ----------------------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.class_list = QListWidget(self, objectName="classList")
        self.class_list.currentItemChanged.connect(self._on_class_list_current_changed)
        self.name_field = QLineEdit(self, objectName="classNameField", placeholderText="A class name: circle, A, …")
        self.name_field.returnPressed.connect(self._on_add_class_clicked)
        self.add_class_button = _button("Add class", "addClassButton", self._on_add_class_clicked, self)
        self.delete_class_button = _button("Delete class…", "deleteClassButton", self._on_delete_class_clicked, self)
        self.canvas = DrawCanvas(self)
        self.canvas.setObjectName("myClassesCanvas")
        self.add_example_button = _button("Add example", "addExampleButton", self._on_add_example_clicked, self)
        self.add_example_button.setToolTip("Save the drawing as an example of the chosen class (Enter)")
        self.clear_button = _button("Clear", "myClassesClearButton", self.canvas.clear, self)
        self.grid_title = QLabel("<b>Examples</b>", self)
        self.grid = ExampleGrid(self)
        self.delete_examples_button = _button("Delete selected", "deleteExamplesButton",
                                              self._on_delete_examples_clicked, self)
        self.train_button = _button("Train on my classes", "trainMyClassesButton", self._on_train_clicked, self)
        self.train_button.setToolTip("A small CNN, with random shifts, turns and sizes of your examples: seconds")
        self.message_label = QLabel("Name a class, draw examples of it, repeat; then train", self,
                                    objectName="myClassesMessage", wordWrap=True)
        for keys, slot in ((Qt.Key.Key_Return, self._on_add_example_clicked),
                           (Qt.Key.Key_Delete, self._on_delete_examples_clicked)):
            shortcut = QShortcut(QKeySequence(keys), self.canvas if keys == Qt.Key.Key_Return else self.grid, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)  # not Enter or Delete anywhere in the window

    def _build_layout(self) -> None:
        classes = QVBoxLayout()
        classes.addWidget(QLabel("<b>Your classes</b>", self))
        classes.addWidget(self.class_list, 1)
        naming = QHBoxLayout()
        naming.addWidget(self.name_field, 1)
        naming.addWidget(self.add_class_button)
        classes.addLayout(naming)
        classes.addWidget(self.delete_class_button)
        drawing = QVBoxLayout()
        drawing.addWidget(self.canvas, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_example_button)
        drawing.addLayout(buttons)
        examples = QVBoxLayout()
        examples.addWidget(self.grid_title)
        examples.addWidget(self.grid, 1)
        examples.addWidget(self.delete_examples_button)
        grid = QGridLayout(self)
        grid.addLayout(classes, 0, 0)
        grid.addLayout(drawing, 0, 1)
        grid.addLayout(examples, 0, 2)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 1)
        grid.addWidget(self.train_button, 1, 0)
        grid.addWidget(self.message_label, 1, 1, 1, 2)

    # --- slots ---------------------------------------------------------------------------------------------------
    @Slot()
    def _on_add_class_clicked(self) -> None:
        self.add_class(self.name_field.text())

    @Slot()
    def _on_delete_class_clicked(self) -> None:
        name = self.selected_class()
        count = len(self.drawings.examples(name)) if name else 0
        if name is None or QMessageBox.question(
                self, "Delete class", f"Delete the class {name} and its {count} examples?") != \
                QMessageBox.StandardButton.Yes:
            return
        self.remove_class(name)

    @Slot()
    def _on_add_example_clicked(self) -> None:
        self.add_example()

    @Slot()
    def _on_delete_examples_clicked(self) -> None:
        self.delete_selected_examples()

    @Slot()
    def _on_train_clicked(self) -> None:
        self.train()

    @Slot(object, object)
    def _on_class_list_current_changed(self, current: Any, previous: Any) -> None:
        self._show_selected_class()

    @Slot(int, int)
    def _on_training_progress(self, epoch: int, epochs: int) -> None:
        self.show_message(f"Training on your classes: epoch {epoch} of {epochs}…")

    @Slot(str, object)
    def _on_training_trained(self, path: str, predictor: Any) -> None:
        names = ", ".join(predictor.info.labels())
        self.show_message(f"Trained on your classes ({names}): the Draw panel now reads them. The run is in Runs.")
        self.session.open_model(path, predictor.info)
        self.model_trained.emit(path)

    @Slot(str)
    def _on_training_failed(self, message: str) -> None:
        self.show_message(f"Training failed: {message}", problem=True)

    @Slot()
    def _on_training_ended(self) -> None:
        self.train_button.setEnabled(True)


def _button(text: str, name: str, slot: Any, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent, objectName=name)
    button.clicked.connect(slot)
    return button
