"""The inside view's work, in its background thread: a model of its own, what it shows for one input, as pictures.

`InsideComputer` is called with an InsideJob by BackgroundJobs (so always from the same worker thread) and
keeps the model between jobs: a training run's snapshots are copied into it, a file is read once.
Everything the GUI thread gets is finished: one RGB image per section, and the numbers behind it for CSV.
torch is imported only inside functions: this module is imported with the window's views.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground.gui.views import colours

MAX_TILES = 64  # filters or maps shown per layer
TRAINING_SOURCE = "the training run"


@dataclass(frozen=True)
class InsideJob:
    source: tuple  # ("snapshot", WeightsSnapshot) or ("checkpoint", path, label)
    chosen: Any = None  # ChosenInput, or None


@dataclass(frozen=True)
class Section:
    key: str  # "filters", "saliency", or the layer's name
    title: str
    image: np.ndarray  # H x W x 3 uint8


@dataclass(frozen=True)
class InsideResult:
    info: Any  # the model's ModelInfo
    sections: list[Section]
    answer: str  # "reads 7 (98.2%)", or why there is no answer for this input
    numbers: dict[str, np.ndarray] = field(default_factory=dict)  # section key -> the values it shows


class InsideComputer:
    def __init__(self) -> None:
        self._predictor: Any = None
        self._file: str | None = None

    def __call__(self, job: InsideJob) -> InsideResult:
        predictor = self._model_for(job.source)
        sections, numbers = _filter_section(predictor)
        answer = _no_input_text(predictor.info, job.chosen)
        if not answer:
            answer = _explain(predictor, job.chosen, sections, numbers)
        return InsideResult(predictor.info, sections, answer, numbers)

    def _model_for(self, source: tuple) -> Any:
        from playground.core.inference.predictor import Predictor

        if source[0] == "snapshot":
            snapshot = source[1]
            if self._predictor is None or self._file is not None or not self._predictor.load_snapshot(
                    snapshot, TRAINING_SOURCE):
                self._predictor = Predictor.from_snapshot(snapshot, TRAINING_SOURCE)
            self._file = None
        elif _file_key(source[1]) != self._file:  # a file saved again under the same name is read again
            self._predictor = Predictor.from_checkpoint(source[1], source[2])
            self._file = _file_key(source[1])
        return self._predictor


def _file_key(path: str) -> str:
    try:
        return f"{path}@{os.stat(path).st_mtime_ns}"
    except OSError:
        return path


def _no_input_text(info: Any, chosen: Any) -> str:
    """Why this input cannot be shown to this model ("" when it can)."""
    if chosen is None:
        return "Draw a digit in the Draw panel, or click an image in the Evaluation gallery, to see it inside"
    shape, wanted = tuple(chosen.tensor.shape[1:]), tuple(info.input_shape)
    if shape != wanted:
        size = "×".join(str(s) for s in wanted)
        return (f"This model reads {size} images and {chosen.source} is {'×'.join(str(s) for s in shape)}: "
                "pick one of its test images in the Evaluation gallery")
    return ""


def _filter_section(predictor: Any) -> tuple[list[Section], dict[str, np.ndarray]]:
    from playground.core.analysis.activations import first_layer_filters

    filters = first_layer_filters(predictor.model, tuple(predictor.info.input_shape))
    if filters is None:
        return [], {}
    w = filters.weights[:MAX_TILES]
    if w.shape[1] == 3:  # colour kernels as colours: grey is zero, each channel's sign its hue
        tiles = np.rint(np.clip(0.5 + w / (2 * np.abs(w).max() + 1e-12), 0, 1) * 255).astype(np.uint8)
        tiles = tiles.transpose(0, 2, 3, 1)
    else:  # one scale for all, so that strong and weak filters compare
        tiles = colours.diverging(w.mean(axis=1))
    what = "kernels" if filters.title.startswith("conv") else "units' weights"
    title = (f"The first layer's filters: {filters.title}'s {len(filters.weights)} {what} "
             f"({'×'.join(str(s) for s in filters.weights.shape[2:])}; red +, blue −)")
    columns = 16 if w.shape[2] <= 5 else 8  # small kernels in two rows, whole images in eight
    return [Section("filters", title, colours.mosaic(tiles, columns, gap=1))], {"filters": filters.weights}


def _explain(predictor: Any, chosen: Any, sections: list[Section], numbers: dict[str, np.ndarray]) -> str:
    """Saliency and activations for the chosen input; returns the model's answer as text."""
    from playground.core.analysis.activations import activations
    from playground.core.analysis.saliency import saliency

    x = chosen.tensor.detach().float().cpu()
    found = saliency(predictor.model, x)
    label = predictor.info.labels()[found.target]
    amount = found.map / (found.map.max() + 1e-12)
    pixels = _pixels(chosen, x)
    pictures = np.stack([colours.grey(pixels), colours.heat(amount, 0.0, 1.0), colours.overlay(pixels, amount)])
    sections.append(Section("saliency", f"{chosen.source[:1].upper()}{chosen.source[1:]}, its saliency for "
                            f"“{label}” (where a change would move that score most), and both together",
                            colours.mosaic(pictures, 3, gap=2)))
    numbers["saliency"] = found.map
    for layer in activations(predictor.model, x):
        sections.append(_layer_section(layer))
        numbers[layer.name] = layer.values
    p = found.probabilities[found.target]
    return f"Reads {chosen.source} as “{label}” ({p:.1%})"


def _pixels(chosen: Any, x: Any) -> np.ndarray:
    """The input as an H x W (x 3) uint8 picture: the one it came with, or its tensor stretched to 0..255."""
    pixels = None if chosen.pixels is None else np.asarray(chosen.pixels)
    if pixels is not None and pixels.shape[:2] == tuple(x.shape[2:]):
        return pixels.astype(np.uint8)
    image = x[0].numpy().transpose(1, 2, 0)
    image = (image - image.min()) / (np.ptp(image) + 1e-12)
    return np.rint(image[..., 0] * 255 if image.shape[2] == 1 else image * 255).astype(np.uint8)


def _layer_section(layer: Any) -> Section:
    from playground.core.analysis.activations import MAPS, UNITS

    after = f", after {layer.after}" if layer.after else ""
    v = layer.values
    if layer.kind == MAPS:
        maps = v[:MAX_TILES]
        title = f"{layer.name.capitalize()}: {len(v)} maps of {v.shape[1]}×{v.shape[2]}{after} (brighter = stronger)"
        return Section(layer.name, title, colours.mosaic(colours.heat(maps), 8 if len(maps) > 8 else len(maps)))
    if layer.kind == UNITS:  # a strip, one column per unit, tall enough to see
        strip = np.repeat(colours.heat(v[None, :]), max(3, len(v) // 12), axis=0)
        return Section(layer.name, f"{layer.name.capitalize()}: {len(v)} units{after}", strip)
    title = f"{layer.name.upper()}: {v.shape[1]} hidden units (across) at each of its {v.shape[0]} steps (down)"
    return Section(layer.name, title, colours.heat(v))
