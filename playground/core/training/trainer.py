"""The Trainer: one loop for the CLI, the benchmark and the app, reporting through callbacks.

It knows nothing of Qt. It checks a RunControl at every batch boundary, keeps losses on the device
and reads them a few times per second, and ends every run with on_finished or on_failed.

Under torchrun it is handed the Ranks of its process: the callbacks run on rank 0 alone (Ranks.callbacks, the one
place that decides), rank 0 alone reads and writes checkpoints and shares what it read, and a run that torchrun
restarted (--max-restarts) goes on from the last checkpoint in its folder.
"""

from __future__ import annotations

import gc
import logging
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

import torch

from playground.core.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from playground.core.config import TrainConfig, check
from playground.core.data.registry import load_for
from playground.core.errors import (
    CheckpointError,
    ConfigError,
    DatasetError,
    IncompatibleError,
    PlaygroundError,
    TrainingFault,
)
from playground.core.training.allocator import keep_freed_memory
from playground.core.training.callbacks import Callback
from playground.core.training.control import RunControl, StopRequested
from playground.core.training.events import (
    EpochMetrics,
    EvaluationEvent,
    LoadProgress,
    RunFailed,
    RunFinished,
    RunNotice,
    RunStarted,
    SamplesEvent,
)
from playground.core.training.loop import EpochLoop, partial_for_rank
from playground.core.training.prepared import PreparedRun, prepare
from playground.core.training.ranks import SINGLE, Ranks
from playground.core.training.setup import configure_threads, denormals_flushed, resolve_device

log = logging.getLogger(__name__)
REPORT_EVERY_S = 0.1  # how often losses are read from the device and reported


@dataclass
class RunResult:
    status: str  # "completed", "stopped", "interrupted" or "failed"
    metrics: list[EpochMetrics] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""
    checkpoint: Checkpoint | None = None  # the final state (not for failed runs)


class Trainer:
    def __init__(self, report_every_s: float = REPORT_EVERY_S):
        self.report_every_s = report_every_s

    def fit(self, config: TrainConfig, callback: Callback | None = None, control: RunControl | None = None,
            checkpoint_path: str | Path | None = None, resume_from: str | Path | Checkpoint | None = None,
            run_id: str = "", ranks: Ranks = SINGLE) -> RunResult:
        """Train as the config says; never raises for user errors or faults, reports them as on_failed.

        `ranks` is this process's place in a torchrun run (see ranks.join_ranks); `checkpoint_path` is written
        by rank 0 alone."""
        keep_freed_memory()
        with denormals_flushed():
            return self._fit(config, callback, control, checkpoint_path, resume_from, run_id, ranks)

    def _fit(self, config: TrainConfig, callback: Callback | None, control: RunControl | None,
             checkpoint_path: str | Path | None, resume_from: str | Path | Checkpoint | None, run_id: str,
             ranks: Ranks) -> RunResult:
        cb = ranks.callbacks(callback or Callback())
        control = control or RunControl()
        started = time.perf_counter()
        metrics: list[EpochMetrics] = []
        try:
            # no local name holds the prepared run: on a failure its memory goes with the exception
            prepared = self._prepare(config, cb, control, resume_from, run_id, ranks, checkpoint_path)
            saved_to = checkpoint_path if ranks.is_zero else None
            return _Run(self, *prepared, cb, control, run_id).train(metrics, started, saved_to)
        except StopRequested:  # stopped while the data loaded: nothing was trained, so nothing is lost
            seconds = time.perf_counter() - started
            cb.on_event(RunFinished(control.stop_reason, 0, seconds, (), run_id, 0))
            return RunResult(control.stop_reason, [], seconds)
        except Exception as e:  # every failure ends in on_failed; nothing measured is lost
            failed = _failure(e, config, metrics, run_id, ranks)
            prepared = None
        # out here the exception and its frames, which hold the run's model and data, are gone
        if failed.kind == "oom":
            _release_gpu_memory()
        cb.on_event(failed)
        return RunResult("failed", metrics, time.perf_counter() - started, failed.message)

    def _prepare(self, config: TrainConfig, cb: Callback, control: RunControl,
                 resume_from: str | Path | Checkpoint | None, run_id: str, ranks: Ranks,
                 checkpoint_path: str | Path | None) -> tuple[PreparedRun, Checkpoint | None]:
        check(config)
        device = ranks.device or resolve_device(config.device)
        threads = configure_threads(config.threads, device)

        def progress(message: str, done: int, total: int) -> None:
            # a download has no batch boundaries: Stop (or a closing window) ends it at its next chunk; under
            # torchrun the ranks must agree on a stop, which only the training loop does
            if control.stop_requested and not ranks.distributed:
                raise StopRequested
            cb.on_event(LoadProgress(message, done, total, run_id))

        data = ranks.local_zero_first(lambda: load_for(config, progress))  # one download per machine
        data = data.with_validation(config.val_fraction, config.seed)
        restarted = ranks.restart_count > 0 and checkpoint_path is not None
        resume = ranks.share(lambda: _read_resume(resume_from, checkpoint_path if restarted else None))
        if resume is not None:
            _check_resumable(resume, config, restarted)
        run = prepare(config, data, device, resume, ranks)
        run.threads = threads
        return run, resume


class _Run:
    """The epochs of one fit: reports, checkpoints after each epoch and on a stop."""

    def __init__(self, trainer: Trainer, run: PreparedRun, resume: Checkpoint | None, cb: Callback,
                 control: RunControl, run_id: str):
        self.trainer, self.run, self.resume = trainer, run, resume
        self.cb, self.control, self.run_id = cb, control, run_id

    def train(self, metrics: list[EpochMetrics], started: float, checkpoint_path: str | Path | None) -> RunResult:
        run, config, resume = self.run, self.run.config, self.resume
        start_epoch = resume.epoch if resume else 0
        self.cb.on_event(RunStarted(
            config.to_dict(), str(run.device), run.task.num_params, len(run.data.train_x), len(run.data.test_x),
            run.steps_per_epoch, run.total_steps, start_epoch, run.spec, run.task.loss_names, self.run_id,
            folder=str(Path(checkpoint_path).parent) if checkpoint_path else "", scale=run.scale,
            unit=run.batches.unit))
        for note in run.data.notices:  # images that could not be read, say
            self.cb.on_event(RunNotice(note, 0, run_id=self.run_id))
        history = list(resume.metrics) if resume else []
        partial = self._restored_partial_epoch()
        epoch, steps, reason, stopped_at = start_epoch, start_epoch * run.steps_per_epoch, "completed", None
        for epoch in range(start_epoch + 1, config.epochs + 1):
            loop = EpochLoop(run, epoch, self.cb, self.control, self.trainer.report_every_s, started, self.run_id,
                             partial)
            partial, epoch_metrics = None, loop.train()
            steps = (epoch - 1) * run.steps_per_epoch + loop.steps_done
            if epoch_metrics is None:  # stopped mid-epoch: the checkpoint goes on from this very step
                reason, epoch = self.control.stop_reason, epoch - 1
                stopped_at = {**loop.partial_state(), "knob_changes": [k.to_dict() for k in loop.knob_changes]}
                break
            metrics.append(epoch_metrics)
            history.append(epoch_metrics.to_dict())
            self._epoch_artifacts(epoch, loop.test_answers)
            self.cb.on_event(epoch_metrics)
            if checkpoint_path:
                save_checkpoint(checkpoint_path, run.checkpoint(epoch, history, steps, self.run_id))
            self.control.epoch_ended()
            if run.ranks.any(self.control.stop_requested):
                reason = self.control.stop_reason if epoch < config.epochs else "completed"
                break
        final = run.checkpoint(epoch, history, steps, self.run_id, stopped_at)
        if checkpoint_path and stopped_at is not None:
            save_checkpoint(checkpoint_path, final)
        seconds = time.perf_counter() - started
        self.cb.on_event(RunFinished(reason, epoch, seconds, tuple(metrics), self.run_id, steps))
        return RunResult(reason, metrics, seconds, checkpoint=final)

    def _restored_partial_epoch(self) -> dict | None:
        """A checkpoint taken inside an epoch: its state, with the global random state (dropout) put back."""
        saved = self.resume.resume_state if self.resume is not None else None
        state = partial_for_rank(saved, self.run.ranks)
        if saved and state is None:
            self.cb.on_event(RunNotice(
                f"the checkpoint stopped inside epoch {self.resume.epoch + 1} on {saved.get('world_size', 1)} "
                f"rank(s); on {self.run.ranks.world_size} that epoch starts again from its first step",
                self.resume.step, "info", self.run_id))
        if state and "torch_rng" in state:
            torch.set_rng_state(state["torch_rng"])
        return state

    def _epoch_artifacts(self, epoch: int, answers: tuple | None) -> None:
        """What the views show of an epoch: a generative model's drawings, a classifier's answers; on rank 0,
        which alone feeds the files and views."""
        run = self.run
        if not run.ranks.is_zero:
            return
        made = run.task.epoch_samples()  # a generative model's drawings, a language model's writing
        if made is not None:
            self.cb.on_event(SamplesEvent(epoch, run_id=self.run_id, **made))
        if answers is not None:
            predicted, probability = answers
            self.cb.on_event(EvaluationEvent(
                epoch, run.data.test_y.numpy(), predicted.numpy(), probability.numpy(), run.spec.labels(),
                run.config.dataset, self.run_id))


def _read_resume(resume_from: str | Path | Checkpoint | None,
                 restart_from: str | Path | None) -> Checkpoint | None:
    """The checkpoint to go on from: after a torchrun restart the run's own latest one, where it has written one
    yet; else --resume's (a file, or a checkpoint already read)."""
    if restart_from is not None and Path(restart_from).is_file():
        return load_checkpoint(restart_from)
    if isinstance(resume_from, Checkpoint):
        return resume_from
    return load_checkpoint(resume_from) if resume_from else None


def _check_resumable(resume: Checkpoint, config: TrainConfig, restarted: bool = False) -> None:
    same = ("arch", "arch_options", "dataset", "dataset_options", "optimizer", "schedule", "optimizers")  # must fit
    differs = [k for k in same if getattr(resume.config, k) != getattr(config, k)]
    if differs:
        raise CheckpointError(f"cannot resume: the checkpoint was trained with a different {', '.join(differs)}; "
                              "use the checkpoint's config.toml, or start a new run")
    if resume.epoch >= config.epochs and not restarted:  # a restart after the last epoch just ends
        raise CheckpointError(f"the checkpoint has already done {resume.epoch} of {config.epochs} epochs; "
                              "raise --epochs to train further")


_KINDS = ((ConfigError, "config"), (DatasetError, "dataset"), (IncompatibleError, "incompatible"),
          (CheckpointError, "checkpoint"), (TrainingFault, "nan"))


def _failure(e: Exception, config: TrainConfig, metrics: list[EpochMetrics], run_id: str,
             ranks: Ranks = SINGLE) -> RunFailed:
    failed = _failure_of_rank(e, config, tuple(metrics), run_id, ranks)
    if ranks.distributed:  # every rank says it: the message shows which one
        failed = replace(failed, message=f"rank {ranks.rank} of {ranks.world_size}: {failed.message}")
    return failed


def _failure_of_rank(e: Exception, config: TrainConfig, done: tuple[EpochMetrics, ...], run_id: str,
                     ranks: Ranks) -> RunFailed:
    if (lost := ranks.lost_contact(e)) is not None:
        return RunFailed(lost, "ranks", done, run_id=run_id)
    if isinstance(e, torch.OutOfMemoryError) or "out of memory" in str(e).lower():
        smaller = max(1, config.batch_size // 2)
        return RunFailed(f"out of memory with batch size {config.batch_size} (device {config.device}); "
                         f"lower the batch size (try {smaller}) or choose a smaller model", "oom", done,
                         run_id=run_id)
    for cls, kind in _KINDS:
        if isinstance(e, cls):
            return RunFailed(str(e), kind, done, run_id=run_id)
    if isinstance(e, PlaygroundError):
        return RunFailed(str(e), "error", done, run_id=run_id)
    log.exception("internal error during a run")
    return RunFailed(f"internal error: {type(e).__name__}: {e}. This is a bug in playground; "
                     "please report it with the details", "internal", done, traceback.format_exc(), run_id)


def _release_gpu_memory() -> None:
    """Give the failed run's GPU memory back, so that the next run (a smaller batch) finds it free."""
    if torch.cuda.is_initialized():  # CUDA was used here, so its cache holds the failed run's blocks
        gc.collect()  # tensors held in reference cycles go first
        torch.cuda.empty_cache()
