"""Text as a dataset: characters are the tokens. The vocabulary is every character of the first 90% (the training
split); the last 10% is the validation split, where a character the training split lacks is left out (and said).

Files come from the user: they are checked for being text (no NUL bytes, valid UTF-8) before anything else, and
every problem is one line that names the file and the fix.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from playground.core.data.inputs import TEXT
from playground.core.data.splits import DataSplits, Progress, no_progress
from playground.core.errors import DatasetError

TRAIN_FRACTION = 0.9
MAX_BYTES = 512 * 1024 * 1024  # far more text than trains here; a larger file is most likely not text
_EMPTY = torch.empty(0, dtype=torch.long)


def read_text(path: str | Path) -> str:
    """The file's text; DatasetError when it is missing, empty, too large, binary or not UTF-8."""
    path = Path(path).expanduser()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DatasetError(f"{path} is {size / 2**30:.1f} GB, more text than a character model here learns "
                               f"from (at most {MAX_BYTES // 2**20} MB); take a part of it")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{path} does not exist; give the path of a text file (--data-file PATH)") from None
    except IsADirectoryError:
        raise DatasetError(f"{path} is a folder; give the path of one text file (--data-file PATH)") from None
    except OSError as e:
        raise DatasetError(f"cannot read {path}: {e.strerror or e}; check the file's permissions") from None
    if not raw.strip():
        raise DatasetError(f"{path} is empty; choose a file with some text in it")
    if b"\x00" in raw[:65536]:
        raise DatasetError(f"{path} is not text (it holds binary data, like an image or a program); choose a "
                           "plain-text file, saved as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DatasetError(f"{path} is not UTF-8 text (byte 0x{raw[e.start]:02x} at position {e.start:,} is not "
                           "UTF-8); save it as UTF-8 (in most editors: Save as, Encoding, UTF-8)") from None


def load_text(path: str | Path, progress: Progress = no_progress) -> DataSplits:
    """The file as character ids: train_x the first 90%, val_x the rest; class_names the vocabulary."""
    progress(f"Reading {Path(path).name}", 0, 0)
    text = read_text(path)
    cut = int(len(text) * TRAIN_FRACTION)
    train, held_out = text[:cut], text[cut:]
    vocab = np.array(sorted(set(train)))
    codes = np.array([ord(c) for c in vocab], dtype=np.uint32)
    train_ids, _ = _encode(train, codes)
    val_ids, unknown = _encode(held_out, codes)
    notices = ()
    if unknown:
        shown = ", ".join(repr(c) for c in unknown[:8]) + (", …" if len(unknown) > 8 else "")
        notices = (f"the validation text (the last 10%) has {len(unknown)} character(s) the training text lacks "
                   f"({shown}); they are left out of it",)
    return DataSplits(train_x=train_ids, train_y=_EMPTY, test_x=_EMPTY, test_y=_EMPTY, task="language",
                      num_classes=len(vocab), class_names=tuple(str(c) for c in vocab), val_x=val_ids,
                      val_y=_EMPTY, notices=notices, inputs=TEXT)


def _encode(text: str, codes: np.ndarray) -> tuple[torch.Tensor, list[str]]:
    """Character ids (int64) of the characters in `codes` (sorted code points), and the distinct others."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    where = np.searchsorted(codes, points).clip(0, max(0, len(codes) - 1))
    known = codes[where] == points if len(codes) else np.zeros(len(points), dtype=bool)
    unknown = sorted({chr(p) for p in np.unique(points[~known])})
    return torch.from_numpy(where[known].astype(np.int64)), unknown
