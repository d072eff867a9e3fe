"""Your own images: a folder with one sub-folder per class, resized to a chosen square size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from playground.core.data.splits import DataSplits, Progress, image_splits
from playground.core.errors import DatasetError

SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}


def load_image_folder(path: str, size: int, grayscale: bool, test_fraction: float, seed: int,
                      progress: Progress) -> DataSplits:
    from PIL import Image  # pillow comes with torchvision

    root = Path(path).expanduser()
    if not path or not root.is_dir():
        raise DatasetError(f"image folder {path!r} does not exist; set the dataset option path to a folder "
                           "with one sub-folder of images per class")
    classes = sorted(d.name for d in root.iterdir() if d.is_dir())
    files = [(f, i) for i, c in enumerate(classes) for f in sorted((root / c).iterdir())
             if f.suffix.lower() in SUFFIXES]
    if len(classes) < 2 or not files:
        raise DatasetError(f"{root} needs at least two sub-folders (one per class) holding images "
                           f"({', '.join(sorted(SUFFIXES))}); found {len(classes)} sub-folders, {len(files)} images")
    mode = "L" if grayscale else "RGB"
    images = np.empty((len(files), size, size, 1 if grayscale else 3), np.uint8)
    for n, (f, _) in enumerate(files):
        try:
            with Image.open(f) as im:
                images[n] = np.asarray(im.convert(mode).resize((size, size)), np.uint8).reshape(size, size, -1)
        except OSError as e:
            raise DatasetError(f"cannot read image {f}: {e}; remove or replace it") from None
        if n % 200 == 0:
            progress("Reading images", n, len(files))
    x = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()
    y = torch.tensor([i for _, i in files])
    perm = torch.randperm(len(files), generator=torch.Generator().manual_seed(seed))
    k = max(1, int(len(files) * test_fraction))
    return image_splits(x[perm[k:]], y[perm[k:]], x[perm[:k]], y[perm[:k]], tuple(classes))
