"""Every architecture of the registry: builds for the shapes it supports, trains a step, refuses the rest clearly."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from playground.core.config import TrainConfig, validate
from playground.core.data.inputs import IMAGES, NUMBERS, SEQUENCES, TEXT
from playground.core.errors import IncompatibleError
from playground.core.models.registry import ARCHITECTURES, build_model, option_problems
from playground.core.models.summary import count_params, summarize

IMAGE_SHAPES = [(1, 28, 28), (3, 32, 32)]
POINT_SHAPES = [(2,), (1,)]
SEQUENCE_SHAPES = [(16, 3)]
# the generative kinds: test_model_kinds; attention (patches of a size, text): test_attention_models
CLASSIFIERS = [name for name, spec in ARCHITECTURES.items()
               if not spec.kind and "heads" not in spec.defaults() and spec.builder is not None
               and not spec.takes_layers]  # custom networks: test_custom_networks
CNNS = [name for name in CLASSIFIERS if ARCHITECTURES[name].reads == (IMAGES,)]
DENSE = [name for name in CLASSIFIERS if ARCHITECTURES[name].reads == NUMBERS]
RNNS = [name for name in CLASSIFIERS if ARCHITECTURES[name].reads == (IMAGES, SEQUENCES, TEXT)]


def _supported(arch: str) -> list[tuple[int, ...]]:
    reads = ARCHITECTURES[arch].reads
    if reads == (IMAGES,):
        return IMAGE_SHAPES
    return IMAGE_SHAPES + SEQUENCE_SHAPES if TEXT in reads else IMAGE_SHAPES + POINT_SHAPES


ARCH_SHAPES = [pytest.param(a, s, id=f"{a}-{'x'.join(map(str, s))}") for a in CLASSIFIERS for s in _supported(a)]


def test_registry_has_every_kind():
    assert "linear" in DENSE and "mlp" in DENSE
    assert "seed-cnn" in CNNS
    assert RNNS == ["rnn", "lstm", "gru"]


@pytest.mark.parametrize("arch", RNNS)
@pytest.mark.parametrize("shape", POINT_SHAPES)
def test_recurrent_nets_refuse_points_and_say_what_to_choose(arch, shape):
    with pytest.raises(IncompatibleError) as info:
        build_model(arch, shape, 2)
    assert arch in str(info.value) and "recurrent" in str(info.value) and "linear or mlp" in str(info.value)


@pytest.mark.parametrize("arch", RNNS)
def test_an_image_is_read_row_by_row(arch):
    """28 steps of 28 values: the same pixels as a 28 x 28 sequence."""
    torch.manual_seed(0)
    model = build_model(arch, (1, 28, 28), 10).eval()
    images = torch.randn(3, 1, 28, 28)
    as_rows = model(images)
    assert model.rnn.input_size == 28
    assert torch.allclose(as_rows, model(images[:, 0]), atol=1e-6)


@pytest.mark.parametrize(("arch", "shape"), ARCH_SHAPES)
def test_builds_and_forward_shape(arch, shape):
    torch.manual_seed(0)
    model = build_model(arch, shape, 7)
    out = model.eval()(torch.randn(5, *shape))
    assert out.shape == (5, 7)
    assert torch.isfinite(out).all()
    assert count_params(model) > 0


@pytest.mark.parametrize(("arch", "shape"), ARCH_SHAPES)
def test_one_training_step_changes_the_weights(arch, shape):
    torch.manual_seed(0)
    model = build_model(arch, shape, 3).train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = F.cross_entropy(model(torch.randn(8, *shape)), torch.arange(8) % 3)
    loss.backward()
    optimizer.step()
    assert torch.isfinite(loss)
    changed = [k for k, v in model.state_dict().items() if not torch.equal(v, before[k])]
    weights = [k for k, _ in model.named_parameters()]
    assert set(weights) <= set(changed), f"parameters that did not move: {set(weights) - set(changed)}"


@pytest.mark.parametrize("arch", DENSE)
def test_dense_nets_do_regression_with_one_output(arch):
    model = build_model(arch, (1,), 1)
    assert model(torch.randn(4, 1)).shape == (4, 1)


@pytest.mark.parametrize("arch", CNNS)
@pytest.mark.parametrize("shape", POINT_SHAPES + [(1, 28)])
def test_cnns_refuse_points_and_say_what_to_choose(arch, shape):
    with pytest.raises(IncompatibleError) as info:
        build_model(arch, shape, 2)
    message = str(info.value)
    assert arch in message and "linear or mlp" in message and str(shape) in message


@pytest.mark.parametrize("arch", CNNS)
def test_cnns_build_or_refuse_every_image_size(arch):
    """Small images (image-folder sizes) either work or give IncompatibleError, never a shape crash."""
    for side in range(1, 34):
        try:
            model = build_model(arch, (1, side, side), 2)
        except IncompatibleError as e:
            assert "at least" in str(e)
            continue
        assert model.eval()(torch.randn(2, 1, side, side)).shape == (2, 2)


def test_deep_seed_cnn_on_small_images_is_refused_not_crashed():
    options = {"channels": [8, 8, 8, 8, 8, 8]}  # six 2x2 poolings need 64x64 images
    with pytest.raises(IncompatibleError, match="at least 64x64"):
        build_model("seed-cnn", (1, 28, 28), 10, options)
    assert build_model("seed-cnn", (1, 64, 64), 10, options)(torch.randn(1, 1, 64, 64)).shape == (1, 10)


@pytest.mark.parametrize("arch", CLASSIFIERS)
def test_every_option_value_builds(arch):
    """Each option at its minimum, maximum and choices builds a model (option ranges match the builders)."""
    shape = (1, 28, 28)
    for option in ARCHITECTURES[arch].options:
        values = list(option.choices) or [v for v in (option.minimum, option.maximum) if v is not None]
        values = values or {"bool": [True, False], "int_list": [[4], [8, 4, 2]]}.get(option.kind, [option.default])
        for value in values:
            value = int(value) if option.kind == "int" else value
            assert option_problems(arch, {option.name: value}) == []
            model = build_model(arch, shape, 3, {option.name: value})
            assert model.eval()(torch.randn(2, *shape)).shape == (2, 3)


@pytest.mark.parametrize(("arch", "options", "words"), [
    ("mlp", {"hiden": [8]}, ["no option 'hiden'", "hidden"]),
    ("mlp", {"hidden": "64"}, ["hidden", "list of whole numbers"]),
    ("mlp", {"hidden": [64, 0]}, ["at least 1"]),
    ("mlp", {"hidden": [64.5]}, ["list of whole numbers"]),
    ("mlp", {"activation": "swish"}, ["activation", "relu"]),
    ("mlp", {"dropout": 1.0}, ["dropout", "at most"]),
    ("mlp", {"dropout": True}, ["dropout", "must be a float"]),
    ("mlp", {"dropout": float("nan")}, ["dropout", "finite"]),
    ("seed-cnn", {"batch_norm": "yes"}, ["batch_norm", "bool"]),
    ("resnet-small", {"width": 2}, ["width", "at least 4"]),
    ("resnet-small", {"blocks": 1.5}, ["blocks", "int"]),
    ("linear", {"hidden": [8]}, ["linear has no option", "none"]),
])
def test_bad_options_are_named(arch, options, words):
    problems = option_problems(arch, options)
    assert len(problems) == 1
    for word in words:
        assert word in problems[0]
    assert [f for f, _ in validate(TrainConfig(arch=arch, arch_options=options))] == ["arch_options"]


@pytest.mark.parametrize("arch", list(ARCHITECTURES))
def test_defaults_are_valid(arch):
    spec = ARCHITECTURES[arch]
    assert option_problems(arch, spec.defaults()) == []


@pytest.mark.parametrize("arch", CLASSIFIERS)
def test_summary_counts_every_parameter(arch):
    model = build_model(arch, (3, 32, 32), 10)
    rows = summarize(model, (3, 32, 32))
    assert rows[-1].output_shape == (10,)
    assert sum(r.params for r in rows) == count_params(model)


@pytest.mark.parametrize("batch_norm", [False, True])
def test_seed_cnn_pools_before_its_relu_which_is_the_same_function(batch_norm):
    torch.manual_seed(0)
    model = build_model("seed-cnn", (1, 28, 28), 10, {"batch_norm": batch_norm}).eval()
    swapped = []  # the textbook order: ReLU, then max-pooling
    for m in model:
        if isinstance(m, torch.nn.ReLU) and swapped and isinstance(swapped[-1], torch.nn.MaxPool2d):
            swapped.insert(len(swapped) - 1, m)
        else:
            swapped.append(m)
    assert [type(m) for m in swapped] != [type(m) for m in model], "seed-cnn pools first"
    x = torch.randn(8, 1, 28, 28)
    with torch.inference_mode():
        assert torch.equal(model(x), torch.nn.Sequential(*swapped)(x))
