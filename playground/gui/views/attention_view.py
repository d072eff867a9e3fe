"""Attention, as it forms: for a gpt or a vit, every layer's heads as heatmaps (a row per layer, a column per
head) over the prompt (text) or the drawn digit (images), redrawn from the training run's weights while it trains.
Click a head to see it large: for text a matrix with the characters on both sides (row: the character that
attends; columns: the characters it attends to), for images its attention over the picture.

The weights are computed in a background thread (BackgroundJobs) on a model of its own (attention_compute).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from playground.core.data.inputs import TEXT
from playground.core.training import events
from playground.gui.session import SessionModel
from playground.gui.views.attention_compute import AttentionJob, AttentionMaps, compute, heatmap
from playground.gui.views.background import BackgroundJobs
from playground.gui.views.picture import Picture
from playground.gui.views.presence import Presence
from playground.gui.views.rgb_grid import RgbGrid

REFRESH_MS = 1000
TYPING_PAUSE_MS = 200
DEFAULT_PROMPT = "ROMEO:\nBut soft, what light"
IDLE_TEXT = ("Train a <b>gpt</b> (on shakespeare) or a <b>vit</b> (on mnist) to watch its attention form here: "
             "each square is one head of one layer. Or open such a model.pt (File › Open model).")


class AttentionView(QWidget):
    def __init__(self, session: SessionModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attentionMap")
        self.session = session
        self.label = QLabel(IDLE_TEXT, self, objectName="attentionLabel", wordWrap=True)
        self.prompt = QLineEdit(DEFAULT_PROMPT.replace("\n", " "), self, objectName="attentionPrompt")
        self.prompt.setToolTip("The text a language model reads here (the last characters up to its context)")
        self.grid = RgbGrid("attentionGrid", parent=self)
        self.grid.setToolTip("One heatmap per layer (row) and head (column); click one to see it large")
        self.detail_label = QLabel("", self, wordWrap=True)
        self.matrix = AttentionMatrix(self)
        self.picture = Picture("attentionPicture", max_scale=2.0, parent=self)
        layout = QVBoxLayout(self)
        for widget in (self.label, self.prompt, self.grid, self.detail_label, self.matrix, self.picture):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.setStretch(layout.indexOf(self.matrix), 10)  # the large head takes the room left
        self.maps: AttentionMaps | None = None
        self._held: Any = None
        self._source: tuple[str, Any] | None = None
        self._image: Any = None
        self._run_applies = False
        self._selected = (0, 0)
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._on_typing_timeout)
        self.prompt.textChanged.connect(self._typing.start)
        self.grid.cell_clicked.connect(self._on_grid_cell_clicked)
        self._jobs = BackgroundJobs(compute, "playground-attention", self)
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        self.presence = Presence(self)
        self.presence.changed.connect(self._update_wish)
        self._connect(session)
        self._show_detail()

    def _connect(self, session: SessionModel) -> None:
        session.on(events.RunStarted).connect(self._on_run_started)
        session.on(events.WeightsSnapshot).connect(self._on_snapshot)
        session.run_ended.connect(self._on_run_ended)
        session.model_opened.connect(self._on_model_opened)
        session.input_chosen.connect(self._on_input_chosen)
        session.phase_changed.connect(self._on_phase_changed)

    # -- what the session says -------------------------------------------------------------------------------
    def _on_run_started(self, event: Any) -> None:
        self._run_applies = "attention" in event.spec.kind.views and _attends(event.spec)
        if self._run_applies:
            self._source = None
            self.label.setText(f"{event.spec.arch}: attention of the training run, redrawn as it learns")
        self._update_wish()

    def _on_snapshot(self, snapshot: Any) -> None:
        if self._run_applies:
            self._submit(("snapshot", snapshot))

    def _on_run_ended(self) -> None:
        record = self.session.last_completed
        if self._run_applies and record is not None and record is self.session.run:
            self._source = ("checkpoint", record.checkpoint)
            self._submit(self._source)
        self._update_wish()

    def _on_model_opened(self, opened: tuple[str, Any]) -> None:
        path, info = opened
        if "attention" in info.spec.kind.views and _attends(info.spec):
            self._source = ("path", path)
            self.label.setText(f"{info.source}: the attention of its heads")
            self._submit(self._source)

    def _on_input_chosen(self, chosen: Any) -> None:
        self._image = chosen.tensor
        if self._source is not None and not self.session.active:
            self._submit(self._source)

    def _on_phase_changed(self, phase: str) -> None:
        self._update_wish()

    # -- computing ----------------------------------------------------------------------------------------------
    def _submit(self, source: tuple[str, Any]) -> None:
        self._jobs.submit(AttentionJob(source[0], source[1], self._held, self.prompt.text(), self._image))

    @Slot()
    def _on_typing_timeout(self) -> None:
        snapshot = self.session.latest_snapshot
        if self._run_applies and self.session.active and snapshot is not None:
            self._submit(("snapshot", snapshot))
        elif self._source is not None:
            self._submit(self._source)

    @Slot(object, object)
    def _on_jobs_done(self, job: Any, maps: AttentionMaps) -> None:
        self._held, self.maps = maps.held, maps
        self.prompt.setVisible(maps.held[1].inputs == TEXT)  # an image model reads the chosen image
        if maps.weights is None:
            self.label.setText(maps.note)
            self._run_applies = self._run_applies and "no attention" not in maps.note
            self._update_wish()
        elif maps.step is not None:
            self.label.setText(f"The training run at step {maps.step:,}: {len(maps.pictures)} layers × "
                               f"{len(maps.pictures[0])} heads; click one to see it large")
        self.grid.set_pictures(maps.pictures)
        self._show_detail()

    @Slot(str)
    def _on_jobs_failed(self, message: str) -> None:
        self.label.setText(f"Cannot show attention: {message}")

    @Slot(int, int)
    def _on_grid_cell_clicked(self, row: int, col: int) -> None:
        self._selected = (row, col)
        self._show_detail()

    def _show_detail(self) -> None:
        m = self.maps
        if m is None or m.weights is None:
            self.grid.marked = None
            self.matrix.set_weights(None, ())
            self.picture.set_image(None)
            self.detail_label.setText("")
            return
        row, col = (min(v, n - 1) for v, n in zip(self._selected, m.weights.shape[:2]))
        self.grid.marked = (row, col)
        self.grid.update()
        text = bool(m.tokens)
        self.matrix.set_weights(m.weights[row, col] if text else None, m.tokens)
        self.picture.set_image(None if text else m.pictures[row][col])
        what = ("each row is a character, and how it spreads its attention over the characters up to it (each "
                "row sums to 1)" if text else "where the class token looks: the patches it attends to are blue")
        self.detail_label.setText(f"<b>Layer {row + 1}, head {col + 1}</b>: {what}")

    # -- interest in snapshots --------------------------------------------------------------------------------
    @Slot()
    def _update_wish(self) -> None:
        wanted = self._run_applies and self.session.active and self.presence.on_screen
        self.session.want_snapshots("attention", REFRESH_MS if wanted else None)

    def shutdown(self) -> None:
        self._jobs.close()


def _attends(spec: Any) -> bool:
    from playground.core.models.catalogue import ARCH_CATALOGUE

    return spec.arch in ARCH_CATALOGUE and ARCH_CATALOGUE[spec.arch].attends


class AttentionMatrix(QWidget):
    """One head's T x T weights, large, with the characters along both sides."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attentionMatrix")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._weights: np.ndarray | None = None
        self._tokens: tuple[str, ...] = ()
        self._rgb: np.ndarray | None = None

    def set_weights(self, weights: np.ndarray | None, tokens: tuple[str, ...]) -> None:
        self._weights, self._tokens = weights, tokens
        self._rgb = None if weights is None else np.ascontiguousarray(heatmap(weights))
        self.setVisible(weights is not None)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 360)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._rgb is None:
            return
        n, margin = len(self._tokens), 14
        side = max(1.0, (min(self.width(), self.height()) - margin) / max(1, n))
        painter = QPainter(self)
        a = self._rgb
        image = QImage(a.data, a.shape[1], a.shape[0], 3 * a.shape[1], QImage.Format.Format_RGB888)
        painter.drawImage(QRectF(margin, margin, side * n, side * n), image)
        painter.setPen(QColor(60, 60, 60))
        font = painter.font()
        font.setPixelSize(max(6, min(12, int(side))))
        painter.setFont(font)
        for i, c in enumerate(self._tokens):
            shown = "⏎" if c == "\n" else "·" if c == " " else c
            painter.drawText(QRectF(0, margin + i * side, margin, side), Qt.AlignmentFlag.AlignCenter, shown)
            painter.drawText(QRectF(margin + i * side, 0, side, margin), Qt.AlignmentFlag.AlignCenter, shown)
        painter.end()
