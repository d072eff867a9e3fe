"""Language models from the command line: a run writes a text sample per epoch, `playground generate` prints
text, and every export works for the new kinds (the script trains on a text file of its own)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from playground.cli import main

SHAKESPEARE = Path(__file__).resolve().parents[1] / "resources" / "text" / "tinyshakespeare.txt"
TINY = ["--arch", "gpt", "-O", "layers=1", "-O", "heads=2", "-O", "width=16", "-O", "context=16", "--dataset",
        "text", "--epochs", "2", "--batch-size", "16", "--device", "cpu", "--quiet"]
FINAL = re.compile(r"^val_loss=(\S+) val_bpc=(\S+) epochs=2 seconds=\S+$")


@pytest.fixture(scope="module")
def text_run(tmp_path_factory) -> tuple[Path, Path]:
    """A tiny gpt trained for two epochs on 20,000 characters: (its run folder, the text)."""
    root = tmp_path_factory.mktemp("lang")
    text = root / "plays.txt"
    text.write_text(SHAKESPEARE.read_text(encoding="utf-8")[:20_000], encoding="utf-8")
    assert main(["train", *TINY, "--data-file", str(text), "--out", str(root / "run"), "--name", "tiny-gpt"]) == 0
    return root / "run", text


def test_a_language_run_ends_with_its_validation_loss_and_writes_a_sample_per_epoch(text_run, capsys):
    folder, _ = text_run
    assert sorted(p.name for p in (folder / "samples").iterdir()) == ["epoch-001.txt", "epoch-002.txt"]
    sample = (folder / "samples" / "epoch-002.txt").read_text(encoding="utf-8")
    assert len(sample) > 400
    from playground.core.store import read_metrics

    rows = read_metrics(folder)
    assert [r["epoch"] for r in rows] == [1, 2] and all("val_bpc" in r and "val_loss" in r for r in rows)


def test_the_last_line_is_the_validation_loss_in_nats_and_bits(tmp_path, capsys):
    text = tmp_path / "t.txt"
    text.write_text(SHAKESPEARE.read_text(encoding="utf-8")[:5_000], encoding="utf-8")
    assert main(["train", *TINY, "--data-file", str(text), "--out", str(tmp_path / "run")]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    match = FINAL.match(last)
    assert match, last
    assert float(match.group(2)) == pytest.approx(float(match.group(1)) / 0.6931, rel=1e-3)


def test_generate_prints_the_continuation_of_a_prompt_the_same_for_a_seed(text_run, capsys):
    args = ["generate", "tiny-gpt", "--prompt", "ROMEO:", "--length", "120", "--temperature", "0.8",
            "--top-k", "10", "--seed", "0"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert first.startswith("ROMEO:") and len(first.rstrip("\n")) == len("ROMEO:") + 120
    assert main(args) == 0
    assert capsys.readouterr().out == first
    assert main([*args[:-1], "1"]) == 0 and capsys.readouterr().out != first


def test_a_prompt_with_characters_the_model_never_saw_is_told_on_stderr(text_run, capsys):
    assert main(["generate", str(text_run[0]), "--prompt", "ROMEO: ©", "--length", "5"]) == 0
    captured = capsys.readouterr()
    assert "'©'" in captured.err and "left out" in captured.err and captured.out.startswith("ROMEO: ")


def test_generate_asks_a_model_that_draws_for_a_folder(text_run, capsys, digit_shapes, tmp_path):
    assert main(["train", "--arch", "vae", "-O", "latent=4", "-O", "hidden=16", "--dataset", "image-folder",
                 "--dataset-option", f"path={digit_shapes}", "--dataset-option", "size=28", "--dataset-option",
                 "grayscale=true", "--epochs", "1", "--quiet", "--out", str(tmp_path / "vae")]) == 0
    assert main(["generate", str(tmp_path / "vae"), "--count", "3"]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["generate", str(tmp_path / "vae"), "--count", "3", "--out", str(tmp_path / "png")]) == 0
    assert len(list((tmp_path / "png").glob("*.png"))) == 3


@pytest.mark.parametrize("fmt", ["onnx", "pt2", "safetensors", "toml"])
def test_a_language_model_exports_and_each_export_is_checked(text_run, tmp_path, fmt, capsys):
    assert main(["export", str(text_run[0]), "--format", fmt, "--out", str(tmp_path / f"model.{fmt}")]) == 0
    assert "checked" in capsys.readouterr().out


def test_the_exported_script_trains_on_a_text_file_given_with_data_file(text_run, tmp_path, capsys):
    folder, text = text_run
    assert main(["export", str(folder), "--format", "script", "--out", str(tmp_path / "train.py")]) == 0
    other = tmp_path / "other.txt"
    other.write_text(SHAKESPEARE.read_text(encoding="utf-8")[50_000:60_000], encoding="utf-8")
    done = subprocess.run([sys.executable, str(tmp_path / "train.py"), "--data-file", str(other), "--epochs", "1",
                           "--max-steps", "3", "--device", "cpu"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"val_loss=\S+ val_bpc=\S+", done.stdout.strip().splitlines()[-1])
