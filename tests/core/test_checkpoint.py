"""Checkpoints: a round-trip that rebuilds the same model, atomic writes, refused bad files, and resume."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
import torch

from playground.core.checkpoint import FORMAT_VERSION, Checkpoint, load_checkpoint, save_checkpoint
from playground.core.config import TrainConfig
from playground.core.errors import CheckpointError, PlaygroundError
from playground.core.models.spec import ModelSpec
from playground.core.training.trainer import Trainer


def tiny(**changes) -> TrainConfig:
    base = TrainConfig(arch="mlp", arch_options={"hidden": [16]}, dataset="spiral",
                       dataset_options={"samples": 400}, batch_size=32, epochs=2, lr=0.01, device="cpu")
    return base.replace(**changes)


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, Checkpoint]:
    """A two-epoch run's model.pt and the checkpoint the run returned."""
    path = tmp_path_factory.mktemp("run") / "model.pt"
    result = Trainer().fit(tiny(dataset="blobs", val_fraction=0.1), checkpoint_path=path)
    assert result.status == "completed", result.message
    return path, result.checkpoint


# --- round-trip ---------------------------------------------------------------------------------------


def test_round_trip_rebuilds_the_same_model(trained):
    path, original = trained
    loaded = load_checkpoint(path)
    assert loaded.config == original.config and loaded.epoch == 2
    spec = loaded.spec
    assert spec.input_shape == (2,) and spec.num_outputs == 3 and spec.task == "classification"
    assert spec.class_names == ("0", "1", "2") and spec == original.spec
    assert [m["epoch"] for m in loaded.metrics] == [1, 2] and loaded.metrics == original.metrics
    assert loaded.optimizer_states["model"]["optimizer"]["state"]
    x = torch.randn(50, 2)
    model = loaded.build_model()
    assert not model.training
    with torch.no_grad():
        assert torch.equal(model(x), original.build_model()(x))


@pytest.mark.parametrize("arch", ["seed-cnn", "resnet-small", "lenet5"])
def test_round_trip_of_image_models_keeps_normalisation_and_buffers(tmp_path, arch):
    from playground.core.models.registry import build_model

    model = build_model(arch, (1, 16, 16), 4)
    with torch.no_grad():  # batch norm's running statistics must survive too
        for buffer in model.buffers():
            if buffer.is_floating_point():
                buffer.add_(0.5)
    spec = ModelSpec(arch, {}, (1, 16, 16), 4, ("a", "b", "c", "d"), (0.5,), (0.25,))
    ckpt = Checkpoint(TrainConfig(arch=arch, dataset="image-folder"), spec, {"model": model.state_dict()}, epoch=1)
    save_checkpoint(tmp_path / "m.pt", ckpt)
    loaded = load_checkpoint(tmp_path / "m.pt")
    assert loaded.spec.mean == (0.5,) and loaded.spec.std == (0.25,)
    x = torch.randn(3, 1, 16, 16)
    with torch.no_grad():
        assert torch.equal(loaded.build_model()(x), model.eval()(x))


def test_weights_that_do_not_fit_the_architecture_are_refused(trained, tmp_path):
    _, original = trained
    config = original.config.replace(arch_options={"hidden": [32]})
    spec = ModelSpec("mlp", {"hidden": [32]}, (2,), 3)
    wrong = Checkpoint(config, spec, original.model_states)
    save_checkpoint(tmp_path / "m.pt", wrong)
    with pytest.raises(CheckpointError, match="do not fit mlp"):
        load_checkpoint(tmp_path / "m.pt").build_model()


def test_format_1_checkpoints_still_open(trained, tmp_path):
    """The format before the task seam (one model, one optimizer), as the bundled model is written."""
    _, original = trained
    opt = original.optimizer_states["model"]
    old = {"format_version": 1, "config": original.config.to_dict(), "state_dict": original.state_dict,
           "input_shape": [2], "num_outputs": 3, "epoch": 2, "metrics": original.metrics,
           "class_names": ["0", "1", "2"], "mean": [], "std": [], "task": "classification",
           "optimizer_state": opt["optimizer"], "schedule_state": opt["schedule"]}
    torch.save(old, tmp_path / "old.pt")
    loaded = load_checkpoint(tmp_path / "old.pt")
    assert loaded.spec == original.spec and loaded.epoch == 2
    assert loaded.optimizer_states["model"]["optimizer"]["state"]
    x = torch.randn(20, 2)
    with torch.no_grad():
        assert torch.equal(loaded.build_model()(x), original.build_model()(x))
    assert Trainer().fit(tiny(dataset="blobs", val_fraction=0.1, epochs=3), resume_from=tmp_path / "old.pt").status \
        == "completed"


def test_a_format_1_file_written_by_the_code_before_the_task_seam_opens_and_resumes(tmp_path):
    """tests/core/data/format1-mlp-blobs.pt was written by the Trainer of the commit before the seam."""
    path = Path(__file__).parent / "data" / "format1-mlp-blobs.pt"
    ckpt = load_checkpoint(path)
    assert ckpt.spec.arch == "mlp" and ckpt.spec.input_shape == (2,) and ckpt.epoch == 2
    assert ckpt.optimizer_states["model"]["optimizer"]["state"]
    assert ckpt.build_model()(torch.zeros(3, 2)).shape == (3, 3)
    config = ckpt.config.replace(epochs=3)
    assert Trainer().fit(config, resume_from=path, checkpoint_path=tmp_path / "m.pt").status == "completed"


def test_the_bundled_model_opens():
    from playground.core.inference.bundled import bundled_model_path

    ckpt = load_checkpoint(bundled_model_path())
    assert ckpt.spec.arch == "seed-cnn" and ckpt.spec.input_shape == (1, 28, 28) and ckpt.spec.labels()[7] == "7"
    assert ckpt.build_model()(torch.zeros(1, 1, 28, 28)).shape == (1, 10)


# --- atomic writes ------------------------------------------------------------------------------------


def test_save_leaves_no_temporary_file(trained, tmp_path):
    _, original = trained
    save_checkpoint(tmp_path / "sub" / "model.pt", original)
    save_checkpoint(tmp_path / "sub" / "model.pt", original)  # and overwriting works
    assert os.listdir(tmp_path / "sub") == ["model.pt"]


def test_a_failing_save_leaves_the_old_file_intact(trained, tmp_path, monkeypatch):
    path, original = trained
    target = tmp_path / "model.pt"
    target.write_bytes(path.read_bytes())

    def crash(obj, f, *args, **kwargs):
        f.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", crash)
    with pytest.raises(PlaygroundError, match=f"cannot write the checkpoint {target}: disk full"):
        save_checkpoint(target, original)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["model.pt"]
    assert load_checkpoint(target).metrics == original.metrics


# --- bad files ----------------------------------------------------------------------------------------


def _bad_files(good: bytes) -> dict[str, bytes]:
    return {"truncated": good[: len(good) // 2], "empty": b"", "random": os.urandom(2048),
            "text": b"this is not a checkpoint\n", "zip-garbage": b"PK\x03\x04" + os.urandom(200)}


@pytest.mark.parametrize("kind", list(_bad_files(b"")))
def test_corrupt_files_are_refused_with_a_message(trained, tmp_path, kind):
    path = tmp_path / f"{kind}.pt"
    path.write_bytes(_bad_files(trained[0].read_bytes())[kind])
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    assert "not a readable playground checkpoint" in message


@pytest.mark.parametrize(("payload", "words"), [
    ({"state_dict": {}}, "not a playground checkpoint"),
    ([1, 2, 3], "not a playground checkpoint"),
    ({"format_version": FORMAT_VERSION + 1}, "not a playground checkpoint of format"),
    ({"format_version": FORMAT_VERSION, "config": {}}, "lacks part"),
    ({"format_version": FORMAT_VERSION, "config": "mlp"}, "lacks part"),
    ({"format_version": FORMAT_VERSION, "config": {"epochz": 1}}, "epochz"),
])
def test_other_torch_files_are_refused(tmp_path, payload, words):
    path = tmp_path / "other.pt"
    torch.save(payload, path)
    with pytest.raises(CheckpointError, match=words):
        load_checkpoint(path)


class _RunsCode:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.makedirs, (str(self.marker),))


def test_loading_never_runs_code_from_the_file(tmp_path):
    marker = tmp_path / "code-ran"
    path = tmp_path / "evil.pt"
    with open(path, "wb") as f:
        torch.save({"format_version": FORMAT_VERSION, "config": _RunsCode(marker)}, f, pickle_module=pickle)
    with pytest.raises(CheckpointError, match="not a readable playground checkpoint"):
        load_checkpoint(path)
    assert not marker.exists(), "torch.load ran code: weights_only was not used"


def test_missing_checkpoint_is_named(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        load_checkpoint(tmp_path / "nope.pt")


# --- resume -------------------------------------------------------------------------------------------


def test_resume_continues_where_the_checkpoint_left_off(tmp_path):
    straight = Trainer().fit(tiny(epochs=2), checkpoint_path=tmp_path / "straight.pt")
    first = Trainer().fit(tiny(epochs=1), checkpoint_path=tmp_path / "half.pt")
    resumed = Trainer().fit(tiny(epochs=2), checkpoint_path=tmp_path / "resumed.pt", resume_from=tmp_path / "half.pt")
    assert resumed.status == "completed", resumed.message
    assert [m.epoch for m in resumed.metrics] == [2]
    ckpt = load_checkpoint(tmp_path / "resumed.pt")
    assert ckpt.epoch == 2 == load_checkpoint(tmp_path / "straight.pt").epoch
    assert [m["epoch"] for m in ckpt.metrics] == [1, 2]
    assert ckpt.metrics[0] == first.metrics[0].to_dict()
    # the same data order, weights and optimizer state: the resumed run is the uninterrupted one
    assert resumed.metrics[0].train_loss == pytest.approx(straight.metrics[1].train_loss, rel=1e-5)
    assert resumed.metrics[0].test_loss == pytest.approx(straight.metrics[1].test_loss, rel=1e-5)


def test_resume_reports_its_start_epoch(tmp_path):
    from playground.core.training.callbacks import Callback

    Trainer().fit(tiny(epochs=1), checkpoint_path=tmp_path / "m.pt")
    starts = []

    class Starts(Callback):
        def on_start(self, e):
            starts.append(e)

    Trainer().fit(tiny(epochs=3), Starts(), resume_from=tmp_path / "m.pt")
    assert starts[0].start_epoch == 1


@pytest.mark.parametrize("schedule", ["onecycle", "cosine", "step"])
def test_resume_with_more_epochs_stretches_the_schedule(tmp_path, schedule):
    config = tiny(epochs=1, optimizer="sgd", lr=0.05, schedule=schedule, step_epochs=1, gamma=0.5)
    Trainer().fit(config, checkpoint_path=tmp_path / "m.pt")
    resumed = Trainer().fit(config.replace(epochs=3), resume_from=tmp_path / "m.pt")
    assert resumed.status == "completed", resumed.message
    assert [m.epoch for m in resumed.metrics] == [2, 3]
    assert resumed.metrics[-1].lr < 0.05 / 4  # still annealing, not restarted at the peak


def test_resume_of_a_slimmed_checkpoint_starts_a_fresh_optimizer(tmp_path):
    Trainer().fit(tiny(epochs=1, schedule="onecycle"), checkpoint_path=tmp_path / "m.pt")
    ckpt = load_checkpoint(tmp_path / "m.pt")
    ckpt.optimizer_states = None
    save_checkpoint(tmp_path / "m.pt", ckpt)
    result = Trainer().fit(tiny(epochs=2, schedule="onecycle"), resume_from=tmp_path / "m.pt")
    assert result.status == "completed", result.message


@pytest.mark.parametrize(("changes", "words"), [
    ({"arch_options": {"hidden": [8]}}, "different arch_options"),
    ({"dataset": "xor"}, "different dataset"),
    ({"epochs": 1}, "already done 1 of 1"),
    ({"optimizer": "sgd"}, "different optimizer"),  # adam's state does not fit sgd
    ({"schedule": "onecycle"}, "different schedule"),
])
def test_resume_refuses_what_cannot_continue(tmp_path, changes, words):
    Trainer().fit(tiny(epochs=1), checkpoint_path=tmp_path / "m.pt")
    result = Trainer().fit(tiny(epochs=2).replace(**changes), resume_from=tmp_path / "m.pt")
    assert result.status == "failed" and words in result.message


def test_resume_from_a_corrupt_file_fails_the_run(tmp_path):
    (tmp_path / "m.pt").write_bytes(b"garbage")
    result = Trainer().fit(tiny(), resume_from=tmp_path / "m.pt")
    assert result.status == "failed" and "not a readable playground checkpoint" in result.message


def test_stopped_run_saves_its_last_state(tmp_path):
    from playground.core.training.callbacks import Callback
    from playground.core.training.control import RunControl

    control = RunControl()

    class StopAfterFirst(Callback):
        def on_epoch_end(self, e):
            control.stop()

    result = Trainer().fit(tiny(epochs=5), StopAfterFirst(), control, checkpoint_path=tmp_path / "m.pt")
    assert result.status == "stopped"
    ckpt = load_checkpoint(tmp_path / "m.pt")
    assert ckpt.epoch == 1 and len(ckpt.metrics) == 1
    assert Trainer().fit(tiny(epochs=2), resume_from=tmp_path / "m.pt").status == "completed"
