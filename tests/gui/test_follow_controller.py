"""Following a folder that the run store does not know (another machine's, shared), headless: its epochs as the
lines arrive, its checkpoints loaded, its end told by its planned epochs; a folder that is no run's says so."""

from __future__ import annotations

import json

from fakes import FakeMessages, FakeView
from PySide6.QtCore import QObject, Signal
from runstest import QUICK

from playground.core.config import to_toml
from playground.core.training.events import EpochMetrics
from playground.gui.controllers.follow_controller import FollowController
from playground.gui.session import SessionModel


class FakeBar(QObject):
    """The follow bar's signals, and a record of what it was asked to show."""

    stop_clicked = Signal()
    end_clicked = Signal()

    def __init__(self):
        super().__init__()
        self.view = FakeView()
        self.show_following, self.hide_bar, self.calls_to = self.view.show_following, self.view.hide_bar, \
            self.view.calls_to


def _line(epoch: int) -> str:
    return json.dumps(EpochMetrics(epoch, {"train_loss": 1 / epoch, "test_accuracy": 0.5 + epoch / 10},
                                   {"lr": 0.01}, 0.1, 100.0).to_dict()) + "\n"


def test_a_shared_folder_is_followed_to_its_last_epoch(qtbot, qapp, tmp_path):
    (tmp_path / "config.toml").write_text(to_toml(QUICK))  # 3 epochs planned
    (tmp_path / "metrics.jsonl").write_text(_line(1))
    session, bar, status, loaded = SessionModel(), FakeBar(), FakeView(), []
    follow = FollowController(session, bar, status, FakeMessages(), loaded.append, lambda run_id: None, qapp)
    epochs = []
    session.followed_epoch.connect(epochs.append)
    assert follow.follow(tmp_path)
    assert session.following.name == tmp_path.name and session.following.epochs_planned == 3
    assert [m.epoch for m in epochs] == [1] and "epoch 1 of 3" in bar.calls_to("show_following")[-1][0]
    (tmp_path / "model.pt").write_bytes(b"a checkpoint")  # what the drawing panel is asked to load
    with open(tmp_path / "metrics.jsonl", "a") as f:
        f.write(_line(2) + _line(3))
    qtbot.waitUntil(lambda: not follow.active, timeout=5000)
    assert [m.epoch for m in epochs] == [1, 2, 3] and loaded == [str(tmp_path / "model.pt")]
    assert session.following is None and bar.calls_to("hide_bar")
    assert "completed after 3 epoch(s)" in status.calls_to("showMessage")[-1][0]


def test_a_folder_without_metrics_is_no_run_folder(qapp, tmp_path):
    messages = FakeMessages()
    follow = FollowController(SessionModel(), FakeBar(), FakeView(), messages, print, lambda run_id: None, qapp)
    assert not follow.follow(tmp_path) and not follow.active
    (title, text), = [args[:2] for args in messages.calls_to("error")]
    assert title == "Not a run folder" and "metrics.jsonl" in text
