"""Run › Sweep…: a sweep made from the current settings. Tick the settings to vary and give their values as
`--vary` does (log:1e-4:1e-1, 32,64,128, [64],[128,64]); the core reads them (parse_vary, SweepSpec.resolved,
check_space), so a bad range gets the CLI's message here, and Start stays disabled until every problem is fixed.

Imports playground.core.sweeps (and so torch) only when opened, never at the window's start."""

from __future__ import annotations

import os
import time
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core.config import TrainConfig
from playground.gui.sweeps.candidates import candidates

AUTO = "from the metric"
METRICS = ("test_accuracy", "test_loss", "val_loss", "val_accuracy", "train_loss")


class SweepDialog(QDialog):
    def __init__(self, config: TrainConfig, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sweepDialog")
        self.setWindowTitle("Sweep: try many settings")
        self.config = config
        self.ticks: dict[str, QCheckBox] = {}
        self.fields: dict[str, QLineEdit] = {}
        self.problem_label = QLabel()
        self.problem_label.setObjectName("sweepProblems")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Start sweep")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel("Each trial is an ordinary run with the ticked settings changed. Ranges: log:LOW:HIGH "
                       "(log-uniform), LOW:HIGH, int:LOW:HIGH; lists: 32,64,128 or [64],[128,64].")
        intro.setWordWrap(True)
        for part in (intro, self._vary_box(), self._search_box(), self.problem_label, self.buttons):
            layout.addWidget(part)
        self._spec: Any = None
        self._on_changed()

    # -- the form -----------------------------------------------------------------------------------------------
    def _vary_box(self) -> QGroupBox:
        box = QGroupBox("Vary")
        grid = QGridLayout(box)
        for row, candidate in enumerate(candidates(self.config)):
            tick = QCheckBox(candidate.path)
            tick.setObjectName(f"vary:{candidate.path}")
            tick.setChecked(candidate.ticked)
            tick.setToolTip(candidate.tip)
            field = QLineEdit(candidate.values)
            field.setObjectName(f"values:{candidate.path}")
            field.setToolTip(candidate.tip)
            field.setEnabled(candidate.ticked)
            tick.toggled.connect(self._on_changed)
            field.textChanged.connect(self._on_changed)
            grid.addWidget(tick, row, 0)
            grid.addWidget(field, row, 1)
            self.ticks[candidate.path], self.fields[candidate.path] = tick, field
        return box

    def _search_box(self) -> QGroupBox:
        from playground.core.sweeps import default_metric

        box = QGroupBox("Search")
        form = QFormLayout(box)
        self.name = QLineEdit(f"{self.config.arch}-{self.config.dataset}-{time.strftime('%Y%m%d-%H%M%S')}")
        self.trials = _spin(1, 10_000, 20, "trials in all (a grid: at least its number of points)")
        self.strategy = _combo(("tpe", "random", "grid"), "tpe learns from the trials so far; grid tries every "
                                                          "listed value; random picks at random")
        metric, _ = default_metric(self.config)
        self.metric_combo = _combo((metric, *(m for m in METRICS if m != metric)),
                                   "the epoch metric that judges a trial")
        self.metric_combo.setEditable(True)
        self.direction = _combo((AUTO, "maximize", "minimize"), "which way is better (accuracy up, loss down)")
        self.prune = QCheckBox("stop poor trials early (median rule)")
        self.prune.setChecked(True)
        cores = os.cpu_count() or 1
        self.workers = _spin(1, cores, 1, f"trials at once, each in a process of its own ({cores} cores, divided "
                                          "between them)")
        for label, widget in (("Name", self.name), ("Trials", self.trials), ("Strategy", self.strategy),
                              ("Metric", self.metric_combo), ("Direction", self.direction), ("Pruning", self.prune),
                              ("Workers", self.workers)):
            form.addRow(label, widget)
        for signal in (self.name.textChanged, self.trials.valueChanged, self.strategy.currentIndexChanged,
                       self.metric_combo.currentTextChanged, self.direction.currentIndexChanged, self.prune.toggled,
                       self.workers.valueChanged):
            signal.connect(self._on_changed)
        return box

    # -- the sweep ----------------------------------------------------------------------------------------------
    def set_values(self, path: str, values: str, ticked: bool = True) -> None:
        """Tick (or untick) a setting and give its values, as a user would."""
        self.ticks[path].setChecked(ticked)
        self.fields[path].setText(values)

    def spec(self) -> Any:
        """The SweepSpec these choices make (resolved: metric, direction and a grid's trials filled in), or None
        while problems() lists something."""
        return self._spec

    def problems(self) -> list[str]:
        text = self.problem_label.text()
        return text.split("\n") if text else []

    @Slot()
    def _on_changed(self) -> None:
        for path, tick in self.ticks.items():
            self.fields[path].setEnabled(tick.isChecked())
        self._spec, problems = self._build()
        self.problem_label.setText("\n".join(problems))
        self.ok.setEnabled(self._spec is not None)

    def _build(self) -> tuple[Any, list[str]]:
        from playground.core.errors import ConfigError
        from playground.core.sweeps import SweepSpec, check_space, parse_vary

        space, problems = [], []
        for path, tick in self.ticks.items():
            if tick.isChecked():
                try:
                    space.append(parse_vary(f"{path}={self.fields[path].text()}"))
                except ConfigError as e:
                    problems += [f"{path}: {message}" for _, message in e.problems]
        if problems:
            return None, problems
        direction = self.direction.currentText()
        spec = SweepSpec(self.name.text().strip(), self.config, tuple(space), trials=self.trials.value(),
                         strategy=self.strategy.currentText(), metric=self.metric_combo.currentText().strip(),
                         direction="" if direction == AUTO else direction,
                         prune="median" if self.prune.isChecked() else "none", workers=self.workers.value())
        try:
            resolved = spec.resolved()
            check_space(resolved.config, list(resolved.space))
        except ConfigError as e:
            return None, [f"{where}: {message}" for where, message in e.problems]
        return resolved, []


def _spin(low: int, high: int, value: int, tip: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setToolTip(tip)
    return spin


def _combo(items: tuple[str, ...], tip: str) -> QComboBox:
    combo = QComboBox()
    combo.addItems(list(items))
    combo.setToolTip(tip)
    return combo
