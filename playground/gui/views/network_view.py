"""The network, drawn as it learns (TensorFlow Playground's view): for a dense network on 2-D points, every
neuron as a small picture of its output over the plane, the weights as lines, the output as the decision
boundary; hover a neuron to see it large. Other networks show their layers as blocks, and why.

While visible during such a run it asks the session for weight snapshots every REFRESH_MS; each becomes the
pictures in a background thread (BackgroundJobs, newest first), so the GUI thread only paints small images.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.core.data.features import plane_features
from playground.core.training import events
from playground.gui.session import SessionModel
from playground.gui.views.background import BackgroundJobs
from playground.gui.views.network_canvas import NetworkCanvas
from playground.gui.views.network_compute import NetworkComputer, NetworkJob, NetworkResult
from playground.gui.views.presence import Presence

REFRESH_MS = 200  # five pictures of the network a second while training
IDLE_TEXT = ("Train a dense network (<b>mlp</b> or <b>linear</b>) on 2-D points (spiral, xor, circles…) to watch "
             "every neuron learn here, as in TensorFlow Playground; other networks are drawn as their layers. "
             "Tip: the dataset's <i>features</i> option (x,y,x2,y2,xy,sinx,siny) gives the network more inputs.")
DRAWN_TEXT = ("{caption}. Each square is a neuron's output over the plane (red above zero, blue below); lines "
              "are weights (red positive, blue negative, wider for larger). Hover a neuron to see it large.")


class NetworkView(QWidget):
    def __init__(self, session: SessionModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("networkView")
        self.session = session
        self.label = QLabel(IDLE_TEXT, self, objectName="networkLabel", wordWrap=True)
        self.canvas = NetworkCanvas(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.canvas, 1)
        self.updates = 0  # results shown so far (tests count them)
        self._config: Any = None  # the run's TrainConfig: how to make its points again
        self._source: tuple | None = None
        self._follow_run, self._run_applies, self._dirty = True, False, False
        self.presence = Presence(self)
        self.presence.changed.connect(self._on_presence_changed)
        self._jobs = BackgroundJobs(NetworkComputer(), "playground-network", self)
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        session.run_starting.connect(self._on_run_starting)
        session.on(events.RunStarted).connect(self._on_run_started)
        session.on(events.WeightsSnapshot).connect(self._on_snapshot)
        session.run_ended.connect(self._on_run_ended)
        session.model_opened.connect(self._on_model_opened)
        session.phase_changed.connect(self._on_phase_changed)

    @property
    def result(self) -> NetworkResult | None:
        return self.canvas.result

    # -- what the session says -------------------------------------------------------------------------------
    def _on_run_starting(self, config: Any) -> None:
        self._config, self._follow_run = config, True
        self._update_wish()

    def _on_run_started(self, event: Any) -> None:
        # neurons are drawn for a model of the plane; whether it is dense the first picture says
        self._run_applies = plane_features(event.spec) is not None
        if self._follow_run:
            self._compute(("spec", event.spec, self._config))
        self._update_wish()

    def _on_snapshot(self, snapshot: Any) -> None:
        if self._follow_run and self._run_applies:
            self._compute(("snapshot", snapshot, self._config))

    def _on_run_ended(self) -> None:
        record = self.session.last_completed  # the final weights, not the last snapshot's
        if self._follow_run and self._run_applies and record is not None and record is self.session.run:
            ckpt = record.checkpoint
            self._compute(("snapshot", events.WeightsSnapshot(ckpt.spec, ckpt.model_states, ckpt.step),
                           self._config))
        self._update_wish()

    def _on_model_opened(self, opened: tuple[str, Any]) -> None:
        path, info = opened
        self._follow_run = False  # until the next run starts
        plane = plane_features(info.spec) is not None
        self._compute(("checkpoint", path, info.source) if plane else ("spec", info.spec, None))
        self._update_wish()

    def _on_phase_changed(self, phase: str) -> None:
        self._update_wish()

    # -- when to compute ------------------------------------------------------------------------------------
    def _compute(self, source: tuple) -> None:
        self._source = source
        if self.presence.on_screen:
            self._dirty = False
            self._jobs.submit(NetworkJob(source, (self.canvas.width(), self.canvas.height())))
        else:
            self._dirty = True

    def _update_wish(self) -> None:
        wanted = self.session.active and self._follow_run and self._run_applies and self.presence.on_screen
        self.session.want_snapshots("network", REFRESH_MS if wanted else None)

    @Slot()
    def _on_presence_changed(self) -> None:
        self._update_wish()
        if self.presence.on_screen and self._dirty and self._source is not None:
            self._compute(self._source)

    # -- showing --------------------------------------------------------------------------------------------
    @Slot(object, object)
    def _on_jobs_done(self, job: NetworkJob, result: NetworkResult) -> None:
        now = self._source
        if now is None or not (job.source is now or job.source[0] == now[0] == "snapshot"):
            return  # the model changed meanwhile: its own picture follows
        if result.reason:
            self._run_applies = False  # not drawn as neurons: no snapshots needed
            self._update_wish()
            self.label.setText(f"{result.caption}: {result.reason}")
        else:
            self.label.setText(DRAWN_TEXT.format(caption=result.caption))
        self.canvas.set_result(result)
        self.updates += 1

    @Slot(str)
    def _on_jobs_failed(self, message: str) -> None:
        self.label.setText(f"Cannot draw the network: {message}")

    def shutdown(self) -> None:
        self._jobs.close()
