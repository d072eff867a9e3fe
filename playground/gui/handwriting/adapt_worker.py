"""Adapting the digit model to the user's handwriting off the GUI thread: a worker object on a QThread of its own
runs core.inference.adapt and reports through signals (connect them to @Slot methods in the GUI thread)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from playground.core.errors import PlaygroundError
from playground.gui.training.gui_thread import hand_back_to_gui_thread
from playground.gui.training.thread_priority import lower_current_thread_priority

log = logging.getLogger(__name__)


class AdaptWorker(QObject):
    progress = Signal(int, int)  # steps done, steps in all
    failed = Signal(str)  # a message naming the fix
    finished = Signal(object)  # an AdaptResult, or None when it failed or was stopped; always the last signal

    def __init__(self, personal_root: Path, settings: object | None = None):
        super().__init__()
        self._root = personal_root
        self._settings = settings
        self._stop = threading.Event()

    def stop(self) -> None:
        """Thread-safe: end at the next step (nothing is saved)."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        result = None
        try:
            lower_current_thread_priority()
            result = self._adapt()
        except PlaygroundError as e:  # no digits, no MNIST: the message names the fix
            self.failed.emit(str(e))
        except Exception as e:  # a bug: said, not left hanging
            log.exception("adapting to handwriting failed")
            self.failed.emit(f"internal error: {type(e).__name__}: {e}. This is a bug in playground; please report it")
        finally:
            hand_back_to_gui_thread(self)  # deleted there, never in this thread
            self.finished.emit(result)

    def _adapt(self) -> object:
        from playground.core.inference.adapt import AdaptSettings, adapt_to_handwriting

        settings = self._settings if self._settings is not None else AdaptSettings()
        result = adapt_to_handwriting(self._root, settings=settings, progress=self.progress.emit,
                                      should_stop=self._stop.is_set)
        return result if result.path is not None else None


def launch_adaptation(personal_root: Path, settings: object | None = None) -> tuple[AdaptWorker, QThread]:
    """A worker on a new thread, not yet started: connect its signals, then start the thread."""
    worker = AdaptWorker(personal_root, settings)
    thread = QThread()
    thread.setObjectName("playground-adapt-handwriting")
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    return worker, thread
