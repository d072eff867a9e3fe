"""Following a run that another process trains (a terminal, torchrun, another machine writing to a shared
folder): its curves fill as its epochs are written, the drawing panel and the inside views use its latest
checkpoint, and Stop asks it to stop at its next step (a STOP file that the run watches).

Read-only and cheap, in the GUI thread: every half second a RunFollower reads what metrics.jsonl gained and
whether model.pt was replaced (a few file system calls); a replaced checkpoint is loaded at most every few
seconds. The run has ended when the run store says so, or, for a folder the store does not know, when it has
done its planned epochs or removed the STOP file it was sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Slot

from playground.core.errors import PlaygroundError
from playground.gui.session import SessionModel, StoredRun

POLL_MS = 500
LOAD_EVERY_S = 3.0  # loading a checkpoint takes the GUI thread milliseconds: not at every epoch of a fast run


class FollowController(QObject):
    def __init__(self, session: SessionModel, bar: Any, status: Any, messages: Any,
                 open_model: Callable[[str], None], record_of: Callable[[str], Any], parent: QObject | None = None):
        """bar: FollowBar; open_model(path) loads a checkpoint for drawing and the views; record_of(run id) is
        the run as the Runs panel last read it (None for a folder the store does not hold)."""
        super().__init__(parent)
        self.session, self._bar, self._status, self._messages = session, bar, status, messages
        self._open_model, self._record_of = open_model, record_of
        self._follower: Any = None
        self._run_id = ""
        self._stop_sent = False
        self._checkpoint: str | None = None  # a replaced model.pt not loaded yet
        self._loaded_at = float("-inf")
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        bar.stop_clicked.connect(self._on_bar_stop_clicked)
        bar.end_clicked.connect(self._on_bar_end_clicked)
        session.run_starting.connect(self._on_session_run_starting)

    @property
    def active(self) -> bool:
        return self._follower is not None

    def follow(self, folder: str | Path, record: Any = None) -> bool:
        """Follow the run writing `folder` (its record, when the run store has it)."""
        from playground.core.run_follow import RunFollower
        from playground.core.store import METRICS_FILE

        folder = Path(folder)
        if not (folder / METRICS_FILE).is_file():
            self._messages.error("Not a run folder", f"{folder} holds no {METRICS_FILE}: choose the folder of a "
                                 "run (playground train --out FOLDER writes one), or a run listed in Runs")
            return False
        self.stop_following("")
        self._follower, self._run_id, self._stop_sent = RunFollower(folder), record.id if record else "", False
        self._checkpoint, self._loaded_at = None, float("-inf")
        self.session.follow(_stored_run(folder, record))
        self._timer.start()
        self._on_timer_timeout()
        return True

    def request_stop(self) -> None:
        from playground.core.run_follow import request_stop

        if self._follower is None:
            return
        try:
            request_stop(self._follower.folder)
        except OSError as e:
            self._messages.error("Cannot ask the run to stop", f"cannot write {self._follower.folder}/STOP: "
                                 f"{e.strerror or e}; stop it where it runs (Ctrl+C in its terminal)")
            return
        self._stop_sent = True
        self._show(stopping=True)

    def stop_following(self, message: str = "Stopped following; the run goes on") -> None:
        if self._follower is None:
            return
        self._timer.stop()
        self._follower = None
        self._bar.hide_bar()
        self.session.follow(None)
        if message:
            self._status.showMessage(message, 12000)

    def shutdown(self) -> None:
        self.stop_following("")

    # -- polling ----------------------------------------------------------------------------------------------
    @Slot()
    def _on_timer_timeout(self) -> None:
        from playground.core.run_follow import CheckpointWritten, MetricsRestarted

        for event in self._follower.poll():
            if isinstance(event, MetricsRestarted):  # another run started in this folder: its curves start over
                self.session.follow(replace(self.session.following, epochs=()))
            elif isinstance(event, CheckpointWritten):
                self._checkpoint = str(event.path)
            else:
                self.session.add_followed_epoch(event)
        self._load_checkpoint()
        ended = self._ended()
        if ended:
            self._load_checkpoint(force=True)
            self.stop_following(f"{self.session.following.name} {ended} after "
                                f"{len(self.session.following.epochs)} epoch(s); its curves stay in the plots")
        else:
            self._show(stopping=self._stop_sent)

    def _load_checkpoint(self, force: bool = False) -> None:
        if self._checkpoint is None or (not force and time.monotonic() - self._loaded_at < LOAD_EVERY_S):
            return
        path, self._checkpoint, self._loaded_at = self._checkpoint, None, time.monotonic()
        try:
            self._open_model(path)
        except (PlaygroundError, OSError) as e:  # caught mid-write on a shared folder: the next one will do
            self._status.showMessage(f"Could not load the followed run's checkpoint yet: {e}", 5000)

    def _ended(self) -> str:
        """How the run ended ('completed', 'stopped', ...), '' while it goes on."""
        record = self._record_of(self._run_id) if self._run_id else None
        if record is not None:
            return record.status if record.status != "running" else ""
        run = self.session.following
        if run.epochs_planned and len(run.epochs) >= run.epochs_planned:
            return "completed"
        stop_file = self._follower.folder / "STOP"
        return "stopped" if self._stop_sent and not stop_file.exists() else ""

    def _show(self, stopping: bool) -> None:
        run = self.session.following
        done = f"epoch {len(run.epochs)}" + (f" of {run.epochs_planned}" if run.epochs_planned else "")
        state = "stop requested: it stops at its next step…" if stopping else "training elsewhere"
        self._bar.show_following(f"Following <b>{run.name}</b> ({done}, {state}) in {run.folder}", not stopping)

    @Slot()
    def _on_bar_stop_clicked(self) -> None:
        self.request_stop()

    @Slot()
    def _on_bar_end_clicked(self) -> None:
        self.stop_following()

    # -- the window's own runs ----------------------------------------------------------------------------------
    def _on_session_run_starting(self, config: Any) -> None:
        """The window trains a run of its own: the plots are its now."""
        self.stop_following("Stopped following: the plots show the run you started")


def _stored_run(folder: Path, record: Any) -> StoredRun:
    from playground.core.models.spec import CLASSIFICATION

    if record is not None:
        return StoredRun(record.name, str(record.folder), record.kind, record.epochs_planned, (), record.id)
    from playground.core.config import read_toml
    from playground.core.store import CONFIG_FILE

    try:
        config = read_toml(folder / CONFIG_FILE)
    except PlaygroundError:
        config = {}
    kind = CLASSIFICATION  # until the settings say otherwise
    if "arch" in config and "dataset" in config:
        from playground.core.config import TrainConfig
        from playground.core.store import run_kind

        try:
            kind = run_kind(TrainConfig.from_dict(config))
        except (PlaygroundError, KeyError):
            pass
    return StoredRun(folder.name, str(folder), kind, int(config.get("epochs", 0)), ())
