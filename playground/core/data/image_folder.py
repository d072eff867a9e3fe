"""Your own images: a folder with one sub-folder per class, resized to a chosen square size."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from playground.core.data.splits import DataSplits, Progress, image_splits
from playground.core.errors import DatasetError

SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}


def load_image_folder(path: str, size: int, grayscale: bool, test_fraction: float, seed: int,
                      progress: Progress) -> DataSplits:
    root = Path(path).expanduser()
    if not path or not root.is_dir():
        raise DatasetError(f"image folder {path!r} does not exist; set the dataset option path to a folder "
                           "with one sub-folder of images per class")
    try:
        classes = sorted(d.name for d in root.iterdir() if d.is_dir())
        files = [(f, i) for i, c in enumerate(classes) for f in sorted((root / c).iterdir())
                 if f.suffix.lower() in SUFFIXES]
    except OSError as e:  # a sub-folder without read permission, or one deleted while we looked
        raise DatasetError(f"cannot list the image folder {root}: {e.strerror or e}; fix its permissions") from None
    if len(classes) < 2 or not files:
        raise DatasetError(f"{root} needs at least two sub-folders (one per class) holding images "
                           f"({', '.join(sorted(SUFFIXES))}); found {len(classes)} sub-folders, {len(files)} images")
    images, labels, unreadable = _read_images(files, size, grayscale, progress)
    if len(labels) < 2:  # one image would leave nothing to train on once the test images are held out
        first = f" (first unreadable: {unreadable[0]})" if unreadable else ""
        raise DatasetError(f"only {len(labels)} of the {len(files)} images in {root} can be read{first}; "
                           "a run needs at least 2: add PNG or JPEG files")
    x = torch.from_numpy(images[:len(labels)]).permute(0, 3, 1, 2).contiguous()
    y = torch.tensor(labels)
    perm = torch.randperm(len(labels), generator=torch.Generator().manual_seed(seed))
    k = max(1, int(len(labels) * test_fraction))
    splits = image_splits(x[perm[k:]], y[perm[k:]], x[perm[:k]], y[perm[:k]], tuple(classes))
    if not unreadable:
        return splits
    note = (f"skipped {len(unreadable)} unreadable image(s) of {len(files)} in {root} (first: {unreadable[0]}); "
            "remove or replace them")
    return replace(splits, notices=(note,))


def _read_images(files: list[tuple[Path, int]], size: int, grayscale: bool,
                 progress: Progress) -> tuple[np.ndarray, list[int], list[str]]:
    """The readable images (packed at the front of the array), their labels, and what could not be read."""
    from PIL import Image  # pillow comes with torchvision

    mode = "L" if grayscale else "RGB"
    images = np.empty((len(files), size, size, 1 if grayscale else 3), np.uint8)
    labels: list[int] = []
    unreadable: list[str] = []
    for n, (f, label) in enumerate(files):
        try:
            with Image.open(f) as im:
                pixels = np.asarray(im.convert(mode).resize((size, size)), np.uint8).reshape(size, size, -1)
        except Exception as e:  # a damaged file breaks a decoder in many ways; none of them is fatal
            unreadable.append(f"{f.name}: {_first_line(e)}")
            continue
        images[len(labels)] = pixels
        labels.append(label)
        if n % 200 == 0:
            progress("Reading images", n, len(files))
    return images, labels, unreadable


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]
