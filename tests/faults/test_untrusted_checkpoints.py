"""Checkpoints from elsewhere: pickled code is never run, broken files and models of another kind are refused
with a message naming the file, and a doctored model description allocates nothing."""

from __future__ import annotations

import os
import pickle
import resource
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
import torch
from faultkit import TINY_ARGS, image_folder, one_line_error, tiny

from playground.core.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from playground.core.config import TrainConfig
from playground.core.errors import CheckpointError
from playground.core.inference.predictor import Predictor
from playground.core.models.registry import build_model
from playground.core.models.spec import ModelSpec
from playground.core.training.trainer import Trainer


class CreatesFile:
    """Unpickling this copies a file to `marker`: the marker appears if the loader runs code from the file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (shutil.copyfile, (__file__, str(self.marker)))


def _payload(marker: Path, where: str) -> object:
    good = {"format_version": 2, "config": tiny().to_dict(), "model_states": {"model": {}}, "epoch": 1}
    if where == "top":
        return CreatesFile(marker)
    if where == "config":
        return {**good, "config": CreatesFile(marker)}
    return {**good, "model_states": {"model": {"0.weight": CreatesFile(marker)}}}  # deep inside the weights


def _write(path: Path, payload: object, container: str) -> Path:
    if container == "zip":  # torch.save's own format
        torch.save(payload, path, pickle_module=pickle)
    elif container == "legacy":  # torch's format before 1.6
        torch.save(payload, path, pickle_module=pickle, _use_new_zipfile_serialization=False)
    else:  # a bare pickle named .pt
        path.write_bytes(pickle.dumps(payload))
    return path


MALICIOUS = [(c, w) for c in ("zip", "legacy", "pickle") for w in ("top", "config", "weights")]


@pytest.mark.parametrize(("container", "where"), MALICIOUS, ids=[f"{c}-{w}" for c, w in MALICIOUS])
def test_a_checkpoint_carrying_code_runs_none_of_it(tmp_path, container, where, cli):
    marker = tmp_path / "created-by-the-checkpoint"
    path = _write(tmp_path / "evil.pt", _payload(marker, where), container)
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path)
    assert str(path) in str(info.value) and "never run" in str(info.value)
    with pytest.raises(CheckpointError):
        Predictor.from_checkpoint(path)  # File › Open model… in the app
    code, _, err = cli("train", "--resume", path, "--out", tmp_path / "run")
    one_line_error(code, err, str(path))
    code, _, err = cli("generate", path, "--out", tmp_path / "images")
    one_line_error(code, err, str(path))
    assert not marker.exists(), "loading ran code from the file"
    # and the file really is an exploit: a loader that trusts it creates the marker
    torch.load(path, weights_only=False) if container != "pickle" else pickle.loads(path.read_bytes())
    assert marker.exists()


BROKEN = {
    "empty": lambda good: b"",
    "truncated": lambda good: good[: len(good) // 2],
    "last byte cut": lambda good: good[:-1],
    "corrupt": lambda good: good[:200] + bytes(b ^ 0x5A for b in good[200:400]) + good[400:],
    "text": lambda good: b"epochs = 3\n",
    "html": lambda good: b"<html><body>404 Not Found</body></html>",
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_broken_checkpoints_are_refused_naming_the_file(tmp_path, small_checkpoint, kind, cli):
    path = tmp_path / f"{kind.replace(' ', '-')}.pt"
    path.write_bytes(BROKEN[kind](small_checkpoint.read_bytes()))
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)
    code, _, err = cli("train", "--resume", path, "--epochs", "3", "--out", tmp_path / "run")
    one_line_error(code, err, str(path))


@pytest.mark.parametrize(("payload", "words"), [
    ({"weights": torch.zeros(3)}, "not a playground checkpoint"),  # someone's state_dict
    (torch.zeros(3), "not a playground checkpoint"),
    ({"format_version": 99}, "not a playground checkpoint of format"),
    ({"format_version": 2, "config": {"arch": "mlp"}}, "lacks part of a checkpoint"),
])
def test_torch_files_that_are_not_playground_checkpoints_are_refused(tmp_path, payload, words, cli):
    path = tmp_path / "other.pt"
    torch.save(payload, path)
    code, _, err = cli("train", "--resume", path, "--epochs", "3", "--out", tmp_path / "run")
    one_line_error(code, err, str(path), words)


# --- a checkpoint of another kind ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def vae_checkpoint(tmp_path_factory) -> Path:
    """An untrained VAE's checkpoint, as a generative run writes it (no MNIST needed)."""
    spec = ModelSpec("vae", {"latent": 4, "hidden": [16]}, (1, 28, 28), 10, tuple("0123456789"), (0.13,), (0.31,),
                     "vae", "mnist")
    model = spec.build()
    config = TrainConfig(arch="vae", arch_options={"latent": 4, "hidden": [16]}, dataset="mnist", device="cpu")
    path = tmp_path_factory.mktemp("vae") / "model.pt"
    save_checkpoint(path, Checkpoint(config, spec, {"model": model.state_dict()}, epoch=1))
    return path


def test_a_gan_checkpoint_is_no_classifier(tmp_path):
    spec = ModelSpec("gan", {"latent": 8, "width": 8}, (1, 28, 28), 10, tuple("0123456789"), (0.13,), (0.31,),
                     "gan", "mnist")
    config = TrainConfig(arch="gan", arch_options={"latent": 8, "width": 8}, dataset="mnist", device="cpu")
    model = spec.build()
    states = {"generator": model.generator.state_dict(), "discriminator": model.discriminator.state_dict()}
    save_checkpoint(tmp_path / "gan.pt", Checkpoint(config, spec, states, epoch=1))
    with pytest.raises(CheckpointError, match="draws digits and does not read them"):
        Predictor.from_checkpoint(tmp_path / "gan.pt")


def test_a_vae_checkpoint_draws_back_rather_than_classifies(vae_checkpoint):
    predictor = Predictor.from_checkpoint(vae_checkpoint)
    assert predictor.info.task == "vae"
    import torch

    assert predictor.reconstruct(torch.zeros(1, 1, 28, 28)).shape == (28, 28)


def test_generate_refuses_a_classifier(small_checkpoint, tmp_path, cli):
    code, _, err = cli("generate", small_checkpoint, "--out", tmp_path / "images")
    one_line_error(code, err, small_checkpoint.name, "classifier", "a GAN, a VAE")
    assert not (tmp_path / "images").exists()


def test_generate_draws_from_the_generative_one(vae_checkpoint, tmp_path, cli):
    code, out, err = cli("generate", vae_checkpoint, "--count", "2", "--out", tmp_path / "images")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "images").iterdir()) == ["sample-0000.png", "sample-0001.png"]


@pytest.mark.parametrize("flags", [["--arch", "mlp", "--dataset", "blobs"], ["--arch", "mlp"]])
def test_resuming_a_checkpoint_as_another_architecture_is_refused(vae_checkpoint, tmp_path, cli, flags):
    code, _, err = cli("train", "--resume", vae_checkpoint, *flags, "--epochs", "3", "--device", "cpu",
                       "--out", tmp_path / "run")
    one_line_error(code, err, "cannot resume", "different arch")


def test_resuming_an_image_run_whose_folder_gained_a_class_is_refused(tmp_path, cli):
    """The weights' output layer has two classes, the data now three: refused, not a crash in load_state_dict."""
    root = image_folder(tmp_path / "images", classes=("a", "b"))
    first = tiny(arch="seed-cnn", arch_options={"channels": [4]}, dataset="image-folder",
                 dataset_options={"path": str(root), "size": 8}, epochs=1, batch_size=4)
    assert Trainer().fit(first, checkpoint_path=tmp_path / "run" / "model.pt").status == "completed"
    image_folder(root, classes=("c",))
    code, _, err = cli("train", "--resume", tmp_path / "run" / "model.pt", "--epochs", "2")
    one_line_error(code, err, str(tmp_path / "run" / "model.pt"), "do not fit")


def test_an_optimizer_state_of_another_model_is_refused(small_checkpoint, tmp_path):
    ckpt = load_checkpoint(small_checkpoint)
    other = Trainer().fit(tiny(arch_options={"hidden": [8, 8]}, epochs=1)).checkpoint
    ckpt.optimizer_states = other.optimizer_states  # three layers' state for a two-layer model
    save_checkpoint(tmp_path / "m.pt", ckpt)
    result = Trainer().fit(tiny(epochs=3), resume_from=tmp_path / "m.pt")
    assert result.status == "failed" and "optimizer state does not fit" in result.message
    assert str(tmp_path / "m.pt") in result.message


# --- a doctored model description --------------------------------------------------------------------


@contextmanager
def address_space_limit(extra_bytes: int):
    """Allocations past the current address space plus `extra_bytes` fail instead of swapping the machine."""
    with open("/proc/self/statm") as f:
        used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (used + extra_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="Linux address-space accounting")
def test_a_doctored_spec_is_refused_before_anything_is_allocated(small_checkpoint, tmp_path):
    """The file says hidden=[50000, 50000] (a 10 GB model) but holds the small model's weights: refused by
    comparing shapes on the meta device, with no allocation tried."""
    ckpt = load_checkpoint(small_checkpoint)
    ckpt.spec = ModelSpec("mlp", {"hidden": [50000, 50000]}, (2,), 3)
    save_checkpoint(tmp_path / "doctored.pt", ckpt)
    doctored = load_checkpoint(tmp_path / "doctored.pt")
    with address_space_limit(1 << 30), pytest.raises(CheckpointError) as info:
        doctored.build_model()
    assert "do not fit mlp" in str(info.value) and str(tmp_path / "doctored.pt") in str(info.value)


@pytest.mark.parametrize(("spec", "words"), [
    ({"arch": "transformer"}, "unknown architecture"),
    ({"arch_options": {"hidden": [10**9]}}, "hidden"),
    ({"arch_options": "wide"}, "not a table"),
    ({"input_shape": (-2,)}, "inputs of shape"),
    ({"num_outputs": "3"}, "outputs"),
    ({"task": "regression-ish"}, "unknown task"),
    ({"class_names": (1, 2, 3)}, "class names"),
])
def test_a_model_description_that_cannot_be_built_is_refused(small_checkpoint, tmp_path, spec, words):
    payload = torch.load(small_checkpoint, weights_only=True)
    payload["model"] = {**payload["model"], **spec}
    torch.save(payload, tmp_path / "m.pt")
    with pytest.raises(CheckpointError, match=words) as info:
        load_checkpoint(tmp_path / "m.pt")
    assert str(tmp_path / "m.pt") in str(info.value)


def test_weights_of_another_shape_are_refused_naming_the_file(small_checkpoint, tmp_path):
    ckpt = load_checkpoint(small_checkpoint)
    ckpt.model_states = {"model": build_model("mlp", (2,), 5, {"hidden": [8]}).state_dict()}
    save_checkpoint(tmp_path / "m.pt", ckpt)
    with pytest.raises(CheckpointError, match="do not fit mlp") as info:
        Predictor.from_checkpoint(tmp_path / "m.pt")
    assert str(tmp_path / "m.pt") in str(info.value)


def test_a_checkpoint_without_weights_is_refused(small_checkpoint, tmp_path):
    ckpt = load_checkpoint(small_checkpoint)
    ckpt.model_states = {}
    save_checkpoint(tmp_path / "m.pt", ckpt)
    with pytest.raises(CheckpointError, match="holds no weights"):
        load_checkpoint(tmp_path / "m.pt").build_model()


def test_a_resume_of_a_malicious_file_leaves_the_run_folder_without_a_model(tmp_path, cli):
    """Refused before training: nothing was trained, so no model.pt is written over anything."""
    marker = tmp_path / "ran"
    path = _write(tmp_path / "evil.pt", _payload(marker, "config"), "zip")
    code, _, err = cli("train", *TINY_ARGS, "--resume", path, "--epochs", "2", "--out", tmp_path / "run")
    one_line_error(code, err, str(path))
    assert not marker.exists() and not (tmp_path / "run" / "model.pt").exists()
