"""glibc's allocator, told to keep the memory a training step frees for the next step.

By default glibc serves blocks above a threshold that adapts up to 32 MB with mmap, and gives the top of the heap
back to the system once 128 kB of it are free. A training step allocates and frees the same few megabytes of
activations and gradients every time, so each step maps fresh pages and faults them in again: on 2 cores,
seed-cnn at batch 64 took ~1,000,000 page faults in 300 steps, and 185,000 with the settings below, at 1.27x the
speed (bench/RESULTS.md). This is what MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ do, or an allocator such
as jemalloc preloaded; mallopt sets it from inside the process. Elsewhere (macOS, Windows, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

log = logging.getLogger(__name__)

OFF_SWITCH = "PLAYGROUND_MALLOC_DEFAULTS"  # =1: leave glibc's settings alone (bench/levers.py compares)
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
MMAP_THRESHOLD = 32 * 2**20  # glibc's own upper bound for it: blocks up to this size come from the heap
TRIM_THRESHOLD = 256 * 2**20  # give free heap back only beyond 256 MB
TOP_PAD = 16 * 2**20  # grow the heap in steps of 16 MB
_done = False


def keep_freed_memory() -> bool:
    """Once per process; True if glibc took the settings."""
    global _done
    if _done:
        return True
    _done = True
    if not sys.platform.startswith("linux") or os.environ.get(OFF_SWITCH) == "1":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    ok = all(mallopt(option, value) == 1 for option, value in (
        (_M_MMAP_THRESHOLD, MMAP_THRESHOLD), (_M_TRIM_THRESHOLD, TRIM_THRESHOLD), (_M_TOP_PAD, TOP_PAD)))
    if not ok:
        log.debug("mallopt refused a setting; the allocator keeps its defaults")
    return ok
