"""App runs are recorded in the run store as CLI runs are; a store that fails leaves the run training."""

from __future__ import annotations

from pathlib import Path

from fakes import FakeMessages, FakeView
from guitest import RUN_MS

from playground.core.config import TrainConfig
from playground.core.store import RunStore
from playground.gui.controllers.run_controller import RunController
from playground.gui.session import SessionModel

QUICK = TrainConfig(arch="mlp", dataset="spiral", epochs=2, batch_size=32, device="cpu",
                    dataset_options={"samples": 200})


def _controller(qapp):
    session, status = SessionModel(), FakeView()
    return RunController(session, FakeView(), status, FakeMessages(), parent=qapp), session, status


def test_an_app_run_is_recorded_with_its_id_folder_epochs_and_checkpoint(qtbot, qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path))
    controller, session, _ = _controller(qapp)
    with qtbot.waitSignal(controller.ended, timeout=RUN_MS):
        controller.start(QUICK)
    started = session.run.started
    with RunStore.open() as store:
        (record,) = store.runs()
        epochs = store.epochs(record.id)
    assert record.id == session.run.run_id == started.run_id and record.status == "completed"
    assert Path(started.folder) == record.folder and record.checkpoint_path.is_file()
    assert record.epochs_done == 2 and [m.epoch for m in epochs] == [1, 2]
    assert all(m.run_id == record.id for m in session.run.epochs)


def test_a_store_that_cannot_open_is_told_in_the_status_bar_and_the_run_trains_on(qtbot, qapp, tmp_path,
                                                                                   monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the runs folder should be")
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(blocker))
    controller, session, status = _controller(qapp)
    with qtbot.waitSignal(controller.ended, timeout=RUN_MS):
        controller.start(QUICK)
    assert session.run.finished.reason == "completed" and len(session.run.epochs) == 2
    texts = [args[0] for args in status.calls_to("showMessage")]
    assert any(t.startswith("Run store: this run is not recorded") and "trains on" in t for t in texts)
    assert session.run.run_id == ""


def test_a_store_that_fails_during_the_run_stops_recording_and_the_run_trains_on(qtbot, qapp, tmp_path,
                                                                                  monkeypatch):
    from playground.core.errors import StoreError

    def full_disk(*args, **kwargs):
        raise StoreError("cannot write the run store (disk I/O error): the disk may be full; free some space")

    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path))
    monkeypatch.setattr(RunStore, "add_epoch", full_disk)
    controller, session, status = _controller(qapp)
    with qtbot.waitSignal(controller.ended, timeout=RUN_MS):
        controller.start(QUICK)
    assert session.run.finished.reason == "completed" and len(session.run.epochs) == 2
    texts = [args[0] for args in status.calls_to("showMessage")]
    assert any("the run store stopped recording this run" in t and "disk may be full" in t for t in texts)
