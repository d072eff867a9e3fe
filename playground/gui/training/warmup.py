"""Loading torch in the background once the window is on screen, so the first Train click finds it ready.

A closing window cancels it: it stops after the stage it is in (an import cannot be cut short).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from playground.gui.training.gui_thread import hand_back_to_gui_thread

log = logging.getLogger(__name__)


class TorchWarmup(QObject):
    """Imports torch and the trainer, lists the devices and runs one tiny step so its kernels are loaded."""

    imported = Signal()  # torch is loaded: what else imports numpy and CUDA's bindings (pyqtgraph) finds them
    ready = Signal(object)  # list of (device name, label), CPU first
    failed = Signal(str)
    finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        """From any thread: skip the stages not begun yet (ready is then not emitted)."""
        self._cancelled.set()

    @Slot()
    def run(self) -> None:
        _busy.set()
        try:
            devices = _warm_up(self._cancelled.is_set, self.imported.emit)
            if devices is not None:
                self.ready.emit(devices)
        except Exception as e:  # a broken torch install: say so; training will report it too
            log.exception("warming up torch failed")
            self.failed.emit(f"PyTorch could not be loaded ({type(e).__name__}: {e}); reinstall it "
                             "with `pip install torch` in this environment")
        finally:
            _busy.clear()
            hand_back_to_gui_thread(self)  # deleted there (deleteLater on finished), never in this thread
            self.finished.emit()


_busy = threading.Event()  # set while a warm-up runs: a run started meanwhile waits for it (training_worker)


def warming_up() -> bool:
    """A warm-up is importing torch and the trainer, or loading the first kernels: a run would
    only wait for the same imports, inside Python's import lock, where no stop reaches it."""
    return _busy.is_set()


def _warm_up(cancelled: Callable[[], bool], imported: Callable[[], None]) -> list[tuple[str, str]] | None:
    """The devices, or None when cancelled between two stages (each takes up to seconds on a busy machine)."""
    import os

    import torch

    imported()

    import playground.core.training.trainer  # noqa: F401  (everything a run imports)
    from playground.core.training.eager_optim import eager
    from playground.core.training.setup import available_devices
    from playground.gui.settings.model_summary import summary_rows

    if cancelled():
        return None
    conv = torch.nn.Conv2d(1, 2, 3)
    optimizer = eager(torch.optim.SGD)(conv.parameters(), lr=0.1)  # as a run's: no torch._dynamo (seconds)
    conv(torch.zeros(2, 1, 8, 8)).sum().backward()  # loads the kernels and autograd engine the first run needs
    optimizer.step()
    if cancelled():
        return None
    summary_rows("seed-cnn", {}, (1, 28, 28), 10)  # the first summary on the meta device is slow too
    labels = []
    for name in available_devices():
        if name.startswith("cuda"):
            labels.append((name, f"{name} · {torch.cuda.get_device_name(int(name.split(':')[1]))}"))
        elif name == "mps":
            labels.append((name, "mps · Apple GPU"))
        else:
            labels.append((name, f"cpu · {os.cpu_count()} cores"))
    return labels


def start_warmup(receiver: QObject) -> QThread:
    """Run the warm-up in its own thread; receiver gets _on_torch_imported(), _on_warmup_ready(list),
    _on_warmup_failed(str) and _on_warmup_thread_finished() in the GUI thread."""
    worker = TorchWarmup()
    thread = QThread()
    thread.setObjectName("playground-torch-warmup")
    worker.moveToThread(thread)
    worker.imported.connect(receiver._on_torch_imported)
    worker.ready.connect(receiver._on_warmup_ready)
    worker.failed.connect(receiver._on_warmup_failed)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)  # after the worker's own signals, in the GUI thread
    thread.finished.connect(receiver._on_warmup_thread_finished)
    thread.finished.connect(thread.deleteLater)
    thread.worker = worker  # keep the Python wrapper alive until the thread is done
    thread.start()
    return thread
