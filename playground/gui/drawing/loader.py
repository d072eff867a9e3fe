"""Loading the bundled model off the GUI thread, so that the window shows before torch is imported."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal


class BundledModelLoader(QObject):
    """Loads the bundled checkpoint in a plain Python thread; `loaded` carries a Predictor, `failed` a message.

    The signals are emitted from the loading thread and so reach GUI-thread slots as queued calls.
    """

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start loading, once; later calls do nothing."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._load, name="bundled-model-loader", daemon=True)
            self._thread.start()

    def started(self) -> bool:
        return self._thread is not None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loading ended; True if it did within the timeout."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()

    def _load(self) -> None:
        try:
            # the window's torch warm-up thread starts at the same module: two threads that import
            # the same modules in the same order cannot deadlock on Python's per-module import locks
            import playground.core.training.trainer  # noqa: F401
            from playground.core.inference.bundled import digit_model

            path, label = digit_model()  # the one adapted to the user's handwriting, where there is one
            if path is None:
                self._emit_failed("no bundled model in this installation: train one, or open a checkpoint")
                return

            predictor = _load_predictor(path, label)
            predictor.predict(predictor.example_input())  # warm up the first call's one-off costs here
        except Exception as e:  # reported to the user; the panel works without a bundled model
            self._emit_failed(f"the bundled model could not be loaded: {e}")
            return
        try:
            self.loaded.emit(predictor)
        except RuntimeError:  # the panel was closed while loading
            pass

    def _emit_failed(self, message: str) -> None:
        try:
            self.failed.emit(message)
        except RuntimeError:
            pass


def _load_predictor(path, label: str):
    """A Predictor for the digit model; a damaged adapted model falls back to the bundled one."""
    from playground.core.errors import CheckpointError
    from playground.core.inference.bundled import ADAPTED_MODEL_LABEL, BUNDLED_MODEL_LABEL, bundled_model_path
    from playground.core.inference.predictor import Predictor

    try:
        return Predictor.from_checkpoint(path, label)
    except CheckpointError:
        if label != ADAPTED_MODEL_LABEL or bundled_model_path() is None:
            raise
        return Predictor.from_checkpoint(bundled_model_path(), BUNDLED_MODEL_LABEL)
