"""The bar above the plots while the window follows a run that another process trains: which run, how far,
Stop (asks the run to stop at its next step) and Stop following."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class FollowBar(QFrame):
    stop_clicked = Signal()
    end_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="followBar")
        self.setStyleSheet("#followBar { background: #e3f0fd; border: 1px solid #90b8e0; border-radius: 4px; }")
        self.label = QLabel(objectName="followLabel", wordWrap=True)
        self.stop = QPushButton("Stop the run", objectName="followStopButton",
                                toolTip="Ask the followed run to stop at its next step; it saves that step, and "
                                "Continue can train it further later")
        self.end = QPushButton("Stop following", objectName="followEndButton",
                               toolTip="Stop watching; the run goes on training where it is")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.stop)
        layout.addWidget(self.end)
        self.stop.clicked.connect(self.stop_clicked)
        self.end.clicked.connect(self.end_clicked)
        self.setVisible(False)

    def show_following(self, text: str, can_stop: bool) -> None:
        self.label.setText(text)
        self.stop.setEnabled(can_stop)
        self.setVisible(True)

    def hide_bar(self) -> None:
        self.setVisible(False)
