"""The layer editor: LeNet-5 built by clicks has the built-in's parameter count and trains; undo and redo, the
keyboard's reordering, a broken stack marked at its row, "Edit as layers", and networks saved by name."""

from __future__ import annotations

import pytest
from guitest import RUN_MS, configure
from PySide6.QtCore import Qt

from playground.core.models.custom.builtin_stacks import stack_of
from playground.gui import formatting
from playground.gui.layers.editor import LayerEditor
from playground.gui.layers.shape_job import CheckContext
from playground.gui.layers.stack_model import OUTPUT, TYPE
from playground.gui.layers.values import show_value

MNIST = CheckContext((1, 28, 28), False, 10, 64, "mnist")
MLP = [{"type": "Flatten"}, {"type": "Linear", "out_features": 32}, {"type": "ReLU"}, {"type": "Linear"}]
CHECK_MS = 10_000


@pytest.fixture
def editor(qtbot):
    """The editor on its own, shown, checking against MNIST."""
    widget = LayerEditor()
    qtbot.addWidget(widget)
    widget.show()
    widget.set_types_ready()
    widget.set_context(MNIST)
    yield widget
    widget.shutdown()


def _types(editor) -> list[str]:
    return [layer["type"] for layer in editor.layers()]


def _checked(qtbot, editor) -> None:
    """Until the shape check of the layers as they are now has come back."""
    qtbot.waitUntil(lambda: editor.model.result is not None, timeout=CHECK_MS)


def _lenet5_count() -> int:
    from playground.core.models.registry import build_model

    return sum(p.numel() for p in build_model("lenet5", (1, 28, 28), 10, {}).parameters())


def _add_by_clicks(qtbot, editor, layer: dict) -> None:
    """Double-click the layer's type in the palette, then type each of its arguments into the form."""
    palette = editor.palette_list
    item = palette.item_for(layer["type"])
    palette.scrollToItem(item)
    centre = palette.visualItemRect(item).center()
    qtbot.mouseClick(palette.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # a double-click's first press
    qtbot.mouseDClick(palette.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    row = len(editor.layers()) - 1
    assert _types(editor)[-1] == layer["type"] and editor.table.selected_rows() == [row]
    for name in list(editor.form.edits):
        edit = editor.form.edits[name]
        wanted = show_value(layer[name]) if name in layer else ""
        if edit.text() != wanted:  # a starter value the layer does not have, or another value
            edit.setFocus()
            edit.selectAll()
            qtbot.keyClick(edit, Qt.Key.Key_Backspace)
            qtbot.keyClicks(edit, wanted)
            qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert editor.layers()[row] == layer


def test_lenet5_built_by_clicks_has_the_builtins_count_and_trains(qtbot, window, mnist_dir):
    configure(window, arch="custom", dataset="mnist", epochs=1, batch_size=128)
    editor = window.layer_editor.editor
    assert window.docks.docks["layers"].isVisible(), "choosing custom brings the editor forward"
    qtbot.waitUntil(lambda: editor.palette_list.loaded, timeout=RUN_MS)
    assert "Add a layer from the palette" in editor.table.toolTip() or not editor.layers()
    lenet5 = stack_of("lenet5", {}, (1, 28, 28), 10)
    for layer in lenet5:
        _add_by_clicks(qtbot, editor, layer)
    expected = formatting.count(_lenet5_count())
    qtbot.waitUntil(lambda: f"Total: {expected} parameters" in editor.total.text(), timeout=CHECK_MS)
    assert not editor.problem.isVisible()
    config = window.settings_panel.config()
    assert config.arch == "custom" and config.layers == lenet5
    window.controls.train.click()
    assert window.run_controller.active, window.status.currentMessage()
    qtbot.waitUntil(lambda: len(window.plot_area.plots.steps) > 0, timeout=RUN_MS)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()


def test_an_empty_editor_says_what_to_do(editor):
    assert editor.layers() == [] and "No layers yet" in editor.total.text()
    assert editor.palette_list.item_for("Conv2d").toolTip().startswith("Conv2d: takes images")
    assert not editor.actions_by_name["undo"].isEnabled()


def test_undo_redo_and_reordering_by_keyboard(qtbot, editor):
    editor.replace(MLP, "start")
    editor.table.setFocus()
    editor.table.select_rows([2])
    qtbot.keyClick(editor.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert _types(editor) == ["Flatten", "ReLU", "Linear", "Linear"] and editor.table.selected_rows() == [1]
    qtbot.keyClick(editor.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert _types(editor) == ["Flatten", "Linear", "Linear", "ReLU"]
    for _ in range(3):
        qtbot.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.layers() == MLP and editor.table.selected_rows() == [2]
    qtbot.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _types(editor) == ["Flatten", "ReLU", "Linear", "Linear"]
    qtbot.keyClick(editor.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert _types(editor) == ["Flatten", "ReLU", "ReLU", "Linear", "Linear"] and editor.table.selected_rows() == [2]
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    assert _types(editor) == ["Flatten", "ReLU", "Linear"]
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert len(editor.layers()) == 5
    _checked(qtbot, editor)


def test_dragging_rows_and_palette_types(qtbot, editor):
    editor.replace(MLP, "start")
    editor.model.dropMimeData(editor.model.mimeData([editor.model.index(2, 0)]), Qt.DropAction.MoveAction, 0, 0,
                              editor.model.index(-1, -1))
    assert _types(editor) == ["ReLU", "Flatten", "Linear", "Linear"]
    palette = editor.palette_list
    editor.model.dropMimeData(palette.mimeData([palette.item_for("Dropout")]), Qt.DropAction.CopyAction, 2, 0,
                              editor.model.index(-1, -1))
    assert _types(editor) == ["ReLU", "Flatten", "Dropout", "Linear", "Linear"]
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert editor.layers() == MLP


BROKEN = [
    ([{"type": "Conv2d", "out_channels": 4, "kernel_size": 3}, {"type": "Linear"}], 1,
     "layer 2, Linear: gets 4×26×26 images; add Flatten before it"),
    ([{"type": "Flatten"}, {"type": "Linear", "out_features": 8}, {"type": "ReLU"},
      {"type": "Conv2d", "out_channels": 4, "kernel_size": 3}], 3, "layer 4, Conv2d: needs images, gets 8 features"),
    ([{"type": "ReLU"}, {"type": "Dropout", "p": 1.5}], 1, "layer 2, Dropout: p must be at least 0 and below 1"),
]


@pytest.mark.parametrize(("layers", "row", "message"), BROKEN, ids=["linear-on-images", "conv-on-features",
                                                                    "bad-value"])
def test_a_broken_stack_is_marked_at_its_row(qtbot, editor, layers, row, message):
    editor.replace(layers, "broken")
    _checked(qtbot, editor)
    assert message in editor.problem.text() and editor.problem.isVisible()
    model = editor.model
    marked = [r for r in range(model.rowCount()) if model.data(model.index(r, TYPE)).startswith("⚠")]
    assert marked == [row]
    assert message in model.data(model.index(row, TYPE), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(row, TYPE), Qt.ItemDataRole.BackgroundRole) is not None


def test_the_shape_column_shows_each_output(qtbot, editor):
    editor.replace(MLP, "start")
    _checked(qtbot, editor)
    model = editor.model
    assert [model.data(model.index(r, OUTPUT)) for r in range(4)] == ["784", "32", "32", "10"]
    assert "Total: 25,450 parameters" in editor.total.text()
    editor.table.select_rows([3])
    assert editor.form.edits["out_features"].placeholderText() == "the dataset's outputs: 10"
    assert editor.form.edits["in_features"].placeholderText() == "inferred: 32"
    edit = editor.form.edits["out_features"]
    edit.setFocus()
    qtbot.keyClicks(edit, "5")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert editor.layers()[3] == {"type": "Linear", "out_features": 5} and editor.form.edits["out_features"] is edit
    _checked(qtbot, editor)
    assert "layer 4, Linear: the network ends with 5 features, and the dataset has 10 outputs" in editor.problem.text()
    editor.undo_stack.undo()
    assert editor.layers() == MLP and edit.text() == ""


def test_edit_as_layers_and_save_by_name(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_HOME", str(tmp_path))  # the saved network stays out of other tests' lists
    configure(window, arch="lenet5", dataset="mnist")
    wiring = window.layer_editor
    editor = wiring.editor
    assert wiring.edit_button.isVisibleTo(window.settings_panel)
    wiring.edit_button.click()
    panel = window.settings_panel
    assert panel.config().arch == "custom" and editor.layers() == stack_of("lenet5", {}, (1, 28, 28), 10)
    qtbot.waitUntil(lambda: editor.palette_list.loaded, timeout=RUN_MS)
    expected = formatting.count(_lenet5_count())
    qtbot.waitUntil(lambda: f"Total: {expected} parameters" in editor.total.text(), timeout=CHECK_MS)
    assert not wiring.edit_button.isVisibleTo(panel)
    qtbot.waitUntil(lambda: f"Total: {expected} parameters" in window.summary.total.text(), timeout=CHECK_MS)
    assert wiring.save_as("my-lenet") == ""
    combo = panel.model.combo
    assert combo.currentText() == "my-lenet (yours)" and (tmp_path / "networks" / "my-lenet.toml").is_file()
    assert panel.config().arch_options == {"name": "my-lenet"}
    assert "a built-in architecture has it" in wiring.save_as("mlp")
    editor.replace(MLP, "another")
    combo.setCurrentIndex(combo.findData("mlp"))
    assert panel.config().layers == []
    combo.setCurrentIndex(combo.findText("my-lenet (yours)"))
    assert editor.layers() == stack_of("lenet5", {}, (1, 28, 28), 10) and panel.config().layers == editor.layers()
    layers, _, message = BROKEN[0]
    editor.replace(layers, "broken")
    qtbot.waitUntil(lambda: ("layers", message) in panel.problems(), timeout=CHECK_MS)  # Train refuses it
    assert message in panel.problem_label.text()


def test_a_residual_blocks_layers_are_typed_as_toml(qtbot, editor):
    editor.replace([{"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1}], "start")
    editor.table.select_rows([0])
    editor.palette_list.chosen.emit("Residual")  # as a double-click on it does
    assert editor.layers()[1] == {"type": "Residual", "layers": [{"type": "ReLU"}]}
    edit = editor.form.edits["layers"]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, '[{type = "Conv2d", out_channels = 4, kernel_size = 3, padding = 1}, {type = "ReLU"}]')
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    _checked(qtbot, editor)
    check = editor.model.check_of(1)
    assert check.output == (4, 28, 28) and check.params == 4 * 4 * 9 + 4
    assert "Conv2d → ReLU" in editor.model.data(editor.model.index(1, TYPE))
