"""The decision boundary, live: a 2-D classifier's class regions under its training and test points, redrawn
several times a second while it trains; for a 1-D regression, the fitted curve over the points.

While visible during such a run it asks the session for weight snapshots every REFRESH_MS; each is turned
into a picture in a background thread (BackgroundJobs, newest first), so the GUI thread only swaps a small
image. The points are set once per dataset. Imports pyqtgraph: build it after the window is shown.
"""

from __future__ import annotations

import csv
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.core.analysis.applies import REGIONS, boundary_kind, boundary_problem
from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.core.data.inputs import POINTS
from playground.core.training import events
from playground.gui.session import SessionModel
from playground.gui.views.background import BackgroundJobs
from playground.gui.views.boundary_compute import BoundaryComputer, BoundaryJob, BoundaryResult
from playground.gui.views.colours import CLASS_COLOURS
from playground.gui.views.export_buttons import ExportButtons
from playground.gui.views.presence import Presence

REFRESH_MS = 160  # about six pictures a second while training
IDLE_TEXT = ("Train on 2-D points (spiral, circles, xor, blobs or moons) to watch the class regions move here "
             "as the model learns; on linear or sine, to see the fitted curve.")


class BoundaryView(QWidget):
    def __init__(self, session: SessionModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.label = QLabel(IDLE_TEXT, self, objectName="boundaryLabel", wordWrap=True)
        self._build_plot()
        self.show_test = QCheckBox("Show the test points", self, objectName="showTestPoints", checked=True)
        self.show_test.setToolTip("Hollow circles: points the model never trains on")
        self.export = ExportButtons("decision-boundary", self.export_png, self.export_csv, self)
        row = QHBoxLayout()
        row.addWidget(self.show_test)
        row.addWidget(self.export, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.plot, 1)
        layout.addLayout(row)
        self.updates = 0  # pictures shown so far (tests count them)
        self.result: BoundaryResult | None = None
        self._scatters: dict[str, list[pg.ScatterPlotItem]] = {"train": [], "test": []}
        self._points_key: tuple | None = None
        self._config: Any = None  # the run's TrainConfig, which says how to make its points again
        self._source: tuple | None = None
        self._follow_run, self._run_applies, self._dirty = True, False, False
        self.presence = Presence(self)
        self.presence.changed.connect(self._on_presence_changed)
        self._jobs = BackgroundJobs(BoundaryComputer(), "playground-boundary", self)
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        self.show_test.toggled.connect(self._on_show_test_toggled)
        session.run_starting.connect(self._on_run_starting)
        session.on(events.RunStarted).connect(self._on_run_started)
        session.on(events.WeightsSnapshot).connect(self._on_snapshot)
        session.run_ended.connect(self._on_run_ended)
        session.model_opened.connect(self._on_model_opened)
        session.phase_changed.connect(self._on_phase_changed)
        self._show_plot(False)

    def _build_plot(self) -> None:
        self.plot = pg.PlotWidget(title="Decision boundary")
        self.plot.setObjectName("decisionBoundaryPlot")
        self.plot.setMenuEnabled(True)  # right click: pyqtgraph's own Export… too
        self.legend = self.plot.addLegend(offset=(-10, 10), brush=pg.mkBrush(255, 255, 255, 210))
        self.image_item = pg.ImageItem(axisOrder="row-major")  # row 0 at the lowest y, as the grid's
        self.image_item.setZValue(-10)  # under the points
        self.plot.addItem(self.image_item)
        self.curve = self.plot.plot(pen=pg.mkPen((20, 20, 20), width=3))

    # -- what the session says -------------------------------------------------------------------------------
    def _on_run_starting(self, config: Any) -> None:
        self._config, self._follow_run = config, True
        self._run_applies = DATASET_CATALOGUE[config.dataset].inputs == POINTS
        self._update_wish()

    def _on_run_started(self, event: Any) -> None:
        problem = boundary_problem(event.spec)
        self._run_applies = problem is None
        if problem is not None and self._follow_run:
            self._say_off(f"{event.spec.arch} on {event.config.get('dataset', '')}: {problem}.")
        self._update_wish()

    def _on_snapshot(self, snapshot: Any) -> None:
        if self._follow_run and self._run_applies and boundary_kind(snapshot.spec) is not None:
            self._compute(("snapshot", snapshot, self._config))

    def _on_run_ended(self) -> None:
        record = self.session.last_completed  # the final weights, not the last snapshot's
        if self._follow_run and self._run_applies and record is not None and record is self.session.run:
            from playground.core.training.events import WeightsSnapshot

            ckpt = record.checkpoint
            self._compute(("snapshot", WeightsSnapshot(ckpt.spec, ckpt.model_states, ckpt.step), self._config))
        self._update_wish()

    def _on_model_opened(self, opened: tuple[str, Any]) -> None:
        path, info = opened
        self._follow_run = False  # until the next run starts
        problem = boundary_problem(info.spec)
        if problem is None:
            self._compute(("checkpoint", path, info.source))
        else:
            self._say_off(f"{info.source}: {problem}.")
        self._update_wish()

    def _on_phase_changed(self, phase: str) -> None:
        self._update_wish()

    # -- when to compute ------------------------------------------------------------------------------------
    def _compute(self, source: tuple) -> None:
        self._source = source
        if self.presence.on_screen:
            self._dirty = False
            self._jobs.submit(BoundaryJob(source))
        else:
            self._dirty = True

    def _update_wish(self) -> None:
        wanted = self.session.active and self._follow_run and self._run_applies and self.presence.on_screen
        self.session.want_snapshots("boundary", REFRESH_MS if wanted else None)

    @Slot()
    def _on_presence_changed(self) -> None:
        self._update_wish()
        if self.presence.on_screen and self._dirty and self._source is not None:
            self._compute(self._source)

    # -- drawing --------------------------------------------------------------------------------------------
    @Slot(object, object)
    def _on_jobs_done(self, job: BoundaryJob, result: BoundaryResult) -> None:
        now = self._source
        if now is None or not (job.source is now or job.source[0] == now[0] == "snapshot"):
            return  # the model changed meanwhile: its own picture follows
        self.result = result
        self._show_plot(True)
        if result.points.key != self._points_key:
            self._set_points(result)
        b = result.points.bounds
        if result.kind == REGIONS:
            self.image_item.setImage(result.image, autoLevels=False, levels=(0, 255))
            self.image_item.setRect(QRectF(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0))
        else:
            self.curve.setData(*result.curve)
        self.updates += 1
        self.label.setText(_caption(result))

    def _set_points(self, result: BoundaryResult) -> None:
        """The dataset's points, once per dataset: one item per class and split, so the legend names them."""
        for item in (*self._scatters["train"], *self._scatters["test"]):
            self.plot.removeItem(item)
        self.legend.clear()
        self._scatters = {"train": [], "test": []}
        p, regions = result.points, result.kind == REGIONS
        self.image_item.setVisible(regions)
        self.curve.setVisible(not regions)
        self.curve.setData([], [])
        self.plot.setAspectLocked(regions)
        for split, x, y in (("train", p.train_x, p.train_y), ("test", p.test_x, p.test_y)):
            for k in (np.unique(y).astype(int) if regions else (0,)):
                chosen = y == k if regions else slice(None)
                xy = (x[chosen, 0], x[chosen, 1]) if regions else (x[:, 0], y)
                self._add_scatter(split, xy, CLASS_COLOURS[k % len(CLASS_COLOURS)] if regions else
                                  CLASS_COLOURS[0 if split == "train" else 1], f"class {k}" if regions else "")
        self._on_show_test_toggled(self.show_test.isChecked())
        b = p.bounds
        self.plot.setRange(xRange=(b.x0, b.x1), yRange=(b.y0, b.y1) if regions else None, padding=0)
        self.plot.enableAutoRange(axis="y", enable=not regions)
        self._points_key = p.key

    def _add_scatter(self, split: str, xy: tuple, colour: np.ndarray, name: str) -> None:
        colour = tuple(int(c) for c in colour)
        if split == "train":
            style = {"symbol": "o", "size": 5, "brush": pg.mkBrush(colour), "pen": pg.mkPen("w", width=0.6)}
        else:  # hollow: never trained on
            style = {"symbol": "o", "size": 6, "brush": pg.mkBrush(255, 255, 255, 140),
                     "pen": pg.mkPen(colour, width=1.5)}
        item = pg.ScatterPlotItem(*xy, **style)
        self.plot.addItem(item)
        self.legend.addItem(item, f"{name} ({split})".strip() if name else f"{split} points")
        self._scatters[split].append(item)

    @Slot(bool)
    def _on_show_test_toggled(self, checked: bool) -> None:
        for item in self._scatters["test"]:
            item.setVisible(checked)

    @Slot(str)
    def _on_jobs_failed(self, message: str) -> None:
        self.label.setText(f"Cannot draw the decision boundary: {message}")

    def _say_off(self, text: str) -> None:
        self._source, self.result = None, None
        self.label.setText(text)
        self._show_plot(False)

    def _show_plot(self, on: bool) -> None:
        for widget in (self.plot, self.show_test, self.export):
            widget.setVisible(on)

    # -- export ---------------------------------------------------------------------------------------------
    def export_png(self, path: str) -> bool:
        return self.plot.grab().save(path, "PNG")

    def export_csv(self, path: str) -> None:
        """Regions: each grid cell's centre, predicted class and class probabilities; a curve: x and the fit."""
        r = self.result
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            if r is None:
                out.writerow(["nothing drawn yet"])
            elif r.kind == REGIONS:
                g = r.grid
                k = g.probabilities.shape[2]
                out.writerow(["x", "y", "predicted", *(f"p_{c}" for c in range(k))])
                gx, gy = np.meshgrid(g.xs, g.ys)
                rows = np.column_stack([gx.ravel(), gy.ravel(), g.predicted.ravel(), g.probabilities.reshape(-1, k)])
                out.writerows([f"{x:.5g}", f"{y:.5g}", int(c), *(f"{v:.5g}" for v in ps)]
                              for x, y, c, *ps in rows)
            else:
                out.writerow(["x", "fitted_y"])
                out.writerows([f"{x:.6g}", f"{y:.6g}"] for x, y in zip(*r.curve))

    def shutdown(self) -> None:
        self._jobs.close()


def _caption(r: BoundaryResult) -> str:
    step = f", at step {r.info.step:,}" if r.info.step is not None else ""
    who = f"{r.info.arch} on {r.dataset}{step}" if r.info.step is not None else f"{r.info.source} ({r.info.arch})"
    if r.kind == REGIONS:
        return (f"{who}: each area has the colour of the class the model predicts there, paler where it is "
                "unsure; filled dots are training points, hollow ones test points.")
    return f"{who}: the black curve is the model's prediction over x; dots are the points it learns from."
