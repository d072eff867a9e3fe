"""Train / Pause / Stop and the progress of the run (or of a dataset download); messages go to the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSpinBox, QStyle, QVBoxLayout, QWidget

from playground.gui import formatting


class RunControls(QWidget):
    """States: idle, loading, running, paused, stopping."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        style = self.style()
        self.train = _button("trainButton", "Train", style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay),
                             "Start training with these settings (Ctrl+Enter)")
        self.pause = _button("pauseButton", "Pause", style.standardIcon(QStyle.StandardPixmap.SP_MediaPause),
                             "Pause the run; Resume carries on where it stopped (Ctrl+P)")
        self.stop = _button("stopButton", "Stop", style.standardIcon(QStyle.StandardPixmap.SP_MediaStop),
                            "End the run after the current step, keeping everything measured (Esc)")
        self.step = _button("stepButton", "Step", style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward),
                            "Train one batch, then hold: follow a single update on the curves and views (Ctrl+.)")
        self.more = _button("epochButton", "+1 epoch", style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward),
                            "While training: finish this epoch, then hold. After a run: train it one epoch "
                            "more, with its optimizer and schedule as they were (Ctrl+E)")
        self.delay = QSpinBox(objectName="stepDelaySpin", suffix=" ms", singleStep=50)
        self.delay.setRange(0, 5000)
        self.delay.setToolTip("Slow motion: a pause after every step, so that a class can follow single updates "
                              "(0 = full speed; it can change while training)")
        self.delay.setSpecialValueText("full speed")
        self.train.setDefault(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("runProgress")
        self.progress.setTextVisible(True)
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # a row of its own, its room kept while hidden: showing it at Train neither widens the window past the
        # screen nor lays the window out again (a whole repaint, while the first step waits for the GUI thread)
        policy = self.progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.progress.setSizePolicy(policy)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for widget in (self.train, self.pause, self.stop, self.step, self.more):
            buttons.addWidget(widget)
        buttons.addSpacing(6)
        buttons.addWidget(QLabel("Slow motion"))
        buttons.addWidget(self.delay)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        self.set_state("idle")

    def set_state(self, state: str, can_continue: bool = False) -> None:
        """can_continue: idle with a finished run that +1 epoch can go on with."""
        self.train.setEnabled(state == "idle")
        self.step.setEnabled(state in ("running", "paused"))
        self.more.setEnabled(state in ("running", "paused") or (state == "idle" and can_continue))
        self.pause.setEnabled(state in ("running", "paused"))
        self.stop.setEnabled(state in ("loading", "running", "paused"))
        self.pause.setText("Resume" if state == "paused" else "Pause")
        style = self.style()
        icon = QStyle.StandardPixmap.SP_MediaPlay if state == "paused" else QStyle.StandardPixmap.SP_MediaPause
        self.pause.setIcon(style.standardIcon(icon))
        if state == "idle":
            self.progress.setVisible(False)

    def show_loading(self, message: str, done: int, total: int) -> None:
        """A download or decoding step; total 0 means unknown (a busy bar)."""
        self.progress.setVisible(True)
        self.progress.setRange(0, total if total > 0 else 0)
        if total > 0:
            self.progress.setValue(min(done, total))
        self.progress.setFormat(f"{message}  ·  %p%" if total > 0 else f"{message}…")

    def show_progress(self, step: int, total: int, remaining_s: float) -> None:
        self.progress.setVisible(True)
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(step)
        self.progress.setFormat(f"%p%  ·  {formatting.duration(remaining_s)} left")


def _button(name: str, text: str, icon, tip: str) -> QPushButton:
    button = QPushButton(icon, text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setMinimumWidth(84)
    return button
