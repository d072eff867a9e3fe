"""`playground train`: a run with a progress bar on stderr, recorded in the run store and its run folder."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from playground.cli_signals import Interrupted, stop_on_signals
from playground.core.config import TrainConfig
from playground.core.errors import PlaygroundError
from playground.core.kinds import kind_for, kind_of
from playground.core.recorded import Recording, recorded_fit
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
        print(f"Training {e.config['arch']} on {e.config['dataset']} ({e.train_size:,} {e.unit}, "
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
        where = f" at step {e.step}" if e.step else ""  # step 0: about the data, told as the run starts
        print(f"playground: warning{where}: {e.message}", file=sys.stderr, flush=True)

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
    if not ranks.is_zero:  # rank 0 alone records the run and writes its folder
        return _train_quietly(config, ranks)
    recording = Recording(args.out, _resume_target(args, ranks), name=args.name, tensorboard=_tensorboard_root(args))
    started, runs = time.perf_counter(), []
    control = RunControl()  # a STOP file in the folder (playground.core.run_follow.request_stop) stops it too
    try:
        with stop_on_signals(control) as signals:  # Ctrl+C and SIGTERM: stop at the next step, save it
            recorded = recorded_fit(config, [signals, ProgressBar(enabled=not args.quiet)], control, recording,
                                    ranks=ranks, started=runs.append)
    except Interrupted as e:
        if not runs:
            raise
        return _left_at_once(e, runs[0].folder, runs[0].checkpoint_path)
    result, run = recorded.result, recorded.run
    if result.status == "interrupted" and signals.exit_status is not None:
        return _interrupted(result, run.folder, run.checkpoint_path, signals.exit_status)
    return _finished(args, config, result, run, started)


def _finished(args: argparse.Namespace, config: TrainConfig, result, run, started: float) -> int:
    if result.status == "failed":
        kept = f" (the {len(result.metrics)} finished epoch(s) are in {run.folder})" if result.metrics else ""
        raise PlaygroundError(result.message + kept)
    if args.no_optimizer_state and result.checkpoint is not None:
        _slim(run.checkpoint_path)
    print(f"Run folder: {run.folder}", file=sys.stderr)
    print(f"Run {run.record.name} (id {run.id}, {result.status}): playground runs show {run.id}", file=sys.stderr)
    epochs = result.checkpoint.epoch if result.checkpoint else 0
    last = result.metrics[-1].values if result.metrics else {}
    # the kind the run trained (a table's target decides its task), the last line, which scripts parse
    kind = kind_of(result.checkpoint.spec) if result.checkpoint else kind_for(config.arch, config.dataset)
    figure = kind.final_figure(last)
    print(f"{figure} epochs={epochs} seconds={time.perf_counter() - started:.1f}")
    return 0


def _train_quietly(config: TrainConfig, ranks: Ranks) -> int:
    """A rank other than 0: trains its shard and writes nothing (rank 0 shares the checkpoint it resumes)."""
    control = RunControl()
    with stop_on_signals(control) as signals:  # torchrun passes Ctrl+C on to every rank
        result = Trainer().fit(config, CallbackList([signals]), control, ranks=ranks)
    if result.status == "failed":
        raise PlaygroundError(result.message)
    return signals.exit_status if result.status == "interrupted" and signals.exit_status else 0


def _resume_target(args: argparse.Namespace, ranks: Ranks) -> str | None:
    """--resume; but a run that torchrun restarted goes on from the checkpoint in its own folder, if it has one."""
    if ranks.restart_count > 0 and args.out and (Path(args.out) / "model.pt").is_file():
        return str(Path(args.out) / "model.pt")
    return args.resume


def _tensorboard_root(args: argparse.Namespace) -> Path | None:
    if not args.tensorboard:
        return None
    from playground.core.tensorboard import require_tensorboard

    require_tensorboard()
    return Path(args.tensorboard)


def _interrupted(result, folder: Path, checkpoint: Path, status: int) -> int:
    """A signal stopped the run at a step: say where it is and how to go on from there."""
    ckpt = result.checkpoint
    where = f"after {ckpt.epoch} full epoch(s), at step {ckpt.step}" if ckpt is not None else "before training"
    print(f"playground: interrupted {where}; model.pt holds that step: go on with "
          f"playground train --resume {checkpoint}", file=sys.stderr)
    print(f"Run folder: {folder}", file=sys.stderr)
    return status


def _left_at_once(e: Interrupted, folder: Path, checkpoint: Path) -> int:
    """A second signal (or one before training began) ended the run before it could save its last step."""
    saved = "its model.pt is the last checkpoint saved, intact" if checkpoint.is_file() else \
        "no checkpoint was saved yet"
    print(f"playground: stopped at once by {e}; {saved}", file=sys.stderr)
    print(f"Run folder: {folder}", file=sys.stderr)
    return e.exit_status


def _slim(path: Path) -> None:
    from playground.core.checkpoint import load_checkpoint, save_checkpoint

    ckpt = load_checkpoint(path)
    ckpt.optimizer_states = None
    save_checkpoint(path, ckpt)
