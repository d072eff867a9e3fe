"""Layer health, live: each layer's gradient norm (and weight norm) over the steps, on a log scale, so that
vanishing and exploding gradients show as they happen.

LayerHealth events (twice a second) append to preallocated buffers; a timer pushes the changed curves to the
plots five times a second at most; long runs draw only what is in view, a peak per pixel. A note names the
layers whose gradients have left the healthy range. Imports pyqtgraph: build it after the window is shown.
"""

from __future__ import annotations

import csv
import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.core.training import events
from playground.gui.plots.series import Series
from playground.gui.session import SessionModel
from playground.gui.views.colours import CLASS_COLOURS
from playground.gui.views.export_buttons import ExportButtons
from playground.gui.views.presence import Presence

REFRESH_MS = 200
CURVES_PER_TURN = 3  # layers whose curves are made in one turn of the event loop
WEIGHTS_REDRAW_S = 2.0
VANISHING, EXPLODING = 1e-6, 1e3  # gradient norms outside these are named in the note
FLOOR = 1e-12  # a zero norm is drawn here: a log scale has no zero
IDLE_TEXT = ("Train any model to see here how large each layer's gradients and weights are, step by step: "
             "gradients that shrink towards zero (vanishing) or blow up (exploding) show here first.")
_EMPTY = Series(1)
_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)


class LayerHealthView(QWidget):
    def __init__(self, session: SessionModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.note = QLabel(IDLE_TEXT, self, objectName="layerHealthNote", wordWrap=True)
        self.grad_plot: pg.PlotWidget | None = None  # made when first on screen (35 ms of the app's start)
        self.weight_plot: pg.PlotWidget | None = None
        self.export = ExportButtons("layer-health", self.export_png, self.export_csv, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addWidget(self.export)
        self.layers: tuple[str, ...] = ()
        self.grads: list[Series] = []
        self.weights: list[Series] = []
        self.curves: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        self._curve_layers: tuple[str, ...] = ()  # the layers self.curves draw
        self._dirty = {"grads": False, "weights": False}  # new norms not drawn yet
        self._weights_drawn_at = 0.0
        self.presence = Presence(self)  # behind another tab it only collects; the curves catch up in front
        self.presence.changed.connect(self._on_presence_changed)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        session.run_starting.connect(self._on_run_starting)
        session.on(events.LayerHealth).connect(self._on_layer_health)
        session.run_ended.connect(self._on_run_ended)

    def _on_run_starting(self, config: Any) -> None:
        self._set_layers(())
        self.note.setText(f"Waiting for the first gradients of {config.arch}…")
        self._timer.start()

    def _on_run_ended(self) -> None:
        self.refresh(force=True)
        self._timer.stop()  # what is still to draw is drawn when the view comes in front

    def _on_layer_health(self, event: Any) -> None:
        if event.layers != self.layers:
            self._set_layers(event.layers)
        grads = np.maximum(np.asarray(event.grad_norms, dtype=np.float64), FLOOR)
        weights = np.maximum(np.asarray(event.weight_norms, dtype=np.float64), FLOOR)
        for k in range(len(self.layers)):
            self.grads[k].append(event.step, grads[k])
            self.weights[k].append(event.step, weights[k])
        self._dirty = {"grads": True, "weights": True}
        self._update_note(event.step, grads)

    def _set_layers(self, layers: tuple[str, ...]) -> None:
        self.layers = tuple(layers)
        self.grads = [Series(1024) for _ in layers]
        self.weights = [Series(1024) for _ in layers]
        self._dirty, self._weights_drawn_at = {"grads": True, "weights": True}, 0.0  # all drawn at the next refresh

    def _make_plots(self) -> None:
        self.grad_plot = _plot("layerHealthPlot", "Gradient norm per layer", "gradient norm (log scale)")
        self.weight_plot = _plot("layerWeightPlot", "Weight norm per layer", "weight norm (log scale)")
        for y, text in ((VANISHING, "vanishing below 1e-6"), (EXPLODING, "exploding above 1e3")):
            line = pg.InfiniteLine(np.log10(y), angle=0, pen=pg.mkPen((200, 60, 60), style=Qt.PenStyle.DashLine),
                                   label=text, labelOpts={"position": 0.15, "color": (200, 60, 60)})
            self.grad_plot.addItem(line, ignoreBounds=True)  # seen only when the curves come near it
        layout = self.layout()
        layout.takeAt(1)  # the stretch that held their place
        layout.insertWidget(1, self.grad_plot, 3)
        layout.insertWidget(2, self.weight_plot, 2)

    def _sync_curves(self) -> None:
        """A curve per layer, made only when the view is on screen and a few at a turn of the event loop (each
        pair takes 5 ms of the GUI thread), kept while the next run has the same layers."""
        if not self.layers:
            return
        if self.layers != self._curve_layers:
            for grad_curve, weight_curve in self.curves:
                self.grad_plot.removeItem(grad_curve)
                self.weight_plot.removeItem(weight_curve)
            self.curves, self._curve_layers = [], self.layers
        made = len(self.curves)
        for k in range(made, min(len(self.layers), made + CURVES_PER_TURN)):
            name = self.layers[k]
            self.curves.append((self._curve(self.grad_plot, k, name), self._curve(self.weight_plot, k, name)))
        if len(self.curves) > made:  # the new curves get their norms now, the weights' too
            self._dirty, self._weights_drawn_at = {"grads": True, "weights": True}, 0.0
        if len(self.curves) < len(self.layers):
            QTimer.singleShot(0, self._on_timer_timeout)

    def _curve(self, plot: pg.PlotWidget, k: int, name: str) -> pg.PlotDataItem:
        colour = tuple(int(c) for c in CLASS_COLOURS[k % len(CLASS_COLOURS)])
        style = _STYLES[(k // len(CLASS_COLOURS)) % len(_STYLES)]  # more layers than colours: dashes too
        curve = plot.plot(name=f"layer {name}", pen=pg.mkPen(colour, width=2, style=style))
        curve.setClipToView(True)
        curve.setDownsampling(auto=True, method="peak")
        return curve

    def _update_note(self, step: int, grads: np.ndarray) -> None:
        low = [n for n, g in zip(self.layers, grads) if g < VANISHING]
        high = [n for n, g in zip(self.layers, grads) if g > EXPLODING]
        parts = []
        if low:
            parts.append(f"vanishing gradients (norm below 1e-6) in layer {', '.join(low)}: those layers have "
                         "almost stopped learning; try relu, batch normalisation or a higher learning rate")
        if high:
            parts.append(f"exploding gradients (norm above 1e3) in layer {', '.join(high)}: lower the learning "
                         "rate, or add batch normalisation")
        text = (f"At step {step:,}: " + "; ".join(parts) + ".") if parts else (
            f"At step {step:,}, every layer's gradient norm is between 1e-6 and 1e3: healthy.")
        if text != self.note.text():
            self.note.setText(text)

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.refresh()

    @Slot()
    def _on_presence_changed(self) -> None:
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        """Push new norms to the curves while on screen. Each setData repaints a plot, and weight norms
        change slowly: they are redrawn every WEIGHTS_REDRAW_S (and when the run ends or the view comes back)."""
        if not self.presence.on_screen:
            return
        if self.grad_plot is None:  # the plots now, the curves on the next turn: two short pauses, not one long
            self._make_plots()
            QTimer.singleShot(0, self._on_timer_timeout)
            return
        self._sync_curves()
        now = time.monotonic()
        grads_too = self._dirty["grads"]
        weights_too = self._dirty["weights"] and (force or now - self._weights_drawn_at >= WEIGHTS_REDRAW_S)
        empty = [_EMPTY] * len(self.curves) if not self.layers else None  # a new run before its first norms
        for (grad_curve, weight_curve), grads, weights in zip(self.curves, empty or self.grads, empty or self.weights):
            if grads_too:
                grad_curve.setData(grads.x, grads.y)
            if weights_too:
                weight_curve.setData(weights.x, weights.y)
        self._dirty["grads"] = False
        if weights_too:
            self._dirty["weights"], self._weights_drawn_at = False, now

    def export_png(self, path: str) -> bool:
        return self.grab().save(path, "PNG")

    def export_csv(self, path: str) -> None:
        """One row per report: the step, then each layer's gradient norm, then each layer's weight norm."""
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["step", *(f"grad_norm:{n}" for n in self.layers), *(f"weight_norm:{n}" for n in self.layers)])
            if self.layers:
                columns = [s.y for s in (*self.grads, *self.weights)]
                out.writerows([int(step), *(f"{v:.6g}" for v in row)]
                              for step, *row in zip(self.grads[0].x, *columns))

    def shutdown(self) -> None:
        self._timer.stop()


def _plot(name: str, title: str, y_label: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(title=title)
    plot.setObjectName(name)
    plot.setLabel("bottom", "step")
    plot.setLabel("left", y_label)
    plot.getAxis("bottom").enableAutoSIPrefix(False)
    plot.setLogMode(y=True)
    plot.addLegend(offset=(-10, 10), brush=pg.mkBrush(255, 255, 255, 210))  # readable over the curves
    plot.setMenuEnabled(True)
    plot.setToolTip("One curve per weight; layers are numbered as in the Model summary")
    return plot
