"""Ctrl+C (SIGINT) and SIGTERM during `playground train`.

The first signal stops the run at the next step through RunControl.interrupt(): the Trainer saves a checkpoint
of that very step, and the command exits with 128 + the signal's number (130, 143), as a shell reports a
process the signal ended. A second signal, or one before training has begun (nothing to save yet), leaves at
once. The handlers are installed only while the run trains and the previous ones are put back afterwards.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from playground.core.training.callbacks import Callback
from playground.core.training.control import RunControl
from playground.core.training.events import RunStarted

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """Leave at once: a second signal, or one that came before training began."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


class SignalStop(Callback):
    """Turns the first stop signal of a training run into RunControl.interrupt(); a callback of the run, so
    that it knows when training has begun."""

    all_ranks = True  # torchrun passes a signal on to every rank: each one stops at the same agreed step

    def __init__(self, control: RunControl):
        self.control = control
        self.signum: int | None = None  # the first signal received
        self.training = False

    def on_start(self, event: RunStarted) -> None:
        self.training = True

    @property
    def exit_status(self) -> int | None:
        return None if self.signum is None else 128 + self.signum

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is not None or not self.training:
            self.signum = self.signum or signum
            raise Interrupted(signum)
        self.signum = signum
        self.control.interrupt()
        _say(f"playground: {signal.Signals(signum).name} received: stopping after this step and saving it "
             "(press Ctrl+C again to quit at once)")


@contextmanager
def stop_on_signals(control: RunControl) -> Iterator[SignalStop]:
    """SIGINT and SIGTERM stop the run of `control` while the block runs; the old handlers return after it."""
    stop = SignalStop(control)
    if threading.current_thread() is not threading.main_thread():  # only the main thread may catch signals
        yield stop
        return
    previous = {s: signal.signal(s, stop.handle) for s in STOP_SIGNALS}
    try:
        yield stop
    finally:
        for s, handler in previous.items():
            signal.signal(s, signal.SIG_DFL if handler is None else handler)  # None: set outside Python


def _say(line: str) -> None:
    try:  # the handler may run while the progress bar is writing: a reentrant write raises RuntimeError
        print(line, file=sys.stderr, flush=True)
    except (RuntimeError, OSError, ValueError):
        pass
