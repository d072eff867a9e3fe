"""The Network view: mlp's neurons redrawn as it trains on spiral with the x² and y² features, hover to see one
large; other networks as blocks with the reason; and the decision boundary reading the plane through features."""

from __future__ import annotations

import numpy as np
import pytest
from guitest import RUN_MS, configure
from PySide6.QtCore import QPoint

from playground.core.config import TrainConfig
from playground.core.models.spec import ModelSpec
from playground.core.training.events import RunStarted, WeightsSnapshot
from playground.gui.session import SessionModel

FEATURES = ("x", "y", "x2", "y2")


class _Changes:
    """Counts how often a picture changed, polled from qtbot.waitUntil."""

    def __init__(self, read):
        self.read, self.last, self.count = read, None, 0

    def seen(self, at_least: int) -> bool:
        now = self.read()
        if now is not None and (self.last is None or not np.array_equal(now, self.last)):
            self.count, self.last = self.count + 1, now.copy()
        return self.count >= at_least


def _hidden_neurons(view):
    r = view.result
    return r.columns[1].images if r is not None and len(r.columns) > 1 else None


def test_the_neurons_change_while_mlp_trains_on_spiral_with_squares(qtbot, window):
    configure(window, epochs=1000, dataset_options={"samples": 400, "features": ",".join(FEATURES)})
    window.controls.train.click()
    qtbot.waitUntil(lambda: window.session.run.started is not None, timeout=RUN_MS)
    window.docks.bring_forward("network")  # over the Boundary, which a run on 2-D points brings forward
    view = window.docks.docks["network"].widget()
    assert view.objectName() == "networkView"
    neurons = _Changes(lambda: _hidden_neurons(view))
    qtbot.waitUntil(lambda: neurons.seen(5), timeout=RUN_MS)
    r = view.result
    assert [c.title for c in r.columns] == ["inputs", "hidden 1", "hidden 2", "output"]
    assert r.columns[0].labels == ("x", "y", "x²", "y²") and r.columns[1].total == 128
    assert r.columns[1].images.shape == (16, 48, 48, 3) and r.output.shape == (48, 48, 3)
    assert "mlp on spiral, at step" in view.label.text() and window.session.snapshot_interval_ms is not None
    assert r.wires is not None, "the connections come painted from the background thread"
    canvas = view.canvas
    assert canvas.large()[1] == "the output: the decision boundary"
    rects, _ = canvas._layout()
    qtbot.mouseMove(canvas, rects[0][2].center().toPoint())
    qtbot.waitUntil(lambda: canvas.hovered == (0, 2))
    assert canvas.large()[1].startswith("input x²")
    qtbot.mouseMove(canvas, QPoint(1, canvas.height() - 2))
    qtbot.waitUntil(lambda: canvas.hovered is None)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()
    assert window.session.snapshot_interval_ms is None


@pytest.fixture
def view(qtbot):
    from playground.gui.views.network_view import NetworkView

    session = SessionModel()
    v = NetworkView(session)
    qtbot.addWidget(v)
    v.resize(640, 480)
    v.show()
    yield session, v
    v.shutdown()


def _start(session: SessionModel, spec: ModelSpec, config: TrainConfig) -> None:
    session.begin_run(config)
    session.record(RunStarted({"dataset": spec.dataset}, "cpu", 0, 0, 0, 1, 1, 0, spec))


def test_a_cnn_is_drawn_as_blocks_and_says_why(qtbot, view):
    session, v = view
    assert v.label.text().startswith("Train a dense network") and v.result is None
    _start(session, ModelSpec("seed-cnn", {}, (1, 28, 28), 10, (), (), (), "classification", "mnist"),
           TrainConfig(arch="seed-cnn", dataset="mnist"))
    qtbot.waitUntil(lambda: v.result is not None, timeout=RUN_MS)
    assert "Neurons are drawn for dense networks" in v.label.text()
    assert "this is a convolutional network on images" in v.label.text()
    blocks = [(b.kind, b.shape) for b in v.result.blocks]
    assert blocks[0] == ("input", "1×28×28") and ("Conv2d", "32×28×28") in blocks and blocks[-1] == ("Linear", "10")
    assert v.result.columns == () and session.snapshot_interval_ms is None, "blocks need no live weights"


def test_the_boundary_reads_the_plane_through_the_features(qtbot):
    from playground.gui.views.boundary_compute import BoundaryComputer, BoundaryJob

    config = TrainConfig(arch="mlp", dataset="xor", dataset_options={"samples": 200, "features": "x,y,xy"})
    spec = ModelSpec("mlp", {}, (3,), 2, (), (), (), "classification", "xor", features=("x", "y", "xy"))
    snapshot = WeightsSnapshot(spec, {"model": spec.build().state_dict()}, 3)
    result = BoundaryComputer()(BoundaryJob(("snapshot", snapshot, config)))
    assert result.image.shape == (120, 120, 3) and result.grid.probabilities.shape == (120, 120, 2)
    assert result.points.train_x.shape[1] == 2, "the points themselves are drawn, not their features"


def test_an_opened_model_with_features_shows_its_neurons(qtbot, view, tmp_path):
    from playground.core.checkpoint import load_checkpoint
    from playground.core.inference.predictor import ModelInfo
    from playground.core.training.trainer import Trainer

    session, v = view
    config = TrainConfig(arch="mlp", arch_options={"hidden": [6]}, dataset="xor", epochs=1, device="cpu",
                         dataset_options={"samples": 200, "features": "x,y,xy"})
    assert Trainer().fit(config, checkpoint_path=tmp_path / "xor.pt").status == "completed"
    session.open_model(str(tmp_path / "xor.pt"), ModelInfo(load_checkpoint(tmp_path / "xor.pt").spec, "xor.pt"))
    qtbot.waitUntil(lambda: v.result is not None, timeout=RUN_MS)
    columns = v.result.columns
    assert [(c.title, c.labels) for c in columns] == [("inputs", ("x", "y", "xy")), ("hidden 1", tuple("123456")),
                                                      ("output", ("1", "2"))]
    assert v.label.text().startswith("xor.pt (mlp)") and v.result.output.shape == (48, 48, 3)
