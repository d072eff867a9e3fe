"""TensorBoard event files, read back with tensorboard's own reader: scalars per step and per epoch, the
hyperparameters, sample grids; without the package, a message that says what to install."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from playground.core.config import TrainConfig
from playground.core.errors import PlaygroundError
from playground.core.tensorboard import TensorBoardWriter
from playground.core.training.callbacks import Callback, CallbackList
from playground.core.training.events import SamplesEvent
from playground.core.training.trainer import Trainer


def _read(folder):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(folder), size_guidance={"scalars": 0, "images": 0})
    events.Reload()
    return events


def test_a_run_writes_its_scalars_hyperparameters_and_samples(tmp_path):
    config = TrainConfig(arch="mlp", arch_options={"hidden": [8]}, dataset="spiral", dataset_options={"samples": 120},
                         batch_size=30, epochs=2, lr=0.01, device="cpu", threads=1)
    writer = TensorBoardWriter(tmp_path / "tb")

    class Samples(Callback):
        """The sample grid a generative run reports at each epoch's end."""

        def on_epoch_end(self, event):
            writer.on_samples(SamplesEvent(event.epoch, np.full((4, 28, 28), 200, np.uint8)))

    result = Trainer(report_every_s=0).fit(config, CallbackList([writer, Samples()]))
    assert result.status == "completed"
    events = _read(tmp_path / "tb")
    tags = events.Tags()
    assert [e.step for e in events.Scalars("step/loss")] == list(range(1, 7))  # every step of 2 epochs of 3
    assert [e.step for e in events.Scalars("step/lr")][-1] == 6
    accuracy = [(e.step, e.value) for e in events.Scalars("epoch/test_accuracy")]
    assert accuracy == [(m.epoch, pytest.approx(m.test_accuracy)) for m in result.metrics]
    assert {"epoch/train_loss", "epoch/test_loss", "hparam/test_accuracy"} <= set(tags["scalars"])
    assert [e.step for e in events.Images("samples")] == [1, 2]
    plugins = events.PluginTagToContent("hparams")
    assert {"_hparams_/experiment", "_hparams_/session_start_info"} <= set(plugins)
    assert b"batch_size" in plugins["_hparams_/session_start_info"]


def test_without_tensorboard_the_message_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)
    with pytest.raises(PlaygroundError, match=r"tensorboard package; pip install 'playground\[tensorboard\]'"):
        TensorBoardWriter(tmp_path)
