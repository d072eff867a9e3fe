"""Is the process that writes a run still there? A run recorded as running whose writer has gone (killed,
crashed, the power cut) is interrupted.

The writer records its pid, host and process start time (a pid is reused, a pid with its start time is not),
and a heartbeat. On this host the process table answers at once; for a run written from another host (a
shared folder) only the heartbeat can, so such a run counts as gone once its heartbeat is STALE_AFTER_S old.
"""

from __future__ import annotations

import math
import socket
import time
from dataclasses import dataclass

import psutil

STALE_AFTER_S = 600.0  # a heartbeat this old from another host: that writer is gone
_SAME_PROCESS_S = 1.0  # start times of one process, as recorded and as read again, differ by rounding only


@dataclass(frozen=True)
class Owner:
    pid: int
    host: str
    started: float  # the process's start time (psutil's create_time)


def this_process() -> Owner:
    pid = psutil.Process().pid
    return Owner(pid, socket.gethostname(), _start_time(pid) or 0.0)


def is_alive(owner: Owner, heartbeat_at: float | None, now: float | None = None) -> bool:
    """Whether the run's writer still runs."""
    if owner.host == socket.gethostname():
        started = _start_time(owner.pid)
        if started is None:
            return False
        return math.isnan(started) or abs(started - owner.started) < _SAME_PROCESS_S
    last = heartbeat_at or 0.0
    return (now or time.time()) - last < STALE_AFTER_S


def _start_time(pid: int) -> float | None:
    """The start time of a living process, or None (no such process, or a zombie: killed, not yet reaped)."""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return process.create_time()
    except psutil.NoSuchProcess:
        return None
    except psutil.AccessDenied:  # another user's process exists there; its start time cannot be read (nan)
        return float("nan")
