"""`playground train` over 2 gloo ranks on the CPU, one torch thread each, on generated data.

What must be equal: two ranks with batch B draw the same seeded order, rank r trains on order[r::2], and DDP
averages their gradients, so each step is the one-process step on the same 2B samples with the same rate; the
losses, metrics and weights then match a one-process run with batch 2B to float rounding. Only rank 0 writes.

Each launch costs a few seconds (every rank imports torch), so a test does several things per launch: the
ranks are started as torchrun starts them (RANK, WORLD_SIZE, MASTER_ADDR... in the environment), and the tests
of faults and restarts run under torchrun itself.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
import torch

from playground.core.checkpoint import load_checkpoint
from playground.core.config import TrainConfig
from playground.core.run_follow import RunFollower, request_stop
from playground.core.training.events import EpochMetrics
from playground.core.training.trainer import Trainer

TORCHRUN = Path(sys.executable).with_name("torchrun")
TINY = ["--arch", "mlp", "-O", "hidden=16", "--dataset", "spiral", "--dataset-option", "samples=400",
        "--device", "cpu", "--threads", "1", "--quiet"]
WAIT_S = 120  # a launch takes 5-10 s on a busy 2-core machine; this is for a far busier one
COMPARED = ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "lr")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(**extra: str) -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": root, "PLAYGROUND_DIST_TIMEOUT_S": "30", "OMP_NUM_THREADS": "1", **extra}


def _launch_ranks(args: list, logs: Path, world: int = 2) -> list[tuple[subprocess.Popen, Path]]:
    """`python -m playground ARGS` once per rank, with the environment torchrun gives its workers."""
    port, started = str(_free_port()), []
    for rank in range(world):
        log = logs / f"rank{rank}.log"
        env = _env(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(world), LOCAL_WORLD_SIZE=str(world),
                   MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
        with open(log, "w") as out:
            started.append((subprocess.Popen([sys.executable, "-m", "playground", *map(str, args)], stdout=out,
                                             stderr=subprocess.STDOUT, env=env), log))
    return started


def _finish(started: list[tuple[subprocess.Popen, Path]]) -> tuple[list[int], list[str]]:
    codes = []
    for process, _ in started:
        try:
            codes.append(process.wait(WAIT_S))
        except subprocess.TimeoutExpired:
            process.kill()
            codes.append(process.wait())
    return codes, [log.read_text() for _, log in started]


def _epochs(folder: Path) -> list[dict]:
    """The epochs in a run folder so far, as the app's follow mode reads them (a half-written line waits)."""
    return [e.to_dict() for e in RunFollower(folder).poll() if isinstance(e, EpochMetrics)]


def _wait_for(condition, what: str, *processes: subprocess.Popen, timeout: float = WAIT_S) -> None:
    """Until `condition()`; fails at once if one of `processes` has ended meanwhile."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        ended = [p.args for p in processes if p.poll() is not None]
        assert not ended, f"a process ended while waiting for {what}: {ended}"
        time.sleep(0.05)


def _tiny(**changes) -> TrainConfig:
    base = TrainConfig(arch="mlp", arch_options={"hidden": [16]}, dataset="spiral", dataset_options={"samples": 400},
                       device="cpu", threads=1)
    return base.replace(**changes)


def _assert_same_epochs(ours: list[dict], theirs: list[dict]) -> None:
    for a, b in zip(ours, theirs, strict=True):
        for key in COMPARED:
            assert a[key] == pytest.approx(b[key], rel=1e-4, abs=1e-6), f"epoch {a['epoch']}: {key}"


def test_two_ranks_train_as_one_process_with_twice_the_batch_and_only_rank_zero_writes(tmp_path):
    out = tmp_path / "ranks"
    codes, logs = _finish(_launch_ranks(
        ["train", *TINY, "--batch-size", 16, "--lr", 0.01, "--epochs", 3, "--out", out], tmp_path))
    assert codes == [0, 0], logs
    ranked = _epochs(out)

    reference = Trainer().fit(_tiny(batch_size=32, lr=0.01, epochs=4), checkpoint_path=tmp_path / "one" / "model.pt")
    alone = [m.to_dict() for m in reference.metrics]
    _assert_same_epochs(ranked, alone[:3])
    assert ranked[0]["world_size"] == 2
    assert ranked[0]["samples_per_s_per_rank"] == pytest.approx(ranked[0]["samples_per_s"] / 2)

    # rank 0 alone wrote: one folder, one line per epoch, one report on the terminal
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "rank0.log", "rank1.log", "ranks"]
    assert sorted(p.name for p in out.iterdir()) == ["config.toml", "metrics.jsonl", "model.pt"]
    assert [m["epoch"] for m in ranked] == [1, 2, 3]
    assert logs[0].count("epoch 1/3") == 1 and "2 ranks (gloo): batch 16 per rank, 32 in all" in logs[0]
    assert logs[1].strip() == "", "rank 1 printed"

    # the checkpoint holds plain modules' weights and resumes on one device: the 4th epoch of the one process
    ckpt = load_checkpoint(out / "model.pt")
    assert not any(k.startswith("module.") for k in ckpt.model_states["model"])
    resumed = Trainer().fit(ckpt.config.replace(batch_size=32, epochs=4), resume_from=out / "model.pt")
    assert resumed.status == "completed", resumed.message
    _assert_same_epochs([m.to_dict() for m in resumed.metrics], alone[3:])
    for name, weight in resumed.checkpoint.model_states["model"].items():
        torch.testing.assert_close(weight, reference.checkpoint.model_states["model"][name], rtol=1e-4, atol=1e-5)


@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="needs two GPUs")
def test_two_gpus_train_as_one_with_nccl(tmp_path):
    out = tmp_path / "ranks"
    args = ["train", *TINY, "--device", "cuda", "--batch-size", 16, "--lr", 0.01, "--epochs", 2, "--out", out]
    codes, logs = _finish(_launch_ranks(args, tmp_path))
    assert codes == [0, 0], logs
    assert "2 ranks (nccl)" in logs[0]
    alone = [m.to_dict() for m in Trainer().fit(_tiny(device="cuda", batch_size=32, lr=0.01, epochs=2)).metrics]
    for a, b in zip(_epochs(out), alone, strict=True):
        assert a["train_loss"] == pytest.approx(b["train_loss"], rel=1e-3)


@pytest.fixture
def shapes(tmp_path) -> Path:
    """48 28x28 grayscale images of two kinds: digits enough for a GAN to take a few steps on."""
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(0)
    for kind in ("bar", "ring"):
        (tmp_path / "shapes" / kind).mkdir(parents=True)
        for i in range(24):
            image = Image.new("L", (28, 28), 0)
            x, y = (int(v) for v in rng.integers(6, 14, 2))
            draw = ImageDraw.Draw(image)
            if kind == "bar":
                draw.rectangle([x, y - 4, x + 5, y + 10], fill=255)
            else:
                draw.ellipse([x - 2, y - 2, x + 10, y + 10], outline=255, width=3)
            image.save(tmp_path / "shapes" / kind / f"{i}.png")
    return tmp_path / "shapes"


def _torchrun(args: list, log: Path, restarts: int = 0) -> subprocess.Popen:
    command = [TORCHRUN, "--standalone", "--nproc-per-node", "2", "--max-restarts", restarts, "-m", "playground", *args]
    with open(log, "w") as out:
        return subprocess.Popen(list(map(str, command)), stdout=out, stderr=subprocess.STDOUT, env=_env())


def _rank_pid(torchrun: subprocess.Popen, rank: int, not_these: tuple[int, ...] = ()) -> int | None:
    for child in psutil.Process(torchrun.pid).children(recursive=True):
        try:
            if child.pid not in not_these and child.environ().get("RANK") == str(rank) and "playground" in \
                    " ".join(child.cmdline()):
                return child.pid
        except psutil.Error:  # a process that has just ended
            continue
    return None


def test_a_gan_from_one_device_trains_on_two_ranks_restarts_when_one_dies_and_stops_on_request(tmp_path, shapes):
    """Both optimizers of a GAN under DDP, a one-device checkpoint resumed on two ranks, lr_scaling, torchrun's
    elastic restart going on from the run's last checkpoint, and a stop request that every rank follows."""
    gan = TrainConfig(arch="gan", dataset="image-folder", device="cpu", threads=1, batch_size=8, epochs=1,
                      dataset_options={"path": str(shapes), "size": 28, "grayscale": True})
    one = Trainer().fit(gan, checkpoint_path=tmp_path / "one" / "model.pt")
    assert one.status == "completed", one.message
    out, log = tmp_path / "ranks", tmp_path / "torchrun.log"
    torchrun = _torchrun(["train", "--resume", tmp_path / "one" / "model.pt", "--epochs", 100_000, "--batch-size", 4,
                          "--lr-scaling", "sqrt", "--out", out, "--quiet"], log, restarts=1)
    try:
        _wait_for(lambda: len(_epochs(out)) >= 2, "two epochs on two ranks", torchrun)
        first = _rank_pid(torchrun, 1)
        os.kill(first, signal.SIGKILL)
        done_before = len(_epochs(out))
        _wait_for(lambda: len(_epochs(out)) > done_before + 1, "the restarted ranks to train on", torchrun)
        request_stop(out)
        code = torchrun.wait(WAIT_S)
    finally:
        torchrun.kill()
    text = log.read_text()
    assert code == 0, text[-3000:]
    starts = [int(e) for e in re.findall(r"from epoch (\d+)", text)]
    assert len(starts) == 2 and starts[0] == 2 < starts[1], f"the restart did not go on from a checkpoint: {starts}"
    assert "learning rate x1.41421 (lr_scaling sqrt)" in text, text[-3000:]

    epochs = [m["epoch"] for m in _epochs(out)]
    # the new folder's record carries the one-device epoch it went on from (the run store's resume)
    assert epochs[0] == 1 and sorted(set(epochs)) == list(range(1, max(epochs) + 1))
    assert len(epochs) - len(set(epochs)) <= 1, f"the restart began again instead of going on: {epochs}"
    last = _epochs(out)[-1]
    assert all(np.isfinite(last[k]) for k in ("train_g_loss", "train_d_loss", "test_d_real", "test_d_fake"))
    rates = one.checkpoint.optimizer_states
    for network in ("generator", "discriminator"):
        assert last[f"lr_{network}"] == pytest.approx(rates[network]["optimizer"]["param_groups"][0]["lr"] * 2 ** .5)
    ckpt = load_checkpoint(out / "model.pt")
    assert set(ckpt.model_states) == {"generator", "discriminator"} and not (out / "STOP").exists()
    assert not any(k.startswith("module.") for s in ckpt.model_states.values() for k in s)
    steps = {n: float(next(iter(ckpt.optimizer_states[n]["optimizer"]["state"].values()))["step"])
             for n in ("generator", "discriminator")}
    assert steps["generator"] == steps["discriminator"] > 6, "each network took a step each time"


def test_a_killed_rank_ends_the_run_with_a_message_naming_it(tmp_path):
    out = tmp_path / "ranks"
    started = _launch_ranks(["train", *TINY, "--batch-size", 16, "--epochs", 100_000, "--out", out], tmp_path)
    _wait_for(lambda: len(_epochs(out)) >= 1, "a first epoch", *(p for p, _ in started))
    started[1][0].send_signal(signal.SIGKILL)
    killed = time.monotonic()
    codes, logs = _finish(started)
    assert time.monotonic() - killed < 30
    assert codes == [2, -signal.SIGKILL], logs
    lines = logs[0].strip().splitlines()
    assert lines[-1].startswith("playground: error: rank 0 of 2: rank 1 of 2 stopped answering"), logs[0]
    assert "Traceback" not in logs[0]
