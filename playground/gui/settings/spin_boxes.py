"""A spin box for rates and penalties that span decades: shows 0.001 or 1e-05, steps 1 -> 2 -> 5 -> 10."""

from __future__ import annotations

import math

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QWidget

_MANTISSAS = (1.0, 2.0, 5.0)


def nice_step(value: float, steps: int, smallest: float) -> float:
    """The value `steps` places away on the 1-2-5 ladder; below `smallest` the ladder reaches 0."""
    for _ in range(abs(steps)):
        value = _one_step(value, up=steps > 0, smallest=smallest)
    return value


def _one_step(value: float, up: bool, smallest: float) -> float:
    if value <= 0:
        return smallest if up else 0.0
    ladder = _ladder_around(value)
    if up:
        return next(v for v in ladder if v > value * (1 + 1e-9))
    lower = [v for v in ladder if v < value * (1 - 1e-9)]
    return lower[-1] if lower and lower[-1] >= smallest * (1 - 1e-9) else 0.0


def _ladder_around(value: float) -> list[float]:
    exponent = math.floor(math.log10(value))
    return [m * 10.0 ** e for e in range(exponent - 1, exponent + 2) for m in _MANTISSAS]


class LogSpinBox(QDoubleSpinBox):
    """A QDoubleSpinBox with %g text and 1-2-5 steps; `allow_zero` lets it step down to 0 (no penalty)."""

    def __init__(self, minimum: float, maximum: float, allow_zero: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self._smallest = minimum if minimum > 0 else 1e-6
        self.setDecimals(10)
        self.setRange(0.0 if allow_zero else minimum, maximum)

    def textFromValue(self, value: float) -> str:
        return f"{value:g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        try:
            value = float(text)
        except ValueError:
            ok = all(c in "0123456789.eE-+" for c in text)
            return QValidator.State.Intermediate if ok else QValidator.State.Invalid, text, pos
        inside = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if inside else QValidator.State.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        value = nice_step(self.value(), steps, self._smallest)
        self.setValue(min(max(value, self.minimum()), self.maximum()))
