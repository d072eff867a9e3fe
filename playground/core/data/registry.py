"""The dataset registry: name -> description, input shape, and a loader returning DataSplits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from playground.core.data import synthetic, vision
from playground.core.data.image_folder import load_image_folder
from playground.core.data.paths import resolve_data_dir
from playground.core.data.splits import DataSplits, Progress, no_progress
from playground.core.models.options import OptionSpec

# loader(data_dir, options, seed, progress) -> DataSplits
Loader = Callable[[Path, dict[str, Any], int, Progress], DataSplits]


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    description: str
    task: str  # "classification" or "regression"
    input_shape: tuple[int, ...]  # before options that change it (image-folder size)
    num_outputs: int  # classes, or 1 for regression; 0 = found when loaded
    loader: Loader
    needs_download: bool = False
    options: tuple[OptionSpec, ...] = ()

    def defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}

    def shape_for(self, options: dict[str, Any]) -> tuple[int, ...]:
        """The input shape with these options (image-folder's size and colour change it)."""
        if self.name == "image-folder":
            o = {**self.defaults(), **options}
            return (1 if o["grayscale"] else 3, o["size"], o["size"])
        return self.input_shape


def _mnist_like(name: str, data_dir: Path, options: dict, seed: int, progress: Progress) -> DataSplits:
    return vision.load_mnist_family(name, data_dir, progress)


def _cifar(data_dir: Path, options: dict, seed: int, progress: Progress) -> DataSplits:
    return vision.load_cifar10(data_dir, progress)


def _generated(name: str, data_dir: Path, options: dict, seed: int, progress: Progress) -> DataSplits:
    return synthetic.generate(name, options["samples"], options["noise"], seed=seed)


def _folder(data_dir: Path, options: dict, seed: int, progress: Progress) -> DataSplits:
    return load_image_folder(options["path"], options["size"], options["grayscale"], 0.2, seed, progress)


_GENERATED_OPTIONS = (
    OptionSpec("samples", "int", 2000, "number of generated points", (), 20, 1_000_000),
    OptionSpec("noise", "float", 0.1, "standard deviation of the noise added", (), 0.0, 5.0))

_DESCRIPTIONS = {
    "spiral": "Two interleaved spirals of 2-D points (hard for a linear model)",
    "circles": "A ring of 2-D points around a smaller ring",
    "xor": "2-D points labelled by the sign of x times y",
    "blobs": "Three Gaussian blobs of 2-D points",
    "moons": "Two interleaving half circles of 2-D points",
    "linear": "1-D regression: y = 0.8 x + 0.2 plus noise",
    "sine": "1-D regression: y = sin(pi x) plus noise",
}

DATASETS: dict[str, DatasetSpec] = {d.name: d for d in (
    DatasetSpec("mnist", "Handwritten digits 0-9, 28x28 grey (60k train, 10k test)", "classification",
                (1, 28, 28), 10, partial(_mnist_like, "mnist"), needs_download=True),
    DatasetSpec("fashion-mnist", "Zalando clothing in 10 classes, 28x28 grey (60k train, 10k test)",
                "classification", (1, 28, 28), 10, partial(_mnist_like, "fashion-mnist"), needs_download=True),
    DatasetSpec("kmnist", "Kuzushiji: 10 cursive Japanese characters, 28x28 grey (60k train, 10k test)",
                "classification", (1, 28, 28), 10, partial(_mnist_like, "kmnist"), needs_download=True),
    DatasetSpec("cifar10", "Small colour photos in 10 classes, 3x32x32 (50k train, 10k test)",
                "classification", (3, 32, 32), 10, _cifar, needs_download=True),
    DatasetSpec("image-folder", "Your own images: one sub-folder per class, resized to a square",
                "classification", (3, 32, 32), 0, _folder, options=(
                    OptionSpec("path", "str", "", "folder with one sub-folder of images per class"),
                    OptionSpec("size", "int", 32, "side of the square the images are resized to", (), 8, 256),
                    OptionSpec("grayscale", "bool", False, "convert the images to one grey channel"))),
    *(DatasetSpec(n, _DESCRIPTIONS[n], "classification", (2,), 3 if n == "blobs" else 2,
                  partial(_generated, n), options=_GENERATED_OPTIONS) for n in synthetic.CLASSIFICATION),
    *(DatasetSpec(n, _DESCRIPTIONS[n], "regression", (1,), 1, partial(_generated, n),
                  options=_GENERATED_OPTIONS) for n in synthetic.REGRESSION),
)}

_cache: dict[tuple, DataSplits] = {}


def load_dataset(name: str, options: dict[str, Any] | None = None, data_dir: str | None = None,
                 seed: int = 0, progress: Progress = no_progress) -> DataSplits:
    """Decode a dataset into tensors (CPU); downloads it when missing. The last few are kept in memory."""
    spec = DATASETS[name]
    opts = {**spec.defaults(), **(options or {})}
    folder = resolve_data_dir(data_dir) if spec.needs_download else Path(data_dir or ".")
    key = (name, tuple(sorted(opts.items())), str(folder), seed if not spec.needs_download else 0)
    if key not in _cache:
        if len(_cache) >= 2:
            _cache.pop(next(iter(_cache)))
        _cache[key] = spec.loader(folder, opts, seed, progress)
    return _cache[key]


def dataset_option_problems(name: str, options: dict[str, Any]) -> list[str]:
    known = {o.name: o for o in DATASETS[name].options}
    problems = []
    for key, value in options.items():
        if key not in known:
            problems.append(f"{name} has no option {key!r}; its options are {', '.join(known) or 'none'}")
        elif (msg := known[key].problem(value)) is not None:
            problems.append(msg)
    return problems
