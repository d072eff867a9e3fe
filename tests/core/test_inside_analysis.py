"""The analysis behind the inside views: saliency, the decision-boundary grid, activations, filters."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from playground.core.analysis.activations import MAPS, SEQUENCE, UNITS, activations, first_layer_filters
from playground.core.analysis.applies import CURVE, REGIONS, boundary_kind, boundary_problem, inside_problem
from playground.core.analysis.boundary import Bounds, data_bounds, decision_grid, fitted_curve, region_image
from playground.core.analysis.saliency import saliency
from playground.core.models.registry import build_model
from playground.core.models.spec import ModelSpec


def test_the_saliency_of_a_linear_model_is_its_top_class_weight_row():
    torch.manual_seed(0)
    model = nn.Linear(5, 3)
    x = torch.randn(1, 5)
    result = saliency(model, x)
    top = int(model(x).argmax())
    assert result.target == top
    np.testing.assert_allclose(result.map, model.weight[top].detach().abs().numpy(), rtol=1e-6)
    other = (top + 1) % 3
    np.testing.assert_allclose(saliency(model, x, target=other).map, model.weight[other].detach().abs().numpy())
    assert model.weight.grad is None, "only the input's gradient is computed"


def test_the_saliency_of_an_image_is_the_largest_over_its_channels():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 4 * 5, 2)).eval()
    x = torch.randn(1, 3, 4, 5)
    with torch.inference_mode():  # an inference tensor, as a drawing's input may be
        x = x.clone()
    result = saliency(model, x)
    row = model[1].weight[result.target].detach().view(3, 4, 5).abs()
    np.testing.assert_allclose(result.map, row.amax(dim=0).numpy(), rtol=1e-6)
    assert result.map.shape == (4, 5) and result.probabilities.sum() == pytest.approx(1.0)


def test_the_decision_grid_is_the_models_answer_at_its_points():
    torch.manual_seed(2)
    model = build_model("mlp", (2,), 3, {"hidden": [16]}).eval()
    bounds = Bounds(-1.5, 1.0, -0.5, 2.0)
    grid = decision_grid(model, bounds, n=40)
    assert grid.probabilities.shape == (40, 40, 3) and grid.predicted.shape == (40, 40)
    assert grid.xs[0] > bounds.x0 and grid.xs[-1] < bounds.x1 and grid.ys[0] > bounds.y0
    rng = np.random.default_rng(0)
    for i, j in rng.integers(0, 40, size=(25, 2)):
        point = torch.tensor([[grid.xs[j], grid.ys[i]]])
        with torch.inference_mode():
            probs = torch.softmax(model(point), dim=1)[0].numpy()
        np.testing.assert_allclose(grid.probabilities[i, j], probs, rtol=1e-5, atol=1e-6)
        assert grid.predicted[i, j] == probs.argmax()
    assert ((grid.confidence >= 0) & (grid.confidence <= 1)).all()


def test_the_regions_are_coloured_by_class_and_pale_where_unsure():
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[10.0, 0.0], [-10.0, 0.0]]))
        model.bias.zero_()
    grid = decision_grid(model, Bounds(-1, 1, -1, 1), n=20)
    colours = np.array([[255, 0, 0], [0, 0, 255]])
    image = region_image(grid, colours)
    assert image.shape == (20, 20, 3) and image.dtype == np.uint8
    assert image[10, -1, 0] > image[10, -1, 2] and image[10, 0, 2] > image[10, 0, 0]  # right red, left blue
    assert image[10, 9].min() > image[10, -1].min(), "near x = 0 the model is unsure: paler"


def test_the_fitted_curve_is_the_regression_over_x():
    model = nn.Linear(1, 1)
    xs, ys = fitted_curve(model, data_bounds(np.array([[-1.0], [1.0]])), n=50)
    assert xs[0] < -1 and xs[-1] > 1 and len(ys) == 50
    np.testing.assert_allclose(ys, (model.weight.item() * xs + model.bias.item()), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("arch, expected", [
    ("seed-cnn", [(MAPS, (32, 28, 28)), (MAPS, (64, 14, 14)), (UNITS, (120,)), (UNITS, (84,))]),
    ("mlp", [(UNITS, (128,)), (UNITS, (64,))]),
    ("lstm", [(SEQUENCE, (28, 128))]),
    ("linear", []),
])
def test_activations_have_the_shapes_of_the_layers(arch, expected):
    model = build_model(arch, (1, 28, 28), 10, {}).eval()
    found = activations(model, torch.randn(1, 1, 28, 28))
    assert [(a.kind, a.values.shape) for a in found] == expected
    assert all(not m._forward_hooks for m in model.modules()), "the hooks are removed"
    if arch == "seed-cnn":
        assert found[0].name == "convolution 1" and found[0].after == "ReLU" and found[0].values.min() >= 0


def test_the_first_layers_filters():
    assert first_layer_filters(build_model("seed-cnn", (1, 28, 28), 10, {}), (1, 28, 28)).weights.shape == (32, 1, 3, 3)
    dense = first_layer_filters(build_model("mlp", (1, 28, 28), 10, {}), (1, 28, 28))
    assert dense.title == "layer 1" and dense.weights.shape == (128, 1, 28, 28)
    assert first_layer_filters(build_model("gru", (1, 28, 28), 10, {}), (1, 28, 28)) is None


def test_which_view_applies_to_which_model():
    points, curve = ModelSpec("mlp", input_shape=(2,), num_outputs=2), ModelSpec("mlp", input_shape=(1,),
                                                                                 num_outputs=1, task="regression")
    image, gan = ModelSpec("seed-cnn", input_shape=(1, 28, 28)), ModelSpec("gan", input_shape=(1, 28, 28), task="gan")
    assert (boundary_kind(points), boundary_kind(curve), boundary_kind(image)) == (REGIONS, CURVE, None)
    assert boundary_problem(image) == "the decision boundary is for 2-D points; see the Inside view"
    assert "Samples" in boundary_problem(gan) and "Samples" in inside_problem(gan)
    assert inside_problem(image) is None and "Boundary view" in inside_problem(points)
