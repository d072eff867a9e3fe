"""What a generative model draws: a sample grid that refreshes while a GAN or VAE trains, and a latent walk
between two of its digits (click one, then another).

The grid's digits come from fixed latent vectors, so a refresh shows the same digits getting better. Each
refresh draws from a weight snapshot in a background thread (BackgroundJobs), as cheap as the snapshot itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.core.training import events
from playground.gui.session import SessionModel
from playground.gui.views.background import BackgroundJobs
from playground.gui.views.image_grid import ImageGrid

REFRESH_MS = 500  # how often the grid asks for the training model's weights
WALK_STEPS = 10
IDLE_TEXT = ("Train a <b>gan</b> or a <b>vae</b> (Settings › Model) to watch it learn to draw digits here, "
             "or open a generative model.pt (File › Open model)")


class SamplesPanel(QWidget):
    def __init__(self, session: SessionModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.grid = ImageGrid("sampleGrid", columns=8, cell=40, parent=self)
        self.grid.setToolTip("Digits drawn from the same 64 random vectors at every refresh; click two for a walk")
        self.walk = ImageGrid("latentWalk", columns=WALK_STEPS, cell=40, parent=self)
        self.walk.setToolTip("The digits on the straight line between the two you picked")
        self.label = QLabel(IDLE_TEXT, self, objectName="samplesLabel", wordWrap=True)
        self.walk_label = QLabel("", self, objectName="walkLabel", wordWrap=True)
        layout = QVBoxLayout(self)
        for widget in (self.label, self.grid, self.walk_label, self.walk):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._sampler: Any = None
        self._generative_run = False
        self._seed = 0
        self._jobs = BackgroundJobs(_compute, "playground-samples", self)
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        self.grid.cell_clicked.connect(self._on_grid_cell_clicked)
        session.on(events.RunStarted).connect(self._on_run_started)
        session.on(events.WeightsSnapshot).connect(self._on_snapshot)
        session.on(events.SamplesEvent).connect(self._on_samples_drawn)
        session.model_opened.connect(self._on_model_opened)
        session.phase_changed.connect(self._on_phase_changed)

    # -- what the session says -------------------------------------------------------------------------------
    def _on_run_started(self, event: Any) -> None:
        self._generative_run = event.spec.kind.samples == "images"
        self._seed = event.config.get("seed", 0)
        self.grid.marked = []
        self.walk.set_images(None)
        if self._generative_run:
            self.label.setText(f"What {event.spec.kind.title} draws now, from 64 fixed random vectors")
        self._update_wish()

    def _on_phase_changed(self, phase: str) -> None:
        self._update_wish()
        if phase == "idle" and self._sampler is not None:
            self.walk_label.setText("Click two digits to walk between them")

    def _on_snapshot(self, snapshot: Any) -> None:
        if self._generative_run and snapshot.spec.kind.samples == "images":
            self._jobs.submit(("snapshot", snapshot, self._sampler, self._seed, self._walk_ends()))

    def _on_samples_drawn(self, event: Any) -> None:
        if self._sampler is None and event.images is not None:  # hidden panel: the epoch's own grid at least
            self.grid.set_images(event.images)

    def _on_model_opened(self, opened: tuple[str, Any]) -> None:
        path, info = opened
        if info.spec.kind.samples == "images":
            self.label.setText(f"What {info.source} draws, from 64 fixed random vectors; click two for a walk")
            self._jobs.submit(("checkpoint", path, None, 0, None))

    # -- interest in snapshots --------------------------------------------------------------------------------
    def _update_wish(self) -> None:
        wanted = self._generative_run and self.session.active and self.isVisible()
        self.session.want_snapshots("samples", REFRESH_MS if wanted else None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_wish()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._update_wish()

    # -- the latent walk --------------------------------------------------------------------------------------
    def _walk_ends(self) -> tuple[int, int] | None:
        return tuple(self.grid.marked) if len(self.grid.marked) == 2 else None

    @Slot(int)
    def _on_grid_cell_clicked(self, index: int) -> None:
        marked = [i for i in self.grid.marked if i != index][-1:] + [index]
        self.grid.marked = marked
        self.grid.update()
        if len(marked) == 2 and self._sampler is not None:
            self.walk_label.setText(f"From digit {marked[0] + 1} to digit {marked[1] + 1}, in {WALK_STEPS} steps")
            self._jobs.submit(("walk", None, self._sampler, self._seed, tuple(marked)))
        else:
            self.walk_label.setText("Now click a second digit")

    @Slot(object, object)
    def _on_jobs_done(self, job: Any, result: Any) -> None:
        sampler, grid, walk = result
        self._sampler = sampler
        if grid is not None:
            self.grid.set_images(grid)
        if walk is not None:
            self.walk.set_images(walk)

    @Slot(str)
    def _on_jobs_failed(self, message: str) -> None:
        self.label.setText(f"Cannot draw samples: {message}")

    def shutdown(self) -> None:
        self._jobs.close()


def _compute(job: tuple) -> tuple[Any, Any, Any]:
    """In the background thread: (sampler, grid images or None, walk images or None)."""
    from playground.core.inference.sampler import Sampler

    kind, source, sampler, seed, ends = job
    if kind == "checkpoint":
        sampler = Sampler.from_checkpoint(source)
    elif kind == "snapshot" and (sampler is None or not sampler.load_snapshot(source)):
        sampler = Sampler.from_snapshot(source, seed)
    grid = None if kind == "walk" else sampler.grid()
    walk = sampler.walk(*ends, WALK_STEPS) if ends else None
    return sampler, grid, walk
