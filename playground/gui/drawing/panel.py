"""The drawing panel: draw a digit, see what the network thinks, live.

It holds its own model (a Predictor): the bundled MNIST model at first (loaded off the GUI thread once
the panel is shown, so the window paints before torch is imported), a checkpoint the user opens, or
snapshots of the model being trained, asked for a few times per second while a run is active and the
panel is visible (it tells the session it wants them: SessionModel.want_snapshots).
Predictions run in the GUI thread, on one core (about a millisecond for seed-cnn),
from a timer that later moves do not restart: moves queued while one prediction runs are folded into
the next, the answer follows the pen, and a stroke is never held up."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QHideEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from playground.core.errors import PlaygroundError
from playground.core.inference.bundled import ADAPTED_MODEL_LABEL, BUNDLED_MODEL_LABEL
from playground.core.inference.drawable import dataset_problem, drawing_problem
from playground.core.training import events
from playground.gui.drawing.answer_view import AnswerView
from playground.gui.drawing.canvas import DrawCanvas
from playground.gui.drawing.loader import BundledModelLoader
from playground.gui.handwriting.teach_bar import TeachBar
from playground.gui.session import ChosenInput, SessionModel

if TYPE_CHECKING:
    from playground.core.inference.predictor import Predictor

BUNDLED_MODEL_DELAY_MS = 50  # after the first show, so that the window paints before torch loads
WEIGHTS_EVERY_MS = 400  # how often a visible panel asks the running training for its weights
FAST_PREDICTION_MS = 4  # predictions faster than this run as soon as the queued moves are handled
MAX_PREDICT_DELAY_MS = 40  # slower ones wait about as long as they take, up to this
TRAINING_SOURCE = "the training run"
DIGIT_MODELS = (BUNDLED_MODEL_LABEL, ADAPTED_MODEL_LABEL)  # the models the teach bar corrects


class DrawingPanel(QWidget):
    """Canvas + live prediction, following the session's run."""

    prediction_updated = Signal(object)  # the class probabilities (numpy), or None when the canvas is empty
    model_changed = Signal(str)  # the description of the model now in use

    def __init__(self, parent: QWidget | None = None, load_bundled: bool = True, session: SessionModel | None = None):
        super().__init__(parent)
        self.session = session or SessionModel()
        self.session.on(events.WeightsSnapshot).connect(self.on_weights)
        self.session.phase_changed.connect(self._on_session_phase_changed)
        self.session.model_opened.connect(self._on_session_model_opened)  # one trained on your classes, say
        self._opened_path: str | None = None
        self._predictor: Predictor | None = None
        self._training = False
        self._follow_training = True  # False once the user opened a checkpoint during a run
        self._off_reason: str | None = None
        self._build_widgets()
        self._build_layout()
        self._predict_timer = QTimer(self, singleShot=True, interval=0)
        self._predict_timer.timeout.connect(self._on_predict_timer_timeout)
        self.canvas.changed.connect(self._on_canvas_changed)
        self._loader = BundledModelLoader(self)
        self._loader.loaded.connect(self._on_loader_loaded)
        self._loader.failed.connect(self._on_loader_failed)
        self._load_bundled = load_bundled  # when first shown: torch must not slow the window's first paint

    # --- the interface MainWindow uses ----------------------------------------------------------------------
    @Slot(object)
    def on_weights(self, snapshot: Any) -> None:
        """A playground.core.training.events.WeightsSnapshot from the running training."""
        if not self._follow_training:
            return
        if not snapshot.spec.kind.drawing:  # nothing to read a drawing with
            self._set_off_reason(drawing_problem(snapshot.spec, "the training run"))
            return
        if self._predictor is None or not self._predictor.load_snapshot(snapshot, TRAINING_SOURCE):
            from playground.core.inference.predictor import Predictor

            self._use_predictor(Predictor.from_snapshot(snapshot, TRAINING_SOURCE), user_choice=True)
        else:
            self._use_predictor(self._predictor, user_choice=True)

    def set_dataset(self, name: str, input_shape: tuple[int, ...]) -> None:
        """The dataset chosen in the settings; the panel turns itself off (saying why) if it cannot draw for it."""
        self._set_off_reason(dataset_problem(name, input_shape))

    def set_training(self, active: bool) -> None:
        """While a run is active and the panel visible, it wants the training model's weights every
        WEIGHTS_EVERY_MS (the session's run controller asks the run for them)."""
        if active and not self._training:
            self._follow_training = True
        self._training = active
        self._update_snapshot_wish()
        self._show_model_label()

    def _on_session_phase_changed(self, phase: str) -> None:
        self.set_training(phase != "idle")

    def _update_snapshot_wish(self) -> None:
        wanted = self._training and self._follow_training and self.isVisible() and self._off_reason is None
        self.session.want_snapshots("drawing", WEIGHTS_EVERY_MS if wanted else None)

    def shutdown(self) -> None:
        """The window closes: an adaptation to handwriting stops (within a step)."""
        self.teach.shutdown()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._update_snapshot_wish()

    def load_checkpoint(self, path: str, source: str | None = None):
        """Use the model in this checkpoint (named `source`, its file name by default) and return its ModelInfo;
        raises CheckpointError with a message."""
        from playground.core.checkpoint import load_checkpoint
        from playground.core.inference.predictor import ModelInfo, Predictor

        ckpt = load_checkpoint(path)
        self._follow_training = False
        self._opened_path = str(path)
        if not ckpt.spec.kind.drawing:  # the panel has nothing to read drawings with: it says so
            self._set_off_reason(drawing_problem(ckpt.spec, Path(path).name))
            return ModelInfo(ckpt.spec, Path(path).name)
        predictor = Predictor.from_checkpoint(path, source, ckpt=ckpt)
        self._use_predictor(predictor, user_choice=True)
        self._update_snapshot_wish()
        return predictor.info

    # --- for tests and scripts ------------------------------------------------------------------------------
    def has_model(self) -> bool:
        return self._predictor is not None

    def is_drawing_enabled(self) -> bool:
        return self._off_reason is None

    def off_reason(self) -> str | None:
        return self._off_reason

    def model_description(self) -> str:
        return self.model_label.text()

    def wait_for_bundled_model(self, timeout: float = 30.0) -> bool:
        """Load the bundled model now if it is not loading yet, and block until its loading thread ended
        (the model still arrives as a queued signal, with the next turn of the event loop)."""
        self._loader.start()
        return self._loader.wait(timeout)

    def loading_ended(self, timeout: float = 0.0) -> bool:
        """True once the bundled model's loading, if it began, has ended (waiting up to timeout seconds)."""
        return self._loader.wait(timeout)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_snapshot_wish()
        if self._load_bundled and not self._loader.started():
            QTimer.singleShot(BUNDLED_MODEL_DELAY_MS, self._loader.start)

    def predict_now(self) -> None:
        """Predict at once instead of after the short timer."""
        self._predict_timer.stop()
        self._on_predict_timer_timeout()

    # --- building -------------------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.canvas = DrawCanvas(self)
        self.canvas.setToolTip("Draw with the mouse, a pen or a finger")
        self.answer = AnswerView(self)
        # the answer's parts, for the window and for tests
        self.prediction_label, self.confidence_label = self.answer.prediction_label, self.answer.confidence_label
        self.model_label, self.bars, self.preview = self.answer.model_label, self.answer.bars, self.answer.preview
        self.clear_button = QPushButton("Clear", self, objectName="clearButton")
        self.clear_button.setToolTip("Clear the canvas (Backspace or Delete)")
        self.undo_button = QPushButton("Undo", self, objectName="undoButton")
        self.undo_button.setToolTip("Undo the last stroke (Ctrl+Z)")
        self.clear_button.clicked.connect(self.canvas.clear)
        self.teach = TeachBar(self)  # "It was a …", and adapting the digit model to your handwriting
        self.teach.hide()  # until the digit model is in use
        self.teach.recorded.connect(self.canvas.clear)
        self.teach.digit_model_changed.connect(self._on_teach_digit_model_changed)
        self.undo_button.clicked.connect(self.canvas.undo)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in ((QKeySequence.StandardKey.Undo, self.canvas.undo), (Qt.Key.Key_Backspace, self.canvas.clear),
                           (Qt.Key.Key_Delete, self.canvas.clear)):
            shortcut = QShortcut(QKeySequence(keys), self, slot)
            shortcut.setContext(context)  # the constructor's context argument is not applied by PySide6

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        drawing = QVBoxLayout()
        drawing.addWidget(self.canvas, 1)
        drawing.addLayout(buttons)
        drawing.addWidget(self.teach)
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.addLayout(drawing, 3)
        self._layout.addWidget(self.answer, 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Side by side when wide, the answer under the canvas when tall (as in a narrow dock)."""
        wide = event.size().width() > 1.2 * event.size().height()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)
        super().resizeEvent(event)

    # --- the model ------------------------------------------------------------------------------------------
    @Slot(object)
    def _on_loader_loaded(self, predictor: Predictor) -> None:
        if self._predictor is None:  # a checkpoint or a snapshot that came first wins
            self._use_predictor(predictor, user_choice=False)

    @Slot(object)
    def _on_session_model_opened(self, opened: tuple[str, Any]) -> None:
        if str(opened[0]) != self._opened_path:  # not the one this panel opened itself
            self._use_file(opened[0], getattr(opened[1], "source", None))

    @Slot(str, str)
    def _on_teach_digit_model_changed(self, path: str, label: str) -> None:
        """The digit model adapted to your handwriting, or the bundled one again."""
        self._use_file(path, label)

    def _use_file(self, path: str, source: str | None) -> None:
        try:
            self.load_checkpoint(path, source)
        except PlaygroundError as e:  # a file damaged since it was written: said where the model is named
            self.model_label.setText(f"Could not load {path}: {e}")

    @Slot(str)
    def _on_loader_failed(self, message: str) -> None:
        if self._predictor is None:
            self.model_label.setText(f"No model yet: {message}")

    def _use_predictor(self, predictor: Predictor, user_choice: bool) -> None:
        if self._predictor is None:  # the first model: from now on this (GUI) thread predicts
            from playground.core.inference.threads import predict_on_one_core_here

            predict_on_one_core_here()  # measured: 10x faster than two threads when training shares the cores
        changed_classes = self._predictor is None or self._predictor.info.labels() != predictor.info.labels()
        self._predictor = predictor
        self.answer.set_mode(predictor.info.spec.kind.drawing)
        self.teach.setVisible(predictor.info.source in DIGIT_MODELS)
        if changed_classes:
            self.answer.set_classes(predictor.info.labels())
        if user_choice:  # an explicit model decides, not the dataset in the settings
            name = predictor.info.source
            self._set_off_reason(drawing_problem(predictor.info.spec, name))
        if self._off_reason is None:
            self.canvas.set_hint(self._drawing_hint())
        self._show_model_label()
        self.model_changed.emit(self.model_label.text())
        self._schedule_prediction()

    def _show_model_label(self) -> None:
        info = self._predictor.info if self._predictor else None
        if info is None:
            return
        if info.step is not None:
            state = "training run" if self._training and self._follow_training else "last training run"
            text = f"Model: the {state}, at step {info.step:,} ({info.arch})"
        else:
            details = [info.arch + (f" trained on {info.dataset}" if info.dataset else "")]
            if info.test_accuracy is not None:
                details.append(f"{info.test_accuracy:.1%} test accuracy")
            text = f"Model: {info.source} ({', '.join(details)})"
        self.model_label.setText(text)

    # --- drawing on and off ---------------------------------------------------------------------------------
    def _set_off_reason(self, reason: str | None) -> None:
        self._off_reason = reason
        self._update_snapshot_wish()
        on = reason is None
        for widget in (self.canvas, self.clear_button, self.undo_button):
            widget.setEnabled(on)
        self.canvas.set_hint(self._drawing_hint() if on else f"Drawing is off.\n\n{reason[:1].upper()}{reason[1:]}.")
        self._schedule_prediction()

    def _drawing_hint(self) -> str:
        labels = self._predictor.info.labels() if self._predictor else tuple("0123456789")
        return "Draw a digit here" if labels == tuple("0123456789") else f"Draw a {' / '.join(labels[:3])} / … here"

    # --- predicting -----------------------------------------------------------------------------------------
    @Slot()
    def _on_canvas_changed(self) -> None:
        self._schedule_prediction()

    def _schedule_prediction(self) -> None:
        if not self._predict_timer.isActive():  # a pending prediction will see this change too
            self._predict_timer.start()

    @Slot()
    def _on_predict_timer_timeout(self) -> None:
        started = time.perf_counter()
        probs = self._predict()
        self.answer.show_answer(probs, self._predictor.info.labels() if self._predictor else ())
        took_ms = (time.perf_counter() - started) * 1000
        # a fast model answers on the next turn of the event loop (after the moves already queued); a slow
        # one waits as long as it takes, so that strokes always get at least half of the time
        self._predict_timer.setInterval(0 if took_ms < FAST_PREDICTION_MS else min(MAX_PREDICT_DELAY_MS, int(took_ms)))
        self.prediction_updated.emit(probs)

    def _predict(self) -> Any:
        if self.canvas.is_empty() or self._off_reason is not None:
            self.preview.set_image(None)
            self.teach.set_drawing(None)
            return None
        from playground.core.inference.mnist_style import prepare_digit

        info = self._predictor.info if self._predictor else None
        digit = prepare_digit(self.canvas.ink_array(), *((info.mean, info.std) if info else ()))
        self.preview.set_image(None if digit is None else digit.preview)
        self.teach.set_drawing(None if digit is None else digit.preview)
        if digit is None or self._predictor is None:
            self.answer.show_reconstruction(None)
            return None
        self.session.choose_input(ChosenInput(digit.tensor, digit.preview, "your drawing"))
        if self._predictor.info.spec.kind.drawing == "reconstruct":  # a VAE draws the digit back as it understood it
            self.answer.show_reconstruction(self._predictor.reconstruct(digit.tensor))
            return None
        return self._predictor.predict(digit.tensor)
