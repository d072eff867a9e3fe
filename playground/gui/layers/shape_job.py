"""The shape check of the editor's layers, off the GUI thread: each layer's output shape and parameters for the
chosen dataset, the total, and the first layer that cannot take its input (core.models.custom.shapes).

A BackgroundJobs thread computes it (the newest layers win); a result for layers edited since is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from playground.gui.views.background import BackgroundJobs

_POSITION = re.compile(r"layer (\d+)")


@dataclass(frozen=True)
class CheckContext:
    """What the layers are checked against: one input of the chosen dataset."""

    input_shape: tuple[int, ...] = ()
    tokens: bool = False
    num_outputs: int | None = None
    batch_size: int = 64
    dataset: str = ""


@dataclass(frozen=True)
class LayerCheck:
    """One top-level layer's result: its output (without the batch), parameters and filled-in arguments."""

    output: tuple[int, ...] | None
    params: int | None
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    generation: int
    rows: tuple[LayerCheck, ...] = ()  # one per top-level layer; empty when the layers could not be read
    total_params: int = 0
    output: tuple[int, ...] | None = None
    problem: str = ""  # the first problem, naming the layer ("layer 5, Linear: ..."); "" when it can train
    problem_row: int = -1  # the top-level row of that problem, -1 for none or the network as a whole
    note: str = ""  # why nothing was checked (a table's columns are known once it is read)


def check_layers(job: tuple[int, list[dict[str, Any]], CheckContext]) -> CheckResult:
    """Runs in the check's thread: parse, then shapes by arithmetic (torch imported here, never in the GUI's)."""
    from playground.core.errors import ConfigError
    from playground.core.models.custom.shapes import check_shapes, memory_problem
    from playground.core.models.custom.spec import parse_layers

    generation, layers, context = job
    if not layers:
        return CheckResult(generation)
    if not context.input_shape:
        return CheckResult(generation, note="the table's columns are known once its file is read: the shapes "
                                            "are checked when the run starts")
    try:
        specs = parse_layers(layers)
    except ConfigError as e:
        message = e.problems[0][1]
        return CheckResult(generation, problem=message, problem_row=_row_of(message))
    report = check_shapes(specs, context.input_shape, tokens=context.tokens, num_outputs=context.num_outputs,
                          batch_size=context.batch_size)
    rows = tuple(LayerCheck(r.output, r.params, dict(r.args)) for r in report.rows if r.depth == 0)
    if report.problem is not None:
        message = report.problem.message
    else:
        message = memory_problem(report) or ""
    return CheckResult(generation, rows, report.total_params, report.output, message, _row_of(message))


def _row_of(message: str) -> int:
    found = _POSITION.match(message)
    return int(found.group(1)) - 1 if found else -1


class ShapeChecker(QObject):
    """check(layers, context) -> checked(CheckResult) for the newest layers only."""

    checked = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        # arithmetic, not torch compute: no one-core setup, and no lowered priority that a busy machine starves
        self._jobs = BackgroundJobs(check_layers, "layerShapeCheck", self, torch_threads=False)
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        self._generation = 0

    def check(self, layers: list[dict[str, Any]], context: CheckContext) -> int:
        """Queue a check of a copy of these layers; returns its generation."""
        self._generation += 1
        self._jobs.submit((self._generation, _copied(layers), context))
        return self._generation

    def close(self) -> None:
        self._jobs.close()

    @Slot(object, object)
    def _on_jobs_done(self, job: Any, result: CheckResult) -> None:
        if result.generation == self._generation:  # layers edited since: a newer check is on its way
            self.checked.emit(result)

    @Slot(str)
    def _on_jobs_failed(self, message: str) -> None:
        self.failed.emit(message)


def _copied(layers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A deep copy of plain data: the thread must never read a list the GUI goes on editing."""
    import copy

    return copy.deepcopy(layers)
