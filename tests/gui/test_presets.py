"""Run › Presets fills the settings form with a preset."""

from playground.gui import MainWindow


def test_preset_menu_fills_the_form(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    menu = window.actions.presets.menu
    action = next(a for a in menu.actions() if a.data() == "mnist-in-a-minute")
    action.trigger()
    config = window.settings_panel.config()
    assert (config.arch, config.dataset, config.epochs, config.batch_size) == ("seed-cnn", "mnist", 1, 128)
    assert config.arch_options["batch_norm"] is True and config.cpu_amp is True
    assert config.schedule == "onecycle" and config.label_smoothing == 0.1
    assert window.settings_panel.problems() == []
