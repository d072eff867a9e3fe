"""`playground train`: a run with a progress bar on stderr, written to a run folder."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from playground.core.config import TrainConfig
from playground.core.errors import PlaygroundError
from playground.core.run_dir import MODEL_FILE, MetricsWriter, SampleWriter, default_run_dir, start_run_dir
from playground.core.run_follow import StopFileWatch
from playground.core.training.callbacks import Callback, CallbackList
from playground.core.training.control import RunControl
from playground.core.training.events import EpochMetrics, LoadProgress, RunFailed, RunNotice, RunStarted, StepEvent
from playground.core.training.ranks import Ranks, join_ranks
from playground.core.training.trainer import Trainer


class ProgressBar(Callback):
    """One line on stderr, redrawn at most 10 times per second; one line per epoch on stdout."""

    def __init__(self, stream=None, enabled: bool = True):
        stream = stream or sys.stderr  # looked up now, not at import: tests and the app replace sys.stderr
        self.stream, self.enabled = stream, enabled and stream.isatty()
        self.last_loss = float("nan")
        self.epochs = 0

    def on_load_progress(self, e: LoadProgress) -> None:
        if self.enabled:
            amount = f" {e.done / e.total:.0%}" if e.total else ""
            self._draw(f"{e.message}{amount}")

    def on_start(self, e: RunStarted) -> None:
        self.epochs = e.config["epochs"]
        print(f"Training {e.config['arch']} on {e.config['dataset']} ({e.train_size} samples, "
              f"{e.num_params:,} parameters) on {e.device}"
              + (f", from epoch {e.start_epoch + 1}" if e.start_epoch else ""), file=sys.stderr)
        if (s := e.scale).world_size > 1:
            print(f"{s.world_size} ranks ({s.backend}): batch {s.batch_size} per rank, {s.effective_batch_size} "
                  f"in all; learning rate x{s.lr_factor:g} (lr_scaling {s.lr_scaling})", file=sys.stderr)

    def on_step(self, e: StepEvent) -> None:
        self.last_loss = e.main_losses[-1]
        if self.enabled:
            width = 24
            filled = int(width * e.step / max(1, e.total_steps))
            losses = " ".join(f"{name} {values[-1]:.4f}" for name, values in e.losses.items())
            self._draw(f"epoch {e.epoch}/{self.epochs} [{'#' * filled}{'.' * (width - filled)}] "
                       f"step {e.step}/{e.total_steps} {losses} "
                       f"{e.samples_per_s:,.0f} samples/s, {_clock(e.remaining_s)} left")

    def on_epoch_end(self, e: EpochMetrics) -> None:
        if self.enabled:
            self._draw("")
        values = " ".join(f"{k}={v:.4f}" for k, v in e.values.items() if v is not None)
        per_rank = f" samples_per_s_per_rank={e.samples_per_s_per_rank:.0f}" if e.world_size > 1 else ""
        print(f"epoch {e.epoch}/{self.epochs} {values} seconds={e.seconds:.1f} samples_per_s={e.samples_per_s:.0f}"
              + per_rank, flush=True)

    def on_notice(self, e: RunNotice) -> None:
        if self.enabled:
            self._draw("")
        print(f"playground: warning at step {e.step}: {e.message}", file=sys.stderr, flush=True)

    def on_failed(self, e: RunFailed) -> None:
        if self.enabled:
            self._draw("")

    def _draw(self, text: str) -> None:
        columns = shutil.get_terminal_size((100, 20)).columns - 1
        self.stream.write("\r" + text[:columns].ljust(columns) + ("\r" if not text else ""))
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def run_train(args: argparse.Namespace, config: TrainConfig) -> int:
    with join_ranks(config.device) as ranks:  # torchrun's process group for the run, or this process alone
        return _train(args, config, ranks)


def _train(args: argparse.Namespace, config: TrainConfig, ranks: Ranks) -> int:
    if ranks.max_restarts > 0 and not (args.out or args.resume):
        raise PlaygroundError("torchrun --max-restarts needs --out RUN_DIR, where a restarted run finds its last "
                              "checkpoint; give one")
    # a resumed run goes on in its own folder, so that metrics.jsonl holds every epoch; rank 0 alone writes it
    default = Path(args.resume).parent if args.resume else default_run_dir(config)
    folder = Path(args.out or default)
    if ranks.is_zero:  # a run that torchrun restarted goes on in its folder too
        folder = _start_folder(folder, config, resuming=bool(args.resume) or ranks.restart_count > 0)
    started = time.perf_counter()
    control = RunControl()  # a STOP file in the folder (playground.core.run_follow.request_stop) stops it
    callbacks = [ProgressBar(enabled=not args.quiet), MetricsWriter(folder), SampleWriter(folder),
                 StopFileWatch(folder, control)]
    result = Trainer().fit(config, CallbackList(callbacks), control,
                           checkpoint_path=folder / MODEL_FILE, resume_from=args.resume, ranks=ranks)
    if result.status == "failed":
        kept = f" (the {len(result.metrics)} finished epoch(s) are in {folder})" if result.metrics else ""
        raise PlaygroundError(result.message + (kept if ranks.is_zero else ""))
    if not ranks.is_zero:
        return 0
    if args.no_optimizer_state and result.checkpoint is not None:
        _slim(folder / MODEL_FILE)
    print(f"Run folder: {folder}", file=sys.stderr)
    epochs = result.checkpoint.epoch if result.checkpoint else 0
    print(f"{_final_figure(result)} epochs={epochs} seconds={time.perf_counter() - started:.1f}")
    return 0


def _final_figure(result) -> str:
    """test_accuracy for a classifier, else test_loss where the task has one (the last line scripts parse)."""
    last = result.metrics[-1] if result.metrics else None
    if last is not None and last.test_accuracy is None and last.test_loss is not None:
        return f"test_loss={last.test_loss:.4f}"
    if last is not None and last.get("test_d_real") is not None:  # a GAN: how sure its discriminator is
        return f"test_d_real={last.get('test_d_real'):.4f} test_d_fake={last.get('test_d_fake'):.4f}"
    accuracy = last.test_accuracy if last is not None and last.test_accuracy is not None else float("nan")
    return f"test_accuracy={accuracy:.4f}"


def _start_folder(path: str | Path, config: TrainConfig, resuming: bool) -> Path:
    try:
        return start_run_dir(path, config, resuming)
    except OSError as e:  # a file in the way, no permission, a full disk
        raise PlaygroundError(f"cannot write the run folder {path}: {e.strerror or e}; choose another --out") from None


def _slim(path: Path) -> None:
    from playground.core.checkpoint import load_checkpoint, save_checkpoint

    ckpt = load_checkpoint(path)
    ckpt.optimizer_states = None
    save_checkpoint(path, ckpt)
