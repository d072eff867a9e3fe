"""Every dataset of the registry: generated ones, MNIST from disk, missing ones, idx files, image folders, data dirs."""

from __future__ import annotations

import gzip
import os
import socket
import struct
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import torch

from playground.core.data import registry
from playground.core.data.idx import read_idx
from playground.core.data.paths import ENV_VAR, resolve_data_dir, user_data_dir
from playground.core.data.registry import DATASETS, dataset_option_problems, load_dataset
from playground.core.errors import DatasetError

GENERATED = [n for n, d in DATASETS.items() if not d.needs_download and n != "image-folder" and d.inputs != "text"
             and not d.needs_file]
DOWNLOADED = [n for n, d in DATASETS.items() if d.needs_download]
MISSING_FILES = {"fashion-mnist": "train-images-idx3-ubyte", "kmnist": "t10k-labels-idx1-ubyte",
                 "cifar10": "data_batch_1", "mnist": "train-labels-idx1-ubyte"}


@pytest.fixture
def no_network(monkeypatch):
    """Fails the test if anything opens a connection or a URL."""
    def refuse(*args, **kwargs):
        raise AssertionError("a test touched the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


# --- generated datasets -------------------------------------------------------------------------------


def test_registry_has_generated_and_downloaded_sets():
    assert {"spiral", "xor", "sine"} <= set(GENERATED)
    assert {"mnist", "fashion-mnist", "kmnist", "cifar10"} <= set(DOWNLOADED)
    assert set(MISSING_FILES) == set(DOWNLOADED), "add the new downloaded dataset to MISSING_FILES"


@pytest.mark.parametrize("name", GENERATED)
def test_generated_set_shapes_dtypes_and_task(name):
    spec = DATASETS[name]
    data = load_dataset(name, {"samples": 400, "noise": 0.1}, seed=1)
    assert data.task == spec.task
    assert data.num_classes == spec.num_outputs
    assert data.input_shape == spec.input_shape
    assert len(data.train_x) + len(data.test_x) == 400 and len(data.test_x) == 100
    assert data.train_x.dtype == data.test_x.dtype == torch.float32
    assert torch.isfinite(data.train_x).all()
    if spec.task == "classification":
        assert data.train_y.dtype == torch.int64
        assert set(data.train_y.tolist()) == set(range(spec.num_outputs))
        assert len(data.class_names) == spec.num_outputs
    else:
        assert data.train_y.dtype == torch.float32 and data.train_y.shape == (300,)
        assert spec.num_outputs == 1


@pytest.mark.parametrize("name", GENERATED)
def test_generated_set_is_fixed_by_the_seed(name):
    from playground.core.data.synthetic import generate

    a, b, c = generate(name, 200, seed=3), generate(name, 200, seed=3), generate(name, 200, seed=4)
    assert torch.equal(a.train_x, b.train_x) and torch.equal(a.train_y, b.train_y)
    assert not torch.equal(a.train_x, c.train_x)


@pytest.mark.parametrize("name", GENERATED)
def test_generated_set_options_are_checked(name):
    assert dataset_option_problems(name, {"samples": 20, "noise": 0.0}) == []
    assert "samples" in dataset_option_problems(name, {"samples": 5})[0]
    assert "noise" in dataset_option_problems(name, {"noise": -1.0})[0]
    assert "finite" in dataset_option_problems(name, {"noise": float("nan")})[0]
    assert "no option 'size'" in dataset_option_problems(name, {"size": 8})[0]


def test_noise_option_changes_the_points():
    quiet = load_dataset("xor", {"samples": 100, "noise": 0.0})
    noisy = load_dataset("xor", {"samples": 100, "noise": 1.0})
    assert quiet.train_x.std() < noisy.train_x.std()


def test_validation_split_is_held_out_of_training():
    data = load_dataset("spiral", {"samples": 400}).with_validation(0.25, seed=0)
    assert len(data.train_x) == 225 and len(data.val_x) == 75
    rows = {tuple(r) for r in data.train_x.tolist()}
    assert not any(tuple(r) in rows for r in data.val_x.tolist())


# --- MNIST from disk ----------------------------------------------------------------------------------


def test_mnist_loads_quickly_with_the_right_shapes(mnist_dir):
    registry._cache.clear()
    t0 = time.perf_counter()
    data = load_dataset("mnist", data_dir=str(mnist_dir))
    seconds = time.perf_counter() - t0
    assert data.train_x.shape == (60000, 1, 28, 28) and data.test_x.shape == (10000, 1, 28, 28)
    assert data.train_y.shape == (60000,) and data.train_y.dtype == torch.int64
    assert data.train_x.dtype == torch.float32
    assert abs(data.train_x.mean().item()) < 0.01 and abs(data.train_x.std().item() - 1) < 0.01
    assert abs(data.test_x.mean().item()) < 0.05  # normalised with the training split's statistics
    assert data.mean == (0.1307,) and data.std == (0.3081,)
    assert data.class_names == tuple("0123456789") and data.num_classes == 10
    assert seconds < 5, f"decoding MNIST took {seconds:.1f} s"
    assert load_dataset("mnist", data_dir=str(mnist_dir)) is data  # kept in memory


# --- datasets that are not there ----------------------------------------------------------------------


@pytest.mark.parametrize("name", DOWNLOADED)
def test_missing_dataset_names_files_folder_and_alternatives(name, tmp_path, no_network):
    registry._cache.clear()
    with pytest.raises(DatasetError) as info:
        load_dataset(name, data_dir=str(tmp_path))
    message = str(info.value)
    assert str(tmp_path) in message
    assert MISSING_FILES[name] in message
    assert "PLAYGROUND_OFFLINE" in message and "--data-dir" in message
    assert "spiral" in message  # a dataset that needs no download


def test_partly_missing_mnist_names_only_the_missing_file(tmp_path, mnist_dir, no_network):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for f in ("train-images-idx3-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        os.symlink(mnist_dir / "MNIST" / "raw" / f, raw / f)
    with pytest.raises(DatasetError, match="missing: train-labels-idx1-ubyte\\)"):
        load_dataset("mnist", data_dir=str(tmp_path))


def test_failed_download_is_a_dataset_error(tmp_path, monkeypatch):
    from playground.core.data import download

    def unreachable(*args, **kwargs):
        raise urllib.error.URLError("no route to host")

    monkeypatch.setenv("PLAYGROUND_OFFLINE", "0")
    monkeypatch.setattr(download.urllib.request, "urlopen", unreachable)
    with pytest.raises(DatasetError, match="downloading failed .*no route to host"):
        load_dataset("kmnist", data_dir=str(tmp_path))


def test_mnist_with_mismatched_lengths_is_refused(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    _write_idx(raw / "train-images-idx3-ubyte", np.zeros((4, 28, 28), np.uint8))
    _write_idx(raw / "train-labels-idx1-ubyte", np.zeros(3, np.uint8))
    _write_idx(raw / "t10k-images-idx3-ubyte.gz", np.zeros((2, 28, 28), np.uint8))
    _write_idx(raw / "t10k-labels-idx1-ubyte", np.zeros(2, np.uint8))
    with pytest.raises(DatasetError, match="disagree in length"):
        load_dataset("mnist", data_dir=str(tmp_path))


# --- idx files ----------------------------------------------------------------------------------------

_CODES = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09, np.dtype(">i2"): 0x0B, np.dtype(">i4"): 0x0C,
          np.dtype(">f4"): 0x0D, np.dtype(">f8"): 0x0E}


def _idx_bytes(array: np.ndarray) -> bytes:
    header = bytes([0, 0, _CODES[array.dtype], array.ndim]) + struct.pack(f">{array.ndim}i", *array.shape)
    return header + array.tobytes()


def _write_idx(path: Path, array: np.ndarray) -> Path:
    raw = _idx_bytes(array)
    path.write_bytes(gzip.compress(raw) if path.suffix == ".gz" else raw)
    return path


@pytest.mark.parametrize("dtype", list(_CODES))
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_round_trip(tmp_path, dtype, suffix):
    array = (np.arange(2 * 3 * 4).reshape(2, 3, 4) % 100).astype(dtype)
    tensor = read_idx(_write_idx(tmp_path / f"x-idx3-ubyte{suffix}", array))
    assert tensor.shape == (2, 3, 4)
    np.testing.assert_array_equal(tensor.numpy(), array.astype(dtype.newbyteorder("=")))


@pytest.mark.parametrize(("make", "words"), [
    (lambda raw: raw[:-1], "truncated or corrupt"),
    (lambda raw: raw + b"\0", "truncated or corrupt"),
    (lambda raw: raw[:6], "truncated or corrupt"),  # cut inside the dimensions
    (lambda raw: raw[:3], "not an idx file"),
    (lambda raw: b"", "not an idx file"),
    (lambda raw: b"\x01" + raw[1:], "not an idx file"),
    (lambda raw: raw[:2] + b"\x07" + raw[3:], "not an idx file"),  # unknown type code
    (lambda raw: b"<html>404 not found</html>", "not an idx file"),
])
def test_bad_idx_files_are_refused_with_a_message(tmp_path, make, words):
    path = tmp_path / "bad-idx1-ubyte"
    path.write_bytes(make(_idx_bytes(np.zeros((5, 3), np.uint8))))
    with pytest.raises(DatasetError) as info:
        read_idx(path)
    assert words in str(info.value) and str(path) in str(info.value) and "delete it" in str(info.value)


def test_corrupt_gzip_idx_is_refused(tmp_path):
    path = tmp_path / "bad-idx1-ubyte.gz"
    path.write_bytes(gzip.compress(_idx_bytes(np.zeros(10, np.uint8)))[:-6])
    with pytest.raises(DatasetError, match="cannot read"):
        read_idx(path)


# --- image folders ------------------------------------------------------------------------------------


def _image_folder(root: Path, per_class: int = 5) -> Path:
    from PIL import Image

    colours = {"cats": (200, 30, 30), "dogs": (30, 30, 200)}
    for name, colour in colours.items():
        (root / name).mkdir(parents=True)
        for k in range(per_class):
            size = (10 + k, 12 + 2 * k)  # sizes differ; the loader resizes them
            mode = "RGB" if k % 2 else "L"
            image = Image.new("RGB", size, colour).convert(mode)
            image.save(root / name / f"{k}.{'png' if k % 3 else 'jpg'}")
    (root / "dogs" / "notes.txt").write_text("not an image")
    return root


def test_image_folder_loads_classes_and_splits(tmp_path):
    root = _image_folder(tmp_path / "pets")
    data = load_dataset("image-folder", {"path": str(root), "size": 8})
    assert data.class_names == ("cats", "dogs") and data.num_classes == 2
    assert data.train_x.shape == (8, 3, 8, 8) and data.test_x.shape == (2, 3, 8, 8)
    assert data.train_x.dtype == torch.float32 and data.train_y.dtype == torch.int64
    assert set(data.train_y.tolist()) | set(data.test_y.tolist()) == {0, 1}
    assert len(data.mean) == 3 and len(data.std) == 3
    assert DATASETS["image-folder"].shape_for({"size": 8}) == data.input_shape


def test_image_folder_grayscale(tmp_path):
    root = _image_folder(tmp_path / "pets")
    data = load_dataset("image-folder", {"path": str(root), "size": 12, "grayscale": True}, seed=5)
    assert data.input_shape == (1, 12, 12) == DATASETS["image-folder"].shape_for({"size": 12, "grayscale": True})


@pytest.mark.parametrize(("setup", "words"), [
    (lambda root: None, "does not exist"),
    (lambda root: root.mkdir(), "at least two sub-folders"),
    (lambda root: _image_folder(root, per_class=0), "0 images"),
    (lambda root: (root / "only").mkdir(parents=True), "found 1 sub-folders"),
])
def test_bad_image_folders_are_refused(tmp_path, setup, words):
    root = tmp_path / "images"
    setup(root)
    with pytest.raises(DatasetError, match=words):
        load_dataset("image-folder", {"path": str(root)})


def test_image_folder_without_a_path_is_refused():
    with pytest.raises(DatasetError, match="set the dataset option path"):
        load_dataset("image-folder")


def test_unreadable_image_is_skipped_and_named(tmp_path):
    root = _image_folder(tmp_path / "pets")
    (root / "cats" / "broken.png").write_bytes(b"\x89PNG not really")
    data = load_dataset("image-folder", {"path": str(root), "size": 8})
    assert len(data.train_x) + len(data.test_x) == 10  # the ten readable ones
    assert len(data.notices) == 1 and "skipped 1 unreadable image" in data.notices[0]
    assert "broken.png" in data.notices[0]


# --- where the data lives -----------------------------------------------------------------------------


def test_explicit_data_dir_wins_over_the_environment(tmp_path, monkeypatch):
    explicit, env = tmp_path / "explicit", tmp_path / "env"
    explicit.mkdir()
    env.mkdir()
    monkeypatch.setenv(ENV_VAR, str(env))
    assert resolve_data_dir(str(explicit)) == explicit
    assert resolve_data_dir() == env


def test_per_user_folder_is_the_fallback(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.delenv("PLAYGROUND_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr("sys.platform", "linux")
    assert user_data_dir() == tmp_path / "playground" / "data"
    assert resolve_data_dir() == tmp_path / "playground" / "data"
    assert (tmp_path / "playground" / "data").is_dir()


@pytest.mark.parametrize("source", ["explicit", "env"])
def test_missing_data_dir_is_an_error_naming_its_source(tmp_path, monkeypatch, source):
    missing = tmp_path / "nowhere"
    monkeypatch.setenv(ENV_VAR, str(missing) if source == "env" else str(tmp_path))
    with pytest.raises(DatasetError) as info:
        resolve_data_dir(str(missing) if source == "explicit" else None)
    assert str(missing) in str(info.value)
    assert ("--data-dir" if source == "explicit" else ENV_VAR) in str(info.value)


def test_data_dir_that_is_a_file_is_an_error(tmp_path):
    path = tmp_path / "file"
    path.write_text("")
    with pytest.raises(DatasetError, match="not a folder"):
        resolve_data_dir(str(path))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_data_dir_is_an_error(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0)
    try:
        with pytest.raises(DatasetError, match="cannot be read"):
            resolve_data_dir(str(folder))
    finally:
        folder.chmod(0o700)


def test_load_dataset_reports_a_missing_data_dir(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        load_dataset("mnist", data_dir=str(tmp_path / "nowhere"))


def test_generated_sets_ignore_the_data_dir(tmp_path):
    assert load_dataset("moons", {"samples": 40}, data_dir=str(tmp_path / "nowhere")).train_x.shape == (30, 2)
