"""Reading CIFAR-10's python batches, which are pickles, without letting a pickle run code.

A pickle names functions to call while it loads; a doctored batch file could name os.system. This unpickler
knows only what the official batches are made of: dicts, lists, strings, numbers, and numpy's array
reconstruction (the functions numpy's own pickles name). Any other name is refused before anything is called.
"""

from __future__ import annotations

import codecs
import pickle
from pathlib import Path
from typing import Any

import numpy as np

# numpy's array reconstruction, found through numpy's own pickling (its module moved in numpy 2)
_RECONSTRUCT = np.zeros(1).__reduce__()[0]
_FROMBUFFER = np.zeros(1).__reduce_ex__(5)[0]


def _reconstruct(subtype: Any, shape: Any, dtype: Any) -> np.ndarray:
    """Only the empty array that numpy's pickles start from; the data follows in its state."""
    if subtype is not np.ndarray or tuple(shape) != (0,):
        raise pickle.UnpicklingError("an array made in an unusual way")
    return _RECONSTRUCT(subtype, shape, dtype)


def _latin1(text: Any, encoding: str = "latin1") -> bytes:
    """Python 3 pickles of protocol 2 write bytes as _codecs.encode(text, "latin1")."""
    if encoding != "latin1" or not isinstance(text, str):
        raise pickle.UnpicklingError(f"bytes made with the codec {encoding!r}")
    return codecs.encode(text, "latin1")


_ALLOWED = {
    **{(m, "_reconstruct"): _reconstruct for m in ("numpy.core.multiarray", "numpy._core.multiarray")},
    **{(m, "_frombuffer"): _FROMBUFFER for m in ("numpy.core.numeric", "numpy._core.numeric")},
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("_codecs", "encode"): _latin1,
}


class _DataOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"it names {module}.{name}, which a dataset file never needs") from None


def load_data_pickle(path: Path) -> Any:
    """The object in a pickle of plain data and numpy arrays; raises pickle.UnpicklingError (and the
    errors of a damaged file: EOFError, ValueError, ...) for anything else, having run nothing."""
    with open(path, "rb") as f:
        return _DataOnly(f, encoding="latin1").load()  # latin1: the batches were written by Python 2
