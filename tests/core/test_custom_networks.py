"""Custom networks as data: parsing, the shape check, building, the built-in stacks as layers, exported source."""

from __future__ import annotations

import math
import threading
import time
import tomllib

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from playground.core.errors import ConfigError, IncompatibleError
from playground.core.models.custom.build import build_network
from playground.core.models.custom.builtin_stacks import stack_of
from playground.core.models.custom.shapes import check_shapes, memory_problem
from playground.core.models.custom.source import network_source
from playground.core.models.custom.spec import LayerSpec, layers_to_data, parse_layers
from playground.core.models.registry import build_model

SEED_CNN_TOML = """
arch = "custom"
[[layers]]
type = "Conv2d"
out_channels = 32
kernel_size = 3
padding = 1
[[layers]]
type = "ReLU"
[[layers]]
type = "MaxPool2d"
kernel_size = 2
[[layers]]
type = "Conv2d"
out_channels = 64
kernel_size = 3
padding = 1
[[layers]]
type = "ReLU"
[[layers]]
type = "MaxPool2d"
kernel_size = 2
[[layers]]
type = "Flatten"
[[layers]]
type = "Linear"
out_features = 120
[[layers]]
type = "ReLU"
[[layers]]
type = "Linear"
out_features = 84
[[layers]]
type = "ReLU"
[[layers]]
type = "Linear"
"""


def _layers(toml_text: str) -> tuple[LayerSpec, ...]:
    return parse_layers(tomllib.loads(toml_text)["layers"])


def _count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def test_seed_cnn_as_toml_has_its_parameter_count_and_builds():
    specs = _layers(SEED_CNN_TOML)
    report = check_shapes(specs, (1, 28, 28), num_outputs=10)
    assert report.problem is None and report.total_params == 406_270 and report.output == (10,)
    assert [r.output for r in report.rows][:3] == [(32, 28, 28), (32, 28, 28), (32, 14, 14)]
    assert report.rows[7].args == {"in_features": 3136, "out_features": 120}
    assert report.rows[-1].args == {"in_features": 84, "out_features": 10}  # the dataset's outputs
    model = build_network(specs, (1, 28, 28), 10)
    assert _count(model) == 406_270
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 10)


BUILTINS = [
    ("linear", {}, (1, 28, 28)), ("linear", {}, (2,)),
    ("mlp", {}, (1, 28, 28)), ("mlp", {}, (2,)),
    ("mlp", {"hidden": [16, 8, 4], "activation": "leaky_relu", "dropout": 0.3}, (2,)),
    ("mlp", {"hidden": [32], "activation": "gelu"}, (3, 32, 32)),
    ("seed-cnn", {}, (1, 28, 28)), ("seed-cnn", {}, (3, 32, 32)),
    ("seed-cnn", {"channels": [8, 16, 4], "batch_norm": True, "dropout": 0.2}, (1, 28, 28)),
    ("lenet5", {}, (1, 28, 28)), ("lenet5", {"activation": "relu"}, (3, 32, 32)),
    ("cifar-convnet", {}, (3, 32, 32)), ("cifar-convnet", {}, (1, 28, 28)),
]


@pytest.mark.parametrize(("arch", "options", "shape"), BUILTINS,
                         ids=[f"{a}-{'x'.join(map(str, s))}-{len(o)}" for a, o, s in BUILTINS])
def test_builtin_stacks_build_the_same_model(arch, options, shape):
    layers = stack_of(arch, options, shape, 10)
    assert layers is not None
    specs = parse_layers(layers)
    torch.manual_seed(7)
    builtin = build_model(arch, shape, 10, options).eval()
    torch.manual_seed(7)
    custom = build_network(specs, shape, 10).eval()
    assert check_shapes(specs, shape, num_outputs=10).total_params == _count(builtin) == _count(custom)
    assert list(custom.state_dict()) == list(builtin.state_dict())
    x = torch.randn(3, *shape)
    assert torch.equal(custom(x), builtin(x))


def test_only_plain_stacks_are_layers():
    assert stack_of("lstm", {}, (28, 28), 10) is None and stack_of("gan", {}, (1, 28, 28), 10) is None


def _trains(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int = 8) -> tuple[float, float]:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    losses = []
    for _ in range(steps):
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses[0], losses[-1]


def test_a_residual_network_trains():
    specs = _layers("""
        layers = [
          {type = "Conv2d", out_channels = 4, kernel_size = 3, padding = 1},
          {type = "Residual", layers = [{type = "Conv2d", out_channels = 4, kernel_size = 3, padding = "same"},
                                        {type = "BatchNorm2d"}, {type = "ReLU"}]},
          {type = "AdaptiveAvgPool2d", output_size = 2},
          {type = "Flatten"},
          {type = "Linear"},
        ]""")
    report = check_shapes(specs, (1, 8, 8), num_outputs=3)
    assert [r.position for r in report.rows] == ["1", "2", "2.1", "2.2", "2.3", "3", "4", "5"]
    assert report.rows[1].params == report.rows[2].params + report.rows[3].params
    torch.manual_seed(0)
    model = build_network(specs, (1, 8, 8), 3)
    assert isinstance(model[1].body, nn.Sequential)
    first, last = _trains(model, torch.randn(16, 1, 8, 8), torch.randint(0, 3, (16,)))
    assert last < first


def test_a_transformer_network_trains():
    specs = parse_layers([{"type": "Linear", "out_features": 16}, {"type": "TransformerBlock", "heads": 4},
                          {"type": "TransformerBlock", "heads": 2, "mlp_ratio": 2, "causal": True},
                          {"type": "LSTM", "hidden_size": 8, "output": "last"}, {"type": "Linear"}])
    torch.manual_seed(0)
    model = build_network(specs, (6, 5), 3)
    assert _count(model) == check_shapes(specs, (6, 5), num_outputs=3).total_params
    first, last = _trains(model, torch.randn(16, 6, 5), torch.randint(0, 3, (16,)))
    assert last < first


def test_text_models_embed_tokens_and_give_one_output_per_token():
    specs = parse_layers([{"type": "Embedding", "embedding_dim": 8}, {"type": "GRU", "hidden_size": 12},
                          {"type": "Linear"}])
    report = check_shapes(specs, (10,), tokens=True, num_outputs=20)
    assert report.problem is None and report.output == (10, 20)
    assert report.rows[0].args == {"num_embeddings": 20, "embedding_dim": 8}
    model = build_network(specs, (10,), 20, tokens=True)
    assert model(torch.randint(0, 20, (2, 10))).shape == (2, 10, 20)


# (layers, input shape, outputs, tokens) -> the problem's position and words of its message
BROKEN_SHAPES = [
    ([{"type": "Flatten"}, {"type": "Linear", "out_features": 8}, {"type": "Conv2d", "out_channels": 4,
                                                                   "kernel_size": 3}],
     (1, 8, 8), 10, False, "layer 3, Conv2d: needs images, gets 8 features"),
    ([{"type": "Conv2d", "out_channels": 4, "kernel_size": 3}, {"type": "Linear", "out_features": 10}],
     (1, 8, 8), 10, False, "layer 2, Linear: gets 4×6×6 images; add Flatten before it"),
    ([{"type": "MaxPool2d", "kernel_size": 2}, {"type": "MaxPool2d", "kernel_size": 3}, {"type": "Flatten"},
      {"type": "Linear"}],
     (1, 4, 4), 10, False, "layer 2, MaxPool2d: a 3×3 window does not fit 2×2 images; remove a pooling layer"),
    ([{"type": "Conv2d", "out_channels": 4, "kernel_size": 7}], (1, 5, 5), 10, False,
     "layer 1, Conv2d: a 7×7 kernel does not fit 5×5 images"),
    ([{"type": "Residual", "layers": [{"type": "Conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1}]}],
     (4, 6, 6), None, False, "layer 1, Residual: its layers turn 4×6×6 images into 8×6×6 images"),
    ([{"type": "Flatten"}, {"type": "Linear", "out_features": 84}], (1, 4, 4), 10, False,
     "layer 2, Linear: the network ends with 84 features, and the dataset has 10 outputs; set its out_features"),
    ([{"type": "Flatten"}, {"type": "Linear", "out_features": 84}, {"type": "ReLU"}], (1, 4, 4), 10, False,
     "layer 3, ReLU: the network ends with 84 features, and the dataset has 10 outputs; end it with "
     "Linear(out_features=10)"),
    ([{"type": "Embedding", "embedding_dim": 4, "num_embeddings": 10}], (4,), None, False,
     "layer 1, Embedding: needs token ids, gets 4 features"),
    ([{"type": "LSTM", "hidden_size": 8}], (1, 28, 28), None, False,
     "layer 1, LSTM: needs sequences (steps × features), gets 1×28×28 images; add Flatten(start_dim=1, "
     "end_dim=2)"),
    ([{"type": "GRU", "hidden_size": 8}, {"type": "Linear"}], (5,), 2, False,
     "layer 1, GRU: needs sequences (steps × features), gets 5 features"),
    ([{"type": "Linear", "out_features": 8}], (6,), None, True,
     "layer 1, Linear: gets sequences of 6 token ids; add an Embedding before it"),
    ([{"type": "Linear", "in_features": 5, "out_features": 8}], (6,), None, False,
     "layer 1, Linear: in_features is 5, and it gets 6 features; set in_features = 6"),
    ([{"type": "Linear", "out_features": 30}, {"type": "TransformerBlock", "heads": 4}], (3, 2), None, False,
     "layer 2, TransformerBlock: a width of 30 cannot be split into 4 heads"),
    ([{"type": "BatchNorm1d"}], (2, 8, 8), None, False, "layer 1, BatchNorm1d: gets 2×8×8 images; use BatchNorm2d"),
    ([{"type": "LSTM", "hidden_size": 8}, {"type": "Linear"}], (5, 3), 2, False,
     'layer 2, Linear: the network ends with sequences of 5 steps × 2 features, and the dataset has 2 outputs; '
     'set output = "last"'),
    ([{"type": "Residual", "layers": [{"type": "Linear", "out_features": 4}, {"type": "Flatten", "start_dim": 0}]}],
     (4,), None, False, "layer 1.2, Flatten: start_dim = 0 would mix the examples of a batch"),
    ([{"type": "Embedding", "embedding_dim": 4}, {"type": "Flatten"}, {"type": "Linear"}], (6,), 9, True,
     "layer 3, Linear: the network ends with 9 features, and the dataset has 9 outputs per token"),
    ([{"type": "Softmax", "dim": 0}], (3,), None, False, "layer 1, Softmax: dim = 0 would mix the examples"),
]


@pytest.mark.parametrize(("raw", "shape", "outputs", "tokens", "expected"), BROKEN_SHAPES,
                         ids=[b[-1].split(":")[0] + f"-{i}" for i, b in enumerate(BROKEN_SHAPES)])
def test_the_shape_check_names_the_first_wrong_layer_and_the_fix(raw, shape, outputs, tokens, expected):
    specs = parse_layers(raw)
    report = check_shapes(specs, shape, tokens=tokens, num_outputs=outputs)
    assert report.problem is not None
    assert expected in report.problem.message
    assert report.problem.message.startswith(f"layer {report.problem.position}, {report.problem.type}: ")
    assert len(report.rows) == len(raw) + sum(len(r.get("layers", ())) for r in raw)
    with pytest.raises(IncompatibleError, match="layer"):
        build_network(specs, shape, outputs, tokens=tokens)


def test_layers_after_a_problem_are_listed_with_unknown_shapes():
    report = check_shapes(parse_layers([{"type": "ReLU"}, {"type": "Linear", "out_features": 3},
                                        {"type": "Residual", "layers": [{"type": "ReLU"}]}, {"type": "Linear"}]),
                          (1, 4, 4), num_outputs=2)
    assert report.problem.position == "2"
    assert [(r.position, r.output) for r in report.rows] == [
        ("1", (1, 4, 4)), ("2", None), ("3", None), ("3.1", None), ("4", None)]
    assert check_shapes([], (3,)).problem.message == 'the network has no layers; add some, such as type = "Linear"'


BROKEN_DATA = [
    ([{"type": "Conv2D", "out_channels": 3, "kernel_size": 3}], "layer 1: unknown layer type 'Conv2D'; did you "
                                                                "mean Conv2d?"),
    ([{"type": "ReLU"}, {"type": "Conv2d", "out_channels": 3, "kernal_size": 3}],
     "layer 2, Conv2d: unknown argument 'kernal_size'; did you mean kernel_size?"),
    ([{"type": "Dropout", "p": 1.5}], "layer 1, Dropout: p must be at least 0 and below 1, got 1.5"),
    ([{"type": "Residual", "layers": [{"type": "ReLU"}, {"type": "Linear", "out_features": 0}]}],
     "layer 1.2, Linear: out_features must be at least 1, got 0"),
    ([{"type": "Linear"}, {"type": "Linear"}],
     "layer 1, Linear: out_features is missing; only the network's last Linear may leave it out"),
    ([{"type": "Conv2d", "out_channels": 3}], "layer 1, Conv2d: kernel_size is missing; give it"),
    ([{"type": "Conv2d", "out_channels": "3", "kernel_size": 3}],
     "layer 1, Conv2d: out_channels must be a whole number, got '3'"),
    ([{"type": "ReLU", "inplace": True}], "layer 1, ReLU: inplace cannot be set here"),
    ([{"type": "LSTM", "hidden_size": 8, "dropout": 0.2}], "layer 1, LSTM: dropout acts only between stacked"),
    ([{"type": "MaxPool2d", "kernel_size": [2, 2, 2]}], "kernel_size must be one whole number or a list of two"),
    ([{"type": "GRU", "hidden_size": 8, "output": "final"}], "output must be one of 'sequence', 'last'"),
    ([{"type": "Residual"}], "layer 1, Residual: needs layers = "),
    ([{"type": "LayerNorm", "eps": 0}], "layer 1, LayerNorm: eps must be above 0, got 0"),
    ([{"type": "Residual", "layers": [{"type": "ReLU"}], "width": 3}],
     "layer 1, Residual: unknown argument 'width'; Residual takes no arguments"),
    ([{"type": "Conv2d", "out_channels": 3, "kernel_size": 3, "stride": 2, "padding": "same"}],
     'layer 1, Conv2d: padding = "same" needs stride 1'),
    ([{"out_features": 3}], "layer 1: no type"),
    (["ReLU"], "layer 1: must be a table with a type"),
    ([], "a custom network needs a list of layers"),
]


@pytest.mark.parametrize(("raw", "expected"), BROKEN_DATA, ids=[str(i) for i in range(len(BROKEN_DATA))])
def test_parsing_names_the_layer_and_the_fix(raw, expected):
    with pytest.raises(ConfigError) as caught:
        parse_layers(raw)
    assert any(expected in message for _, message in caught.value.problems), caught.value.problems
    assert all(field == "layers" for field, _ in caught.value.problems)


def test_parsing_lists_every_problem_from_toml_text():
    with pytest.raises(ConfigError) as caught:
        _layers("""
            [[layers]]
            type = "Conv2d"
            out_chanels = 8
            kernel_size = 3
            [[layers]]
            type = "Residual"
            [[layers.layers]]
            type = "Dropout"
            p = -0.1
            [[layers]]
            type = "Lnear"
            """)
    messages = [m for _, m in caught.value.problems]
    assert "layer 1, Conv2d: unknown argument 'out_chanels'; did you mean out_channels?" in messages
    assert "layer 2.1, Dropout: p must be at least 0 and below 1, got -0.1" in messages
    assert "layer 3: unknown layer type 'Lnear'; did you mean Linear?" in messages


def test_toml_inline_tables_and_nested_arrays_parse_and_round_trip():
    specs = _layers("""
        layers = [{type = "Conv2d", out_channels = 4, kernel_size = [3, 3], padding = "same"},
                  {type = "Residual", layers = [{type = "ReLU"}, {type = "Conv2d", out_channels = 4, kernel_size = 1}]},
                  {type = "Flatten"}, {type = "Linear"}]""")
    assert specs[0].kwargs["kernel_size"] == (3, 3) and specs[1].layers[1].type == "Conv2d"
    data = layers_to_data(specs)
    assert data[0]["kernel_size"] == [3, 3] and data[1]["layers"][0] == {"type": "ReLU"}
    assert parse_layers(data) == specs
    assert build_network(specs, (2, 5, 5), 3)(torch.zeros(1, 2, 5, 5)).shape == (1, 3)


EXACT = [  # the arithmetic's shapes and parameter counts against the real modules
    ([{"type": "Conv2d", "out_channels": 6, "kernel_size": [3, 2], "stride": 2, "dilation": [1, 2], "groups": 2},
      {"type": "MaxPool2d", "kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True},
      {"type": "AvgPool2d", "kernel_size": 2, "ceil_mode": True, "padding": 1},
      {"type": "BatchNorm2d", "affine": False}, {"type": "LayerNorm", "normalized_shape": [3, 2]},
      {"type": "Flatten", "start_dim": 2}, {"type": "RNN", "hidden_size": 5, "num_layers": 2,
                                            "bidirectional": True, "nonlinearity": "relu"},
      {"type": "LSTM", "hidden_size": 6, "proj_size": 3, "num_layers": 2, "bidirectional": True,
       "output": "last"}, {"type": "BatchNorm1d"}, {"type": "Softmax"}],
     (4, 13, 11)),
    ([{"type": "Upsample", "scale_factor": 2.0}, {"type": "ConvTranspose2d", "out_channels": 3, "kernel_size": 3},
      {"type": "MaxPool2d", "kernel_size": 2, "dilation": 2}, {"type": "Flatten", "start_dim": 1, "end_dim": 2},
      {"type": "GRU", "hidden_size": 4, "bias": False}, {"type": "LayerNorm", "bias": False},
      {"type": "TransformerBlock", "heads": 2, "mlp_ratio": 3}, {"type": "ELU"}, {"type": "GELU"}],
     (2, 3, 4)),
]


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")  # torch's own note
@pytest.mark.parametrize(("raw", "shape"), EXACT)
def test_the_arithmetic_matches_the_real_layers(raw, shape):
    specs = parse_layers(raw)
    rng = torch.get_rng_state()
    report = check_shapes(specs, shape)
    assert torch.equal(torch.get_rng_state(), rng)  # the check draws no random numbers (the seed's weights)
    assert report.problem is None
    model = build_network(specs, shape, None).eval()
    x = torch.randn(2, *shape)
    for row, module in zip(report.rows, model):
        x = module(x)
        assert (row.position, tuple(x.shape[1:]), row.params) == (row.position, row.output, _count(module))


def test_a_thirty_layer_check_is_fast_from_any_thread():
    raw = [{"type": "Conv2d", "out_channels": 16, "kernel_size": 3, "padding": 1}, {"type": "BatchNorm2d"},
           {"type": "ReLU"}] * 8 + [{"type": "Residual", "layers": [{"type": "Conv2d", "out_channels": 16,
                                                                       "kernel_size": 3, "padding": 1}]},
                                    {"type": "MaxPool2d", "kernel_size": 2}, {"type": "Flatten"},
                                    {"type": "Linear", "out_features": 64}, {"type": "ReLU"}, {"type": "Linear"}]
    specs = parse_layers(raw)
    assert len(specs) == 30
    start = time.perf_counter()
    report = check_shapes(specs, (3, 32, 32), num_outputs=10)
    took = time.perf_counter() - start
    assert report.problem is None and took < 1.0
    results = []
    thread = threading.Thread(target=lambda: results.append(check_shapes(specs, (3, 32, 32), num_outputs=10)))
    thread.start()
    thread.join()
    assert results[0].total_params == report.total_params


def test_the_memory_estimate_flags_a_huge_network_only():
    huge = parse_layers([{"type": "Flatten"}, {"type": "Linear", "out_features": 200_000},
                         {"type": "Linear", "out_features": 200_000}, {"type": "Linear"}])
    report = check_shapes(huge, (3, 32, 32), num_outputs=10)
    assert report.total_params > 4e10 and report.memory.optimizer == 2 * 4 * report.total_params
    message = memory_problem(report, available_bytes=16 * 10**9)
    assert message.startswith("the network needs about ") and "and 16.0 GB is free" in message
    assert "activations at batch 64" in message and "smaller batch size" in message
    small = check_shapes(_layers(SEED_CNN_TOML), (1, 28, 28), num_outputs=10)
    assert memory_problem(small) is None and memory_problem(small, available_bytes=10**6) is not None
    bigger_batch = check_shapes(_layers(SEED_CNN_TOML), (1, 28, 28), num_outputs=10, batch_size=128)
    assert bigger_batch.memory.activations == 2 * small.memory.activations


def test_network_source_builds_the_same_network():
    specs = parse_layers([
        {"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1, "bias": False},
        {"type": "BatchNorm2d"}, {"type": "LeakyReLU", "negative_slope": 0.1},
        {"type": "Residual", "layers": [{"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": "same"},
                                        {"type": "SiLU"}]},
        {"type": "Flatten", "start_dim": 1, "end_dim": 2}, {"type": "LSTM", "hidden_size": 8, "bidirectional": True},
        {"type": "TransformerBlock", "heads": 2, "dropout": 0.1}, {"type": "GRU", "hidden_size": 6, "output": "last"},
        {"type": "Dropout", "p": 0.2}, {"type": "Linear"}])
    source = network_source(specs, (1, 6, 5), 3)
    assert "nn.Conv2d(1, 4, kernel_size=3, padding=1, bias=False)" in source
    assert "IncompatibleError" not in source and "playground" not in source.split('"""', 2)[2]
    namespace = {"torch": torch, "nn": nn, "F": F, "math": math}
    exec(compile(source, "<network>", "exec"), namespace)
    torch.manual_seed(3)
    built = build_network(specs, (1, 6, 5), 3).eval()
    written = namespace["build_model"]().eval()
    written.load_state_dict(built.state_dict(), strict=True)
    x = torch.randn(4, 1, 6, 5)
    assert torch.allclose(written(x), built(x), atol=1e-5)
