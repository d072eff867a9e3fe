"""The Runs panel over a store of made-up runs: listed with their statuses in colour, filtered and sorted,
renamed in the table, annotated, deleted after a confirmation, and compared."""

from __future__ import annotations

import pytest
from guitest import RUN_MS
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QTableWidget
from runstest import made_up_store, names_in_table, panel_and_controller

from playground.core.store import RunStore
from playground.gui.runs.columns import COLUMN, STATUS_COLOURS


@pytest.fixture
def store_ids(tmp_path, monkeypatch) -> dict[str, str]:
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path))
    return made_up_store(tmp_path)


@pytest.fixture
def panel(qtbot, qapp, store_ids):
    panel, controller = panel_and_controller(qapp)
    panel.controller = controller
    qtbot.addWidget(panel)
    controller.start()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=RUN_MS)
    yield panel
    controller.shutdown()


def _dialog(name: str):
    return next(w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible())


def _cell(panel, name: str, column: str, role=Qt.ItemDataRole.DisplayRole):
    row = names_in_table(panel).index(name)
    return panel.proxy.index(row, COLUMN[column]).data(role)


def test_every_run_is_listed_with_its_status_in_colour(panel):
    assert sorted(names_in_table(panel)) == ["alpha", "beta", "delta", "gamma"]
    assert _cell(panel, "delta", "status") == "interrupted"  # its writer died without finishing it
    assert _cell(panel, "alpha", "best") == "90.00% @3" and _cell(panel, "alpha", "epochs") == "3/3"
    assert "lr 0.01" in _cell(panel, "alpha", "settings") and _cell(panel, "alpha", "arch") == "mlp"
    red = _cell(panel, "gamma", "status", Qt.ItemDataRole.ForegroundRole).color().getRgb()[:3]
    assert red == STATUS_COLOURS["failed"][0]
    assert "lower the learning rate" in _cell(panel, "gamma", "status", Qt.ItemDataRole.ToolTipRole)
    assert panel.count.text() == "4 runs"


def test_the_search_box_filters_and_the_headers_sort(qtbot, panel):
    qtbot.keyClicks(panel.search, "fail")
    assert names_in_table(panel) == ["gamma"] and panel.count.text() == "1 of 4 runs"
    panel.search.setText("mlp 0.1")  # every word must match
    assert names_in_table(panel) == ["beta"]
    panel.search.clear()
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(COLUMN["best"]) + header.sectionSize(COLUMN["best"]) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    order = names_in_table(panel)
    if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder:
        order.reverse()
    assert order == ["beta", "alpha", "delta", "gamma"]  # the best accuracy first


def test_a_run_is_renamed_in_its_name_cell_and_a_taken_name_is_refused(qtbot, panel, store_ids):
    panel.show()
    panel.select([store_ids["alpha"]])
    panel.table.setCurrentIndex(panel.proxy.index(names_in_table(panel).index("alpha"), COLUMN["status"]))
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)  # from any cell of the row
    editor = panel.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "alpha"
    editor.selectAll()
    qtbot.keyClicks(editor, "first try")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "first try" in names_in_table(panel))
    panel.model.setData(panel.model.index(names_in_table(panel).index("first try"), COLUMN["name"]), "beta")
    (title, text), = [args[:2] for args in panel.controller._messages.calls_to("error")]
    assert title == "Cannot rename the run" and "already is a run named 'beta'" in text


def test_a_note_is_kept_shown_and_searched(qtbot, panel, store_ids):
    panel.select([store_ids["beta"]])
    panel.note_requested.emit(store_ids["beta"])
    dialog = _dialog("noteDialog")
    dialog.setTextValue("lr 0.1 overshoots after epoch 2")
    dialog.accept()
    qtbot.waitUntil(lambda: _cell(panel, "beta", "name") == "beta ✎")
    with RunStore.open() as store:
        assert store.get(store_ids["beta"]).notes == "lr 0.1 overshoots after epoch 2"
    panel.search.setText("overshoots")
    assert names_in_table(panel) == ["beta"]


def test_delete_asks_first_then_removes_the_run_and_its_folder(qtbot, panel, store_ids):
    folder = RunStore.open().get(store_ids["gamma"]).folder
    panel.select([store_ids["gamma"]])
    assert panel.buttons["delete"].isEnabled()
    panel.buttons["delete"].click()
    box = _dialog("deleteRunsBox")
    assert "gamma" in box.text() and str(folder) in box.text()
    box.button(box.StandardButton.Cancel).click()
    assert folder.is_dir() and "gamma" in names_in_table(panel)
    panel.buttons["delete"].click()
    _dialog("deleteRunsBox").delete_button.click()
    qtbot.waitUntil(lambda: "gamma" not in names_in_table(panel))
    assert not folder.exists() and panel.model.rowCount() == 3


def test_two_runs_settings_are_compared(qtbot, panel, store_ids):
    panel.select([store_ids["alpha"], store_ids["beta"]])
    assert panel.buttons["compare"].isEnabled() and not panel.buttons["open"].isEnabled()
    panel.buttons["compare"].click()
    dialog = _dialog("compareDialog")
    table = dialog.findChild(QTableWidget, "compareTable")
    runs = [table.horizontalHeaderItem(c).text() for c in (1, 2)]
    rows = {table.item(r, 0).text(): {runs[0]: table.item(r, 1).text(), runs[1]: table.item(r, 2).text()}
            for r in range(table.rowCount())}
    dialog.close()
    assert rows == {"lr": {"alpha": "0.01", "beta": "0.1"}}


def test_the_empty_store_says_how_runs_get_there(qtbot, qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path))
    panel, controller = panel_and_controller(qapp)
    qtbot.addWidget(panel)
    controller.start()
    qtbot.waitUntil(lambda: str(tmp_path) in panel.empty.text())
    assert panel.stack.currentWidget() is panel.empty and "playground train" in panel.empty.text()
    controller.shutdown()


def test_the_settings_column_gives_a_gans_networks_their_own_rates():
    from types import SimpleNamespace

    from playground.gui.runs.columns import settings_text

    gan = SimpleNamespace(config={"arch": "gan", "lr": 0.001, "batch_size": 64, "optimizer": "adam",
                                  "optimizers": {"discriminator": {"lr": 1e-4}}})
    assert settings_text(gan) == "generator adam 0.0002, discriminator adam 0.0001, batch 64"
    mlp = SimpleNamespace(config={"arch": "mlp", "lr": 0.01, "batch_size": 32, "optimizer": "sgd"})
    assert settings_text(mlp) == "lr 0.01, batch 32, sgd"
