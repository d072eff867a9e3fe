"""TensorBoard event files of a run, for people who compare runs there: `tensorboard --logdir DIR`.

Scalars per step (each loss, each learning rate) and per epoch (every metric), the run's hyperparameters with
its final figures, and the sample grids of generative runs. Needs the optional `tensorboard` package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playground.core.errors import PlaygroundError
from playground.core.training.callbacks import Callback
from playground.core.training.events import (
    EpochMetrics,
    RunFailed,
    RunFinished,
    RunStarted,
    SamplesEvent,
    StepEvent,
)

INSTALL_HINT = "pip install 'playground[tensorboard]'"
# hyperparameters TensorBoard's HParams view compares (it takes numbers, strings and booleans only)
HPARAMS = ("arch", "dataset", "epochs", "batch_size", "lr", "optimizer", "schedule", "weight_decay", "momentum",
           "seed", "augment", "label_smoothing")


def require_tensorboard() -> None:
    """Raise a PlaygroundError naming the package to install when TensorBoard's writer cannot load."""
    try:
        from torch.utils.tensorboard import SummaryWriter  # noqa: F401 - this import needs the tensorboard package
    except ImportError:
        raise PlaygroundError(f"writing TensorBoard files needs the tensorboard package; {INSTALL_HINT}, "
                              "or leave out --tensorboard") from None


class TensorBoardWriter(Callback):
    """Event files of one run in `log_dir` (give each run its own folder under one TensorBoard log dir)."""

    def __init__(self, log_dir: str | Path):
        require_tensorboard()
        from torch.utils.tensorboard import SummaryWriter

        try:
            self.writer = SummaryWriter(log_dir=str(log_dir))
        except OSError as e:
            raise PlaygroundError(f"cannot write TensorBoard files into {log_dir}: {e.strerror or e}; "
                                  "choose another --tensorboard folder") from None
        self.hparams: dict[str, Any] = {}
        self.last: EpochMetrics | None = None

    def on_start(self, event: RunStarted) -> None:
        config = event.config
        self.hparams = {k: config[k] for k in HPARAMS if isinstance(config.get(k), (int, float, str, bool))}
        self.hparams["kind"] = event.task

    def on_step(self, event: StepEvent) -> None:
        first = event.step - event.count + 1  # the event holds every step since the previous one
        for name, values in event.losses.items():
            for i, value in enumerate(values):
                self.writer.add_scalar(f"step/{name}", value, first + i)
        for name, lr in event.lrs.items():
            self.writer.add_scalar(f"step/{name}", lr, event.step)

    def on_epoch_end(self, event: EpochMetrics) -> None:
        self.last = event
        for name, value in event.values.items():
            if value is not None:
                self.writer.add_scalar(f"epoch/{name}", value, event.epoch)
        self.writer.add_scalar("epoch/samples_per_s", event.samples_per_s, event.epoch)
        self.writer.flush()

    def on_samples(self, event: SamplesEvent) -> None:
        if event.text:  # a language model's writing: TensorBoard's Text tab (markdown: keep the line breaks)
            self.writer.add_text("samples", "    " + event.text.replace("\n", "\n    "), event.epoch)
            return
        from playground.core.images import grid

        self.writer.add_image("samples", grid(event.images), event.epoch, dataformats="HW")

    def on_finished(self, event: RunFinished) -> None:
        self._close(event.reason)

    def on_failed(self, event: RunFailed) -> None:
        self._close("failed")

    def _close(self, status: str) -> None:
        """The hyperparameters with the final figures, as TensorBoard's HParams view reads them."""
        from torch.utils.tensorboard.summary import hparams

        final = {f"hparam/{k}": v for k, v in (self.last.values if self.last else {}).items() if v is not None}
        experiment, start, end = hparams({**self.hparams, "status": status}, final)
        for summary in (experiment, start, end):
            self.writer.file_writer.add_summary(summary)
        for name, value in final.items():  # the HParams view reads the metrics from scalars of these tags
            self.writer.add_scalar(name, value, self.last.epoch if self.last else 0)
        self.writer.close()
