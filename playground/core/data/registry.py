"""The dataset registry: the catalogue's datasets with a loader returning DataSplits."""

from __future__ import annotations

import os
import time
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

KEEP = 2  # decoded datasets kept in memory, the least recently used dropped first
# File times are coarse (a few ms on ext4, 2 s on FAT): a file written that close to the moment the folder was
# listed may be rewritten unseen with the same size and time, so such a listing is never trusted again.
RACY_NS = 2_000_000_000
_cache: dict[tuple, tuple[tuple, int, DataSplits]] = {}  # key -> (fingerprint, when it was taken, the splits)


def load_dataset(name: str, options: dict[str, Any] | None = None, data_dir: str | None = None,
                 seed: int = 0, progress: Progress = no_progress) -> DataSplits:
    """Decode a dataset into tensors (CPU); downloads it when missing. The last few are kept in memory, and
    read again when their files have changed (an image folder with new images, a dataset deleted)."""
    spec = DATASETS[name]
    opts = {**spec.defaults(), **(options or {})}
    folder = resolve_data_dir(data_dir) if spec.needs_download else Path(data_dir or ".")
    key = (name, tuple(sorted(opts.items())), str(folder), seed if not spec.needs_download else 0)
    cached = _cache.pop(key, None)  # a stale copy goes before the new one is decoded: never two alive
    if cached is not None and _still_fresh(cached, fingerprint(name, folder, opts)):
        _cache[key] = cached  # now the most recently used
        return cached[2]
    del cached
    while len(_cache) >= KEEP:
        _cache.pop(next(iter(_cache)))
    data = spec.loader(folder, opts, seed, progress)
    listed_at = time.time_ns()
    _cache[key] = (fingerprint(name, folder, opts), listed_at, data)
    return data


def _still_fresh(cached: tuple[tuple, int, DataSplits], now: tuple) -> bool:
    listing, listed_at, _ = cached
    return listing == now and all(mtime < listed_at - RACY_NS for _, _, mtime in listing)


def fingerprint(name: str, data_dir: Path, options: dict[str, Any]) -> tuple:
    """The files a dataset is read from, each with its size and modification time; () for generated sets."""
    if name == "image-folder":
        root = Path(options["path"]).expanduser() if options["path"] else None
    else:
        root = vision.dataset_folder(name, data_dir)
    if root is None:
        return ()
    entries = []
    for dirpath, dirnames, filenames in os.walk(root):  # a missing folder yields nothing
        dirnames.sort()
        for filename in sorted(filenames):
            path = os.path.join(dirpath, filename)
            try:
                st = os.stat(path)
            except OSError:  # gone while we looked: the loader will say so
                continue
            entries.append((os.path.relpath(path, root), st.st_size, st.st_mtime_ns))
    return tuple(entries)
