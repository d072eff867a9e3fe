"""Ranks: which process of a torchrun run this is, and how its figures meet the other processes'.

Under torchrun (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT in the environment) `join_ranks`
joins the process group, NCCL on GPUs and gloo on CPUs, and leaves it at the end. Everywhere else it answers
one process: rank 0 of 1, whose reduce is the identity and which never calls into torch.distributed. The loop
asks this object for its shard of the data, the Trainer for where reports and checkpoints go, and each task
wraps the networks it trains with `wrap` (DistributedDataParallel, which all-reduces the gradients).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import torch
from torch import nn

from playground.core.errors import ConfigError, PlaygroundError
from playground.core.training.callbacks import Callback, for_rank

T = TypeVar("T")
TIMEOUT_ENV = "PLAYGROUND_DIST_TIMEOUT_S"
# a collective that waits longer than this ends the run: a rank died or its machine went away. Generous,
# because the other ranks wait in one while rank 0 evaluates the test split
DEFAULT_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class Ranks:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    device: torch.device | None = None  # None: the config's own device (one process)
    backend: str = ""  # "gloo" or "nccl" under torchrun
    restart_count: int = 0  # how often torchrun's elastic agent has restarted the ranks
    max_restarts: int = 0
    watch: Any = None  # a RankWatch: tells which rank went silent when a collective fails

    @property
    def distributed(self) -> bool:
        return self.world_size > 1

    @property
    def is_zero(self) -> bool:
        return self.rank == 0

    def reduce(self, tensor: torch.Tensor, op: str = "mean") -> torch.Tensor:
        """`tensor` summed (op="sum") or averaged over every rank, in place; the identity on one process."""
        if not self.distributed:
            return tensor
        import torch.distributed as dist

        dist.all_reduce(tensor, dist.ReduceOp.SUM)
        return tensor.div_(self.world_size) if op == "mean" else tensor

    def any(self, flag: bool) -> bool:
        """True on every rank if it is true on one (a stop that one rank was asked for)."""
        if not self.distributed:
            return flag
        return bool(self.reduce(torch.tensor([float(flag)], device=self.device), "sum").item() > 0)

    def share(self, make: Callable[[], T]) -> T:
        """What `make()` returns on rank 0, on every rank (rank 0 alone reads files, evaluates); an error on
        rank 0 is raised on every rank, so that none waits for a value that never comes."""
        if not self.distributed:
            return make()
        import torch.distributed as dist

        box: list[Any] = [None]
        if self.is_zero:
            try:
                box[0] = ("ok", make())
            except Exception as e:  # noqa: BLE001 - sent on, then raised on every rank, rank 0 included
                box[0] = ("error", e)
        dist.broadcast_object_list(box, src=0, device=self._object_device())
        kind, value = box[0]
        if kind == "error":
            raise value
        return value

    def gather(self, value: T) -> list[T]:
        """Every rank's `value`, in rank order, on every rank."""
        if not self.distributed:
            return [value]
        import torch.distributed as dist

        values: list[Any] = [None] * self.world_size
        dist.all_gather_object(values, value)
        return values

    def local_zero_first(self, make: Callable[[], T]) -> T:
        """`make()` on every rank, the first rank of each machine before the others: a dataset downloads once."""
        if not self.distributed:
            return make()
        import torch.distributed as dist

        if self.local_rank != 0:
            dist.barrier()
        value = make()
        if self.local_rank == 0:
            dist.barrier()
        return value

    def shard(self, order: torch.Tensor) -> torch.Tensor:
        """This rank's part of an epoch's order: every world_size-th sample from its rank on, over a length that
        all ranks share, so that step i of every rank together is step i of one process with world_size times
        the batch."""
        if not self.distributed:
            return order
        usable = len(order) - len(order) % self.world_size
        return order[self.rank:usable:self.world_size]

    def wrap(self, module: nn.Module) -> nn.Module:
        """The network to train through: DistributedDataParallel under torchrun (gradients averaged over the
        ranks, BatchNorm's buffers sent from rank 0 at each forward), else the module itself."""
        if not self.distributed:
            return module
        from torch.nn.parallel import DistributedDataParallel

        ids = [self.device.index] if self.device is not None and self.device.type == "cuda" else None
        return DistributedDataParallel(module, device_ids=ids, gradient_as_bucket_view=True)

    def callbacks(self, callback: Callback) -> Callback:
        """The callbacks of this rank: all on rank 0; elsewhere only those marked `all_ranks` (the others write
        files, the store or the terminal, which rank 0 alone does)."""
        return for_rank(callback, self.rank)

    def lost_contact(self, error: BaseException) -> str | None:
        """A one-line message naming the rank that went silent, if `error` is a collective that failed."""
        if not self.distributed or not _is_collective_error(error):
            return None
        silent = self.watch.silent_ranks() if self.watch is not None else None
        who = (f"rank {', '.join(map(str, silent))} of {self.world_size} stopped answering" if silent else
               "another rank stopped answering")
        return (f"{who} (its process ended, or its machine went away), so the run ends on every rank; "
                f"its own message or torchrun's report above says why ({_what_failed(error)})")

    def _object_device(self) -> torch.device | None:
        return self.device if self.backend == "nccl" else None


SINGLE = Ranks()


def rank_seed(seed: int, rank: int) -> int:
    """A seed of each rank's own random numbers (dropout, augmentation, latent vectors), from the run's seed."""
    return (seed + 1_000_003 * (rank + 1)) % 2**63


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name, "")
    try:
        return int(text) if text else default
    except ValueError:
        raise PlaygroundError(f"{name}={text!r} is not a whole number; start the run with torchrun, "
                              "which sets it") from None


@contextmanager
def join_ranks(device_setting: str = "auto") -> Iterator[Ranks]:
    """The ranks of this process: joined from torchrun's environment for the block, or SINGLE."""
    world = _env_int("WORLD_SIZE", 1)
    restarts = _env_int("TORCHELASTIC_RESTART_COUNT", 0), _env_int("TORCHELASTIC_MAX_RESTARTS", 0)
    if world <= 1:
        yield Ranks(restart_count=restarts[0], max_restarts=restarts[1])
        return
    rank, local = _env_int("RANK", 0), _env_int("LOCAL_RANK", 0)
    device = rank_device(device_setting, local)
    backend = "nccl" if device.type == "cuda" else "gloo"
    _init_group(backend, rank, world, restarts[0], device)
    from playground.core.training.rank_watch import RankWatch

    watch = RankWatch.start(rank, world, restarts[0])
    try:
        yield Ranks(rank, world, local, device, backend, *restarts, watch)
    finally:
        watch.stop()
        _leave_group()


def rank_device(setting: str, local_rank: int) -> torch.device:
    """Each rank's own device: GPU number LOCAL_RANK where there are GPUs (an index in the setting gives way
    to it), else the CPU."""
    kind = setting.split(":")[0]
    if kind == "mps":
        raise ConfigError([("device", "torch.distributed cannot train on MPS; use --device cpu under torchrun")])
    if kind == "cpu" or (kind == "auto" and not torch.cuda.is_available()):
        return torch.device("cpu")
    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if local_rank >= count:
        raise ConfigError([("device", f"rank {local_rank} of this machine has no GPU of its own: there are "
                                      f"{count}; lower torchrun's --nproc-per-node to {count}, or use --device cpu")])
    torch.cuda.set_device(local_rank)
    return torch.device("cuda", local_rank)


def _init_group(backend: str, rank: int, world: int, attempt: int, device: torch.device) -> None:
    import torch.distributed as dist

    timeout = timedelta(seconds=float(os.environ.get(TIMEOUT_ENV) or DEFAULT_TIMEOUT_S))
    where = f"{os.environ.get('MASTER_ADDR', '?')}:{os.environ.get('MASTER_PORT', '?')}"
    try:
        store, _, _ = next(dist.rendezvous("env://", rank, world, timeout=timeout))
        # torchrun's restarted ranks meet in the same store: keep each attempt's keys apart, or a rank reads the
        # address of a process of the last attempt, which is gone, and cannot connect
        store = dist.PrefixStore(f"playground/attempt/{attempt}", store)
        gpu = {"device_id": device} if backend == "nccl" else {}  # NCCL's collectives then know their GPU
        dist.init_process_group(backend, store=store, rank=rank, world_size=world, timeout=timeout, **gpu)
    except (RuntimeError, ValueError) as e:  # DistError is a RuntimeError: no rendezvous, a port in use
        raise PlaygroundError(f"rank {rank} of {world} could not join the others at {where} with {backend} "
                              f"({_first_line(e)}); start every machine with the same torchrun command and "
                              "rendezvous endpoint") from None


def _leave_group() -> None:
    import torch.distributed as dist

    if dist.is_initialized():
        dist.destroy_process_group()


def _is_collective_error(error: BaseException) -> bool:
    import torch.distributed as dist

    if isinstance(error, dist.DistError):
        return True
    text = str(error)
    return isinstance(error, RuntimeError) and any(
        word in text for word in ("gloo", "NCCL", "Connection reset", "Connection closed", "Broken pipe", "Timed out"))


def _what_failed(e: BaseException) -> str:
    """The gist of a backend's error: gloo's, without its source path and its advice."""
    text = re.sub(r"^\[[^\]]*\]\s*", "", _first_line(e))
    return text.split(". ")[0].rstrip(".")


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0][:300] if text else type(e).__name__
