"""File › Export model as… and Run › TensorBoard, headless: an export runs in the background and reports in
the status bar, a missing optional package names the extra to install, and app runs write TensorBoard files."""

from __future__ import annotations

import sys

import pytest
from fakes import FakeMessages, FakeView
from guitest import RUN_MS
from runstest import QUICK

from playground.core.store import RunStore
from playground.gui.controllers.exports import ExportController
from playground.gui.controllers.run_controller import RunController
from playground.gui.controllers.tensorboard_setting import TensorBoardSetting
from playground.gui.session import SessionModel


@pytest.fixture
def trained(tmp_path, monkeypatch):
    """A run recorded by `playground train` (in this process), with its model.pt."""
    from playground.cli import main

    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path / "store"))
    assert main(["train", "--arch", "mlp", "-O", "hidden=8", "--dataset", "spiral", "--dataset-option",
                 "samples=200", "--epochs", "1", "--device", "cpu", "--quiet", "--name", "exported"]) == 0
    with RunStore.open() as store:
        return store.find("exported")


def _exports(qapp, selected):
    status, messages = FakeView(), FakeMessages()
    return ExportController(SessionModel(), lambda: selected, status, messages, None, qapp), status, messages


def test_the_selected_run_exports_in_the_background_and_says_what_was_checked(qtbot, qapp, trained, tmp_path):
    exports, status, messages = _exports(qapp, [trained])
    out = tmp_path / "exported.toml"
    try:
        assert exports.export("toml", str(out))
        qtbot.waitUntil(lambda: not exports.busy, timeout=RUN_MS)
    finally:
        exports.shutdown()
    texts = [args[0] for args in status.calls_to("showMessage")]
    assert texts[0].startswith("Exporting exported as toml") and "settings read back" in texts[-1]
    assert "arch = \"mlp\"" in out.read_text() and messages.calls_to("error") == []


def test_a_missing_export_package_names_the_extra_to_install(qtbot, qapp, trained, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxscript", None)  # as if it were not installed
    exports, _, messages = _exports(qapp, [trained])
    try:
        exports.export("onnx", str(tmp_path / "model.onnx"))
        qtbot.waitUntil(lambda: not exports.busy, timeout=RUN_MS)
    finally:
        exports.shutdown()
    (title, text), = [args[:2] for args in messages.calls_to("error")]
    assert title == "Cannot export exported as onnx" and "pip install 'playground[export]'" in text


def test_nothing_to_export_says_how_to_get_a_model(qapp):
    exports, _, messages = _exports(qapp, [])
    assert not exports.export("onnx", "model.onnx")
    assert messages.calls_to("info")[0][0] == "Nothing to export yet"
    exports.shutdown()


def test_app_runs_write_tensorboard_files_where_the_setting_says(qtbot, qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path / "store"))
    session, status = SessionModel(), FakeView()
    runs = RunController(session, FakeView(), status, FakeMessages(), parent=qapp)
    setting = TensorBoardSetting(runs, status, FakeMessages(), None, lambda parent, title: str(tmp_path / "tb"),
                                 parent=qapp)
    setting.action.setChecked(True)
    assert runs.tensorboard_dir == tmp_path / "tb" and "tb" in setting.action.text()
    with qtbot.waitSignal(runs.ended, timeout=RUN_MS):
        runs.start(QUICK.replace(epochs=1))
    with RunStore.open() as store:
        name = store.get(session.run.run_id).name
    assert list((tmp_path / "tb" / name).glob("events.out.tfevents.*"))
    setting.action.setChecked(False)
    assert runs.tensorboard_dir is None


def test_without_tensorboard_the_setting_says_what_to_install(qapp, monkeypatch):
    from playground.gui.controllers import tensorboard_setting

    monkeypatch.setattr(tensorboard_setting, "tensorboard_installed", lambda: False)
    runs, messages = FakeView(), FakeMessages()
    runs.tensorboard_dir = None
    setting = TensorBoardSetting(runs, FakeView(), messages, None, parent=qapp)
    setting.action.setChecked(True)
    assert not setting.action.isChecked() and runs.tensorboard_dir is None
    (title, text), = [args[:2] for args in messages.calls_to("error")]
    assert "not installed" in title and "pip install 'playground[tensorboard]'" in text
