"""Faults during a run, as the window shows them: a second Train is impossible, an exception in the worker is
shown with its details and the app goes on, warnings stay in view, and a failed run says what went wrong and
what to do in words."""

from __future__ import annotations

import pytest
import torch
from appkit import train
from faultkit import fake_mnist, image_folder
from guitest import RUN_MS, Recorder, configure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from playground.core.checkpoint import load_checkpoint
from playground.core.training import trainer as trainer_module
from playground.core.training.prepared import PreparedRun
from playground.core.training.tasks.base import TrainingTask
from playground.gui.dialogs import OfflineDatasetDialog


def _open_boxes(window) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def _run_to_its_end(qtbot, window):
    """Press Train and wait until the window is idle again; the run's failure, if it failed."""
    failed = Recorder(train(window).worker.failed)
    qtbot.waitSignal(window.training_finished, timeout=RUN_MS).wait()
    assert not window.run_controller.active and window.controls.train.isEnabled()
    return failed.events[0] if failed.events else None


def test_a_second_train_while_a_run_is_active_is_impossible(qtbot, window):
    config = configure(window, epochs=500)
    handle, run = train(window), window.session.run
    assert not window.controls.train.isEnabled() and not window.actions.train.isEnabled()  # while it loads
    qtbot.waitUntil(lambda: window.session.run.last_step is not None, timeout=RUN_MS)
    assert not window.controls.train.isEnabled() and not window.actions.train.isEnabled()  # while it trains
    window.activateWindow()
    qtbot.mouseClick(window.controls.train, Qt.MouseButton.LeftButton)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Ctrl+Enter, on either Enter key
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
    window.actions.train.trigger()
    window.run_controller.start(config)  # and the controller itself refuses
    assert window.run_controller.handle is handle and window.session.run is run
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()
    assert window.actions.train.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # idle: Ctrl+Enter trains
    assert window.run_controller.active and window.run_controller.handle is not handle
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()


def _raise_in_a_step(monkeypatch) -> None:
    def broken(self, idx):
        raise RuntimeError("a step broke")

    monkeypatch.setattr(PreparedRun, "step", broken)


def _raise_in_the_worker(monkeypatch) -> None:
    def broken(self, *args, **kwargs):  # outside the trainer's own handling: the worker catches it
        raise RuntimeError("a step broke")

    monkeypatch.setattr(trainer_module.Trainer, "fit", broken)


@pytest.mark.parametrize("where", [_raise_in_a_step, _raise_in_the_worker], ids=["step", "worker"])
def test_an_exception_in_the_worker_is_shown_with_its_details_and_the_app_goes_on(qtbot, window, monkeypatch,
                                                                                   where):
    configure(window, epochs=1)
    with monkeypatch.context() as patch:
        where(patch)
        failed = _run_to_its_end(qtbot, window)
    assert failed.kind == "internal" and "RuntimeError: a step broke" in failed.message
    (box,) = _open_boxes(window)
    assert "RuntimeError: a step broke" in box.text() and "report it" in box.text()
    assert "Traceback" in box.detailedText() and 'raise RuntimeError("a step broke")' in box.detailedText()
    assert box.detailedText() == failed.details
    box.close()
    assert _run_to_its_end(qtbot, window) is None  # the next run works
    assert window.session.run.finished.reason == "completed"


def test_warnings_stay_in_view_until_the_next_run(qtbot, window, tmp_path, monkeypatch):
    """One at step 0 (an unreadable image, reported before any step) and one later (as a GAN's collapse is)."""
    folder = image_folder(tmp_path / "images", per_class=10)
    (folder / "bright" / "broken.png").write_bytes(b"not a png")
    told = []

    def later_notice(self, mean_losses):
        if not told:
            told.append(True)
            return "the discriminator has won"
        return None

    monkeypatch.setattr(TrainingTask, "notice", later_notice)
    configure(window, arch="mlp", dataset="image-folder", dataset_options={"path": str(folder), "size": 8},
              epochs=3)
    assert _run_to_its_end(qtbot, window) is None
    notice = window.status.notice
    assert notice.isVisible() and "(+1 more)" in notice.text()  # after three epochs' messages, still there
    assert "skipped 1 unreadable image(s)" in notice.toolTip() and "broken.png" in notice.toolTip()
    assert "the discriminator has won" in notice.toolTip()
    assert [n.step for n in window.session.run.notices][0] == 0
    configure(window, epochs=1)
    _run_to_its_end(qtbot, window)
    assert not notice.isVisible()


def _diverge(window, monkeypatch, tmp_path) -> str:
    configure(window, dataset="sine", optimizer="sgd", lr=10.0, momentum=0.99, epochs=20)
    return "Lower the learning rate"


def _out_of_memory(window, monkeypatch, tmp_path) -> str:
    def too_big(self, idx):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(PreparedRun, "step", too_big)
    configure(window, epochs=1, batch_size=32)
    return "lower the batch size (try 16)"


def _damaged_dataset(window, monkeypatch, tmp_path) -> str:
    raw = fake_mnist(tmp_path)
    images = raw / "train-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:-100])
    configure(window, arch="linear", arch_options={}, dataset="mnist", data_dir=str(tmp_path), epochs=1)
    return f"{images} is truncated or corrupt"


@pytest.mark.parametrize("fault", [_diverge, _out_of_memory, _damaged_dataset], ids=["nan", "oom", "dataset"])
def test_a_failed_run_says_what_went_wrong_and_the_fix(qtbot, window, monkeypatch, tmp_path, fault):
    words = fault(window, monkeypatch, tmp_path)
    failed = _run_to_its_end(qtbot, window)
    assert words in failed.message
    if failed.kind == "dataset":  # MNIST can be downloaded again: the dialog also offers the generated sets
        dialog = window.findChild(OfflineDatasetDialog)
        assert dialog.isVisible() and "delete it so that it is downloaded again" in _texts(dialog)
        dialog.close()
    else:
        (box,) = _open_boxes(window)
        assert words in box.text() and "Traceback" not in box.text()
        box.close()
    assert "Training failed" in window.status.currentMessage()


def test_a_checkpoint_that_cannot_be_read_is_named_with_the_fix(qtbot, window, monkeypatch, tmp_path):
    """+1 epoch goes on from a checkpoint; here it reads one that was cut short."""
    configure(window, epochs=1)
    assert _run_to_its_end(qtbot, window) is None
    cut = tmp_path / "model.pt"
    cut.write_bytes(b"PK\x03\x04 cut short")
    monkeypatch.setattr(trainer_module, "_read_resume", lambda resume_from, restart: load_checkpoint(cut))
    window.controls.more.click()
    qtbot.waitSignal(window.training_finished, timeout=RUN_MS).wait()
    (box,) = _open_boxes(window)
    assert str(cut) in box.text() and "train again or pick another file" in box.text()
    box.close()


def _texts(widget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel))
