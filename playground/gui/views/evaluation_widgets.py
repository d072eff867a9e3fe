"""The Evaluation view's parts: its toolbar (Evaluate, Row %, Export) and what it shows of a result (the
matrix with per-class accuracy, and the gallery with its title), with the exports of both."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.errors import PlaygroundError
from playground.gui import file_actions
from playground.gui.dialogs import show_message
from playground.gui.views import evaluation_texts as texts
from playground.gui.views.class_accuracy import ClassAccuracyBars
from playground.gui.views.confusion_table import ConfusionTableModel
from playground.gui.views.confusion_view import ConfusionTable
from playground.gui.views.evaluation_export import save_png, write_confusion_csv
from playground.gui.views.evaluation_jobs import EvaluationResult
from playground.gui.views.gallery import CaptionedGallery

EXPORTS = {  # kind -> (menu text, dialog title, suggested file suffix, filter)
    "matrix_csv": ("Confusion matrix as CSV…", "Export the confusion matrix as CSV", "-confusion.csv", "CSV (*.csv)"),
    "matrix_png": ("Confusion matrix as PNG…", "Export the confusion matrix as PNG", "-confusion.png",
                   "PNG image (*.png)"),
    "gallery_png": ("Gallery as PNG…", "Export the gallery as PNG", "-mistakes.png", "PNG image (*.png)"),
}

BESIDE_FROM_WIDTH = 560  # narrower than this, the per-class accuracy goes under the matrix


class EvaluationToolbar(QWidget):
    export_requested = Signal(str)  # a kind of EXPORTS

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.evaluate = QPushButton("Evaluate", self, objectName="evaluateButton", enabled=False)
        self.evaluate.setToolTip("Evaluate the last finished run's model, or the opened model, on its test set")
        self.percent = QPushButton("Row %", self, objectName="percentButton", checkable=True, enabled=False)
        self.percent.setToolTip("Show each row as shares of its true class instead of counts")
        self.export = QToolButton(self, objectName="exportEvaluationButton", text="Export", enabled=False)
        self.export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export)
        for kind, (text, *_rest) in EXPORTS.items():
            menu.addAction(text).setData(kind)
        menu.triggered.connect(self._on_menu_triggered)
        self.export.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.evaluate, self.percent, self.export):
            layout.addWidget(widget)
        layout.addStretch(1)

    def set_can_evaluate(self, on: bool) -> None:
        self.evaluate.setEnabled(on)

    def set_busy(self, busy: bool) -> None:
        self.evaluate.setText("Evaluating…" if busy else "Evaluate")

    def set_has_result(self, on: bool) -> None:
        self.percent.setEnabled(on)
        self.export.setEnabled(on)

    @Slot(object)
    def _on_menu_triggered(self, action) -> None:
        self.export_requested.emit(action.data())


class EvaluationContent(QWidget):
    """The title, the matrix beside its per-class accuracy, and the gallery under them."""

    def __init__(self, model: ConfusionTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.result: EvaluationResult | None = None
        self.title = QLabel("", self, objectName="evaluationTitle", wordWrap=True)
        axes = QLabel("Rows: the true class · columns: what the model read · click a cell to see its images", self,
                      wordWrap=True)
        axes.setStyleSheet("color: #666")
        self.table = ConfusionTable(model, self)
        self.bars = ClassAccuracyBars(self)
        self.matrix_box = QWidget(self)
        self._matrix_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.matrix_box)
        self._matrix_layout.setContentsMargins(0, 0, 0, 0)
        self._matrix_layout.addWidget(self.table, 1)
        self._matrix_layout.addWidget(self.bars, 0)
        self.gallery_label = QLabel("", self, objectName="galleryLabel", wordWrap=True)
        self.mistakes = QPushButton("Mistakes", self, objectName="mistakesButton", enabled=False)
        self.mistakes.setToolTip("Show all the misclassified test images again")
        self.gallery = CaptionedGallery("misclassifiedGallery", parent=self)
        self.gallery.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self._build_layout(axes)
        self._add_context_menus()

    def _build_layout(self, axes: QLabel) -> None:
        header = QHBoxLayout()
        header.addWidget(self.gallery_label, 1)
        header.addWidget(self.mistakes)
        scroll = QScrollArea(self)
        scroll.setWidget(self.gallery)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(axes)
        layout.addWidget(self.matrix_box, 3)
        layout.addLayout(header)
        layout.addWidget(scroll, 2)

    def _add_context_menus(self) -> None:
        """Right click: the same exports as the toolbar's menu, for what was clicked."""
        for widget, kinds in ((self.table, ("matrix_csv", "matrix_png")), (self.gallery, ("gallery_png",))):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            for kind in kinds:
                action = widget.addAction(EXPORTS[kind][0].replace("…", "") + "…")
                action.setData(kind)
                action.triggered.connect(self._on_context_action_triggered)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The per-class accuracy beside the matrix when there is room, under it in a narrow dock."""
        beside = event.size().width() >= BESIDE_FROM_WIDTH
        direction = QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        if self._matrix_layout.direction() != direction:
            self._matrix_layout.setDirection(direction)
            horizontal = QSizePolicy.Policy.Fixed if beside else QSizePolicy.Policy.Preferred
            self.bars.setSizePolicy(horizontal, QSizePolicy.Policy.Preferred)
        super().resizeEvent(event)

    def show_result(self, result: EvaluationResult, title: str) -> None:
        self.result = result
        c, g = result.confusion, result.gallery
        names = c.class_names
        self.title.setText(title)
        self.bars.set_accuracy(names, c.per_class_accuracy())
        self.table.set_picked(g.cell)
        self.mistakes.setEnabled(g.cell is not None)
        heading = texts.gallery_title(g.cell, names, len(g.indices), g.total)
        if g.pixels is None and len(g.indices):
            self.gallery.set_images(None)
            self.gallery_label.setText(f"{heading}. {texts.not_images(result.config.dataset)}")
            return
        triples = list(zip(g.indices.tolist(), g.true.tolist(), g.predicted.tolist(), g.probability.tolist()))
        captions = [texts.caption(names[t], names[p], pr) for _, t, p, pr in triples]
        tips = [f"Test image {n}: a {names[t]}, read as {names[p]} with {pr:.1%} probability. Click to look "
                "inside the model at it" for n, t, p, pr in triples]
        self.gallery.set_images(g.pixels, captions, tips)
        self.gallery_label.setText(heading + ("" if g.cell is None else " · Mistakes returns to all of them"))

    def clear(self) -> None:
        self.result = None
        self.table.set_picked(None)
        self.title.setText("")
        self.gallery.set_images(None)
        self.gallery_label.setText("")
        self.bars.set_accuracy((), ())
        self.mistakes.setEnabled(False)

    # -- exports ---------------------------------------------------------------------------------------------
    def export_matrix_csv(self, path: str) -> None:
        write_confusion_csv(path, self.result.confusion)

    def export_matrix_png(self, path: str) -> None:
        save_png(self.matrix_box, path)

    def export_gallery_png(self, path: str) -> None:
        save_png(self.gallery, path)

    def exporter(self, kind: str) -> Callable[[str], None]:
        return {"matrix_csv": self.export_matrix_csv, "matrix_png": self.export_matrix_png,
                "gallery_png": self.export_gallery_png}[kind]

    @Slot(str)
    def export_interactive(self, kind: str) -> None:
        """Ask where, then write; a failure is a message naming the problem."""
        if self.result is None:
            return
        _, title, suffix, file_filter = EXPORTS[kind]
        config = self.result.config
        path = file_actions.ask_save_path(self, title, file_actions.suggested_name(config, suffix), file_filter)
        if not path:
            return
        try:
            self.exporter(kind)(path)
        except (OSError, PlaygroundError) as e:
            show_message(self, "Cannot export", str(e))

    @Slot()
    def _on_context_action_triggered(self) -> None:
        self.export_interactive(self.sender().data())
