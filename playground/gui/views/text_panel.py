"""What a language model writes: the continuation of a prompt, redrawn from the training run's weights while it
trains (the same prompt and seed each time, so the same text gets better), and after the run (or with a language
model's model.pt opened) for any prompt typed; bars show how likely each character is to come next after the
cursor, as the Draw panel's bars do for each digit.

The writing runs in a background thread (BackgroundJobs) on a model of its own (core.inference.text.TextModel).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from playground.core.training import events
from playground.gui.drawing.probability_bars import ProbabilityBars
from playground.gui.session import SessionModel
from playground.gui.views.background import BackgroundJobs
from playground.gui.views.presence import Presence
from playground.gui.views.text_writing import TextJob, WritingResult, shown_char, write

REFRESH_MS = 1000  # how often a visible panel asks the training run for its weights
TYPING_PAUSE_MS = 200  # a prompt being typed is written from once the typing pauses
DEFAULT_PROMPT = "ROMEO:\n"
IDLE_TEXT = ("Train a language model (<b>gpt</b>, <b>lstm</b> or <b>gru</b> on <b>shakespeare</b>, or on a text "
             "file of yours) to watch it learn to write here, or open a language model's model.pt (File › Open "
             "model). Then type a prompt: it goes on from there.")


class TextPanel(QWidget):
    def __init__(self, session: SessionModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("textSample")
        self.session = session
        self._build()
        self._writer: Any = None  # the TextModel the background thread last used (it passes it back)
        self._source: tuple[str, Any] | None = None  # what to write with when no run is training: a checkpoint
        self._language_run = False
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._on_typing_timeout)
        self.prompt.textChanged.connect(self._typing.start)
        self.prompt.cursorPositionChanged.connect(self._typing.start)
        for control in (self.temperature, self.top_k, self.length):
            control.valueChanged.connect(self._typing.start)
        self.write_button.clicked.connect(self._on_write_clicked)
        again = QShortcut(QKeySequence("Ctrl+Return"), self.prompt, self._on_write_clicked)
        again.setContext(Qt.ShortcutContext.WidgetShortcut)  # elsewhere Ctrl+Enter trains
        self.presence = Presence(self)
        self.presence.changed.connect(self._update_wish)
        self._jobs = BackgroundJobs(write, "playground-text", self)
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        session.on(events.RunStarted).connect(self._on_run_started)
        session.on(events.WeightsSnapshot).connect(self._on_snapshot)
        session.on(events.SamplesEvent).connect(self._on_samples)
        session.run_ended.connect(self._on_run_ended)
        session.model_opened.connect(self._on_model_opened)
        session.phase_changed.connect(self._on_phase_changed)

    def _build(self) -> None:
        self.label = QLabel(IDLE_TEXT, self, objectName="textLabel", wordWrap=True)
        self.prompt = QPlainTextEdit(DEFAULT_PROMPT, self, objectName="textPrompt")
        self.prompt.setFixedHeight(58)
        self.prompt.setToolTip("What the model goes on from; the bars below show what it expects after the cursor. "
                               "Ctrl+Enter writes again")
        self.temperature = _spin(QDoubleSpinBox(self, objectName="temperatureSpin", decimals=2, singleStep=0.1),
                                 0.0, 2.0, 0.8, "Temperature: below 1 the model writes its likeliest characters, "
                                 "above 1 it takes more chances; 0 always takes the likeliest")
        self.top_k = _spin(QSpinBox(self, objectName="topKSpin"), 0, 500, 0,
                           "Top-k: draw only from the k likeliest characters (0: from all of them)")
        self.top_k.setSpecialValueText("all")
        self.length = _spin(QSpinBox(self, objectName="lengthSpin", singleStep=50), 10, 2000, 300,
                            "How many characters to write")
        self.write_button = QPushButton("Write", self, objectName="writeButton")
        self.write_button.setToolTip("Write again from the prompt (Ctrl+Enter)")
        self.output = QTextEdit(self, objectName="textOutput", readOnly=True)
        self.output.setFont(QFont("monospace"))
        self.output.setPlaceholderText("What the model writes appears here")
        self.bars_label = QLabel("Next character after the cursor", self)
        self.bars = ProbabilityBars(self)
        self._layout()

    def _layout(self) -> None:
        controls = QHBoxLayout()
        for text, widget in (("Temperature", self.temperature), ("Top-k", self.top_k), ("Length", self.length)):
            controls.addWidget(QLabel(text, self))
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.write_button)
        layout = QVBoxLayout(self)
        for item in (self.label, self.prompt, controls, self.output, self.bars_label, self.bars):
            (layout.addLayout if isinstance(item, QHBoxLayout) else layout.addWidget)(item)
        layout.setStretch(3, 3)

    # -- what the session says -------------------------------------------------------------------------------
    def _on_run_started(self, event: Any) -> None:
        self._language_run = event.spec.kind.samples == "text"
        if self._language_run:
            self._source = None
            self.label.setText("What the training run writes now, from the prompt (the same seed each time)")
        self._update_wish()

    def _on_snapshot(self, snapshot: Any) -> None:
        if self._language_run and snapshot.spec.kind.samples == "text":
            self._submit(("snapshot", snapshot))

    def _on_samples(self, event: Any) -> None:
        if event.text and not self.presence.on_screen:  # hidden panel: the epoch's own writing at least
            self.output.setPlainText(event.text)

    def _on_run_ended(self) -> None:
        record = self.session.last_completed
        if self._language_run and record is not None and record is self.session.run:
            self._source = ("checkpoint", record.checkpoint)
            self.label.setText("The trained model: type a prompt, and it goes on from there")
            self._submit(self._source)

    def _on_model_opened(self, opened: tuple[str, Any]) -> None:
        path, info = opened
        if info.spec.kind.samples == "text":
            self._source = ("path", path)
            self.label.setText(f"{info.source}: type a prompt, and it goes on from there")
            self._submit(self._source)

    def _on_phase_changed(self, phase: str) -> None:
        self._update_wish()

    # -- writing ----------------------------------------------------------------------------------------------
    def _job(self, source: tuple[str, Any]) -> TextJob:
        text = self.prompt.toPlainText()
        return TextJob(source[0], source[1], self._writer, text, text[:self.prompt.textCursor().position()],
                       self.temperature.value(), self.top_k.value(), self.length.value())

    def _submit(self, source: tuple[str, Any]) -> None:
        self._jobs.submit(self._job(source))

    @Slot()
    def _on_typing_timeout(self) -> None:
        if self._source is not None and not (self._language_run and self.session.active):
            self._submit(self._source)

    @Slot()
    def _on_write_clicked(self) -> None:
        snapshot = self.session.latest_snapshot
        if self._language_run and self.session.active and snapshot is not None:
            self._submit(("snapshot", snapshot))
        elif self._source is not None:
            self._submit(self._source)

    @Slot(object, object)
    def _on_jobs_done(self, job: Any, result: WritingResult) -> None:
        self._writer = result.writer
        self.output.setHtml(result.html)
        self.bars.set_classes([shown_char(c) for c in result.next_chars])
        self.bars.set_probabilities(result.next_probs)
        if result.note:
            self.label.setText(result.note)

    @Slot(str)
    def _on_jobs_failed(self, message: str) -> None:
        self.label.setText(f"Cannot write: {message}")

    # -- interest in snapshots --------------------------------------------------------------------------------
    @Slot()
    def _update_wish(self) -> None:
        wanted = self._language_run and self.session.active and self.presence.on_screen
        self.session.want_snapshots("text", REFRESH_MS if wanted else None)

    def shutdown(self) -> None:
        self._jobs.close()


def _spin(spin: Any, low: float, high: float, value: float, tip: str) -> Any:
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setToolTip(tip)
    return spin
