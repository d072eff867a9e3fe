"""Training threads yield the CPU to the GUI thread.

Training keeps every core busy; the GUI thread wakes up only for short bursts (a repaint, a signal) and
must get a core at once or the window stutters. A lower priority for the training thread does that and
costs training almost nothing, as the GUI thread needs little CPU.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

from PySide6.QtCore import QThread

log = logging.getLogger(__name__)
# Linux nice value added to the training thread (0 = normal, 19 = lowest); the variable is for measuring.
# 5 keeps the window smooth (p99 timer lateness ~4 ms vs ~7 ms at 0) yet leaves training a fair share of a
# machine busy with other work (at 10 it got a tenth of a core next to any ordinary busy process).
TRAINING_NICENESS = int(os.environ.get("PLAYGROUND_TRAINING_NICENESS", "5"))


def lower_current_thread_priority() -> None:
    """Call first thing in a worker thread: on Linux the threads torch then starts (OpenMP) inherit it."""
    if TRAINING_NICENESS <= 0:
        return
    if sys.platform.startswith("linux"):
        tid = threading.get_native_id()
        try:  # on Linux, nice is per thread: this leaves the GUI thread as it is
            os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + TRAINING_NICENESS))
        except OSError as e:
            log.warning("could not lower the training thread's priority: %s", e)
    else:
        QThread.currentThread().setPriority(QThread.Priority.LowPriority)
