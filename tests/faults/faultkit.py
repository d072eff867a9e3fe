"""Helpers of the fault suite (a module of its own: every test folder has a conftest.py)."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from playground.core.config import TrainConfig

TINY_ARGS = ["--arch", "mlp", "-O", "hidden=8", "--dataset", "blobs", "--dataset-option", "samples=400",
             "--batch-size", "8", "--threads", "1", "--device", "cpu"]


def image_folder(root: Path, classes: tuple[str, ...] = ("bright", "dark"), per_class: int = 6) -> Path:
    """Sub-folders of small grey PNGs, one shade per class (added to `root` if it exists)."""
    from PIL import Image

    for n, name in enumerate(classes):
        (root / name).mkdir(parents=True, exist_ok=True)
        for k in range(per_class):
            Image.new("L", (10 + k, 10), (40 + 90 * n + k) % 256).save(root / name / f"{k}.png")
    return root


def tiny(**changes) -> TrainConfig:
    """A run of a few milliseconds: a small MLP on generated 2-D points."""
    base = TrainConfig(arch="mlp", arch_options={"hidden": [8]}, dataset="blobs", dataset_options={"samples": 200},
                       batch_size=16, epochs=2, lr=0.01, device="cpu", threads=1)
    return base.replace(**changes)


def one_line_error(code: int, err: str, *words: str) -> str:
    """A non-zero exit with one line on stderr that holds every word, and no traceback."""
    assert code not in (0, None), err
    assert "Traceback" not in err, err
    lines = [line for line in err.strip().splitlines() if line.startswith("playground: error")]
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    return lines[0]


def idx_bytes(array: np.ndarray) -> bytes:
    """An idx file (MNIST's format) holding a uint8 array."""
    return bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}i", *array.shape) + array.tobytes()


def fake_mnist(data_dir: Path, train: int = 64, test: int = 16) -> Path:
    """data_dir/MNIST/raw with small idx files of random digits: MNIST's layout without its 50 MB."""
    rng = np.random.default_rng(0)
    raw = data_dir / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for split, n in (("train", train), ("t10k", test)):
        (raw / f"{split}-images-idx3-ubyte").write_bytes(idx_bytes(rng.integers(0, 256, (n, 28, 28), np.uint8)))
        (raw / f"{split}-labels-idx1-ubyte").write_bytes(idx_bytes(rng.integers(0, 10, n, np.uint8)))
    return raw
