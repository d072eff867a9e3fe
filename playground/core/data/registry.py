"""The dataset registry: the catalogue's datasets with a loader returning DataSplits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from playground.core.data import synthetic, vision
from playground.core.data.catalogue import (
    CLASSIFICATION_POINTS,
    DATASET_CATALOGUE,
    REGRESSION_POINTS,
    DatasetInfo,
    dataset_option_problems,
)
from playground.core.data.image_folder import load_image_folder
from playground.core.data.paths import resolve_data_dir
from playground.core.data.splits import DataSplits, Progress, no_progress

__all__ = ["DATASETS", "DatasetSpec", "dataset_option_problems", "load_dataset"]

# loader(data_dir, options, seed, progress) -> DataSplits
Loader = Callable[[Path, dict[str, Any], int, Progress], DataSplits]


@dataclass(frozen=True)
class DatasetSpec(DatasetInfo):
    """A dataset of the catalogue with the function that loads it."""

    loader: Loader = field(kw_only=True)


def _mnist_like(name: str, data_dir: Path, options: dict, seed: int, progress: Progress) -> DataSplits:
    return vision.load_mnist_family(name, data_dir, progress)


def _cifar(data_dir: Path, options: dict, seed: int, progress: Progress) -> DataSplits:
    return vision.load_cifar10(data_dir, progress)


def _generated(name: str, data_dir: Path, options: dict, seed: int, progress: Progress) -> DataSplits:
    return synthetic.generate(name, options["samples"], options["noise"], seed=seed)


def _folder(data_dir: Path, options: dict, seed: int, progress: Progress) -> DataSplits:
    return load_image_folder(options["path"], options["size"], options["grayscale"], 0.2, seed, progress)


_LOADERS: dict[str, Loader] = {
    **{n: partial(_mnist_like, n) for n in ("mnist", "fashion-mnist", "kmnist")},
    "cifar10": _cifar, "image-folder": _folder,
    **{n: partial(_generated, n) for n in (*CLASSIFICATION_POINTS, *REGRESSION_POINTS, "waves")},
}

DATASETS: dict[str, DatasetSpec] = {
    name: DatasetSpec(i.name, i.description, i.task, i.input_shape, i.num_outputs, i.needs_download, i.options,
                      loader=_LOADERS[name])
    for name, i in DATASET_CATALOGUE.items()}

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
