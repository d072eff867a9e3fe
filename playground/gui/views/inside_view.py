"""The inside view: what an image model does with the current input (a drawn digit, a test image).

The first layer's filters, the activations of each convolution (or the hidden units of an MLP or RNN), and a
saliency map over the input. It follows the training run while it is visible (asking the session for weight
snapshots), then keeps the run's final model; an opened model replaces it until the next run; before any of
these it shows the bundled model. The work runs in a background thread (BackgroundJobs, newest job first);
the GUI thread only puts finished pictures on screen.
"""

from __future__ import annotations

import csv
from typing import Any

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from playground.core.training import events
from playground.gui.session import ChosenInput, SessionModel
from playground.gui.views.background import BackgroundJobs
from playground.gui.views.export_buttons import ExportButtons
from playground.gui.views.inside_compute import InsideComputer, InsideJob, InsideResult
from playground.gui.views.picture import Picture
from playground.gui.views.presence import Presence

REFRESH_MS = 500  # how often a visible view asks the running training for its weights


class InsideView(QWidget):
    def __init__(self, session: SessionModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.model_label = QLabel("Loading the bundled model…", self, objectName="insideModelLabel", wordWrap=True)
        self.answer_label = QLabel("", self, objectName="insideAnswer", wordWrap=True)
        self.answer_label.setStyleSheet("font-weight: bold")
        self._content = QWidget()
        self._sections = QVBoxLayout(self._content)
        self._sections.addStretch(1)
        self._pictures: dict[str, tuple[QLabel, Picture]] = {}
        scroll = QScrollArea(self, widgetResizable=True)
        scroll.setWidget(self._content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.export = ExportButtons("inside", self.export_png, self.export_csv, self)
        layout = QVBoxLayout(self)
        for widget in (self.model_label, self.answer_label):
            layout.addWidget(widget)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.export)
        self.result: InsideResult | None = None
        self._source: tuple | None = None  # what the next job computes from
        self._chosen: ChosenInput | None = session.chosen_input
        self._follow_run = True  # False once a model was opened during a run
        self._run_problem: str | None = None  # why the current run's model cannot be shown
        self._dirty = False  # something changed while hidden
        self.presence = Presence(self)
        self.presence.changed.connect(self._on_presence_changed)
        self._jobs = BackgroundJobs(InsideComputer(), "playground-inside", self)
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        session.run_starting.connect(self._on_run_starting)
        session.on(events.RunStarted).connect(self._on_run_started)
        session.on(events.WeightsSnapshot).connect(self._on_snapshot)
        session.run_ended.connect(self._on_run_ended)
        session.model_opened.connect(self._on_model_opened)
        session.input_chosen.connect(self._on_input_chosen)
        session.phase_changed.connect(self._on_phase_changed)

    # -- what the session says -------------------------------------------------------------------------------
    def _on_run_starting(self, config: Any) -> None:
        self._follow_run, self._run_problem = True, None
        self._update_wish()

    def _on_run_started(self, event: Any) -> None:
        from playground.core.analysis.applies import inside_problem

        self._run_problem = inside_problem(event.spec)
        if self._run_problem is not None and self._follow_run:
            self._say_off(f"{event.spec.arch} on {event.config.get('dataset', '')}: {self._run_problem}.")
        elif self._follow_run:
            self.model_label.setText(f"Model: the training run ({event.spec.arch}), from its first snapshot")
        self._update_wish()

    def _on_snapshot(self, snapshot: Any) -> None:
        if self._follow_run and self._run_problem is None and snapshot.spec.kind.classifies:
            self._compute(("snapshot", snapshot))

    def _on_run_ended(self) -> None:
        """The run's final weights (they differ from the last snapshot), kept until something replaces them."""
        record = self.session.last_completed
        if self._follow_run and self._run_problem is None and record is not None and record is self.session.run:
            from playground.core.training.events import WeightsSnapshot

            ckpt = record.checkpoint
            self._compute(("snapshot", WeightsSnapshot(ckpt.spec, ckpt.model_states, ckpt.step)))
        self._update_wish()

    def _on_model_opened(self, opened: tuple[str, Any]) -> None:
        from playground.core.analysis.applies import inside_problem

        path, info = opened
        self._follow_run = False  # until the next run starts
        problem = inside_problem(info.spec)
        if problem is not None:
            self._source = None
            self._say_off(f"{info.source}: {problem}.")
        else:
            self._compute(("checkpoint", path, info.source))
        self._update_wish()

    def _on_input_chosen(self, chosen: ChosenInput) -> None:
        old = self._chosen
        if old is not None and old.source == chosen.source and _same_input(old, chosen):
            return  # the drawing panel tells us again after every prediction
        self._chosen = chosen
        if self._source is not None:
            self._compute(self._source)

    def _on_phase_changed(self, phase: str) -> None:
        self._update_wish()

    # -- when to compute ------------------------------------------------------------------------------------
    def _compute(self, source: tuple) -> None:
        self._source = source
        if not self.presence.on_screen:
            self._dirty = True  # when it comes on screen
            return
        self._dirty = False
        self._jobs.submit(InsideJob(source, self._chosen))

    def _update_wish(self) -> None:
        wanted = self.session.active and self._follow_run and self._run_problem is None and self.presence.on_screen
        self.session.want_snapshots("inside", REFRESH_MS if wanted else None)

    @Slot()
    def _on_presence_changed(self) -> None:
        self._update_wish()
        if not self.presence.on_screen:
            return
        if self._source is None and not self.session.active and self.session.opened is None and self.result is None:
            self._show_bundled_model()
        elif self._dirty and self._source is not None:
            self._compute(self._source)

    def _show_bundled_model(self) -> None:
        from playground.core.inference.bundled import BUNDLED_MODEL_LABEL, bundled_model_path

        path = bundled_model_path()
        if path is None:
            self._say_off("No model yet: train an image model, or open one (File › Open model).")
        else:
            self._compute(("checkpoint", str(path), BUNDLED_MODEL_LABEL))

    # -- showing the result ---------------------------------------------------------------------------------
    @Slot(object, object)
    def _on_jobs_done(self, job: InsideJob, result: InsideResult) -> None:
        now = self._source
        if now is None or not (job.source is now or job.source[0] == now[0] == "snapshot"):
            return  # the model changed meanwhile: its own result follows
        self.result = result
        self.model_label.setText(_describe(result.info, self.session.active and self._follow_run))
        self.answer_label.setText(result.answer)
        keys = [s.key for s in result.sections]
        for key in [k for k in self._pictures if k not in keys]:
            for widget in self._pictures.pop(key):
                widget.deleteLater()
        for index, section in enumerate(result.sections):
            caption, picture = self._pictures.get(section.key) or self._add_section(section.key, index)
            caption.setText(section.title)
            picture.set_image(section.image)

    def _add_section(self, key: str, index: int) -> tuple[QLabel, Picture]:
        caption = QLabel(self._content, wordWrap=True)
        picture = Picture(f"inside:{key}", max_scale=12.0 if key == "filters" else 8.0, parent=self._content)
        self._sections.insertWidget(2 * index, caption)
        self._sections.insertWidget(2 * index + 1, picture)
        self._pictures[key] = (caption, picture)
        return caption, picture

    @Slot(str)
    def _on_jobs_failed(self, message: str) -> None:
        self.answer_label.setText(f"Cannot look inside this model: {message}")

    def _say_off(self, text: str) -> None:
        self.result = None
        self.model_label.setText(text)
        self.answer_label.setText("")
        for key in list(self._pictures):
            for widget in self._pictures.pop(key):
                widget.deleteLater()

    # -- for tests, export and the window --------------------------------------------------------------------
    def picture(self, key: str) -> np.ndarray | None:
        """The image now shown for a section ("filters", "saliency", "convolution 1", ...), or None."""
        found = self._pictures.get(key)
        return None if found is None else found[1].array()

    def export_png(self, path: str) -> bool:
        return self.grab().save(path, "PNG")

    def export_csv(self, path: str) -> None:
        """Every number shown, one per row: section, then its index in each dimension, then the value."""
        numbers = self.result.numbers if self.result is not None else {}
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["section", "i", "j", "k", "l", "value"])
            for key, values in numbers.items():
                index = np.indices(values.shape).reshape(values.ndim, -1).T
                pad = [[""] * (4 - values.ndim)] * len(index)
                out.writerows([key, *map(int, i), *p, f"{v:.6g}"] for i, p, v in zip(index, pad, values.ravel()))

    def shutdown(self) -> None:
        self._jobs.close()


def _same_input(a: ChosenInput, b: ChosenInput) -> bool:
    """The same picture, normalised the same way (a 1 x C x H x W comparison: microseconds)."""
    return (a.pixels is not None and b.pixels is not None and np.array_equal(a.pixels, b.pixels)
            and a.tensor.shape == b.tensor.shape and bool(a.tensor.equal(b.tensor)))


def _describe(info: Any, live: bool) -> str:
    if info.step is not None:
        return f"Model: the {'training run' if live else 'last training run'}, at step {info.step:,} ({info.arch})"
    details = [info.arch + (f" trained on {info.dataset}" if info.dataset else "")]
    if info.test_accuracy is not None:
        details.append(f"{info.test_accuracy:.1%} test accuracy")
    return f"Model: {info.source} ({', '.join(details)})"

