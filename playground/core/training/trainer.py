"""The Trainer: one loop for the CLI, the benchmark and the app, reporting through callbacks.

It knows nothing of Qt. It checks a RunControl at every batch boundary, keeps losses on the device
and reads them a few times per second, and ends every run with on_finished or on_failed.
"""

from __future__ import annotations

import logging
import math
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import torch

from playground.core.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from playground.core.config import TrainConfig, check
from playground.core.data.registry import load_dataset
from playground.core.errors import (
    CheckpointError,
    ConfigError,
    DatasetError,
    IncompatibleError,
    PlaygroundError,
    TrainingFault,
)
from playground.core.training.callbacks import Callback
from playground.core.training.control import RunControl
from playground.core.training.evaluate import evaluate
from playground.core.training.events import (
    EpochMetrics,
    LoadProgress,
    RunFailed,
    RunFinished,
    RunStarted,
    StepEvent,
    WeightsSnapshot,
)
from playground.core.training.prepared import PreparedRun, prepare
from playground.core.training.setup import configure_threads, resolve_device

log = logging.getLogger(__name__)
REPORT_EVERY_S = 0.1  # how often losses are read from the device and reported


@dataclass
class RunResult:
    status: str  # "completed", "stopped" or "failed"
    metrics: list[EpochMetrics] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""
    checkpoint: Checkpoint | None = None  # the final state (not for failed runs)


class Trainer:
    def __init__(self, report_every_s: float = REPORT_EVERY_S):
        self.report_every_s = report_every_s

    def fit(self, config: TrainConfig, callback: Callback | None = None, control: RunControl | None = None,
            checkpoint_path: str | Path | None = None, resume_from: str | Path | None = None) -> RunResult:
        """Train as the config says; never raises for user errors or faults, reports them as on_failed."""
        cb = callback or Callback()
        control = control or RunControl()
        started = time.perf_counter()
        metrics: list[EpochMetrics] = []
        try:
            run, resume = self._prepare(config, cb, resume_from)
            result = self._train(run, resume, cb, control, metrics, started, checkpoint_path)
        except Exception as e:  # every failure ends in on_failed; nothing measured is lost
            failed = _failure(e, config, metrics)
            cb.on_failed(failed)
            return RunResult("failed", metrics, time.perf_counter() - started, failed.message)
        return result

    def _prepare(self, config: TrainConfig, cb: Callback,
                 resume_from: str | Path | None) -> tuple[PreparedRun, Checkpoint | None]:
        check(config)
        device = resolve_device(config.device)
        threads = configure_threads(config.threads, device)
        data = load_dataset(config.dataset, config.dataset_options, config.data_dir or None, config.seed,
                            lambda m, d, t: cb.on_load_progress(LoadProgress(m, d, t)))
        data = data.with_validation(config.val_fraction, config.seed)
        resume = load_checkpoint(resume_from) if resume_from else None
        if resume is not None:
            _check_resumable(resume, config)
        run = prepare(config, data, device, resume)
        run.threads = threads
        return run, resume

    def _train(self, run: PreparedRun, resume: Checkpoint | None, cb: Callback, control: RunControl,
               metrics: list[EpochMetrics], started: float, checkpoint_path: str | Path | None) -> RunResult:
        config, data = run.config, run.data
        start_epoch = resume.epoch if resume else 0
        cb.on_start(RunStarted(
            config.to_dict(), str(run.device), sum(p.numel() for p in run.model.parameters()),
            len(data.train_x), len(data.test_x), run.steps_per_epoch, run.total_steps, start_epoch,
            data.input_shape, data.class_names, data.task))
        history = list(resume.metrics) if resume else []
        epoch = start_epoch
        reason = "completed"
        for epoch in range(start_epoch + 1, config.epochs + 1):
            epoch_metrics = _EpochLoop(run, epoch, cb, control, self.report_every_s, started).train()
            if epoch_metrics is None:  # stopped mid-epoch
                reason, epoch = "stopped", epoch - 1
                break
            metrics.append(epoch_metrics)
            history.append(epoch_metrics.to_dict())
            cb.on_epoch_end(epoch_metrics)
            if checkpoint_path:
                save_checkpoint(checkpoint_path, run.checkpoint(epoch, history))
            if control.stop_requested:
                reason = "stopped" if epoch < config.epochs else "completed"
                break
        final = run.checkpoint(epoch, history)
        if checkpoint_path and reason == "stopped":
            save_checkpoint(checkpoint_path, final)
        seconds = time.perf_counter() - started
        cb.on_finished(RunFinished(reason, epoch, seconds, tuple(metrics)))
        return RunResult(reason, metrics, seconds, checkpoint=final)


class _EpochLoop:
    """One pass over the training split; returns None when a stop was requested mid-epoch."""

    def __init__(self, run: PreparedRun, epoch: int, cb: Callback, control: RunControl,
                 report_every_s: float, run_started: float):
        self.run, self.epoch, self.cb, self.control = run, epoch, cb, control
        self.report_every_s, self.run_started = report_every_s, run_started

    def train(self) -> EpochMetrics | None:
        run = self.run
        bs, n_steps = run.config.batch_size, run.steps_per_epoch
        first_step = (self.epoch - 1) * n_steps
        # each epoch's order (and augmentation) follows from the seed and the epoch alone, so that a resumed
        # run repeats the uninterrupted one
        run.generator.manual_seed(run.config.seed + self.epoch - 1)
        perm = torch.randperm(len(run.train_x), device=run.device, generator=run.generator)
        run.model.train()
        pending: list[torch.Tensor] = []
        loss_sum = torch.zeros((), device=run.device)
        correct_sum = torch.zeros((), device=run.device, dtype=torch.long)
        t0 = last_report = time.perf_counter()
        for i in range(n_steps):
            if self.control.paused:
                self.control.wait_while_paused()
            if self.control.stop_requested:
                self._report(pending, first_step + i, t0, i)
                return None
            loss, correct = run.step(perm[i * bs:(i + 1) * bs])
            pending.append(loss)
            if correct is not None:
                correct_sum += correct
            if self.control.take_weights_request():
                self._publish_weights(first_step + i + 1)
            now = time.perf_counter()
            if now - last_report >= self.report_every_s:
                loss_sum += self._report(pending, first_step + i + 1, t0, i + 1)
                pending, last_report = [], now
        loss_sum += self._report(pending, first_step + n_steps, t0, n_steps)
        train_seconds = time.perf_counter() - t0
        return self._metrics(loss_sum.item() / n_steps, correct_sum.item() / (n_steps * run.samples_per_step),
                             train_seconds)

    def _report(self, pending: list[torch.Tensor], step: int, t0: float, done_in_epoch: int) -> torch.Tensor:
        """Read the pending losses in one go, check them, and report them; returns their sum (on the device)."""
        if not pending:
            return torch.zeros((), device=self.run.device)
        stacked = torch.stack(pending)
        losses = stacked.tolist()
        self.run.threads.poll()  # the cores free now, not at the start, decide how many threads train
        if not all(math.isfinite(v) for v in losses):
            raise TrainingFault(
                f"the loss became {losses[-1]} at step {step}: training diverged. Lower the learning rate "
                f"(now {self.run.config.lr:g}), add a schedule, or use batch normalisation")
        elapsed = time.perf_counter() - t0
        rate = done_in_epoch * self.run.samples_per_step / max(elapsed, 1e-9)
        remaining_steps = self.run.total_steps - step
        remaining = remaining_steps * self.run.samples_per_step / max(rate, 1e-9)
        self.cb.on_step(StepEvent(self.epoch, step, self.run.total_steps, tuple(losses), self.run.lr, rate,
                                  time.perf_counter() - self.run_started, remaining))
        return stacked.sum()

    def _publish_weights(self, step: int) -> None:
        run = self.run
        self.cb.on_weights(WeightsSnapshot(
            run.config.arch, dict(run.config.arch_options), run.data.input_shape, run.data.num_classes,
            run.weights_copy(), run.data.mean, run.data.std, run.data.class_names, step))

    def _metrics(self, train_loss: float, train_acc: float, seconds: float) -> EpochMetrics:
        run, data = self.run, self.run.data
        bs = max(run.config.eval_batch_size, run.config.batch_size)
        test_loss, test_acc = evaluate(run.model, *run.test, data.task, bs, run.amp_dtype)
        val_loss = val_acc = None
        if run.val is not None:
            val_loss, val_acc = evaluate(run.model, *run.val, data.task, bs, run.amp_dtype)
        is_cls = data.task == "classification"
        return EpochMetrics(self.epoch, train_loss, train_acc if is_cls else None, test_loss, test_acc, run.lr,
                            seconds, run.steps_per_epoch * run.samples_per_step / max(seconds, 1e-9),
                            val_loss, val_acc)


def _check_resumable(resume: Checkpoint, config: TrainConfig) -> None:
    same = ("arch", "arch_options", "dataset", "dataset_options", "optimizer", "schedule")  # states must fit
    differs = [k for k in same if getattr(resume.config, k) != getattr(config, k)]
    if differs:
        raise CheckpointError(f"cannot resume: the checkpoint was trained with a different {', '.join(differs)}; "
                              "use the checkpoint's config.toml, or start a new run")
    if resume.epoch >= config.epochs:
        raise CheckpointError(f"the checkpoint has already done {resume.epoch} of {config.epochs} epochs; "
                              "raise --epochs to train further")


_KINDS = ((ConfigError, "config"), (DatasetError, "dataset"), (IncompatibleError, "incompatible"),
          (CheckpointError, "checkpoint"), (TrainingFault, "nan"))


def _failure(e: Exception, config: TrainConfig, metrics: list[EpochMetrics]) -> RunFailed:
    if isinstance(e, torch.OutOfMemoryError) or "out of memory" in str(e).lower():
        return RunFailed(f"out of memory on {config.device} with batch size {config.batch_size}; "
                         "lower the batch size or choose a smaller model", "oom", tuple(metrics))
    for cls, kind in _KINDS:
        if isinstance(e, cls):
            return RunFailed(str(e), kind, tuple(metrics))
    if isinstance(e, PlaygroundError):
        return RunFailed(str(e), "error", tuple(metrics))
    log.exception("internal error during a run")
    return RunFailed(f"internal error: {type(e).__name__}: {e}. This is a bug in playground; "
                     "please report it with the details", "internal", tuple(metrics), traceback.format_exc())
