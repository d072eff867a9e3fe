"""Image datasets in torchvision's layout: the MNIST family (idx files) and CIFAR-10."""

from __future__ import annotations

import gzip
import pickle
import tarfile
from pathlib import Path

import numpy as np
import torch

from playground.core.data.download import fetch, missing_message
from playground.core.data.idx import read_idx
from playground.core.data.paths import downloads_allowed
from playground.core.data.splits import DataSplits, Progress, image_splits
from playground.core.errors import DatasetError

IDX_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
MNIST_FAMILY = {  # registry name -> (torchvision class and folder, class names)
    "mnist": ("MNIST", tuple("0123456789")),
    "fashion-mnist": ("FashionMNIST", ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")),
    "kmnist": ("KMNIST", ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo")),
}


def load_mnist_family(name: str, data_dir: Path, progress: Progress) -> DataSplits:
    folder_name, classes = MNIST_FAMILY[name]
    raw = data_dir / folder_name / "raw"
    files = [_find_idx(raw, f) for f in IDX_FILES]
    if any(f is None for f in files):
        _download_mnist_family(folder_name, raw, [f for f, p in zip(IDX_FILES, files) if p is None], progress)
        files = [_find_idx(raw, f) for f in IDX_FILES]
    progress(f"Decoding {folder_name}", 0, 4)
    train_x, train_y, test_x, test_y = (read_idx(f) for f in files)
    if len(train_x) != len(train_y) or len(test_x) != len(test_y):
        raise DatasetError(f"{raw}: image and label files disagree in length; delete them to download again")
    return image_splits(train_x.unsqueeze(1), train_y, test_x.unsqueeze(1), test_y, classes)


def _find_idx(raw: Path, stem: str) -> Path | None:
    for candidate in (raw / stem, raw / f"{stem}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _download_mnist_family(folder_name: str, raw: Path, missing: list[str], progress: Progress) -> None:
    if not downloads_allowed():
        raise DatasetError(missing_message(folder_name, raw, missing, "downloads are off (PLAYGROUND_OFFLINE)"))
    import torchvision.datasets as tvd  # only here: importing torchvision costs as much as torch

    cls = getattr(tvd, folder_name)
    mirrors = getattr(cls, "mirrors", [])
    try:
        for filename, md5 in cls.resources:
            stem = filename.removesuffix(".gz")
            if stem not in missing:
                continue
            urls = [m + filename for m in mirrors] if mirrors else [filename]
            fetch(urls, raw / filename, md5, progress)
            (raw / stem).write_bytes(gzip.decompress((raw / filename).read_bytes()))
    except OSError as e:
        raise DatasetError(missing_message(folder_name, raw, missing, f"downloading failed ({e})")) from None


def load_cifar10(data_dir: Path, progress: Progress) -> DataSplits:
    folder = data_dir / "cifar-10-batches-py"
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch", "batches.meta"]
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        _download_cifar10(data_dir, folder, missing, progress)
    progress("Decoding CIFAR-10", 0, 0)
    train = [_unpickle(folder / f"data_batch_{i}") for i in range(1, 6)]
    test = _unpickle(folder / "test_batch")
    meta = _unpickle(folder / "batches.meta")

    def images(batches: list[dict]) -> torch.Tensor:
        return torch.from_numpy(np.concatenate([b["data"] for b in batches]).reshape(-1, 3, 32, 32))

    def labels(batches: list[dict]) -> torch.Tensor:
        return torch.tensor(np.concatenate([b["labels"] for b in batches]))

    return image_splits(images(train), labels(train), images([test]), labels([test]),
                        tuple(meta["label_names"]))


def _unpickle(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return pickle.load(f, encoding="latin1")  # the official CIFAR-10 format is a pickle
    except (OSError, pickle.UnpicklingError, EOFError) as e:
        raise DatasetError(f"cannot read {path}: {e}; delete the folder so that it is downloaded again") from None


def _download_cifar10(data_dir: Path, folder: Path, missing: list[str], progress: Progress) -> None:
    if not downloads_allowed():
        raise DatasetError(missing_message("CIFAR-10", folder, missing, "downloads are off (PLAYGROUND_OFFLINE)"))
    import torchvision.datasets as tvd

    archive = data_dir / tvd.CIFAR10.filename
    try:
        if not archive.is_file():
            fetch([tvd.CIFAR10.url], archive, tvd.CIFAR10.tgz_md5, progress)
        progress("Extracting CIFAR-10", 0, 0)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(data_dir, filter="data")
    except (OSError, tarfile.TarError) as e:
        raise DatasetError(missing_message("CIFAR-10", folder, missing, f"downloading failed ({e})")) from None
