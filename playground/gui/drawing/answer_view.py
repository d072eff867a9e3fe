"""What the network thinks: the top class large with its confidence, the 28x28 input, the model, all classes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.gui.drawing.preview import DigitPreview
from playground.gui.drawing.probability_bars import ProbabilityBars

MAX_ANSWER_WIDTH = 220  # pixels for the top class; longer names get a smaller font


class AnswerView(QWidget):
    """Shows one prediction; knows nothing of models or drawing."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.preview = DigitPreview(self)
        self.bars = ProbabilityBars(self)
        self.prediction_label = QLabel("", self, objectName="predictionLabel")
        self.prediction_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prediction_label.setToolTip("The class the network finds most likely")
        self.confidence_label = QLabel("", self, objectName="confidenceLabel")
        self.confidence_label.setFont(_scaled_font(self, 1.8))
        self.model_label = QLabel("Loading the bundled model…", self, objectName="modelLabel", wordWrap=True)
        self.model_label.setEnabled(False)  # a quieter colour
        self.reconstruction = DigitPreview(self)
        self.reconstruction.setObjectName("reconstructionPreview")
        self.reconstruction.setToolTip("What the VAE draws back: your digit through its code of a few numbers")
        self._fix_label_sizes(tuple("0123456789"))
        self._build_layout()
        self.set_mode("classify")

    def set_mode(self, mode: str) -> None:
        """"classify": the top class and every class's bar; "reconstruct": a VAE's drawing of the input."""
        classify = mode == "classify"
        for widget in (self.prediction_label, self.confidence_label, self._thinks, self.bars, self._bars_title):
            widget.setVisible(classify)
        for widget in (self.reconstruction, self._recon_title):
            widget.setVisible(not classify)

    def show_reconstruction(self, pixels: np.ndarray | None) -> None:
        self.reconstruction.set_image(pixels)

    def set_classes(self, names: Sequence[str]) -> None:
        self.bars.set_classes(names)
        self._fix_label_sizes(names)

    def _fix_label_sizes(self, names: Sequence[str]) -> None:
        """Sizes that fit every answer: a label of fixed size does not make the window lay itself out again
        each time its text changes, which would cost every prediction a relayout."""
        font = _scaled_font(self, 5, bold=True)
        widest = max((QFontMetrics(font).horizontalAdvance(n) for n in names), default=0)
        if widest > MAX_ANSWER_WIDTH:  # long class names (Fashion-MNIST's "Ankle boot"): a smaller font
            font.setPointSizeF(font.pointSizeF() * MAX_ANSWER_WIDTH / widest)
            widest = max(QFontMetrics(font).horizontalAdvance(n) for n in names)
        self.prediction_label.setFont(font)
        self.prediction_label.setFixedSize(max(90, widest + 12), QFontMetrics(font).height())
        metrics = QFontMetrics(self.confidence_label.font())
        self.confidence_label.setFixedSize(metrics.horizontalAdvance("100% sure") + 8, metrics.height())

    def show_answer(self, probs: np.ndarray | None, names: Sequence[str]) -> None:
        """Class probabilities (one per name), or None for no answer."""
        if probs is None:
            self.prediction_label.setText("")
            self.confidence_label.setText("")
            self.bars.set_probabilities([])
            return
        top = int(probs.argmax())
        self.prediction_label.setText(names[top])
        self.confidence_label.setText(f"{probs[top] * 100:.0f}% sure")
        self.bars.set_probabilities(probs)

    def _build_layout(self) -> None:
        said = QVBoxLayout()
        said.addStretch(1)
        self._thinks = QLabel("The network thinks", self, enabled=False)
        said.addWidget(self._thinks)
        said.addWidget(self.confidence_label)
        said.addStretch(1)
        seen = QVBoxLayout()
        seen.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        seen.addWidget(QLabel("what it sees (28×28)", self, enabled=False), 0, Qt.AlignmentFlag.AlignHCenter)
        drawn_back = QVBoxLayout()
        drawn_back.addWidget(self.reconstruction, 0, Qt.AlignmentFlag.AlignHCenter)
        self._recon_title = QLabel("what the VAE draws back", self, enabled=False)
        drawn_back.addWidget(self._recon_title, 0, Qt.AlignmentFlag.AlignHCenter)
        answer = QHBoxLayout()
        answer.addWidget(self.prediction_label)
        answer.addLayout(said, 1)
        answer.addLayout(seen)
        answer.addLayout(drawn_back)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(answer)
        column.addWidget(self.model_label)
        column.addSpacing(6)
        self._bars_title = QLabel("<b>Probability of each class</b>", self)
        column.addWidget(self._bars_title)
        column.addWidget(self.bars)
        column.addStretch(1)


def _scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(widget.font().pointSizeF() * factor)
    font.setBold(bold)
    return font
