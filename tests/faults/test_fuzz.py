"""Fuzzing with hypothesis: config files and checkpoint bytes end in a clear error or a working result, never
in another exception. Derandomized (the same examples on every run, no example database) so CI is repeatable;
the example counts stay modest to keep the suite fast and are the ones the fault table in the README reports."""

from __future__ import annotations

import io
import zipfile
from dataclasses import fields
from pathlib import Path

import pytest
import tomli_w
import torch
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from playground.cli import _parser, build_config
from playground.core.checkpoint import load_checkpoint
from playground.core.config import TrainConfig, to_toml
from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.core.errors import CheckpointError, ConfigError, IncompatibleError
from playground.core.inference.predictor import Predictor
from playground.core.models.catalogue import ARCH_CATALOGUE
from playground.core.models.registry import build_model
from playground.core.optimizer_settings import OPTIMIZERS, SETTING_NAMES, OptimizerSettings, network_settings
from playground.core.training.optimization import Optimization

CONFIG_EXAMPLES = {"values": 200, "text": 100, "edits": 150}
CHECKPOINT_EXAMPLES = {"bytes": 200, "pickle": 200}


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


# --- configs ------------------------------------------------------------------------------------------

_NAMES = [*ARCH_CATALOGUE, *DATASET_CATALOGUE, *OPTIMIZERS, "generator", "discriminator", "cosine", "cpu", ""]
_OPTION_KEYS = sorted({o.name for a in ARCH_CATALOGUE.values() for o in a.options}
                      | {o.name for d in DATASET_CATALOGUE.values() for o in d.options} | set(SETTING_NAMES))
_scalars = st.one_of(
    st.booleans(), st.integers(-10, 10), st.integers(-2**70, 2**70),
    st.sampled_from([0, 1, 2**31, 2**63, -2**63, 10**400, -10**400]),  # past int32, int64, any float
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e308, 1e-320, -0.0, 0.5, 1.0]),
    st.text(max_size=10), st.sampled_from(_NAMES))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.sampled_from(_OPTION_KEYS) | st.text(max_size=6), inner, max_size=2),
                       max_leaves=4)
# runs that can start, each changed in a few places below: near-valid files are where the checks are tested
_BASES = [("mlp", "spiral"), ("linear", "sine"), ("seed-cnn", "mnist"), ("resnet-small", "cifar10"),
          ("lstm", "waves"), ("gan", "mnist"), ("vae", "mnist"), ("lenet5", "image-folder")]


def _near(option) -> st.SearchStrategy:
    """Values of an option: mostly inside its limits, now and then just outside them or of another type."""
    low, high = option.minimum if option.minimum is not None else 1, option.maximum or 100
    inside = {"int": st.integers(int(low), int(high)), "float": st.floats(low, high),
              "bool": st.booleans(), "str": st.sampled_from(option.choices or ("x",)),
              "int_list": st.lists(st.integers(1, 64), min_size=1, max_size=3)}[option.kind]
    outside = {"int": st.sampled_from([int(low) - 1, int(high) + 1]), "float": st.sampled_from([low - 0.1, high + 1]),
               "bool": st.sampled_from([0, "yes"]), "str": st.sampled_from(["", "x y"]),
               "int_list": st.lists(st.integers(-1, 70_000), max_size=4)}[option.kind]
    return st.one_of(inside, inside, inside, inside, outside, _scalars)


def _field(name: str, default) -> st.SearchStrategy:
    if isinstance(default, bool):
        own = st.booleans()
    elif isinstance(default, int):
        own = st.integers(-2, 3000) | st.sampled_from([2**31 - 1, 2**31])
    elif isinstance(default, float):
        own = st.floats(-1, 2) | st.sampled_from([float("nan"), float("inf"), 1e-9])
    else:
        own = st.sampled_from(_NAMES)
    return st.one_of(own, own, own, _values)


@st.composite
def _configs(draw) -> dict:
    arch, dataset = draw(st.sampled_from(_BASES))
    values = {"arch": arch, "dataset": dataset}
    options = [*ARCH_CATALOGUE[arch].options]
    values["arch_options"] = {o.name: draw(_near(o)) for o in options if draw(st.booleans())}
    data_options = DATASET_CATALOGUE[dataset].options
    values["dataset_options"] = {o.name: draw(_near(o)) for o in data_options if draw(st.booleans())}
    for network in ARCH_CATALOGUE[arch].network_defaults():
        if draw(st.booleans()):
            values.setdefault("optimizers", {})[network] = draw(st.dictionaries(
                st.sampled_from(SETTING_NAMES) | st.text(max_size=4), _scalars | st.sampled_from(OPTIMIZERS),
                max_size=2))
    defaults = TrainConfig()
    for name in draw(st.lists(st.sampled_from([f.name for f in fields(TrainConfig)]), max_size=2)):
        values[name] = draw(_field(name, getattr(defaults, name)))
    if draw(st.integers(0, 9)) == 7:  # now and then a key that does not exist, or a table where none goes
        values[draw(st.text(min_size=1, max_size=6))] = draw(_values)
    return values


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _build(path: Path, preset: bool) -> None:
    """The CLI's path from a config file to a checked config: a valid one or a ConfigError, nothing else."""
    args = ["train", "--config", str(path), *(["--preset", "mnist-in-a-minute"] if preset else [])]
    try:
        config = build_config(_parser().parse_args(args))
    except ConfigError as e:
        assert e.problems and all(field for field, _ in e.problems)  # each problem names its key
        assert "\n" not in str(e)
        event("refused")
        return
    event("valid")
    try:
        _starts(config)
    except IncompatibleError as e:  # e.g. lenet5 on 8x8 images: the run's own clear message, as the app shows it
        assert "\n" not in str(e)
        event("refused when built")


def _starts(config: TrainConfig) -> None:
    """What a valid config's run builds first, without data: the model (on the meta device, no memory) and
    each network's optimizer and schedule. A config that passed the checks must get this far."""
    info = DATASET_CATALOGUE[config.dataset]
    outputs = info.num_outputs or 2  # an image folder's classes are found when it is read
    with torch.device("meta"):
        model = build_model(config.arch, info.shape_for(config.dataset_options), outputs, config.arch_options)
    params = [torch.nn.Parameter(torch.zeros(2))]
    networks = ARCH_CATALOGUE[config.arch].network_defaults()
    every = network_settings(networks, config.optimizers) if networks else {"model": OptimizerSettings.of_config(
        config)}
    for settings_ in every.values():
        Optimization(settings_, params, total_steps=10, epochs=config.epochs)
    assert sum(p.numel() for p in model.parameters()) > 0


@fuzz(CONFIG_EXAMPLES["values"])
@given(values=_configs(), preset=st.booleans())
def test_config_values_end_in_a_config_or_a_config_error(scratch, values, preset):
    path = scratch / "values.toml"
    path.write_text(tomli_w.dumps(values), encoding="utf-8")
    _build(path, preset)


@fuzz(CONFIG_EXAMPLES["text"])
@given(text=st.text(max_size=200) | st.binary(max_size=200))
def test_config_text_ends_in_a_config_or_a_config_error(scratch, text):
    path = scratch / "text.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    _build(path, preset=False)


_VALID = to_toml(TrainConfig(arch="gan", optimizers={"generator": {"lr": 0.0002, "beta1": 0.5}},
                             arch_options={"latent": 16}, dataset_options={}))


@fuzz(CONFIG_EXAMPLES["edits"])
@given(edits=st.lists(st.tuples(st.integers(0, len(_VALID)), st.integers(0, 3), st.text(max_size=4)),
                      min_size=1, max_size=4))
def test_edited_config_files_end_in_a_config_or_a_config_error(scratch, edits):
    text = _VALID
    for at, cut, insert in edits:  # delete `cut` characters at `at` and insert a few there
        text = text[:at] + insert + text[at + cut:]
    path = scratch / "edited.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _build(path, preset=False)


# --- checkpoints --------------------------------------------------------------------------------------


def _load(path: Path) -> None:
    """Opening a checkpoint as the app and the CLI do: it works, or a CheckpointError names the file."""
    try:
        ckpt = load_checkpoint(path)
        ckpt.build_model()
        Predictor.from_checkpoint(path)
    except CheckpointError as e:
        assert str(path) in str(e) or path.name in str(e)
        assert "\n" not in str(e)
        event(f"refused: {str(e).removeprefix(str(path)).split('(')[0].strip()[:40]}")
        return
    event("opened")


@fuzz(CHECKPOINT_EXAMPLES["bytes"])
@given(data=st.data())
def test_mutated_checkpoint_bytes_end_in_a_model_or_a_checkpoint_error(scratch, small_checkpoint, data):
    """Anywhere in the file: the zip records, the pickle, the weights; flipped, cut, overwritten."""
    good = small_checkpoint.read_bytes()
    raw = bytearray(good)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        kind = data.draw(st.sampled_from(["flip", "byte", "cut", "chunk"]))
        if kind == "flip":
            raw[at] ^= 1 << data.draw(st.integers(0, 7))
        elif kind == "byte":
            raw[at] = data.draw(st.integers(0, 255))
        elif kind == "cut":
            del raw[at:]
            if not raw:
                break
        else:
            raw[at:at + 8] = data.draw(st.binary(min_size=1, max_size=8))
    path = scratch / "mutated.pt"
    path.write_bytes(bytes(raw))
    _load(path)


@fuzz(CHECKPOINT_EXAMPLES["pickle"])
@given(data=st.data())
def test_mutated_checkpoint_pickles_end_in_a_model_or_a_checkpoint_error(scratch, small_checkpoint, data):
    """Bytes of the pickle inside the zip changed, the zip kept valid: what torch's unpickler has to face."""
    with zipfile.ZipFile(small_checkpoint) as z:
        entries = {info: z.read(info) for info in z.infolist()}
    pkl = next(info for info in entries if info.filename.endswith("data.pkl"))
    raw = bytearray(entries[pkl])
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    entries[pkl] = bytes(raw)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        for info, content in entries.items():
            z.writestr(info.filename, content)
    path = scratch / "pickle.pt"
    path.write_bytes(buffer.getvalue())
    _load(path)


def test_the_unmutated_checkpoint_opens(small_checkpoint):
    """The fuzzers start from a good file: a checkpoint that works."""
    model = load_checkpoint(small_checkpoint).build_model()
    assert model(torch.zeros(1, 2)).shape == (1, 3)
