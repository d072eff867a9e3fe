"""One core for the calling thread's torch ops, without changing what other threads get.

PyTorch's OpenMP thread count is per thread: `torch.set_num_threads` sets it for the calling thread and
as the default for threads that start using torch later. A live prediction is one small forward pass, where
a second thread only adds waiting; on a busy machine (training on every core) a team of two spinning
threads made the median prediction 10x slower. So the thread that predicts runs on one core, and the
default is put back at once from a helper thread, so a training thread started later is not affected.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import torch


def predict_on_one_core_here() -> None:
    """Make the calling thread's torch ops single-threaded; other threads keep their counts and the default."""
    default = _in_fresh_thread(torch.get_num_threads)  # what a thread that starts using torch now would get
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    _in_fresh_thread(torch.set_num_threads, default)


def _in_fresh_thread(fn: Callable[..., Any], *args: Any) -> Any:
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(fn(*args)), name="torch-threads")
    thread.start()
    thread.join()
    return result[0]
