"""The network view's work, in its background thread: a model of its own (as the decision boundary's), and
either every neuron's picture over the plane (a dense network on 2-D points) or the layer stack as blocks.

Only ever called from one worker thread (BackgroundJobs), so its caches need no lock. torch is imported only
inside functions: this module is imported with the window's views.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.gui.views.boundary_compute import BoundaryComputer
from playground.gui.views.colours import CLASS_COLOURS, diverging

MAX_POINTS = 400  # training points drawn over the output's picture
WHY = "Neurons are drawn for dense networks (Linear layers and activations) on 2-D points"


@dataclass(frozen=True)
class NetworkJob:
    # ("spec", ModelSpec, TrainConfig | None): the network as built; ("snapshot", WeightsSnapshot, TrainConfig);
    # ("checkpoint", path, label)
    source: tuple
    size: tuple[int, int] = (0, 0)  # the canvas's, to paint the connections for it here (0: not)


@dataclass(frozen=True)
class Column:
    title: str
    labels: tuple[str, ...]
    images: np.ndarray  # neurons x n x n x 3 uint8, row 0 at the top (the highest y)
    weights: np.ndarray | None  # neurons x the previous column's drawn neurons
    total: int  # neurons in the layer, drawn or not


@dataclass(frozen=True)
class Block:
    kind: str  # "Conv2d"
    shape: str  # its output: "32×28×28"
    params: int


@dataclass(frozen=True)
class NetworkResult:
    caption: str
    step: int | None
    columns: tuple[Column, ...] = ()  # empty when the neurons are not drawn
    output: np.ndarray | None = None  # the decision boundary, n x n x 3 uint8, row 0 at the top
    points: np.ndarray | None = None  # training points (M x 2) over the output, and their classes
    classes: np.ndarray | None = None
    bounds: Any = None  # core.analysis.boundary.Bounds of the pictures
    blocks: tuple[Block, ...] = ()  # the layer stack, when the neurons are not drawn
    reason: str = ""  # why the neurons are not drawn ("" when they are)
    wires: Any = None  # the connections painted for a canvas of the job's size (a QImage), or None


class NetworkComputer(BoundaryComputer):
    """Loads models and points as the decision boundary's computer does; draws neurons or blocks."""

    def __call__(self, job: NetworkJob) -> NetworkResult:  # type: ignore[override]
        from playground.core.analysis.network import dense_layers, what_network
        from playground.core.data.features import plane_features

        model, spec, config, step, caption = self._network(job.source)
        layers = dense_layers(model)
        plane = plane_features(spec)
        if layers is None or plane is None or config is None:
            network = what_network(model)
            if network.endswith("not a plain stack of Linear layers") and not spec.kind.classifies:
                network = f"{spec.kind.title}, {network}"  # "a VAE, a network that is not a plain stack…"
            what = f"{network} on {_data_words(spec)}"
            return NetworkResult(caption, step, blocks=_blocks(model, spec), reason=f"{WHY}; this is {what}.")
        result = self._neurons(layers, spec, plane, config, caption, step)
        if min(job.size) <= 0:
            return result
        from dataclasses import replace

        from playground.gui.views.network_wires import wires_image

        counts, weights = [len(c.images) for c in result.columns], [c.weights for c in result.columns]
        return replace(result, wires=wires_image(job.size, counts, weights))

    def _network(self, source: tuple) -> tuple[Any, Any, Any, int | None, str]:
        """(model in eval mode, its ModelSpec, the TrainConfig of its data or None, step, caption)."""
        if source[0] == "spec":
            _, spec, config = source
            return spec.build().eval(), spec, config, None, f"{spec.arch} on {spec.dataset}, as built"
        predictor, config = self._model_for(source)
        info = predictor.info
        if source[0] == "snapshot":
            caption = f"{info.arch} on {config.dataset}, at step {info.step:,}"
        else:
            caption = f"{info.source} ({info.arch})"
        return predictor.model.eval(), info.spec, config, info.step, caption

    def _neurons(self, layers: list, spec: Any, plane: tuple[str, ...], config: Any, caption: str,
                 step: int | None) -> NetworkResult:
        from playground.core.analysis.boundary import BoundaryGrid, grid_points, region_image
        from playground.core.analysis.network import GRID, neuron_picture

        points = self._points_for(config)
        picture = neuron_picture(layers, points.bounds, plane)
        columns = tuple(Column(c.title, c.labels, _coloured(c.values), c.weights, c.total) for c in picture.columns)
        output = None
        if spec.kind.boundary(spec) == "regions":  # a classifier: its output is the decision boundary
            logits = picture.columns[-1].values  # classes x n x n
            e = np.exp(logits - logits.max(axis=0))
            xs, ys, _ = grid_points(points.bounds, GRID)
            grid = BoundaryGrid(points.bounds, xs, ys, (e / e.sum(axis=0)).transpose(1, 2, 0))
            output = np.ascontiguousarray(region_image(grid, CLASS_COLOURS)[::-1])
        shown = slice(0, MAX_POINTS)
        return NetworkResult(caption, step, columns, output, points.train_x[shown], points.train_y[shown],
                             points.bounds)


def _coloured(values: np.ndarray) -> np.ndarray:
    """neurons x n x n values -> RGB pictures, each neuron on its own scale (blue below zero, red above), top
    row first."""
    scale = np.maximum(np.abs(values).reshape(len(values), -1).max(axis=1), 1e-6)[:, None, None]
    return np.ascontiguousarray(diverging(values / scale, 1.0)[:, ::-1])


def _blocks(model: Any, spec: Any) -> tuple[Block, ...]:
    from playground.core.data.inputs import TEXT
    from playground.core.models.summary import summarize

    rows = summarize(model, tuple(spec.input_shape), tokens=spec.inputs == TEXT)
    shape = "×".join(map(str, spec.input_shape)) or "characters"
    return (Block("input", shape, 0), *(Block(r.kind, "×".join(map(str, r.output_shape)), r.params) for r in rows))


def _data_words(spec: Any) -> str:
    from playground.core.data.features import plane_features
    from playground.core.data.inputs import TEXT

    shape = tuple(spec.input_shape)
    if spec.inputs == TEXT:
        return "text"
    if plane_features(spec) is not None:
        return "2-D points"
    if len(shape) == 3:
        return "images"
    if len(shape) == 2:
        return "sequences"
    return "1-D numbers" if shape == (1,) else f"rows of {shape[0] if shape else 0} numbers"
