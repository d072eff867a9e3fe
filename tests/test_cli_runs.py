"""`playground runs` and the store from the command line: every train is recorded, with or without --out;
list, show and delete; --resume RUN by id, name or folder continues the run; --tensorboard."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.cli import main

TINY = ["--arch", "mlp", "-O", "hidden=8", "--dataset", "spiral", "--dataset-option", "samples=120",
        "--batch-size", "30", "--device", "cpu", "--threads", "1", "--lr", "0.01", "--quiet"]
KEYS = {"id", "name", "status", "arch", "dataset", "epochs_done", "best_metric", "folder"}


def cli(*args: str | Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def in_process(capsys, *args: str | Path) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as e:
        code = e.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listed(capsys) -> list[dict]:
    code, out, err = in_process(capsys, "runs", "--json")
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    """A store with one run recorded by `playground train` without --out, in a process of its own."""
    folder = tmp_path_factory.mktemp("store")
    result = cli("train", *TINY, "--epochs", "2", "--name", "first", env={"PLAYGROUND_RUNS_DIR": str(folder)})
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def runs_env(store_dir, monkeypatch) -> Path:
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(store_dir))
    return store_dir


def test_a_cli_run_without_out_is_listed_by_runs_json(store_dir):
    result = cli("runs", "--json", env={"PLAYGROUND_RUNS_DIR": str(store_dir)})
    assert result.returncode == 0, result.stderr
    (run,) = [json.loads(line) for line in result.stdout.splitlines() if '"first"' in line]
    assert KEYS <= set(run) and run["status"] == "completed" and run["epochs_done"] == 2
    folder = Path(run["folder"])
    assert folder.is_absolute() and folder.parent == store_dir and (folder / "model.pt").is_file()
    rows = [json.loads(line) for line in (folder / "metrics.jsonl").read_text().splitlines()]
    assert run["best_metric"] == max(r["test_accuracy"] for r in rows)
    assert (run["arch"], run["dataset"], run["kind"]) == ("mlp", "spiral", "classification")


def test_runs_needs_no_torch(store_dir):
    code = "import sys; from playground.cli import main; main(['runs']); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PLAYGROUND_RUNS_DIR": str(store_dir)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False" and "first" in result.stdout


def test_a_run_with_out_is_recorded_too_and_shown(runs_env, tmp_path, capsys):
    code, _, err = in_process(capsys, "train", *TINY, "--epochs", "1", "--out", tmp_path / "mine")
    assert code == 0, err
    (run,) = [r for r in listed(capsys) if r["folder"] == str(tmp_path / "mine")]
    assert run["name"] == "mine" and run["status"] == "completed"
    code, out, _ = in_process(capsys, "runs")
    header, *lines = out.splitlines()
    assert header.split()[:3] == ["ID", "NAME", "STATUS"] and any(run["id"] in line and "mine" in line
                                                                 for line in lines)
    code, out, _ = in_process(capsys, "runs", "show", "mine")
    assert code == 0 and f"id:          {run['id']}" in out and "status:      completed" in out
    assert "epoch  train_loss" in out
    code, out, _ = in_process(capsys, "runs", "show", run["id"][:6], "--json")
    shown = json.loads(out)
    assert shown["id"] == run["id"] and [e["epoch"] for e in shown["epoch_metrics"]] == [1]


def test_resume_by_id_continues_the_run_with_a_new_lr(runs_env, tmp_path, capsys):
    code, _, err = in_process(capsys, "train", *TINY, "--epochs", "2", "--out", tmp_path / "r")
    assert code == 0, err
    (run,) = [r for r in listed(capsys) if r["folder"] == str(tmp_path / "r")]
    code, out, err = in_process(capsys, "train", "--resume", run["id"], "--epochs", "4", "--lr", "0.05", "--quiet")
    assert code == 0, err
    (again,) = [r for r in listed(capsys) if r["id"] == run["id"]]
    assert again["epochs_done"] == 4 and again["steps_done"] == 4 * 3 and again["status"] == "completed"
    rows = [json.loads(line) for line in (tmp_path / "r" / "metrics.jsonl").read_text().splitlines()]
    assert [(r["epoch"], r["lr"]) for r in rows] == [(1, 0.01), (2, 0.01), (3, 0.05), (4, 0.05)]
    for ref, epochs in (("r", "5"), (tmp_path / "r", "6")):  # by name and by folder
        code, out, err = in_process(capsys, "train", "--resume", ref, "--epochs", epochs, "--quiet")
        assert code == 0, err
        (again,) = [r for r in listed(capsys) if r["id"] == run["id"]]
        assert again["epochs_done"] == int(epochs)
    code, out, err = in_process(capsys, "train", "--resume", run["id"], "--epochs", "6", "--quiet")
    assert code == 2 and "already done 6 of 6" in err


def test_resume_of_an_unknown_run_is_one_line(runs_env, capsys):
    code, out, err = in_process(capsys, "train", "--resume", "no-such-run", "--epochs", "2")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "no-such-run does not exist" in err and "playground runs" in err


def test_delete_asks_unless_yes_and_removes_the_folder(runs_env, tmp_path, capsys, monkeypatch):
    code, _, err = in_process(capsys, "train", *TINY, "--epochs", "1", "--out", tmp_path / "gone")
    assert code == 0, err
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # not a terminal: no one to ask
    code, out, err = in_process(capsys, "runs", "delete", "gone")
    sys.stdin.close()
    assert code == 2 and "--yes" in err and (tmp_path / "gone").is_dir()
    code, out, err = in_process(capsys, "runs", "delete", "gone", "--yes")
    assert code == 0 and "Deleted run gone" in out and not (tmp_path / "gone").exists()
    assert not [r for r in listed(capsys) if r["name"] == "gone"]


def test_a_store_that_is_no_database_is_one_line_with_the_fix(tmp_path):
    (tmp_path / "runs.db").write_text("not sqlite\n" * 200)
    result = cli("runs", env={"PLAYGROUND_RUNS_DIR": str(tmp_path)})
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert str(tmp_path / "runs.db") in result.stderr and "not a playground run store" in result.stderr


def test_tensorboard_flag_writes_event_files_per_run(runs_env, tmp_path, capsys):
    code, _, err = in_process(capsys, "train", *TINY, "--epochs", "2", "--out", tmp_path / "tb-run",
                              "--tensorboard", tmp_path / "tb")
    assert code == 0, err
    assert list((tmp_path / "tb" / "tb-run").glob("events.out.tfevents.*"))


def test_tensorboard_without_the_package_says_what_to_install(runs_env, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)  # as if tensorboard were not installed
    code, out, err = in_process(capsys, "train", *TINY, "--out", tmp_path / "x", "--tensorboard", tmp_path / "tb")
    assert code == 2 and "pip install 'playground[tensorboard]'" in err and not (tmp_path / "x").exists()
