"""TrainConfig: one validate() for every field, and TOML files that round-trip and name their problems."""

from __future__ import annotations

import math

import pytest

from playground.core.config import TrainConfig, check, read_toml, to_toml, validate
from playground.core.errors import ConfigError
from playground.core.presets import load_preset, preset_description, preset_names


def test_defaults_are_valid():
    assert validate(TrainConfig()) == []
    assert check(TrainConfig()) == TrainConfig()


BAD_FIELDS = [  # field, bad value, words the message must contain
    ("arch", "transformer", ["transformer", "seed-cnn", "mlp"]),
    ("dataset", "imagenet", ["imagenet", "mnist", "spiral"]),
    ("arch_options", {"width": 8}, ["width", "channels"]),
    ("dataset_options", {"samples": 500}, ["samples", "mnist has no option"]),
    ("epochs", 0, ["positive", "0"]),
    ("epochs", -2, ["positive"]),
    ("batch_size", 0, ["positive"]),
    ("batch_size", -64, ["positive"]),
    ("lr", 0.0, ["positive"]),
    ("lr", -0.1, ["positive"]),
    ("lr", math.nan, ["positive", "nan"]),
    ("lr", math.inf, ["positive", "inf"]),
    ("eval_batch_size", 0, ["positive"]),
    ("step_epochs", 0, ["positive"]),
    ("weight_decay", -1e-4, ["zero or more"]),
    ("l1", -1.0, ["zero or more"]),
    ("momentum", -0.5, ["zero or more"]),
    ("threads", -1, ["zero or more"]),
    ("threads", 100_000, ["at most 1024"]),  # more crashes the process
    ("label_smoothing", -0.1, ["at least 0", "below 1"]),
    ("label_smoothing", 1.5, ["below 1"]),
    ("val_fraction", -0.1, ["below 0.9"]),
    ("val_fraction", 0.9, ["below 0.9"]),
    ("gamma", 0.0, ["above 0"]),
    ("gamma", 2.0, ["at most 1"]),
    ("optimizer", "lbfgs", ["lbfgs", "adam", "sgd"]),
    ("schedule", "warmup", ["warmup", "cosine"]),
    ("device", "tpu", ["tpu", "cuda:N"]),
    ("device", "cuda:x", ["cuda:x", "cuda:N"]),
    ("device", "cpu:1:2", ["cpu:1:2"]),
    ("seed", -1, ["from 0", "2**63"]),
    ("seed", 2**64, ["2**63"]),
]


@pytest.mark.parametrize(("name", "value", "words"), BAD_FIELDS, ids=[f"{f}={v!r}" for f, v, _ in BAD_FIELDS])
def test_each_bad_field_is_named_with_a_message(name, value, words):
    problems = validate(TrainConfig(**{name: value}))
    assert [f for f, _ in problems] == [name]
    for word in words:
        assert word in problems[0][1]
    with pytest.raises(ConfigError) as info:
        check(TrainConfig(**{name: value}))
    assert info.value.problems == problems
    assert str(info.value).startswith(f"{name}: ")
    assert "\n" not in str(info.value)


def test_nesterov_needs_sgd_with_momentum():
    assert [f for f, _ in validate(TrainConfig(nesterov=True))] == ["nesterov"]  # default optimizer is adam
    assert [f for f, _ in validate(TrainConfig(nesterov=True, optimizer="sgd", momentum=0.0))] == ["nesterov"]
    assert validate(TrainConfig(nesterov=True, optimizer="sgd")) == []


def test_every_problem_is_reported_at_once():
    problems = validate(TrainConfig(arch="x", dataset="y", epochs=0, batch_size=0, lr=-1.0))
    assert [f for f, _ in problems] == ["arch", "dataset", "epochs", "batch_size", "lr"]


@pytest.mark.parametrize("device", ["auto", "cpu", "cuda", "cuda:0", "cuda:3", "mps"])
def test_device_spellings_are_accepted(device):
    assert validate(TrainConfig(device=device)) == []


# --- from_dict and TOML -------------------------------------------------------------------------------


def test_from_dict_turns_whole_numbers_into_floats():
    config = TrainConfig.from_dict({"lr": 1, "gamma": 1})
    assert config.lr == 1.0 and isinstance(config.lr, float) and isinstance(config.gamma, float)


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"epoch": 3}, "epoch", ["unknown setting", "epochs"]),
    ({"epochs": "3"}, "epochs", ["expected int", "str"]),
    ({"epochs": 2.5}, "epochs", ["expected int", "float"]),
    ({"epochs": True}, "epochs", ["expected int", "bool"]),
    ({"lr": "0.1"}, "lr", ["expected float"]),
    ({"augment": 1}, "augment", ["expected bool"]),
    ({"arch_options": [1, 2]}, "arch_options", ["expected dict"]),
    ({"arch": 5}, "arch", ["expected str"]),
])
def test_from_dict_names_unknown_keys_and_wrong_types(values, field, words):
    with pytest.raises(ConfigError) as info:
        TrainConfig.from_dict(values)
    assert [f for f, _ in info.value.problems] == [field]
    for word in words:
        assert word in info.value.problems[0][1]


ROUND_TRIPS = [
    TrainConfig(),
    TrainConfig(arch="mlp", arch_options={"hidden": [32, 16], "activation": "tanh", "dropout": 0.25},
                dataset="spiral", dataset_options={"samples": 500, "noise": 0.2}, epochs=3, lr=0.05,
                optimizer="sgd", nesterov=True, schedule="onecycle", augment=True, val_fraction=0.1,
                device="cpu", seed=7, amp=False, weight_decay=1e-4),
    TrainConfig(data_dir='C:\\Users\\me\\"data"\tnew\nline\x7f\x01 \u00e9\U0001f600', lr=1e-7),
]


@pytest.mark.parametrize("config", ROUND_TRIPS)
def test_toml_round_trip(config, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(to_toml(config), encoding="utf-8")
    assert TrainConfig.from_dict(read_toml(path)) == config


def test_toml_file_is_complete_and_commented(tmp_path):
    text = to_toml(TrainConfig())
    assert text.startswith("#")
    for name in TrainConfig.__dataclass_fields__:
        assert name in text


@pytest.mark.parametrize(("text", "words"), [
    ("epochs = 2\nbatchsize = 32\n", ["batchsize", "unknown setting", "batch_size"]),
    ("epochs = \"two\"\n", ["epochs", "expected int"]),
    ("lr = true\n", ["lr", "expected float"]),
    ("[arch_options]\nhidden = [8]\n[extra]\nx = 1\n", ["extra", "unknown setting"]),
    ("epochs = \n", ["cannot read", "TOML"]),
    ("epochs = 2\nepochs = 3\n", ["cannot read"]),
])
def test_bad_toml_files_name_the_problem_and_the_file(tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        read_toml(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    for word in words:
        assert word in message


def test_toml_that_is_not_utf8_is_a_config_error(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes("data_dir = \"caf\u00e9\"\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="UTF-8"):
        read_toml(path)


def test_missing_toml_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        read_toml(tmp_path / "nope.toml")


def test_a_folder_is_not_a_toml_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        read_toml(tmp_path)


def test_option_values_are_checked_after_reading(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('arch = "mlp"\n[arch_options]\nhidden = "wide"\n')
    config = TrainConfig.from_dict(read_toml(path))  # types of options are the registry's business
    assert [f for f, _ in validate(config)] == ["arch_options"]


# --- presets ------------------------------------------------------------------------------------------


def test_presets_are_valid_configs():
    assert preset_names(), "resources/presets has no presets"
    for name in preset_names():
        assert validate(TrainConfig.from_dict(load_preset(name))) == [], name
        assert preset_description(name)


def test_unknown_preset_lists_the_known_ones():
    with pytest.raises(ConfigError, match="mnist-in-a-minute"):
        load_preset("nope")
