"""The `playground` command: list, train (run folders, --config, --resume), bench, and one-line errors.

A process (`python -m playground`) that trains costs 3-8 s here, mostly importing torch, so only the first
train and an MNIST bench start one; the runs that build on them call main() in this process. Mistakes
caught before torch loads cost 0.1 s a process, and all of them run as processes.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from playground.cli import _parser, build_config, main
from playground.core.checkpoint import load_checkpoint
from playground.core.config import TrainConfig, read_toml, validate
from playground.core.data.registry import DATASETS
from playground.core.models.registry import ARCHITECTURES
from playground.core.presets import load_preset

FINAL_LINE = re.compile(r"test_accuracy=(\S+) epochs=(\d+) seconds=(\S+)")
TINY = ["--arch", "mlp", "-O", "hidden=16", "--dataset", "spiral", "--dataset-option", "samples=400",
        "--batch-size", "32", "--device", "cpu"]


@pytest.fixture(autouse=True)
def _keep_torch_threads():
    """--threads in an in-process run sets torch's thread count for the whole process: put it back."""
    import torch

    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def playground(*args: str | Path, home: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m playground ARGS` in a fresh process; runs without --out land under `home`."""
    environment = {**os.environ, **(env or {})}
    if home is not None:
        environment["XDG_DATA_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "playground", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=environment)


def assert_clean_error(code: int, out: str, err: str, *words: str) -> None:
    """A non-zero exit, one line on stderr that says what is wrong, and never a traceback."""
    assert code != 0, f"exit code 0 for a bad input; stdout: {out!r}"
    assert "Traceback" not in out + err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {err!r}"
    assert lines[0].startswith("playground")
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"


def in_process(capsys, *args: str | Path) -> tuple[int, str, str]:
    """main(ARGS) in this process (torch is already loaded here); any exception escaping it fails the test."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as e:
        code = e.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- list ---------------------------------------------------------------------------------------------


def test_list_names_every_architecture_dataset_and_preset():
    result = playground("list")
    assert result.returncode == 0, result.stderr
    for name in [*ARCHITECTURES, *DATASETS, "mnist-in-a-minute"]:
        assert re.search(rf"^\s+{re.escape(name)}\s", result.stdout, re.M), f"{name} missing from list"


# --- train --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A finished two-epoch run folder written by `playground train --out`."""
    folder = tmp_path_factory.mktemp("cli") / "run"
    result = playground("train", *TINY, "--threads", "1", "--epochs", "2", "--lr", "0.01", "--quiet",
                        "--out", folder, home=folder.parent / "home")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    (folder / "stdout.txt").write_text(result.stdout)
    return folder


def test_train_prints_a_final_line_to_parse(run_dir):
    lines = (run_dir / "stdout.txt").read_text().strip().splitlines()
    match = FINAL_LINE.fullmatch(lines[-1])
    assert match, lines[-1]
    accuracy, epochs, seconds = float(match[1]), int(match[2]), float(match[3])
    assert 0 <= accuracy <= 1 and epochs == 2 and seconds > 0
    assert [line.split()[1] for line in lines[:-1]] == ["1/2", "2/2"]  # one line per epoch


def test_train_writes_metrics_per_epoch(run_dir):
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows] == [1, 2]
    for row in rows:
        assert {"epoch", "train_loss", "test_loss", "test_accuracy", "seconds", "samples_per_s"} <= set(row)
        assert all(math.isfinite(row[k]) for k in ("train_loss", "test_loss", "test_accuracy", "samples_per_s"))


def test_train_writes_a_complete_config_and_a_checkpoint(run_dir):
    config = TrainConfig.from_dict(read_toml(run_dir / "config.toml"))
    assert validate(config) == []
    assert config.arch == "mlp" and config.arch_options == {"hidden": [16]} and config.epochs == 2
    assert config.dataset_options == {"samples": 400} and config.batch_size == 32 and config.lr == 0.01
    ckpt = load_checkpoint(run_dir / "model.pt")
    assert ckpt.config == config and ckpt.epoch == 2 and len(ckpt.metrics) == 2
    assert ckpt.optimizer_states is not None


def test_config_file_runs_again_with_flags_over_it(run_dir, tmp_path, capsys):
    out = tmp_path / "again"
    code, stdout, stderr = in_process(capsys, "train", "--config", run_dir / "config.toml", "--epochs", "1",
                                      "--lr", "0.05", "--no-optimizer-state", "--threads", "1", "--out", out)
    assert code == 0, stderr
    assert FINAL_LINE.fullmatch(stdout.strip().splitlines()[-1])
    first = TrainConfig.from_dict(read_toml(run_dir / "config.toml"))
    again = TrainConfig.from_dict(read_toml(out / "config.toml"))
    assert again == first.replace(epochs=1, lr=0.05)
    assert load_checkpoint(out / "model.pt").optimizer_states is None


def test_resume_continues_the_run_in_its_folder_with_its_settings(run_dir, tmp_path, capsys):
    folder = tmp_path / "run"
    shutil.copytree(run_dir, folder)
    code, stdout, stderr = in_process(capsys, "train", "--resume", folder / "model.pt", "--epochs", "3", "--lr", "0.02")
    assert code == 0, stderr
    assert FINAL_LINE.fullmatch(stdout.strip().splitlines()[-1])[2] == "3"
    rows = [json.loads(line) for line in (folder / "metrics.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows] == [1, 2, 3]
    ckpt = load_checkpoint(folder / "model.pt")
    assert ckpt.epoch == 3 and [m["epoch"] for m in ckpt.metrics] == [1, 2, 3]
    first = TrainConfig.from_dict(read_toml(run_dir / "config.toml"))
    assert ckpt.config == first.replace(epochs=3, lr=0.02)  # the checkpoint's settings, flags over them
    assert TrainConfig.from_dict(read_toml(folder / "config.toml")) == ckpt.config


def test_resume_elsewhere_with_out(run_dir, tmp_path, capsys):
    code, _, stderr = in_process(capsys, "train", "--resume", run_dir / "model.pt", "--epochs", "3",
                                 "--out", tmp_path / "branch")
    assert code == 0, stderr
    assert load_checkpoint(tmp_path / "branch" / "model.pt").epoch == 3
    assert load_checkpoint(run_dir / "model.pt").epoch == 2  # the original run is untouched


def test_resume_without_more_epochs_says_to_raise_them(run_dir, capsys):
    code, out, err = in_process(capsys, "train", "--resume", run_dir / "model.pt", "--out", run_dir.parent / "x")
    assert_clean_error(code, out, err, "already done 2 of 2", "--epochs")


# --- bench --------------------------------------------------------------------------------------------


def test_bench_prints_samples_per_second_last(capsys):
    code, stdout, stderr = in_process(capsys, "bench", *TINY, "--threads", "1", "--steps", "20", "--warmup", "2")
    assert code == 0, stderr
    lines = stdout.strip().splitlines()
    assert lines[0] == "arch=mlp dataset=spiral batch_size=32 steps=20"
    match = re.fullmatch(r"samples_per_s=(\S+)", lines[-1])
    assert match and float(match[1]) > 0


def test_bench_on_mnist_end_to_end(mnist_dir):
    result = playground("bench", "--dataset", "mnist", "--data-dir", mnist_dir, "--steps", "20", "--warmup", "2",
                        "--threads", "1", "--device", "cpu")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("arch=seed-cnn dataset=mnist batch_size=64 steps=20")
    assert float(lines[-1].removeprefix("samples_per_s=")) > 0


# --- bad input: one line, non-zero exit, no traceback -------------------------------------------------


def _write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


BAD_BEFORE_TORCH = [  # args (with {tmp} for a folder), words the message must contain
    (["train", "--arch", "transformer"], ["unknown architecture 'transformer'", "seed-cnn", "mlp"]),
    (["train", "--dataset", "imagenet"], ["unknown dataset 'imagenet'", "mnist", "spiral"]),
    (["bench", "--dataset", "imagenet"], ["unknown dataset 'imagenet'"]),
    (["train", "--batch-size", "0"], ["batch_size", "positive"]),
    (["train", "--batch-size", "-32"], ["batch_size", "positive"]),
    (["bench", "--batch-size", "0"], ["batch_size", "positive"]),
    (["train", "--epochs", "0"], ["epochs", "positive"]),
    (["train", "--epochs", "-3"], ["epochs", "positive"]),
    (["train", "--lr", "0"], ["lr", "positive"]),
    (["train", "--lr", "-0.01"], ["lr", "positive"]),
    (["train", "--lr", "nan"], ["lr", "positive"]),
    (["train", "--epochs", "0", "--lr", "0"], ["epochs", "lr"]),  # every problem at once
    (["train", "--epochs", "two"], ["--epochs", "invalid int value", "--help"]),
    (["train", "--optimizer", "lbfgs"], ["optimizer", "adam"]),
    (["train", "--device", "tpu"], ["device", "cuda:N"]),
    (["train", "--arch", "mlp", "-O", "hidden=wide"], ["hidden", "wide"]),
    (["train", "--arch", "mlp", "-O", "width=8"], ["width=8", "hidden"]),
    (["train", "--arch", "mlp", "-O", "dropout=1.5"], ["dropout", "at most"]),
    (["train", "--dataset", "spiral", "--dataset-option", "samples=3"], ["samples", "at least"]),
    (["train", "--preset", "fastest"], ["unknown preset 'fastest'", "mnist-in-a-minute"]),
    (["bench", "--steps", "0"], ["--steps"]),
    (["frobnicate"], ["invalid choice", "frobnicate"]),
    (["train", "--config", "{tmp}/nope.toml"], ["nope.toml", "does not exist"]),
    (["train", "--config", "{tmp}/unknown.toml"], ["unknown.toml", "epoch", "unknown setting"]),
    (["train", "--config", "{tmp}/types.toml"], ["types.toml", "batch_size", "expected int"]),
    (["train", "--config", "{tmp}/syntax.toml"], ["syntax.toml", "cannot read"]),
    (["train", "--config", "{tmp}/latin1.toml"], ["latin1.toml", "UTF-8"]),
    (["train", "--config", "{tmp}/options.toml"], ["arch_options", "hidden"]),
]


@pytest.fixture
def bad_files(tmp_path) -> Path:
    _write(tmp_path / "unknown.toml", 'arch = "mlp"\nepoch = 3\n')
    _write(tmp_path / "types.toml", 'batch_size = "64"\n')
    _write(tmp_path / "syntax.toml", "epochs = = 3\n")
    _write(tmp_path / "latin1.toml", 'data_dir = "caf\xe9"\n'.encode("latin-1"))
    _write(tmp_path / "options.toml", 'arch = "mlp"\n[arch_options]\nhidden = "wide"\n')
    return tmp_path


@pytest.mark.parametrize(("args", "words"), BAD_BEFORE_TORCH, ids=[" ".join(a) for a, _ in BAD_BEFORE_TORCH])
def test_bad_input_is_one_line_and_a_non_zero_exit(bad_files, args, words):
    result = playground(*[a.replace("{tmp}", str(bad_files)) for a in args], home=bad_files)
    assert_clean_error(result.returncode, result.stdout, result.stderr, *words)


BAD_AT_RUN_TIME = [  # problems found once torch has loaded: checked in this process, where torch already is
    (["train", "--arch", "seed-cnn", "--dataset", "spiral"], ["seed-cnn", "choose linear or mlp"]),
    (["bench", "--arch", "seed-cnn", "--dataset", "xor"], ["seed-cnn", "choose linear or mlp"]),
    (["train", "--dataset", "mnist", "--data-dir", "{tmp}/nowhere"], ["{tmp}/nowhere", "does not exist"]),
    (["train", "--dataset", "fashion-mnist", "--data-dir", "{tmp}"], ["FashionMNIST", "{tmp}", "missing"]),
    (["bench", "--dataset", "kmnist", "--data-dir", "{tmp}"], ["KMNIST", "missing"]),
    (["train", *TINY, "--resume", "{tmp}/missing.pt"], ["missing.pt", "does not exist"]),
    (["train", *TINY, "--resume", "{tmp}/unknown.toml"], ["unknown.toml", "not a readable playground checkpoint"]),
    (["train", *TINY, "--out", "{tmp}/unknown.toml/run"], ["cannot write the run folder", "--out"]),
]


@pytest.mark.parametrize(("args", "words"), BAD_AT_RUN_TIME, ids=[" ".join(a[-3:]) for a, _ in BAD_AT_RUN_TIME])
def test_bad_input_found_while_starting_is_one_line_too(capsys, bad_files, args, words):
    args = [a.replace("{tmp}", str(bad_files)) for a in args]
    if "--out" not in args:
        args += ["--out", str(bad_files / "run")] if args[0] == "train" else []
    code, out, err = in_process(capsys, *args)
    assert_clean_error(code, out, err, *[w.replace("{tmp}", str(bad_files)) for w in words])


def test_missing_data_dir_from_the_environment_is_named(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "gone"))
    code, out, err = in_process(capsys, "train", "--dataset", "mnist", "--out", tmp_path / "run")
    assert_clean_error(code, out, err, "PLAYGROUND_DATA_DIR", "does not exist")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_data_dir_is_named(capsys, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0)
    try:
        code, out, err = in_process(capsys, "train", "--dataset", "mnist", "--data-dir", locked, "--out", tmp_path)
    finally:
        locked.chmod(0o700)
    assert_clean_error(code, out, err, "cannot be read")


def test_a_diverging_run_ends_in_one_error_line_naming_the_learning_rate(capsys, tmp_path):
    code, out, err = in_process(capsys, "train", *TINY[:4], "--dataset", "sine", "--optimizer", "sgd", "--lr", "1e6",
                                "--epochs", "2", "--out", tmp_path / "run")
    header, error = err.strip().splitlines()  # "Training mlp on sine (...)" came before the fault
    assert header.startswith("Training mlp on sine")
    assert_clean_error(code, out, error, "learning rate", "1e+06")


# --- how the settings layer: defaults < preset < config file < flags ----------------------------------


def _config(*args: str) -> TrainConfig:
    return build_config(_parser().parse_args(["train", *args]))


def test_flags_override_the_preset():
    preset = TrainConfig.from_dict(load_preset("mnist-in-a-minute"))
    assert _config("--preset", "mnist-in-a-minute", "--lr", "0.05") == preset.replace(lr=0.05)


def test_another_architecture_drops_the_presets_options():
    config = _config("--preset", "mnist-in-a-minute", "--arch", "mlp", "-O", "hidden=32")
    assert config.arch == "mlp" and config.arch_options == {"hidden": [32]}


def test_config_file_options_merge_with_the_presets(tmp_path):
    path = _write(tmp_path / "c.toml", "[arch_options]\ndropout = 0.25\n")
    config = _config("--preset", "mnist-in-a-minute", "--config", str(path))
    assert config.arch_options == {"channels": [16, 32], "batch_norm": True, "dropout": 0.25}


def test_another_dataset_drops_the_dataset_options(tmp_path):
    path = _write(tmp_path / "c.toml", 'arch = "mlp"\ndataset = "spiral"\n[dataset_options]\nsamples = 400\n')
    assert _config("--config", str(path)).dataset_options == {"samples": 400}
    assert _config("--config", str(path), "--dataset", "mnist").dataset_options == {}
    assert _config("--config", str(path), "--dataset-option", "noise=0.3").dataset_options == {
        "samples": 400, "noise": 0.3}


def test_train_refuses_to_overwrite_a_finished_run(tmp_path, capsys) -> None:
    from playground.cli import main

    out = tmp_path / "run"
    assert main(["train", "--arch", "linear", "--dataset", "xor", "--epochs", "1", "--out", str(out), "--quiet"]) == 0
    before = (out / "metrics.jsonl").read_text()
    assert main(["train", "--arch", "linear", "--dataset", "xor", "--epochs", "1", "--out", str(out), "--quiet"]) != 0
    assert "already holds a run" in capsys.readouterr().err
    assert (out / "metrics.jsonl").read_text() == before
