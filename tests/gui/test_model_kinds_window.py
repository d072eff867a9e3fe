"""The model kinds in the window: a GAN's sample grid fills while it trains, a latent walk, a VAE draws back
what it is shown, and a GAN's two networks have settings of their own in the form."""

from __future__ import annotations

import numpy as np
from guitest import RUN_MS, configure
from PySide6.QtCore import QPoint, Qt

from playground.core.config import TrainConfig
from playground.core.training.trainer import Trainer


def _shapes(folder) -> dict:
    return {"dataset": "image-folder", "dataset_options": {"path": str(folder), "size": 28, "grayscale": True},
            "batch_size": 16}


def _samples(window):
    return window.docks.views["samples"]


def test_the_sample_grid_fills_and_refreshes_while_a_gan_trains(qtbot, window, digit_shapes):
    configure(window, arch="gan", epochs=300, **_shapes(digit_shapes))
    window.controls.train.click()
    samples = _samples(window)
    qtbot.waitUntil(lambda: samples.grid.count() == 64, timeout=RUN_MS)
    assert samples.isVisible(), "a generative run brings the Samples panel forward"
    first = samples.grid.images().copy()
    qtbot.waitUntil(lambda: not np.array_equal(samples.grid.images(), first), timeout=RUN_MS)
    assert window.session.snapshot_interval_ms is not None
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()
    grid = samples.grid
    for index in (3, 40):
        rect = grid.cell_rect(index)
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(int(rect.center().x()), int(rect.center().y())))
    qtbot.waitUntil(lambda: samples.walk.count() == 10, timeout=RUN_MS)
    assert grid.marked == [3, 40]
    walk = samples.walk.images()
    assert np.array_equal(walk[0], grid.images()[3]) or np.abs(walk[0].astype(int) - grid.images()[3]).max() <= 1


def test_choosing_a_gan_gives_each_network_its_own_settings(window):
    panel = window.settings_panel
    panel.model.combo.setCurrentIndex(panel.model.combo.findData("gan"))
    rows = panel.networks.rows()
    assert [r.network for r in rows] == ["generator", "discriminator"] and panel.networks.isVisible()
    assert panel.training.epochs.value() == 2, "the gan's recommended epochs"
    assert not panel.training.lr.isEnabled()
    rows[1].lr.setValue(1e-4)
    assert panel.config().optimizers == {"discriminator": {"lr": 1e-4}}
    panel.model.combo.setCurrentIndex(panel.model.combo.findData("mlp"))
    assert not panel.networks.isVisible() and panel.config().optimizers == {} and panel.training.lr.isEnabled()


def test_a_vae_draws_back_what_is_drawn(qtbot, window, digit_shapes, tmp_path):
    config = TrainConfig(arch="vae", epochs=1, device="cpu", **_shapes(digit_shapes))
    assert Trainer().fit(config, checkpoint_path=tmp_path / "vae.pt").status == "completed"
    window.load_checkpoint(str(tmp_path / "vae.pt"))
    panel = window.drawing
    assert panel.is_drawing_enabled() and panel.answer.reconstruction.isVisible()
    canvas = panel.canvas
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(canvas.width() // 3, canvas.height() // 4))
    for k in range(1, 10):
        qtbot.mouseMove(canvas, QPoint(canvas.width() // 3, canvas.height() // 4 + k * canvas.height() // 20))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton)
    panel.predict_now()
    drawn_back = panel.answer.reconstruction.pixels()
    assert drawn_back is not None and drawn_back.shape == (28, 28) and drawn_back.max() > 0


def test_a_gan_checkpoint_turns_drawing_off_and_shows_samples(qtbot, window, digit_shapes, tmp_path):
    config = TrainConfig(arch="gan", epochs=1, device="cpu", **_shapes(digit_shapes))
    assert Trainer().fit(config, checkpoint_path=tmp_path / "gan.pt").status == "completed"
    window.load_checkpoint(str(tmp_path / "gan.pt"))
    assert not window.drawing.is_drawing_enabled() and "GAN" in window.drawing.off_reason()
    qtbot.waitUntil(lambda: _samples(window).grid.count() == 64, timeout=RUN_MS)
