"""The dataset registry: the catalogue's datasets with a loader returning DataSplits."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

from playground.core.data import features, synthetic, vision
from playground.core.data.catalogue import (
    CLASSIFICATION_POINTS,
    DATASET_CATALOGUE,
    REGRESSION_POINTS,
    DatasetInfo,
    dataset_option_problems,
)
from playground.core.data.image_folder import load_image_folder
from playground.core.data.paths import resolve_data_dir
from playground.core.data.splits import DataSplits, Progress, no_progress, with_features
from playground.core.data.text import load_text
from playground.core.errors import DatasetError
from playground.core.resources import resource_path

__all__ = ["DATASETS", "DatasetSpec", "dataset_option_problems", "load_dataset"]


@dataclass(frozen=True)
class LoadRequest:
    """What a loader is asked for: the data folder, the dataset's options, the seed, the user's file."""

    folder: Path
    options: dict[str, Any]
    seed: int
    progress: Progress
    data_file: str = ""
    target: str = ""  # a table's column to learn, its columns to learn from, and its task ("": inferred)
    features: tuple[str, ...] = ()
    task: str = ""


Loader = Callable[[LoadRequest], DataSplits]
SHAKESPEARE = ("text", "tinyshakespeare.txt")  # under resources/: bundled, so text works offline at once


@dataclass(frozen=True)
class DatasetSpec(DatasetInfo):
    """A dataset of the catalogue with the function that loads it."""

    loader: Loader = field(kw_only=True)


def _mnist_like(name: str, r: LoadRequest) -> DataSplits:
    return vision.load_mnist_family(name, r.folder, r.progress)


def _cifar(r: LoadRequest) -> DataSplits:
    return vision.load_cifar10(r.folder, r.progress)


def _generated(name: str, r: LoadRequest) -> DataSplits:
    data = synthetic.generate(name, r.options["samples"], r.options["noise"], seed=r.seed)
    return with_features(data, features.chosen(r.options["features"])) if "features" in r.options else data


def _folder(r: LoadRequest) -> DataSplits:
    return load_image_folder(r.options["path"], r.options["size"], r.options["grayscale"], 0.2, r.seed, r.progress)


def _shakespeare(r: LoadRequest) -> DataSplits:
    return load_text(resource_path(*SHAKESPEARE), r.progress)


def _text_file(r: LoadRequest) -> DataSplits:
    if not r.data_file:
        raise DatasetError("the text dataset reads a file of yours: give it with --data-file PATH (any UTF-8 "
                           "text), or choose shakespeare")
    return load_text(r.data_file, r.progress)


def _table_file(r: LoadRequest) -> DataSplits:
    from playground.core.data.tables.dataset import table_splits  # pandas, only when a table is read

    return table_splits(r.data_file, r.target, r.features, r.task, r.seed, r.progress)


_LOADERS: dict[str, Loader] = {
    **{n: partial(_mnist_like, n) for n in ("mnist", "fashion-mnist", "kmnist")},
    "cifar10": _cifar, "image-folder": _folder, "shakespeare": _shakespeare, "text": _text_file,
    "csv": _table_file,
    **{n: partial(_generated, n) for n in (*CLASSIFICATION_POINTS, *REGRESSION_POINTS, "waves")},
}

DATASETS: dict[str, DatasetSpec] = {
    name: DatasetSpec(**{f.name: getattr(i, f.name) for f in fields(DatasetInfo)}, loader=_LOADERS[name])
    for name, i in DATASET_CATALOGUE.items()}

KEEP = 2  # decoded datasets kept in memory, the least recently used dropped first
# File times are coarse (a few ms on ext4, 2 s on FAT): a file written that close to the moment the folder was
# listed may be rewritten unseen with the same size and time, so such a listing is never trusted again.
RACY_NS = 2_000_000_000
_cache: dict[tuple, tuple[tuple, int, DataSplits]] = {}  # key -> (fingerprint, when it was taken, the splits)
_loading = threading.Lock()  # one load at a time: a run's load waits for a prefetch of the same set, then finds it


def load_dataset(name: str, options: dict[str, Any] | None = None, data_dir: str | None = None,
                 seed: int = 0, progress: Progress = no_progress, data_file: str = "",
                 table: tuple[str, tuple[str, ...], str] = ("", (), "")) -> DataSplits:
    """Decode a dataset into tensors (CPU); downloads it when missing. The last few are kept in memory, and
    read again when their files have changed (an image folder with new images, a dataset deleted).
    table: (target, features, task) of a table (TrainConfig's), for the datasets that read one."""
    with _loading:
        return _load_dataset(name, options, data_dir, seed, progress, data_file, table)


def _load_dataset(name: str, options: dict[str, Any] | None, data_dir: str | None, seed: int, progress: Progress,
                  data_file: str, table: tuple[str, tuple[str, ...], str]) -> DataSplits:
    spec = DATASETS[name]
    opts = {**spec.defaults(), **(options or {})}
    folder = resolve_data_dir(data_dir) if spec.needs_download else Path(data_dir or ".")
    data_file = data_file if spec.needs_file else ""
    # the options that change the splits (a text's window does not: the same splits serve every window)
    loaded = {k: v for k, v in opts.items() if k != "window"}
    table = (table[0], tuple(table[1]), table[2]) if spec.needs_file else ("", (), "")
    key = (name, tuple(sorted(loaded.items())), str(folder), seed if not spec.needs_download else 0, data_file,
           table)
    cached = _cache.pop(key, None)  # a stale copy goes before the new one is decoded: never two alive
    if cached is not None and _still_fresh(cached, fingerprint(name, folder, opts, data_file)):
        _cache[key] = cached  # now the most recently used
        return cached[2]
    del cached
    while len(_cache) >= KEEP:
        _cache.pop(next(iter(_cache)))
    data = spec.loader(LoadRequest(folder, opts, seed, progress, data_file, *table))
    listed_at = time.time_ns()
    _cache[key] = (fingerprint(name, folder, opts, data_file), listed_at, data)
    return data


def _still_fresh(cached: tuple[tuple, int, DataSplits], now: tuple) -> bool:
    listing, listed_at, _ = cached
    return listing == now and all(mtime < listed_at - RACY_NS for _, _, mtime in listing)


def fingerprint(name: str, data_dir: Path, options: dict[str, Any], data_file: str = "") -> tuple:
    """The files a dataset is read from, each with its size and modification time; () for generated sets."""
    if data_file:
        return _file_entry(Path(data_file).expanduser())
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


def _file_entry(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:  # gone: the loader will say so
        return ()
    return ((str(path), st.st_size, st.st_mtime_ns),)


def exclusive() -> threading.Lock:
    """Held, no dataset loads: the app warms a model on a dataset it read ahead before a run may start."""
    return _loading


def readable_without_download(config: Any) -> bool:
    """Whether `config`'s dataset loads from what is here (generated, or downloaded before), without a file of the
    user's (which may be large): what the app reads ahead of a Train click."""
    spec = DATASETS[config.dataset]
    if spec.needs_file or config.dataset == "image-folder":
        return False
    if not spec.needs_download:
        return True
    try:
        return vision.on_disk(config.dataset, resolve_data_dir(config.data_dir or None))
    except (DatasetError, OSError):  # a data folder that is not there: the run will say so
        return False


def load_for(config: Any, progress: Progress = no_progress, data_dir: str | None = None) -> DataSplits:
    """The dataset a run of `config` (a TrainConfig) trains on, as load_dataset reads it."""
    return load_dataset(config.dataset, config.dataset_options, data_dir or config.data_dir or None, config.seed,
                        progress, config.data_file, (config.target, tuple(config.features), config.task))
