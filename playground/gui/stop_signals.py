"""SIGINT (Ctrl+C in the terminal) and SIGTERM close the app as its window's close button does: a run stops as
interrupted and is kept, then the app exits with 128 + the signal's number (130, 143), as `playground train`
does and as a shell reports a process that a signal ended. A second signal leaves at once.

Python runs a signal handler only when the main thread runs bytecode, and Qt's event loop runs none while it
waits. So the C part of the handler also writes to a socket (signal.set_wakeup_fd) that a QSocketNotifier
watches: the event loop wakes at once, Python runs the handler, and the handler only posts the close to the
event loop (it may have interrupted any Python code of the GUI thread).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Slot
from PySide6.QtWidgets import QApplication, QDialog, QWidget

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals(QObject):
    """Installed for the life of the event loop (main thread only); `restore()` puts the old handlers back."""

    def __init__(self, window: QWidget, parent: QObject | None = None):
        super().__init__(parent)
        self._window = window
        self.signum: int | None = None  # the first signal received
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {s: signal.signal(s, self.handle) for s in STOP_SIGNALS}

    @property
    def exit_status(self) -> int | None:
        return None if self.signum is None else 128 + self.signum

    def handle(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.signum is not None:  # the close is taking too long for the user: leave now
            _say(f"playground: {name} received again: quitting at once")
            os._exit(128 + self.signum)
        self.signum = signum
        _say(f"playground: {name} received: closing (a run stops first; {name} again quits at once)")
        QTimer.singleShot(0, self._on_close_due)

    @Slot()
    def _on_notifier_activated(self) -> None:
        """Only wakes the interpreter (the handler has run before this slot's first line); empties the socket."""
        try:
            while self._reader.recv(64):
                pass
        except OSError:  # BlockingIOError: empty now
            pass

    @Slot()
    def _on_close_due(self) -> None:
        for widget in QApplication.topLevelWidgets():  # an open dialog would keep the app running
            if widget is not self._window and isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self._window.close()

    def restore(self) -> None:
        """The event loop has ended: a signal from now on acts as it did before (it ends the process)."""
        for s, handler in self._previous.items():
            signal.signal(s, signal.SIG_DFL if handler is None else handler)  # None: set outside Python
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()


def _say(line: str) -> None:
    try:  # the handler may interrupt a write to stderr: a reentrant write raises RuntimeError
        print(line, file=sys.stderr, flush=True)
    except (RuntimeError, OSError, ValueError):
        pass
