"""`playground train`: a run with a progress bar on stderr, written to a run folder."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from playground.cli_signals import Interrupted, stop_on_signals
from playground.core.config import TrainConfig
from playground.core.errors import PlaygroundError
from playground.core.run_dir import MODEL_FILE, MetricsWriter, SampleWriter, default_run_dir, start_run_dir
from playground.core.training.callbacks import Callback, CallbackList
from playground.core.training.control import RunControl
from playground.core.training.events import EpochMetrics, LoadProgress, RunFailed, RunNotice, RunStarted, StepEvent
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
              f"{e.num_params:,} parameters) on {e.device}", file=sys.stderr)

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
        print(f"epoch {e.epoch}/{self.epochs} {values} seconds={e.seconds:.1f} samples_per_s={e.samples_per_s:.0f}",
              flush=True)

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
    # a resumed run goes on in its own folder, so that metrics.jsonl holds every epoch
    default = Path(args.resume).parent if args.resume else default_run_dir(config)
    folder = _start_folder(args.out or default, config, resuming=bool(args.resume))
    started = time.perf_counter()
    callbacks = [ProgressBar(enabled=not args.quiet), MetricsWriter(folder), SampleWriter(folder)]
    control = RunControl()
    try:
        with stop_on_signals(control) as signals:  # Ctrl+C and SIGTERM: stop at the next step, save it
            result = Trainer().fit(config, CallbackList([signals, *callbacks]), control,
                                   checkpoint_path=folder / MODEL_FILE, resume_from=args.resume)
    except Interrupted as e:
        return _left_at_once(e, folder)
    if result.status == "interrupted" and signals.exit_status is not None:
        return _interrupted(result, folder, signals.exit_status)
    if result.status == "failed":
        kept = f" (the {len(result.metrics)} finished epoch(s) are in {folder})" if result.metrics else ""
        raise PlaygroundError(result.message + kept)
    if args.no_optimizer_state and result.checkpoint is not None:
        _slim(folder / MODEL_FILE)
    print(f"Run folder: {folder}", file=sys.stderr)
    epochs = result.checkpoint.epoch if result.checkpoint else 0
    print(f"{_final_figure(result)} epochs={epochs} seconds={time.perf_counter() - started:.1f}")
    return 0


def _interrupted(result, folder: Path, status: int) -> int:
    """A signal stopped the run at a step: say where it is and how to go on from there."""
    ckpt = result.checkpoint
    where = f"after {ckpt.epoch} full epoch(s), at step {ckpt.step}" if ckpt is not None else "before training"
    print(f"playground: interrupted {where}; model.pt holds that step: go on with "
          f"playground train --resume {folder / MODEL_FILE}", file=sys.stderr)
    print(f"Run folder: {folder}", file=sys.stderr)
    return status


def _left_at_once(e: Interrupted, folder: Path) -> int:
    """A second signal (or one before training began) ended the run before it could save its last step."""
    saved = "its model.pt is the last checkpoint saved, intact" if (folder / MODEL_FILE).is_file() else \
        "no checkpoint was saved yet"
    print(f"playground: stopped at once by {e}; {saved}", file=sys.stderr)
    print(f"Run folder: {folder}", file=sys.stderr)
    return e.exit_status


def _final_figure(result) -> str:
    """test_accuracy for a classifier, else test_loss where the task has one (the last line scripts parse)."""
    last = result.metrics[-1] if result.metrics else None
    if last is None or last.test_accuracy is not None or last.test_loss is None:
        accuracy = last.test_accuracy if last is not None and last.test_accuracy is not None else float("nan")
        return f"test_accuracy={accuracy:.4f}"
    return f"test_loss={last.test_loss:.4f}"


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
