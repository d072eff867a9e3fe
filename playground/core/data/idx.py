"""MNIST-family idx files, parsed with numpy in milliseconds (no torchvision import needed)."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import torch

from playground.core.errors import DatasetError

_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: Path) -> torch.Tensor:
    """The array stored in an idx file (plain or .gz) as a tensor."""
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise DatasetError(f"cannot read {path}: {e}; delete it so that it is downloaded again") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _DTYPES:
        raise DatasetError(f"{path} is not an idx file (bad header); delete it so that it is downloaded again")
    ndim = raw[3]
    if len(raw) < 4 + 4 * ndim:  # cut inside the dimensions: nothing to read the sizes from
        raise DatasetError(f"{path} is truncated or corrupt ({len(raw)} bytes, a header of {4 + 4 * ndim}); "
                           "delete it so that it is downloaded again")
    dims = np.frombuffer(raw, dtype=">i4", count=ndim, offset=4)
    dtype = np.dtype(_DTYPES[raw[2]])
    expected = 4 + 4 * ndim + int(np.prod(dims)) * dtype.itemsize
    if len(raw) != expected:
        raise DatasetError(f"{path} is truncated or corrupt ({len(raw)} bytes, expected {expected}); "
                           "delete it so that it is downloaded again")
    data = np.frombuffer(raw, dtype=dtype, offset=4 + 4 * ndim).reshape(dims)
    return torch.from_numpy(data.astype(dtype.newbyteorder("="), copy=True))
