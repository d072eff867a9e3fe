"""Teach it your handwriting: under the Draw panel's canvas while it reads digits with the bundled model.

"It was a 0 … 9" saves the drawing (as the network saw it, 28×28) into your personal set (my-handwriting/ in the
per-user folder); "Adapt to my handwriting" fine-tunes the digit model on that set mixed with MNIST in a worker
thread and shows the accuracy on your digits and on MNIST test before and after; "Reset to the bundled model"
goes back. The panel loads whichever model `digit_model_changed` names.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QThread, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from playground.core.data.my_drawings import DrawingSet, handwriting_dir
from playground.gui.handwriting.adapt_worker import AdaptWorker, launch_adaptation


class TeachBar(QWidget):
    recorded = Signal(int)  # a digit joined the personal set
    digit_model_changed = Signal(str, str)  # (checkpoint path, label): the digit model to read drawings with now
    adapted = Signal(object)  # the AdaptResult of a finished adaptation

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("teachBar")
        self.digits = DrawingSet(handwriting_dir())
        self._drawing: np.ndarray | None = None
        self._worker: AdaptWorker | None = None
        self._thread: QThread | None = None
        self._build()
        self._show_count()

    # --- from the panel ----------------------------------------------------------------------------------------
    def set_drawing(self, preview: np.ndarray | None) -> None:
        """What the network sees of the current drawing (28×28 uint8), or None when the canvas is empty."""
        self._drawing = None if preview is None else np.array(preview, dtype=np.uint8)
        for button in self.digit_buttons:
            button.setEnabled(self._drawing is not None)

    # --- commands ----------------------------------------------------------------------------------------------
    def record(self, digit: int) -> bool:
        """The current drawing was this digit: it joins the personal set."""
        if self._drawing is None:
            self.result_label.setText("Draw the digit first, then click what it was")
            return False
        self.digits.add_example(str(digit), self._drawing)
        self.set_drawing(None)  # saved once; the panel clears the canvas
        self._show_count()
        self.result_label.setText(f"Saved as your {digit}. Adapt when you have a few of the digits it misreads")
        self.recorded.emit(digit)
        return True

    def adapt(self, settings: object | None = None) -> bool:
        """Start adapting in a worker thread; False while one runs or without digits."""
        if self._thread is not None:
            return False
        if not any(self.digits.counts().values()):
            self.result_label.setText("No digits of yours yet: when a digit is read wrong, click what it was")
            return False
        self._worker, self._thread = launch_adaptation(self.digits.root, settings)
        self._worker.progress.connect(self._on_worker_progress)
        self._worker.failed.connect(self._on_worker_failed)
        self._worker.finished.connect(self._on_worker_finished)
        self._thread.finished.connect(self._on_thread_finished)
        self.adapt_button.setEnabled(False)
        self.result_label.setText("Adapting to your handwriting…")
        self._thread.start()
        return True

    def reset(self) -> None:
        from playground.core.inference.bundled import BUNDLED_MODEL_LABEL, bundled_model_path, reset_to_bundled

        reset_to_bundled()
        self._show_count()
        self.result_label.setText("Back to the bundled model (your digits are kept, to adapt again)")
        path = bundled_model_path()
        if path is not None:
            self.digit_model_changed.emit(str(path), BUNDLED_MODEL_LABEL)

    def shutdown(self, wait_ms: int = 3000) -> None:
        """Stop adapting (nothing is saved) and wait a little for the thread to end."""
        if self._worker is not None and self._thread is not None:
            self._worker.stop()
            self._thread.wait(wait_ms)

    def running(self) -> bool:
        return self._thread is not None

    # --- building ----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.digit_buttons = []
        row = QHBoxLayout()
        row.setSpacing(2)
        row.addWidget(QLabel("Read wrong? It was a", self))
        for digit in range(10):
            button = QPushButton(str(digit), self, objectName=f"itWas{digit}Button")
            button.setFixedWidth(28)
            button.setToolTip(f"It was a {digit}: add this drawing to your digits")
            button.clicked.connect(self._on_digit_button_clicked)
            row.addWidget(button)
            self.digit_buttons.append(button)
        row.addStretch(1)
        actions = QHBoxLayout()
        self.count_label = QLabel("", self, objectName="myDigitsLabel")
        self.adapt_button = QPushButton("Adapt to my handwriting", self, objectName="adaptButton")
        self.adapt_button.setToolTip("Fine-tune the digit model on your digits mixed with MNIST (seconds)")
        self.adapt_button.clicked.connect(self._on_adapt_button_clicked)
        self.reset_button = QPushButton("Reset to the bundled model", self, objectName="resetModelButton")
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        for widget in (self.count_label, self.adapt_button, self.reset_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        self.result_label = QLabel("", self, objectName="adaptResultLabel", wordWrap=True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addLayout(actions)
        column.addWidget(self.result_label)
        self.set_drawing(None)

    def _show_count(self) -> None:
        from playground.core.inference.bundled import adapted_model_path

        n = sum(self.digits.counts().values())
        self.count_label.setText(f"Your digits: {n}")
        self.reset_button.setEnabled(adapted_model_path().is_file())  # only an adapted model can be reset

    # --- slots -------------------------------------------------------------------------------------------------
    @Slot()
    def _on_digit_button_clicked(self) -> None:
        self.record(self.digit_buttons.index(self.sender()))

    @Slot()
    def _on_adapt_button_clicked(self) -> None:
        self.adapt()

    @Slot()
    def _on_reset_button_clicked(self) -> None:
        self.reset()

    @Slot(int, int)
    def _on_worker_progress(self, done: int, total: int) -> None:
        self.result_label.setText(f"Adapting to your handwriting: step {done} of {total}…")

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self.result_label.setText(f"Could not adapt: {message}")

    @Slot(object)
    def _on_worker_finished(self, result: Any) -> None:
        if result is None:
            return
        from playground.core.inference.bundled import ADAPTED_MODEL_LABEL

        self.result_label.setText(f"Adapted. {result.summary()}")
        self._show_count()
        self.digit_model_changed.emit(str(result.path), ADAPTED_MODEL_LABEL)
        self.adapted.emit(result)

    @Slot()
    def _on_thread_finished(self) -> None:
        self._thread.wait()
        self._worker.deleteLater()  # handed back to this thread at its end: deleted here
        self._thread.deleteLater()
        self._worker = self._thread = None
        self.adapt_button.setEnabled(True)
