"""TensorFlow Playground's input features for the 2-D points: their values, the messages for bad names, the data
and the model reading them, the decision boundary mapping its grid through them, and the neurons over the plane."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from playground.core.analysis.boundary import Bounds, decision_grid
from playground.core.analysis.network import dense_layers, neuron_picture, what_network
from playground.core.config import TrainConfig, validate
from playground.core.data import features
from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.core.data.registry import load_dataset, load_for
from playground.core.models.registry import build_model
from playground.core.training.prepared import model_spec

ALL = "x,y,x2,y2,xy,sinx,siny"


def test_each_feature_has_its_value():
    points = torch.tensor([[0.5, -2.0], [1.0, 0.25]])
    got = features.expand(points, features.names(ALL))
    x, y = points[:, 0], points[:, 1]
    want = torch.stack([x, y, x * x, y * y, x * y, torch.sin(math.pi * x), torch.sin(math.pi * y)], 1)
    assert got.shape == (2, 7) and got.dtype == torch.float32 and torch.allclose(got, want)
    assert got[0, 2] == 0.25 and got[0, 4] == -1.0 and got[1, 5] == pytest.approx(0.0, abs=1e-6)
    assert features.expand(points, ("y2", "x")).tolist() == [[4.0, 0.5], [0.0625, 1.0]], "in the order named"


@pytest.mark.parametrize(("value", "words"), [
    ("x,z", ["unknown feature 'z'", "choose from x, y, x2, y2, xy, sinx, siny", "features=x,y,x2,y2"]),
    ("", ["at least one of"]),
    ("x,x2,x", ["names a feature twice"]),
    (["x", "y"], ['features = "x,y,x2,y2"']),
])
def test_bad_features_get_a_message_naming_the_fix(value, words):
    problems = validate(TrainConfig(arch="mlp", dataset="spiral", dataset_options={"features": value}), deep=False)
    assert [f for f, _ in problems] == ["dataset_options"]
    assert all(w in problems[0][1] for w in words), problems


def test_only_the_2d_point_datasets_take_features():
    assert DATASET_CATALOGUE["xor"].defaults()["features"] == "x,y"
    assert "features" not in DATASET_CATALOGUE["sine"].defaults()
    assert DATASET_CATALOGUE["circles"].shape_for({"features": "x2,y2,xy"}) == (3,)
    assert DATASET_CATALOGUE["circles"].shape_for({"features": "x2,oops"}) == (2,), "the form while one types"
    assert validate(TrainConfig(arch="mlp", dataset="spiral", dataset_options={"features": " X, y ,x2"})) == []


def test_the_points_become_the_feature_columns_and_the_model_reads_them():
    raw = load_dataset("spiral", {"samples": 200}, seed=3)
    config = TrainConfig(arch="mlp", dataset="spiral", seed=3, dataset_options={"samples": 200, "features": "x2,xy,x"})
    data = load_for(config)
    assert raw.features == () and raw.input_shape == (2,)
    assert data.features == ("x2", "xy", "x") and data.input_shape == (3,)
    x = raw.train_x[:, 0]
    assert torch.allclose(data.train_x, torch.stack([x * x, x * raw.train_x[:, 1], x], 1))
    spec = model_spec(config, data)
    assert spec.input_shape == (3,) and spec.features == ("x2", "xy", "x")
    assert spec.kind.boundary(spec) == "regions" and features.plane_features(spec) == ("x2", "xy", "x")
    assert spec.build()(data.test_x).shape == (len(data.test_x), 2)


def test_the_decision_boundary_maps_its_grid_through_the_features():
    model = nn.Linear(3, 2)  # reads (x, y, x²): class 0 where x² > 0.25
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]))
        model.bias.copy_(torch.tensor([-0.25, 0.0]))
    grid = decision_grid(model, Bounds(-1, 1, -1, 1), n=20, features=("x", "y", "x2"))
    want = np.where(np.abs(grid.xs) > 0.5, 0, 1)
    assert (grid.predicted == want[None, :]).all()


def test_each_neuron_of_a_dense_network_is_pictured_over_the_plane():
    model = build_model("mlp", (4,), 2, {"hidden": [5, 20]}).eval()
    layers = dense_layers(model)
    picture = neuron_picture(layers, Bounds(-1, 1, -1, 1), ("x", "y", "x2", "y2"), n=8, keep=16)
    shapes = [(c.title, c.values.shape, None if c.weights is None else c.weights.shape, c.total)
              for c in picture.columns]
    assert shapes == [("inputs", (4, 8, 8), None, 4), ("hidden 1", (5, 8, 8), (5, 4), 5),
                      ("hidden 2", (16, 8, 8), (16, 5), 20), ("output", (2, 8, 8), (2, 16), 2)]
    assert picture.columns[0].labels == ("x", "y", "x²", "y²")
    assert np.allclose(picture.columns[0].values[2], picture.columns[0].values[0] ** 2)
    assert (picture.columns[1].values >= 0).all(), "after the ReLU"
    first = model[1]  # the first Linear: neuron 1 is its weights times the features, through the ReLU
    corner = torch.tensor([[-0.875, -0.875, 0.875 ** 2, 0.875 ** 2]])
    assert picture.columns[1].values[0, 0, 0] == pytest.approx(torch.relu(first(corner))[0, 0].item(), abs=1e-5)


def test_only_plain_stacks_of_linear_layers_are_dense():
    assert dense_layers(build_model("linear", (2,), 3, {})) is not None
    assert dense_layers(build_model("seed-cnn", (1, 28, 28), 10, {})) is None
    assert what_network(build_model("seed-cnn", (1, 28, 28), 10, {})) == "a convolutional network"
    assert what_network(build_model("vit", (1, 28, 28), 10, {})) == "a transformer"
    assert what_network(build_model("lstm", (32, 1), 4, {})) == "a recurrent network"
    residual = [{"type": "Linear", "out_features": 8},
                {"type": "Residual", "layers": [{"type": "Linear", "out_features": 8}]}, {"type": "Linear"}]
    network = build_model("custom", (2,), 2, {}, layers=residual)
    assert dense_layers(network) is None and what_network(network) == "a network with residual blocks"
    plain = [{"type": "Linear", "out_features": 8}, {"type": "Tanh"}, {"type": "Linear"}]
    assert dense_layers(build_model("custom", (2,), 2, {}, layers=plain)) is not None


def test_the_exported_script_reads_the_same_features():
    from playground.core.export.script_format import load_script, script_source

    config = TrainConfig(arch="mlp", dataset="moons", seed=2, dataset_options={"samples": 120, "features": ALL})
    data = load_for(config)
    script = load_script(script_source(config, model_spec(config, data)))
    train_x, train_y, test_x, _ = script.load_data()
    assert torch.allclose(train_x, data.train_x) and torch.allclose(test_x, data.test_x)
    assert torch.equal(train_y, data.train_y)
