"""The settings panel and the window around it: registries, options, validation, summary, remembered settings."""

from __future__ import annotations

import pyqtgraph as pg
from guitest import configure
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QSpinBox

from playground.core.config import TrainConfig
from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.core.models.catalogue import ARCH_CATALOGUE
from playground.gui import MainWindow

NAMED = {"archCombo": QComboBox, "datasetCombo": QComboBox, "deviceCombo": QComboBox, "epochsSpin": QSpinBox,
         "batchSizeSpin": QSpinBox, "learningRateSpin": object, "trainButton": QAbstractButton,
         "pauseButton": QAbstractButton, "stopButton": QAbstractButton, "lossPlot": pg.PlotWidget,
         "accuracyPlot": pg.PlotWidget}


def test_named_widgets_exist_and_defaults_come_from_train_config(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    for name, kind in NAMED.items():
        widget = window.findChild(kind if kind is not object else QSpinBox.__mro__[1], name)
        assert widget is not None, f"no widget named {name}"
        assert widget.toolTip() or isinstance(widget, pg.PlotWidget), f"{name} has no tooltip"
    defaults = TrainConfig()
    config = window.settings_panel.config()
    assert (config.arch, config.dataset, config.epochs, config.batch_size, config.lr, config.optimizer) == (
        defaults.arch, defaults.dataset, defaults.epochs, defaults.batch_size, defaults.lr, defaults.optimizer)
    assert window.findChild(QComboBox, "archCombo").count() == len(ARCH_CATALOGUE)
    assert window.findChild(QComboBox, "datasetCombo").count() == len(DATASET_CATALOGUE)


def test_choosing_an_architecture_shows_its_description_and_options(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    section = window.settings_panel.model
    section.combo.setCurrentIndex(section.combo.findData("mlp"))
    assert section.description.text() == ARCH_CATALOGUE["mlp"].description
    assert set(section.options.values()) == {"hidden", "activation", "dropout"}
    hidden = section.options.widget("hidden")
    assert isinstance(hidden, QLineEdit) and hidden.toolTip().startswith("Sizes of the hidden layers")
    hidden.setText("256, 32")
    assert window.settings_panel.config().arch_options["hidden"] == [256, 32]
    hidden.setText("256, lots")
    assert any("hidden" in m for _, m in window.settings_panel.problems())
    assert "hidden" in window.settings_panel.problem_label.text()


def test_options_are_remembered_per_architecture_while_switching(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    configure(window, arch="mlp", arch_options={"hidden": [7]})
    section = window.settings_panel.model
    section.combo.setCurrentIndex(section.combo.findData("lenet5"))
    section.combo.setCurrentIndex(section.combo.findData("mlp"))
    assert window.settings_panel.config().arch_options["hidden"] == [7]


def test_the_model_summary_follows_the_options(qtbot, window):
    configure(window, arch="mlp", dataset="spiral", arch_options={"hidden": [10]})
    qtbot.waitUntil(lambda: "Total: 52 parameters" in window.summary.total.text())  # 2*10+10 + 10*2+2
    assert window.summary.table.rowCount() == 4  # flatten, linear, relu, linear
    window.settings_panel.model.options.widget("hidden").setText("10, 10")
    qtbot.waitUntil(lambda: "Total: 162 parameters" in window.summary.total.text())


def test_devices_list_the_cpu_and_what_torch_found(window):
    from playground.core.training.setup import available_devices

    combo = window.findChild(QComboBox, "deviceCombo")
    assert [combo.itemData(i) for i in range(combo.count())] == available_devices()


def test_settings_are_remembered_between_launches(qtbot):
    first = MainWindow()
    qtbot.addWidget(first)
    configure(first, arch="lenet5", dataset="kmnist", epochs=7, lr=0.02, optimizer="sgd", seed=42)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    config = second.settings_panel.config()
    assert (config.arch, config.dataset, config.epochs, config.lr, config.optimizer, config.seed) == (
        "lenet5", "kmnist", 7, 0.02, "sgd", 42)


def test_momentum_is_only_offered_to_optimizers_that_use_it(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    form = window.settings_panel.training
    form.optimizer.setCurrentText("adam")
    assert not form.momentum.isEnabled()
    form.optimizer.setCurrentText("sgd")
    assert form.momentum.isEnabled()
