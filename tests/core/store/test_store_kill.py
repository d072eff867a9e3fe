"""Kill tests: `playground train` processes killed with SIGKILL at random moments leave a store that opens and
passes PRAGMA integrity_check; each killed run reads as interrupted with the epochs it had finished, its
metrics.jsonl agrees once repaired, and its last checkpoint loads.

Importing torch takes seconds, so one server process imports it once and forks each training process; every
child is a real process running `playground train` (the CLI's main) in a fresh folder, killed at its moment.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from playground.core.checkpoint import load_checkpoint
from playground.core.store import RunStore, read_metrics

KILLS = 20
MAX_DELAY_S = 0.5  # from just after the fork (startup) to some 50 epochs in
TRAIN = ["train", "--arch", "mlp", "-O", "hidden=8", "--dataset", "spiral", "--dataset-option", "samples=120",
         "--batch-size", "30", "--epochs", "100000", "--device", "cpu", "--threads", "1", "--quiet"]

SERVER = textwrap.dedent("""
    import json, os, sys
    import torch
    from playground.cli import main
    import playground.cli_train, playground.core.training.trainer, playground.core.store  # imported once, here
    torch.set_num_threads(1)
    torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])  # the first optimizer imports torch._dynamo: 1.5 s
    print("ready", flush=True)
    for line in sys.stdin:
        order = json.loads(line)
        if order["op"] == "reap":
            os.waitpid(order["pid"], 0)
            print("reaped", flush=True)
            continue
        pid = os.fork()
        if pid == 0:  # the training process
            log = os.open(order["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(log, 1)
            os.dup2(log, 2)
            code = 1
            try:
                code = main(order["args"])
            finally:
                sys.stdout.flush()
                os._exit(code)
        print(pid, flush=True)
""")


def _ask(server: subprocess.Popen, order: dict) -> str:
    server.stdin.write(json.dumps(order) + "\n")
    server.stdin.flush()
    return server.stdout.readline().strip()


def _kill_runs(tmp_path: Path) -> list[tuple[Path, Path]]:
    """Start and SIGKILL KILLS training processes; returns each one's (folder, log)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    rng = random.Random(11)
    killed = []
    with subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True, env=env) as server:
        try:
            assert server.stdout.readline().strip() == "ready"
            for i in range(KILLS):
                folder, log = tmp_path / f"run-{i:02d}", tmp_path / f"log-{i:02d}.txt"
                pid = int(_ask(server, {"op": "train", "args": [*TRAIN, "--out", str(folder)], "log": str(log)}))
                time.sleep(rng.uniform(0.0, MAX_DELAY_S))
                os.kill(pid, signal.SIGKILL)
                assert _ask(server, {"op": "reap", "pid": pid}) == "reaped"
                killed.append((folder, log))
        finally:
            server.kill()
    return killed


def _printed_epochs(log: Path) -> int:
    """Epochs the process printed: each is printed after the store committed it."""
    return len(re.findall(r"^epoch \d+/\d+ ", log.read_text(errors="replace"), re.M))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill server forks")
def test_runs_killed_at_random_moments_read_back_as_interrupted(runs_dir, tmp_path):
    killed = _kill_runs(tmp_path)
    db = sqlite3.connect(runs_dir / "runs.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with RunStore.open() as store:
        listed = {r.folder: r for r in store.runs()}  # read before any repair: the dead read as interrupted
        assert all(r.status == "interrupted" for r in listed.values())
        store.repair()
        done = [_check_run(store, folder, log, listed) for folder, log in killed]
    assert sum(e > 0 for e in done) >= KILLS // 2, f"too few kills came after an epoch: {done}"


def _check_run(store: RunStore, folder: Path, log: Path, listed: dict) -> int:
    if folder not in listed:  # killed before the run was recorded: nothing of it may be half there
        assert not (folder / "model.pt").exists()
        return 0
    record = store.get(listed[folder].id)
    printed = _printed_epochs(log)
    assert record.status == "interrupted"
    assert printed <= record.epochs_done <= printed + 1, (folder, printed, record.epochs_done)
    rows = store.epoch_rows(record.id)
    assert [r["epoch"] for r in rows] == list(range(1, record.epochs_done + 1))
    assert read_metrics(folder) == rows  # the run folder agrees with the store
    # the checkpoint is saved after the epoch is recorded: a kill in between leaves none after the first epoch
    if record.epochs_done > 1 or (folder / "model.pt").exists():
        ckpt = load_checkpoint(folder / "model.pt")
        assert record.epochs_done - 1 <= ckpt.epoch <= record.epochs_done and ckpt.run_id == record.id
        assert ckpt.metrics == rows[:ckpt.epoch]
        ckpt.build_model()
    return record.epochs_done
