"""The Evaluation view: where a classifier goes wrong. A confusion matrix (counts or row %), the accuracy of
each class, and a gallery of the test images it gets wrong, most confident first; click a cell to see that
cell's images, click an image to look inside the model at it.

Filled at each epoch's end (session.evaluated) and, for a model opened from a file or the last run's final
weights, on demand (Evaluate). The answers are summed up and the images picked and converted in a background
thread (evaluation_jobs); the GUI thread fills a 10 x 10 table and a grid.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from playground.core.training import events
from playground.gui.session import ChosenInput, SessionModel
from playground.gui.views import evaluation_texts as texts
from playground.gui.views.background import BackgroundJobs
from playground.gui.views.confusion_table import ConfusionTableModel
from playground.gui.views.evaluation_jobs import EvaluationJob, EvaluationResult, EvaluationWork
from playground.gui.views.evaluation_widgets import EvaluationContent, EvaluationToolbar


class EvaluationPanel(QWidget):
    def __init__(self, session: SessionModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.model = ConfusionTableModel(self)
        self.toolbar = EvaluationToolbar(self)
        self.content = EvaluationContent(self.model, self)
        self.table, self.bars, self.gallery = self.content.table, self.content.bars, self.content.gallery
        self.empty = QLabel(texts.NO_RUN, self, objectName="evaluationEmpty", wordWrap=True,
                            alignment=Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setContentsMargins(8, 8, 8, 8)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self.content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self._stack, 1)
        self.result: EvaluationResult | None = None
        self.cell: tuple[int, int] | None = None  # the gallery's selection (None: all the mistakes)
        self._ticket = 0  # results of an earlier run or model are dropped
        self._target: EvaluationJob | None = None  # what Evaluate evaluates
        self._pending = False  # a model was opened while the view was hidden: evaluate it when shown
        self._work = EvaluationWork()
        self._jobs = BackgroundJobs(self._work, "playground-evaluation", self)
        self._connect()

    def _connect(self) -> None:
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        self.toolbar.evaluate.clicked.connect(self._on_evaluate_clicked)
        self.toolbar.percent.toggled.connect(self._on_percent_toggled)
        self.toolbar.export_requested.connect(self.content.export_interactive)
        self.table.clicked.connect(self._on_table_clicked)
        self.content.mistakes.clicked.connect(self._on_mistakes_clicked)
        self.gallery.cell_clicked.connect(self._on_gallery_cell_clicked)
        s = self.session
        s.run_starting.connect(self._on_session_run_starting)
        s.on(events.RunStarted).connect(self._on_session_run_started)
        s.on(events.EvaluationEvent).connect(self._on_session_evaluated)
        s.run_ended.connect(self._on_session_run_ended)
        s.model_opened.connect(self._on_session_model_opened)

    # -- what the session says ---------------------------------------------------------------------------
    def _on_session_run_starting(self, config: Any) -> None:
        from playground.core.kinds import kind_for

        self._forget()
        self._target = None  # Evaluate means this run's model once it has ended
        self.toolbar.set_can_evaluate(False)
        self.say(texts.not_applicable(kind_for(config.arch, config.dataset).name, config.arch, config.dataset)
                 or texts.waiting(config.arch, config.dataset))

    def _on_session_run_started(self, event: Any) -> None:
        config = event.config
        reason = texts.not_applicable(event.task, config["arch"], config["dataset"])
        if reason is not None:
            self.say(reason)
        elif self.result is None:
            self.say(texts.waiting(config["arch"], config["dataset"], event.start_epoch + 1))

    def _on_session_evaluated(self, event: Any) -> None:
        run = self.session.run
        if run is None:
            return
        config = run.config
        self._submit(EvaluationJob(f"{config.arch} on {config.dataset}", event, config, cell=self._kept_cell(event)))

    def _on_session_run_ended(self) -> None:
        last = self.session.last_completed
        if last is not None and last is self.session.run and last.started is not None \
                and "evaluation" in last.started.spec.kind.views:
            config = last.config
            self._target = EvaluationJob(f"{config.arch} on {config.dataset}", checkpoint=last.checkpoint)
        self.toolbar.set_can_evaluate(self._target is not None)

    def _on_session_model_opened(self, opened: tuple[str, Any]) -> None:
        path, info = opened
        reason = texts.not_applicable(info.task, info.arch, info.dataset or "its data")
        if reason is not None:
            if not self.session.active:
                self._forget()
                self.say(reason)
            return
        self._target = EvaluationJob(info.source or path, path=path)
        self.toolbar.set_can_evaluate(True)
        if not self.session.active:
            self._pending = True
            self.say(f"<b>{info.source}</b> opened: evaluating it on the {info.dataset} test set…"
                     if self.isVisible() else f"<b>{info.source}</b> opened: press <b>Evaluate</b> to see "
                     f"where it goes wrong on the {info.dataset} test set.")
            if self.isVisible():
                self.evaluate()

    # -- commands ----------------------------------------------------------------------------------------
    def evaluate(self) -> None:
        """Evaluate the last finished run's model or the opened model (the later of the two), in the background."""
        self._pending = False
        if self._target is None:
            return
        self._ticket += 1
        self.cell = None
        self.toolbar.set_busy(True)
        self._submit(self._target)

    def show_cell(self, true_class: int | None, predicted_class: int | None = None) -> None:
        """Show the images of one cell in the gallery; None: all the mistakes again."""
        self.cell = None if true_class is None else (true_class, predicted_class)
        self.table.set_picked(self.cell)
        if self.result is not None:
            r = self.result
            self._submit(EvaluationJob(r.job.source, r.event, r.config, cell=self.cell))

    def say(self, message: str) -> None:
        """Show a message instead of the matrix: why the view does not apply, or what it waits for."""
        self.empty.setText(message)
        self._stack.setCurrentWidget(self.empty)

    def shutdown(self) -> None:
        self._work.stop()
        self._jobs.close()

    def _submit(self, job: EvaluationJob) -> None:
        from dataclasses import replace

        self._jobs.submit(replace(job, ticket=self._ticket))

    def _forget(self) -> None:
        self._ticket += 1
        self.result, self.cell, self._pending = None, None, False
        self.model.set_confusion(None)
        self.content.clear()
        self.toolbar.set_has_result(False)

    def _kept_cell(self, event: Any) -> tuple[int, int] | None:
        """The cell the user picked stays picked across epochs of the same classes."""
        same = self.result is not None and self.result.event.class_names == event.class_names
        return self.cell if same else None

    # -- the widgets' signals ------------------------------------------------------------------------------
    @Slot()
    def _on_evaluate_clicked(self) -> None:
        self.evaluate()

    @Slot(bool)
    def _on_percent_toggled(self, on: bool) -> None:
        self.model.set_percent(on)

    @Slot(QModelIndex)
    def _on_table_clicked(self, index: QModelIndex) -> None:
        self.show_cell(index.row(), index.column())

    @Slot()
    def _on_mistakes_clicked(self) -> None:
        self.show_cell(None)

    @Slot(int)
    def _on_gallery_cell_clicked(self, index: int) -> None:
        """The picked test image goes to the inside view (session.choose_input)."""
        import torch  # loaded: a gallery exists only after a model has been evaluated

        g = self.result.gallery if self.result is not None else None
        if g is None or g.inputs is None or index >= len(g.indices):
            return
        self.gallery.marked = [index]
        self.gallery.update()
        n = int(g.indices[index])
        self.session.choose_input(ChosenInput(torch.from_numpy(g.inputs[index][None].copy()), g.pixels[index],
                                              f"test image {n}", int(g.true[index])))

    # -- results from the background thread --------------------------------------------------------------
    @Slot(object, object)
    def _on_jobs_done(self, job: EvaluationJob, result: EvaluationResult | None) -> None:
        if result is None or job.ticket != self._ticket:
            return  # stopped, or about an earlier run or model
        self.result = result
        self.toolbar.set_busy(False)
        self.toolbar.set_has_result(True)
        self.model.set_confusion(result.confusion)
        self.content.show_result(result, texts.title(job.source, result.confusion.accuracy,
                                                     result.confusion.total, result.event.epoch or None))
        self._stack.setCurrentWidget(self.content)

    @Slot(str)
    def _on_jobs_failed(self, message: str) -> None:
        self.toolbar.set_busy(False)
        self.say(f"<b>Cannot evaluate this model:</b> {message}")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending and not self.session.active:
            self.say("Evaluating the opened model on its test set…")
            self.evaluate()
