"""Ranks on one process (0 of 1, the identity), the shard arithmetic, rank-zero callbacks, lr scaling, and the
heartbeat that names a silent rank; no process group needed (tests/core/test_distributed.py runs two)."""

from __future__ import annotations

import socket
import time
from dataclasses import replace
from datetime import timedelta

import pytest
import torch
import torch.distributed as dist
from torch import nn

from playground.core.config import TrainConfig, lr_scale, validate
from playground.core.errors import ConfigError
from playground.core.optimizer_settings import OptimizerSettings
from playground.core.training import rank_watch
from playground.core.training.callbacks import Callback, CallbackList, for_rank
from playground.core.training.events import EpochMetrics, Scale
from playground.core.training.loop import partial_for_rank
from playground.core.training.optimization import Optimization
from playground.core.training.rank_watch import RankWatch
from playground.core.training.ranks import SINGLE, Ranks, join_ranks, rank_device
from playground.core.training.trainer import Trainer


def test_one_process_is_rank_zero_of_one_and_reduces_to_itself():
    t = torch.tensor([1.0, 2.0])
    assert SINGLE.rank == 0 and SINGLE.world_size == 1 and SINGLE.is_zero and not SINGLE.distributed
    assert SINGLE.reduce(t) is t and torch.equal(t, torch.tensor([1.0, 2.0]))
    assert SINGLE.any(True) and not SINGLE.any(False)
    assert SINGLE.share(lambda: 42) == 42 and SINGLE.gather("x") == ["x"]
    assert SINGLE.local_zero_first(lambda: "data") == "data"
    order = torch.randperm(10)
    assert SINGLE.shard(order) is order
    module = nn.Linear(2, 2)
    assert SINGLE.wrap(module) is module
    assert SINGLE.lost_contact(RuntimeError("gloo: Connection reset by peer")) is None


def test_join_ranks_outside_torchrun_answers_one_process(monkeypatch):
    for name in ("WORLD_SIZE", "RANK", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TORCHELASTIC_RESTART_COUNT", "2")
    with join_ranks("cpu") as ranks:
        assert not ranks.distributed and ranks.restart_count == 2 and ranks.device is None
    assert not dist.is_initialized()


def test_a_bad_torchrun_variable_is_one_line(monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "two")
    with pytest.raises(Exception, match="WORLD_SIZE='two' is not a whole number"), join_ranks("cpu"):
        pass


@pytest.mark.parametrize(("world", "batch", "n"), [(2, 4, 20), (3, 4, 40), (4, 1, 9)])
def test_the_shards_of_a_step_are_the_one_process_batch_of_world_times_the_size(world, batch, n):
    order = torch.randperm(n, generator=torch.Generator().manual_seed(0))
    shards = [Ranks(rank=r, world_size=world).shard(order) for r in range(world)]
    assert len({len(s) for s in shards}) == 1, "every rank takes as many samples"
    steps = n // (batch * world)
    for i in range(steps):
        together = torch.cat([s[i * batch:(i + 1) * batch] for s in shards])
        alone = order[i * batch * world:(i + 1) * batch * world]
        assert sorted(together.tolist()) == sorted(alone.tolist())
    seen = torch.cat(shards).tolist()
    assert len(seen) == len(set(seen)), "the shards are disjoint"


def test_lr_scaling_rules_and_their_validation():
    assert lr_scale("none", 8) == 1.0 and lr_scale("linear", 8) == 8.0 and lr_scale("sqrt", 4) == 2.0
    assert lr_scale("linear", 1) == 1.0
    assert dict(validate(TrainConfig(lr_scaling="cubic")))["lr_scaling"].startswith("unknown rule 'cubic'")
    assert TrainConfig.from_dict({"lr_scaling": "sqrt"}).lr_scaling == "sqrt"


def test_cpu_and_gpu_devices_of_a_rank():
    assert rank_device("cpu", 3) == torch.device("cpu")
    with pytest.raises(ConfigError, match="MPS"):
        rank_device("mps", 0)
    if torch.cuda.device_count() < 2:
        with pytest.raises(ConfigError, match="nproc-per-node"):
            rank_device("cuda", 1 if torch.cuda.is_available() else 0)


class _Writes(Callback):
    def __init__(self):
        self.epochs = []

    def on_epoch_end(self, e):
        self.epochs.append(e)


class _Steers(_Writes):
    all_ranks = True


def test_callbacks_run_on_rank_zero_unless_marked_for_every_rank():
    writes, steers, nested = _Writes(), _Steers(), _Writes()
    callbacks = CallbackList([writes, steers, CallbackList([nested])])
    assert for_rank(callbacks, 0) is callbacks
    on_one = for_rank(callbacks, 1)
    epoch = EpochMetrics(1, {}, {}, 0.0, 0.0)
    on_one.on_event(epoch)
    assert steers.epochs == [epoch] and writes.epochs == [] and nested.epochs == []
    assert type(for_rank(writes, 3)) is Callback
    assert Ranks(rank=2, world_size=4).callbacks(steers) is steers


def test_one_process_records_a_world_of_one():
    started = []

    class Start(Callback):
        def on_start(self, e):
            started.append(e)

    config = TrainConfig(arch="linear", dataset="blobs", dataset_options={"samples": 200}, batch_size=32, epochs=1,
                         device="cpu", lr_scaling="linear")
    result = Trainer().fit(config, Start())
    assert started[0].scale == Scale(1, 32, 32, "linear", 1.0, "")
    assert "world_size" not in result.metrics[0].to_dict()  # metrics.jsonl of one process is as it was
    assert result.metrics[0].samples_per_s_per_rank == result.metrics[0].samples_per_s


def test_epoch_metrics_of_several_ranks_round_trip():
    m = EpochMetrics(2, {"train_loss": 0.5}, {"lr": 0.1}, 1.0, 300.0, world_size=3)
    d = m.to_dict()
    assert d["world_size"] == 3 and d["samples_per_s_per_rank"] == 100.0
    assert EpochMetrics.from_dict(d) == m


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_heartbeat_names_the_rank_that_went_silent(monkeypatch):
    monkeypatch.setattr(rank_watch, "INTERVAL_S", 0.05)
    port = _free_port()
    master = dist.TCPStore("127.0.0.1", port, is_master=True, wait_for_workers=False, timeout=timedelta(seconds=5))
    monkeypatch.setenv("MASTER_ADDR", "127.0.0.1")
    monkeypatch.setenv("MASTER_PORT", str(port))
    watches = [RankWatch.start(r, 3, restart=0) for r in range(3)]
    try:
        time.sleep(0.2)
        watches[1].stop()  # rank 1 dies
        time.sleep(0.1)
        assert watches[0].silent_ranks() == [1]
        ranks = Ranks(rank=0, world_size=3, watch=watches[0])
        message = ranks.lost_contact(RuntimeError("[pair.cc:545] Read error: Connection reset by peer (gloo)"))
        assert message.startswith("rank 1 of 3 stopped answering") and "\n" not in message
        assert ranks.lost_contact(ValueError("not a collective")) is None
    finally:
        for w in watches:
            w.stop()
        del master


def test_a_stopped_epoch_goes_on_only_over_as_many_ranks():
    one = {"epoch_step": 3, "generator": "g"}
    assert partial_for_rank(one, SINGLE) is one
    assert partial_for_rank(one, Ranks(rank=0, world_size=2)) is None  # its steps were other batches
    two = {"epoch_step": 3, "world_size": 2, "ranks": [{"generator": "g0"}, {"generator": "g1"}]}
    assert partial_for_rank(two, Ranks(rank=1, world_size=2))["generator"] == "g1"
    assert partial_for_rank(two, SINGLE) is None and partial_for_rank(None, SINGLE) is None


def test_rates_saved_over_other_ranks_resume_as_lr_scaling_gives_them_here():
    settings = OptimizerSettings(optimizer="sgd", lr=0.1, schedule="onecycle")
    params = [nn.Parameter(torch.zeros(2))]
    over_four = Optimization(replace(settings, lr=0.4), params, 100, 1, lr_factor=4.0)
    on_one = Optimization(settings, params, 100, 1, lr_factor=1.0)
    on_one.load_state_dict(over_four.state_dict())
    assert on_one.lr == pytest.approx(over_four.lr / 4)
    assert on_one.optimizer.param_groups[0]["max_lr"] == pytest.approx(0.1)


def test_max_restarts_without_a_run_folder_is_refused(monkeypatch, capsys):
    from playground.cli import main

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    monkeypatch.setenv("TORCHELASTIC_MAX_RESTARTS", "3")
    code = main(["train", "--arch", "linear", "--dataset", "blobs", "--device", "cpu", "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("playground: error: torchrun --max-restarts needs --out") and "\n" not in err
