"""Train / Pause / Stop and the progress of the run (or of a dataset download); messages go to the status bar."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QStyle, QWidget

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
        self.train.setDefault(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("runProgress")
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(120)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        for widget in (self.train, self.pause, self.stop):
            layout.addWidget(widget)
        layout.addSpacing(12)
        layout.addWidget(self.progress, 1)
        self.set_state("idle")

    def set_state(self, state: str) -> None:
        self.train.setEnabled(state == "idle")
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
