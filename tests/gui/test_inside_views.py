"""The views that look inside the model: the decision boundary moves while mlp trains on spiral, the inside view
shows filters, activations and saliency for a drawn digit and follows a run, layer health draws a curve per
layer; and each says plainly when it does not apply."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from guitest import RUN_MS, configure
from synthetic_input import draw_stroke

from playground.core.config import TrainConfig
from playground.core.models.registry import build_model
from playground.core.models.spec import ModelSpec
from playground.core.training.events import LayerHealth, RunStarted, WeightsSnapshot
from playground.gui.session import SessionModel

ONE = [(0.5, 0.15 + 0.7 * i / 25) for i in range(26)]


def _view(window, name: str):
    window.docks.bring_forward(name)
    return window.docks.docks[name].widget()


def _rows(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


class _Changes:
    """Counts how often a picture changed, polled from qtbot.waitUntil."""

    def __init__(self, read):
        self.read, self.last, self.count = read, None, 0

    def seen(self, at_least: int) -> bool:
        now = self.read()
        if now is not None and (self.last is None or not np.array_equal(now, self.last)):
            self.count, self.last = self.count + 1, now.copy()
        return self.count >= at_least


def test_the_decision_boundary_moves_while_mlp_trains_on_spiral(qtbot, window, tmp_path):
    configure(window, epochs=1000, dataset_options={"samples": 800})
    window.controls.train.click()
    view = window.docks.docks["boundary"].widget()
    image = _Changes(lambda: view.image_item.image)
    qtbot.waitUntil(lambda: image.seen(5), timeout=RUN_MS)
    assert view.isVisible(), "a run on 2-D points brings the Boundary forward"
    assert view.plot.objectName() == "decisionBoundaryPlot" and view.image_item.image.shape == (120, 120, 3)
    assert "mlp on spiral, at step" in view.label.text()
    test_points = view._scatters["test"]
    assert sum(len(s.data) for s in test_points) == 200 and sum(len(s.data) for s in view._scatters["train"]) == 600
    view.show_test.setChecked(False)
    assert not any(s.isVisible() for s in test_points)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()
    assert window.session.snapshot_interval_ms is None
    qtbot.waitUntil(lambda: view.result.info.step == window.session.run.checkpoint.step, timeout=RUN_MS)
    view.export_csv(str(tmp_path / "b.csv"))
    rows = _rows(tmp_path / "b.csv")
    assert rows[0] == ["x", "y", "predicted", "p_0", "p_1"] and len(rows) == 1 + 120 * 120
    assert view.export_png(str(tmp_path / "b.png")) and (tmp_path / "b.png").stat().st_size > 1000


def test_layer_health_draws_each_layers_norms_during_a_run(qtbot, window, tmp_path):
    configure(window, epochs=1000, dataset_options={"samples": 400})
    window.controls.train.click()
    qtbot.waitUntil(lambda: window.session.run.started is not None, timeout=RUN_MS)
    view = _view(window, "health")  # over the Boundary, which the run brought forward
    qtbot.waitUntil(lambda: len(view.curves) == 3 and all(
        c.xData is not None and len(c.xData) >= 2 for pair in view.curves for c in pair), timeout=RUN_MS)
    assert view.grad_plot.objectName() == "layerHealthPlot" and view.grad_plot.getPlotItem().ctrl.logYCheck.isChecked()
    assert "healthy" in view.note.text()
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()
    view.export_csv(str(tmp_path / "h.csv"))
    rows = _rows(tmp_path / "h.csv")
    assert rows[0] == ["step", "grad_norm:1", "grad_norm:3", "grad_norm:5", "weight_norm:1", "weight_norm:3",
                       "weight_norm:5"] and len(rows) >= 3


def test_the_inside_view_shows_a_drawn_digit_through_the_bundled_model(qtbot, window, tmp_path):
    assert window.drawing.wait_for_bundled_model()
    qtbot.waitUntil(window.drawing.has_model)
    draw_stroke(window.drawing.canvas, ONE)
    window.drawing.predict_now()
    assert window.session.chosen_input is not None
    view = _view(window, "inside")
    qtbot.waitUntil(lambda: view.picture("saliency") is not None, timeout=RUN_MS)
    assert "the bundled model" in view.model_label.text() and view.answer_label.text().startswith(
        "Reads your drawing as “1”")
    keys = [s.key for s in view.result.sections]
    assert keys == ["filters", "saliency", "convolution 1", "convolution 2", "hidden layer 1", "hidden layer 2"]
    assert view.result.numbers["filters"].shape == (32, 1, 3, 3)
    assert view.result.numbers["convolution 2"].shape == (64, 14, 14)
    saliency = view.result.numbers["saliency"]
    # a straight stroke's saliency under this model is largest near the image's edges (as it was before the
    # Draw panel changed size): what holds is a map of the drawing's size, finite, and not all zero
    assert saliency.shape == window.session.chosen_input.pixels.shape
    assert np.isfinite(saliency).all() and saliency.max() > 0
    view.export_csv(str(tmp_path / "inside.csv"))
    assert len(_rows(tmp_path / "inside.csv")) == 1 + sum(v.size for v in view.result.numbers.values())


def test_the_inside_view_follows_a_run_and_keeps_its_final_model(qtbot, window, digit_shapes):
    assert window.drawing.wait_for_bundled_model()
    qtbot.waitUntil(window.drawing.has_model)
    draw_stroke(window.drawing.canvas, ONE)
    window.drawing.predict_now()
    configure(window, arch="seed-cnn", epochs=300, batch_size=16, dataset="image-folder",
              dataset_options={"path": str(digit_shapes), "size": 28, "grayscale": True})
    view = _view(window, "inside")
    window.controls.train.click()
    qtbot.waitUntil(lambda: "the training run, at step" in view.model_label.text(), timeout=RUN_MS)
    assert window.session.snapshot_interval_ms is not None
    filters = _Changes(lambda: view.picture("filters"))
    qtbot.waitUntil(lambda: filters.seen(2) and view.picture("saliency") is not None, timeout=RUN_MS)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()
    final = window.session.run.checkpoint.step
    qtbot.waitUntil(lambda: f"the last training run, at step {final:,}" in view.model_label.text(), timeout=RUN_MS)
    assert view.answer_label.text().startswith("Reads your drawing as")


# -- the empty states, on a session alone ---------------------------------------------------------------------

@pytest.fixture
def views(qtbot):
    from playground.gui.views.analysis_views import build_analysis_views

    session = SessionModel()
    built = dict(build_analysis_views(session))
    for view in built.values():
        qtbot.addWidget(view)
        view.resize(420, 600)
        view.show()
    yield session, built
    for view in built.values():
        view.shutdown()


def _start(session: SessionModel, arch: str, dataset: str, shape: tuple, task: str = "classification",
           outputs: int = 2) -> ModelSpec:
    spec = ModelSpec(arch, {}, shape, outputs, (), (), (), task, dataset)
    session.begin_run(TrainConfig(arch=arch, dataset=dataset))
    session.record(RunStarted({"dataset": dataset}, "cpu", 0, 0, 0, 1, 1, 0, spec))
    return spec


def test_before_any_run_each_view_says_what_it_will_show(qtbot, views):
    _, v = views
    assert v["boundary"].label.text().startswith("Train on 2-D points") and not v["boundary"].plot.isVisible()
    assert v["health"].note.text().startswith("Train any model")
    qtbot.waitUntil(lambda: v["inside"].picture("filters") is not None, timeout=RUN_MS)  # the bundled model
    assert v["inside"].answer_label.text().startswith("Draw a digit in the Draw panel")


def test_image_runs_have_no_boundary_and_points_nothing_inside(views):
    session, v = views
    _start(session, "seed-cnn", "mnist", (1, 28, 28), outputs=10)
    assert "the decision boundary is for 2-D points; see the Inside view" in v["boundary"].label.text()
    assert not v["boundary"].plot.isVisible()
    session.end_run()
    _start(session, "mlp", "spiral", (2,))
    assert "the inside view is for image models" in v["inside"].model_label.text()
    assert v["inside"].picture("filters") is None and session.snapshot_interval_ms == 160
    session.end_run()
    _start(session, "gan", "mnist", (1, 28, 28), task="gan")
    assert "Samples panel" in v["inside"].model_label.text() and "Samples panel" in v["boundary"].label.text()
    assert session.snapshot_interval_ms is None


def test_a_regression_shows_its_fitted_curve(qtbot, views):
    session, v = views
    spec = _start(session, "mlp", "sine", (1,), task="regression", outputs=1)
    model = build_model("mlp", (1,), 1, {})
    session.record(WeightsSnapshot(spec, {"model": model.state_dict()}, 7))
    view = v["boundary"]
    qtbot.waitUntil(lambda: view.result is not None, timeout=RUN_MS)
    assert view.curve.xData is not None and len(view.curve.xData) == 200 and not view.image_item.isVisible()
    assert "the model's prediction over x" in view.label.text()


def test_layer_health_names_vanishing_and_exploding_layers(views):
    session, v = views
    session.begin_run(TrainConfig(arch="mlp", dataset="spiral"))
    view = v["health"]
    session.record(LayerHealth(10, ("1", "3"), (0.0, 5e3), (1.0, 2.0)))
    assert "vanishing gradients" in view.note.text() and "layer 1" in view.note.text()
    assert "exploding gradients" in view.note.text() and "layer 3" in view.note.text()
    view._on_timer_timeout()
    assert view.curves[0][0].yData[0] == pytest.approx(1e-12), "a zero is drawn at the floor of the log scale"


def test_layer_health_makes_many_curves_a_few_at_a_time_and_draws_them_all(qtbot, views):
    session, v = views
    session.begin_run(TrainConfig(arch="mlp", dataset="spiral"))
    view = v["health"]
    layers = tuple(str(k) for k in range(8))
    session.record(LayerHealth(5, layers, tuple(0.1 * (k + 1) for k in range(8)), (1.0,) * 8))
    view._on_timer_timeout()
    assert len(view.curves) < 8, "not every curve in one turn of the event loop"
    qtbot.waitUntil(lambda: len(view.curves) == 8 and all(
        c.yData is not None and len(c.yData) == 1 for pair in view.curves for c in pair))
    assert view.curves[7][0].yData[0] == pytest.approx(0.8)


def test_an_opened_model_of_2d_points_shows_its_boundary(qtbot, window, tmp_path):
    from playground.core.training.trainer import Trainer

    config = TrainConfig(arch="mlp", dataset="moons", epochs=2, device="cpu", dataset_options={"samples": 300})
    assert Trainer().fit(config, checkpoint_path=tmp_path / "moons.pt").status == "completed"
    window.load_checkpoint(str(tmp_path / "moons.pt"))
    view = window.docks.docks["boundary"].widget()
    assert view.isVisible() and view.presence.on_screen, "opening it brings the Boundary forward"
    qtbot.waitUntil(lambda: view.result is not None, timeout=RUN_MS)
    assert view.label.text().startswith("moons.pt (mlp)") and view.image_item.image.shape == (120, 120, 3)
    assert sum(len(s.data) for s in view._scatters["train"]) == 225
    inside = _view(window, "inside")
    assert "the inside view is for image models" in inside.model_label.text()


def test_an_opened_image_model_replaces_the_bundled_one_inside(qtbot, window, tmp_path):
    from playground.core.inference.bundled import bundled_model_path

    path = tmp_path / "digits.pt"
    path.write_bytes(bundled_model_path().read_bytes())
    window.load_checkpoint(str(path))
    inside = _view(window, "inside")
    qtbot.waitUntil(lambda: "digits.pt" in inside.model_label.text() and inside.picture("filters") is not None,
                    timeout=RUN_MS)


@pytest.mark.parametrize("arch, shape, sections", [
    ("mlp", (1, 28, 28), ["filters", "saliency", "hidden layer 1", "hidden layer 2"]),
    ("lstm", (1, 28, 28), ["saliency", "lstm"]),
    ("resnet-small", (3, 32, 32), ["filters", "saliency", *(f"convolution {k}" for k in range(1, 8))]),
])
def test_every_image_architecture_is_shown_inside(arch, shape, sections):
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)  # as the view's own thread computes; two threads wait on each other here
    try:
        _show_inside(arch, shape, sections)
    finally:
        torch.set_num_threads(before)


def _show_inside(arch, shape, sections):
    import torch

    from playground.gui.session import ChosenInput
    from playground.gui.views.inside_compute import InsideComputer, InsideJob

    spec = ModelSpec(arch, {}, shape, 10, (), (0.5,) * shape[0], (0.25,) * shape[0])
    snapshot = WeightsSnapshot(spec, {"model": build_model(arch, shape, 10, {}).state_dict()}, 3)
    pixels = np.zeros(shape[1:] + ((3,) if shape[0] == 3 else ()), dtype=np.uint8)
    chosen = ChosenInput(torch.randn(1, *shape), pixels, "test image 4")
    result = InsideComputer()(InsideJob(("snapshot", snapshot), chosen))
    assert [s.key for s in result.sections] == sections and result.answer.startswith("Reads test image 4 as")
    assert all(s.image.ndim == 3 and s.image.shape[2] == 3 and s.image.dtype == np.uint8 for s in result.sections)
    drawn = ChosenInput(torch.randn(1, 1, 28, 28), np.zeros((28, 28), np.uint8), "your drawing")
    other = InsideComputer()(InsideJob(("snapshot", snapshot), drawn))
    if shape != (1, 28, 28):
        assert "reads 3×32×32 images and your drawing is 1×28×28" in other.answer
