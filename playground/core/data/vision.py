"""Image datasets in torchvision's layout: the MNIST family (idx files) and CIFAR-10."""

from __future__ import annotations

import gzip
import tarfile
from pathlib import Path

import numpy as np
import torch

from playground.core.data.download import fetch, missing_message, write_atomic
from playground.core.data.idx import read_idx
from playground.core.data.paths import downloads_allowed
from playground.core.data.safe_pickle import load_data_pickle
from playground.core.data.splits import DataSplits, Progress, image_splits
from playground.core.errors import DatasetError

CIFAR_FOLDER = "cifar-10-batches-py"
IDX_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
MNIST_FAMILY = {  # registry name -> (torchvision class and folder, class names)
    "mnist": ("MNIST", tuple("0123456789")),
    "fashion-mnist": ("FashionMNIST", ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")),
    "kmnist": ("KMNIST", ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo")),
}


def dataset_folder(name: str, data_dir: Path) -> Path | None:
    """The folder a downloaded dataset's files live in; None for datasets that are not downloaded."""
    if name in MNIST_FAMILY:
        return data_dir / MNIST_FAMILY[name][0]
    return data_dir / CIFAR_FOLDER if name == "cifar10" else None


def on_disk(name: str, data_dir: Path) -> bool:
    """Every file a downloaded dataset reads is there: loading it reads the disk and downloads nothing."""
    if name in MNIST_FAMILY:
        raw = data_dir / MNIST_FAMILY[name][0] / "raw"
        return all(_find_idx(raw, f) is not None for f in IDX_FILES)
    folder = data_dir / CIFAR_FOLDER
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch", "batches.meta"]
    return name == "cifar10" and all((folder / n).is_file() for n in names)


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
            write_atomic(raw / stem, gzip.decompress((raw / filename).read_bytes()))
    except (OSError, EOFError) as e:  # EOFError: a .gz cut short
        raise DatasetError(missing_message(folder_name, raw, missing, f"downloading failed ({e})")) from None


def load_cifar10(data_dir: Path, progress: Progress) -> DataSplits:
    folder = data_dir / CIFAR_FOLDER
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch", "batches.meta"]
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        _download_cifar10(data_dir, folder, missing, progress)
    progress("Decoding CIFAR-10", 0, 0)
    train = [_cifar_batch(folder / f"data_batch_{i}") for i in range(1, 6)]
    test = _cifar_batch(folder / "test_batch")
    names = _cifar_names(folder / "batches.meta")

    def images(batches: list[tuple[np.ndarray, list[int]]]) -> torch.Tensor:
        return torch.from_numpy(np.concatenate([b[0] for b in batches]).reshape(-1, 3, 32, 32))

    def labels(batches: list[tuple[np.ndarray, list[int]]]) -> torch.Tensor:
        return torch.tensor(np.concatenate([b[1] for b in batches]), dtype=torch.int64)

    return image_splits(images(train), labels(train), images([test]), labels([test]), names)


def _cifar_batch(path: Path) -> tuple[np.ndarray, list[int]]:
    """A batch's images (N x 3072 uint8) and labels, or a DatasetError naming the file."""
    batch = _unpickle(path)
    data, labels = batch.get("data"), batch.get("labels")
    if not (isinstance(data, np.ndarray) and data.dtype == np.uint8 and data.ndim == 2 and data.shape[1] == 3072
            and isinstance(labels, list) and len(labels) == len(data)
            and all(isinstance(v, int) and 0 <= v < 10 for v in labels)):
        raise DatasetError(f"{path} is not a CIFAR-10 batch (no 3072-byte images with labels 0-9); "
                           f"delete {path.parent} so that it is downloaded again")
    return data, labels


def _cifar_names(path: Path) -> tuple[str, ...]:
    names = _unpickle(path).get("label_names")
    if not (isinstance(names, list) and len(names) == 10 and all(isinstance(n, str) for n in names)):
        raise DatasetError(f"{path} does not hold CIFAR-10's ten class names; "
                           f"delete {path.parent} so that it is downloaded again")
    return tuple(names)


def _unpickle(path: Path) -> dict:
    """A CIFAR-10 python batch (a pickle), read by an unpickler that can build data and nothing else."""
    try:
        batch = load_data_pickle(path)
    except OSError as e:
        raise DatasetError(f"cannot read {path}: {e.strerror or e}; check the file's permissions") from None
    except Exception as e:  # a damaged pickle fails in many ways (EOFError, ValueError, UnpicklingError...)
        raise DatasetError(f"{path} is damaged or is not a CIFAR-10 batch ({_first_line(e)}); nothing in it "
                           f"was run. Delete {path.parent} so that it is downloaded again") from None
    if not isinstance(batch, dict):
        raise DatasetError(f"{path} is not a CIFAR-10 batch; delete {path.parent} so that it is downloaded again")
    return {k.decode("latin1") if isinstance(k, bytes) else k: v for k, v in batch.items()}


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


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
