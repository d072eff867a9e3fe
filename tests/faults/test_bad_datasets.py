"""Dataset files that are cut short, damaged or doctored, image folders with unreadable images, and data that
changes or disappears between two runs of one session: refused naming the file, skipped with a count, or read
again; a CIFAR batch (a pickle) never runs code."""

from __future__ import annotations

import gc
import gzip
import os
import pickle
import shutil
import struct
import time
import weakref
from pathlib import Path

import numpy as np
import pytest
import torch
from faultkit import fake_mnist, image_folder, one_line_error, tiny

from playground.core.data import registry
from playground.core.data.registry import load_dataset
from playground.core.errors import DatasetError
from playground.core.training.trainer import Trainer


@pytest.fixture(autouse=True)
def _fresh_cache():
    registry._cache.clear()
    yield
    registry._cache.clear()


# --- MNIST-family idx files ---------------------------------------------------------------------------


@pytest.mark.parametrize(("damage", "words"), [
    (lambda raw: raw[: len(raw) // 2], "truncated or corrupt"),
    (lambda raw: raw[:-1], "truncated or corrupt"),
    (lambda raw: raw[:7], "truncated or corrupt"),  # inside the header's sizes
    (lambda raw: b"", "not an idx file"),
    (lambda raw: b"<html>rate limited</html>", "not an idx file"),
])
def test_an_idx_file_cut_short_is_named(tmp_path, cli, damage, words):
    raw = fake_mnist(tmp_path)
    images = raw / "train-images-idx3-ubyte"
    images.write_bytes(damage(images.read_bytes()))
    code, _, err = cli("train", "--arch", "linear", "--dataset", "mnist", "--data-dir", tmp_path, "--device", "cpu",
                       "--out", tmp_path / "run")
    one_line_error(code, err, str(images), words, "delete it")


def test_a_gzip_idx_file_cut_short_is_named(tmp_path):
    raw = fake_mnist(tmp_path)
    labels = raw / "t10k-labels-idx1-ubyte"
    (raw / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(labels.read_bytes())[:-9])
    labels.unlink()
    with pytest.raises(DatasetError, match="t10k-labels-idx1-ubyte.gz"):
        load_dataset("mnist", data_dir=str(tmp_path))


# --- CIFAR-10 python batches (pickles) ----------------------------------------------------------------


class _Python2Pickler(pickle._Pickler):
    """Writes bytes as Python 2's str (BINSTRING), as the official CIFAR-10 batches were written."""

    dispatch = dict(pickle._Pickler.dispatch)

    def _save_py2_str(self, obj: bytes) -> None:
        self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = _save_py2_str


def _dump(obj: object, style: str) -> bytes:
    if style == "python2":
        buffer = __import__("io").BytesIO()
        _Python2Pickler(buffer, protocol=2).dump(obj)
        return buffer.getvalue()
    return pickle.dumps(obj, protocol=int(style.removeprefix("protocol")))


def fake_cifar(data_dir: Path, per_batch: int = 8, style: str = "python2") -> Path:
    """cifar-10-batches-py with five small training batches, a test batch and the class names."""
    rng = np.random.default_rng(1)
    folder = data_dir / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch = {"batch_label": name, "labels": rng.integers(0, 10, per_batch).tolist(),
                 "data": rng.integers(0, 256, (per_batch, 3072), np.uint8),
                 "filenames": [f"img_{k}.png" for k in range(per_batch)]}
        (folder / name).write_bytes(_dump(batch, style))
    names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    (folder / "batches.meta").write_bytes(_dump({"label_names": names, "num_vis": 3072}, style))
    return folder


@pytest.mark.parametrize("style", ["python2", "protocol2", "protocol4", "protocol5"])
def test_cifar_batches_are_read_without_running_anything(tmp_path, style):
    fake_cifar(tmp_path, style=style)
    data = load_dataset("cifar10", data_dir=str(tmp_path))
    assert data.train_x.shape == (40, 3, 32, 32) and data.test_x.shape == (8, 3, 32, 32)
    assert data.class_names[0] == "airplane" and len(data.class_names) == 10


class _CreatesFile:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (shutil.copyfile, (__file__, str(self.marker)))


def test_a_cifar_batch_carrying_code_runs_none_of_it(tmp_path, cli):
    folder = fake_cifar(tmp_path)
    marker = tmp_path / "created-by-the-batch"
    batch = {"labels": [1], "data": np.zeros((1, 3072), np.uint8), "filenames": _CreatesFile(marker)}
    (folder / "data_batch_3").write_bytes(pickle.dumps(batch, protocol=2))
    code, _, err = cli("train", "--arch", "linear", "--dataset", "cifar10", "--data-dir", tmp_path,
                       "--device", "cpu", "--out", tmp_path / "run")
    one_line_error(code, err, str(folder / "data_batch_3"), "shutil.copyfile", "nothing in it was run")
    assert not marker.exists()
    pickle.loads((folder / "data_batch_3").read_bytes())  # a plain unpickler would have run it
    assert marker.exists()


@pytest.mark.parametrize(("make", "words"), [
    (lambda raw: raw[: len(raw) // 3], "damaged"),
    (lambda raw: b"", "damaged"),
    (lambda raw: b"\x80\x02}q\x00(X\x04\x00\x00\x00data", "damaged"),
    (lambda raw: pickle.dumps([1, 2, 3]), "not a CIFAR-10 batch"),
    (lambda raw: pickle.dumps({"data": np.zeros((2, 3072), np.float32), "labels": [0, 1]}), "not a CIFAR-10 batch"),
    (lambda raw: pickle.dumps({"data": np.zeros((2, 3072), np.uint8), "labels": [0, 12]}), "labels 0-9"),
    (lambda raw: pickle.dumps({"data": np.zeros((2, 10), np.uint8), "labels": [0, 1]}), "3072-byte images"),
])
def test_a_damaged_cifar_batch_is_named(tmp_path, make, words):
    folder = fake_cifar(tmp_path)
    target = folder / "test_batch"
    target.write_bytes(make(target.read_bytes()))
    with pytest.raises(DatasetError) as info:
        load_dataset("cifar10", data_dir=str(tmp_path))
    message = str(info.value)
    assert str(target) in message and words in message and "downloaded again" in message and "\n" not in message


def test_cifar_class_names_that_are_not_names_are_refused(tmp_path):
    folder = fake_cifar(tmp_path)
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": list(range(10))}))
    with pytest.raises(DatasetError, match="ten class names"):
        load_dataset("cifar10", data_dir=str(tmp_path))


# --- image folders ------------------------------------------------------------------------------------


def test_unreadable_images_are_skipped_with_a_count(tmp_path, cli):
    root = image_folder(tmp_path / "images")
    (root / "bright" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n but the rest is missing")
    (root / "dark" / "empty.jpg").write_bytes(b"")
    (root / "dark" / "folder.png").mkdir()
    code, out, err = cli("train", "--arch", "mlp", "--dataset", "image-folder", "--dataset-option", f"path={root}",
                         "--dataset-option", "size=8", "--epochs", "1", "--batch-size", "4", "--device", "cpu",
                         "--out", tmp_path / "run")
    assert code == 0, err
    warning = next(line for line in err.splitlines() if "skipped" in line)
    assert warning.startswith("playground: warning: skipped 3 unreadable image(s) of 15 in")
    assert "remove or replace them" in warning


def test_a_folder_with_no_readable_image_is_refused(tmp_path, cli):
    root = tmp_path / "images"
    for name in ("a", "b"):
        (root / name).mkdir(parents=True)
        (root / name / "x.png").write_bytes(b"not a png")
    code, _, err = cli("train", "--arch", "mlp", "--dataset", "image-folder", "--dataset-option", f"path={root}",
                       "--device", "cpu", "--out", tmp_path / "run")
    one_line_error(code, err, "only 0 of the 2 images", str(root), "x.png")


def test_a_changed_image_folder_is_read_again(tmp_path):
    root = _aged(image_folder(tmp_path / "images"))
    options = {"path": str(root), "size": 8}
    first = load_dataset("image-folder", options)
    assert load_dataset("image-folder", options) is first  # unchanged: from memory
    image_folder(root, classes=("new",), per_class=3)  # a class added
    second = load_dataset("image-folder", options)
    assert second.num_classes == 3 and len(second.train_x) + len(second.test_x) == 15
    (root / "new" / "0.png").unlink()  # an image removed
    third = load_dataset("image-folder", options)
    assert len(third.train_x) + len(third.test_x) == 14
    from PIL import Image

    Image.new("L", (13, 10), 255).save(root / "bright" / "3.png")  # replaced in place: same size, same tick
    fourth = load_dataset("image-folder", options)
    same = [torch.equal(getattr(fourth, n), getattr(third, n)) for n in ("train_x", "test_x")]
    assert fourth is not third and same != [True, True]


def _aged(root: Path) -> Path:
    """Files last written an hour ago: a listing of them can be trusted (see registry.RACY_NS)."""
    for path in root.rglob("*"):
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    return root


def test_the_cache_keeps_one_copy_of_a_changed_folder(tmp_path):
    """The stale copy goes before the new one is read: never two decoded copies of one dataset alive."""
    root = image_folder(tmp_path / "images")
    options = {"path": str(root), "size": 8}
    old = weakref.ref(load_dataset("image-folder", options))
    seen_during_load = []
    real_loader = registry.DATASETS["image-folder"].loader

    def watching_loader(*args):
        gc.collect()
        seen_during_load.append(old() is None)
        return real_loader(*args)

    image_folder(root, classes=("new",))
    object.__setattr__(registry.DATASETS["image-folder"], "loader", watching_loader)
    try:
        load_dataset("image-folder", options)
    finally:
        object.__setattr__(registry.DATASETS["image-folder"], "loader", real_loader)
    assert seen_during_load == [True]
    assert len(registry._cache) == 1


# --- the data folder deleted mid-session --------------------------------------------------------------


def test_a_data_folder_deleted_between_two_runs_is_said_clearly(tmp_path):
    data_dir = tmp_path / "data"
    fake_mnist(data_dir)
    config = tiny(arch="linear", arch_options={}, dataset="mnist", dataset_options={}, data_dir=str(data_dir),
                  epochs=1)
    assert Trainer().fit(config).status == "completed"
    shutil.rmtree(data_dir / "MNIST")  # the dataset gone, the data folder still there
    failed = Trainer().fit(config)
    assert failed.status == "failed" and "MNIST is not in" in failed.message and "missing" in failed.message
    shutil.rmtree(data_dir)  # the data folder itself gone
    failed = Trainer().fit(config)
    assert failed.status == "failed" and f"data directory {data_dir}" in failed.message
    assert "does not exist" in failed.message
    fake_mnist(data_dir)  # put back: the next run works
    assert Trainer().fit(config).status == "completed"
