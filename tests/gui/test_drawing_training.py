"""The drawing panel follows the model being trained through weight snapshots."""

import pytest
import torch
from synthetic_input import draw_stroke

from playground.core.models.registry import build_model
from playground.core.models.spec import ModelSpec
from playground.core.training import events
from playground.core.training.events import WeightsSnapshot
from playground.gui.drawing.panel import WEIGHTS_EVERY_MS, DrawingPanel

NAMES = tuple("0123456789")


def _snapshot(step: int, shape: tuple = (1, 28, 28), arch: str = "seed-cnn") -> WeightsSnapshot:
    model = build_model(arch, shape, 10, {})
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    spec = ModelSpec(arch, {}, shape, 10, NAMES, (0.5,) * shape[0], (0.25,) * shape[0])
    return WeightsSnapshot(spec, {"model": state}, step)


@pytest.fixture
def panel(qtbot) -> DrawingPanel:
    widget = DrawingPanel(load_bundled=False)
    qtbot.addWidget(widget)
    widget.resize(800, 450)
    widget.show()
    return widget


def test_wants_weights_while_training_and_visible(panel: DrawingPanel):
    """The panel tells the session how often it wants the training model's weights, and when it no longer does."""
    assert panel.session.snapshot_interval_ms is None
    panel.set_training(True)
    assert panel.session.snapshot_interval_ms == WEIGHTS_EVERY_MS
    panel.hide()
    assert panel.session.snapshot_interval_ms is None
    panel.show()
    assert panel.session.snapshot_interval_ms == WEIGHTS_EVERY_MS
    panel.set_training(False)
    assert panel.session.snapshot_interval_ms is None


def test_snapshots_of_the_session_reach_the_panel(panel: DrawingPanel):
    panel.set_training(True)
    panel.session.on(events.WeightsSnapshot).emit(_snapshot(12))
    assert panel.has_model() and "step 12" in panel.model_description()


def test_snapshots_become_the_panels_own_model(panel: DrawingPanel, qtbot):
    panel.set_training(True)
    first = _snapshot(10)
    panel.on_weights(first)
    assert panel.has_model() and "training run, at step 10" in panel.model_description()
    model = panel._predictor.model
    for tensor in first.states["model"].values():
        tensor.zero_()  # training goes on; the panel's copy must not change
    assert any(p.abs().sum() > 0 for p in model.parameters())
    panel.on_weights(_snapshot(20))
    assert panel._predictor.model is model and "step 20" in panel.model_description()
    with qtbot.waitSignal(panel.prediction_updated, check_params_cb=lambda p: p is not None):
        draw_stroke(panel.canvas, [(0.5, 0.2), (0.5, 0.8)])
    panel.set_training(False)
    assert "last training run, at step 20" in panel.model_description()


def test_a_run_on_colour_images_turns_drawing_off(panel: DrawingPanel):
    panel.set_training(True)
    panel.on_weights(_snapshot(5, (3, 32, 32), "cifar-convnet"))
    assert not panel.is_drawing_enabled() and "3-channel 32×32" in panel.off_reason()


def test_an_opened_checkpoint_is_kept_while_the_run_goes_on(panel: DrawingPanel, tmp_path):
    from playground.core.checkpoint import Checkpoint, save_checkpoint
    from playground.core.config import TrainConfig

    snap = _snapshot(1)
    path = tmp_path / "mine.pt"
    save_checkpoint(path, Checkpoint(TrainConfig(), snap.spec, snap.states))
    panel.set_training(True)
    panel.load_checkpoint(str(path))
    panel.on_weights(_snapshot(30))
    assert "mine.pt" in panel.model_description()
    torch.testing.assert_close(panel._predictor.model.state_dict()["0.weight"], snap.states["model"]["0.weight"])
