"""The chosen dataset read ahead, and its model warmed, while the window waits for a Train click.

Reading MNIST from disk (decoding, standardising) takes about 0.3 s, and the first step of a model about 75 ms
more than the next (its CPU kernels are made then): a Train click would wait for both before the first point.
Once torch has loaded, and again whenever the settings change while no run is active, the dataset is read in a
thread of its own into the data registry's cache, where the run then finds it, and one step of the model is
trained and thrown away (core.training.warm). Only datasets that need no download and no file of the user's are
read ahead (core.data.registry); a run that starts meanwhile waits for the registry, then finds both done.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Slot

from playground.gui.views.background import BackgroundJobs

log = logging.getLogger(__name__)
SETTLE_MS = 400  # after the settings stop changing: a dataset scrolled past in the list is not read


def _read_ahead(config: Any) -> str:
    from playground.core.data.registry import exclusive, load_for, readable_without_download
    from playground.core.training.warm import warm_step

    if readable_without_download(config):
        data = load_for(config)
        with exclusive():  # a run's load waits for this step: it never shares the random numbers or the cores
            warm_step(config, data)
    return config.dataset


class DataPrefetch(QObject):
    """panel: the SettingsPanel (changed, config()); startup: Startup (ready, is_ready); session: SessionModel
    (active)."""

    def __init__(self, panel: Any, startup: Any, session: Any, parent: QObject | None = None):
        super().__init__(parent)
        self._panel, self._startup, self._session = panel, startup, session
        self._jobs = BackgroundJobs(_read_ahead, "playground-prefetch", self, torch_threads=False)
        self._jobs.failed.connect(self._on_jobs_failed)
        self._last: tuple | None = None
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._on_settle_timeout)
        panel.changed.connect(self._settle.start)
        startup.ready.connect(self._on_settle_timeout)  # at once: the first Train click may come any moment

    @Slot()
    def _on_settle_timeout(self) -> None:
        if not self._startup.is_ready or self._session.active:
            return
        config = self._panel.config()
        key = repr(config.replace(epochs=1, lr=1.0))  # what the model and its data are; not the knobs' values
        if key != self._last:
            self._last = key
            self._jobs.submit(config)

    @Slot(str)
    def _on_jobs_failed(self, message: str) -> None:
        log.info("reading the dataset ahead failed (the run will say why): %s", message)

    def shutdown(self) -> None:
        self._jobs.close()
